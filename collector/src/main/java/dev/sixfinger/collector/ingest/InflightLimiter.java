package dev.sixfinger.collector.ingest;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes that the gateway has read but Kafka has not yet acknowledged. Over the limit,
 * connections stop reading (the kernel's socket buffers then push back on the clients); once half
 * of it has drained they read again. This is what keeps memory flat when Kafka is slower than the
 * clients.
 */
final class InflightLimiter {
  private final long highWatermark;
  private final long lowWatermark;
  private final AtomicLong inflight = new AtomicLong();
  private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
  private final IngestMetrics metrics;
  private volatile boolean draining;

  InflightLimiter(long maxInflightBytes, IngestMetrics metrics) {
    this.highWatermark = maxInflightBytes;
    this.lowWatermark = maxInflightBytes / 2;
    this.metrics = metrics;
  }

  /** Counts bytes read on a channel, and pauses that channel when over the limit. */
  void acquire(Channel channel, long bytes) {
    if (inflight.addAndGet(bytes) > highWatermark && channel != null) {
      channel.config().setAutoRead(false);
      paused.add(channel);
      metrics.readPauses.increment();
      // Releases may all have happened between the add and the pause.
      if (inflight.get() <= lowWatermark) {
        resumeAll();
      }
    }
  }

  /** True when a connectionless sender (UDP) must be turned away. */
  boolean overLimit() {
    return inflight.get() > highWatermark;
  }

  void release(long bytes) {
    if (inflight.addAndGet(-bytes) <= lowWatermark && !paused.isEmpty()) {
      resumeAll();
    }
  }

  long inflightBytes() {
    return inflight.get();
  }

  /** From now on no paused connection is resumed: the gateway is shutting down. */
  void drain() {
    draining = true;
  }

  private void resumeAll() {
    if (draining) {
      return;
    }
    for (Channel c : paused) {
      if (paused.remove(c)) {
        c.eventLoop().execute(() -> c.config().setAutoRead(true));
      }
    }
  }
}
