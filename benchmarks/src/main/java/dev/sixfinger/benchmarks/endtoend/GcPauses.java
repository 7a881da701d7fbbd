package dev.sixfinger.benchmarks.endtoend;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's garbage collections as they happen, with their start on the {@link System#nanoTime()}
 * scale, so that slow probes can be lined up with pauses. G1's concurrent cycle is listed too but
 * does not stop the application; its pauses ("G1 Young Generation", "G1 Old Generation") do.
 */
final class GcPauses implements AutoCloseable {

  /** One collection: when it started (nanoTime scale), how long, which collector and why. */
  record Pause(long startNanos, long durationMillis, String collector, String cause) {}

  private final List<Pause> pauses = new ArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::handle;
  private final long uptimeOriginMillis;
  private final long nanoOrigin;

  GcPauses() {
    this.nanoOrigin = System.nanoTime();
    this.uptimeOriginMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
  }

  private void handle(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long start = nanoOrigin + (info.getGcInfo().getStartTime() - uptimeOriginMillis) * 1_000_000L;
    synchronized (pauses) {
      pauses.add(
          new Pause(start, info.getGcInfo().getDuration(), info.getGcName(), info.getGcCause()));
    }
  }

  /** The collections that started in [from, to), stop-the-world ones only. */
  List<Pause> between(long fromNanos, long toNanos) {
    synchronized (pauses) {
      return pauses.stream()
          .filter(p -> p.startNanos() >= fromNanos && p.startNanos() < toNanos)
          .filter(p -> !p.collector().contains("Concurrent") && !p.collector().contains("Cycles"))
          .toList();
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ex) {
        // already gone
      }
    }
  }
}
