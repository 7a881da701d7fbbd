package dev.sixfinger.collector.ingest;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest gateway: Riemann TCP and UDP servers that hand events to an {@link EventSink} and
 * acknowledge only what the sink stored. Also the entry point for events arriving over HTTP.
 */
public final class IngestGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestGateway.class);

  /** Largest UDP datagram read; Riemann clients keep to 16 KiB, IP allows just under 64 KiB. */
  private static final int MAX_DATAGRAM_BYTES = 65_535;

  private final IngestSettings settings;
  private final IngestMetrics metrics;
  private final InflightLimiter limiter;
  private final MessageProcessor processor;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private final AtomicInteger unanswered = new AtomicInteger();
  private ChannelGroup connections;
  private Channel tcpChannel;
  private Channel udpChannel;

  public IngestGateway(
      IngestSettings settings,
      EventSink sink,
      QueryService queries,
      IngestMetrics metrics,
      Clock clock) {
    this.settings = settings;
    this.metrics = metrics;
    this.limiter = new InflightLimiter(settings.maxInflightBytes(), metrics);
    this.processor =
        new MessageProcessor(sink, queries, limiter, metrics, clock, settings.defaultTtlSeconds());
  }

  /** Binds the sockets; returns once they accept connections. */
  public void start() throws InterruptedException {
    bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workerGroup = new MultiThreadIoEventLoopGroup(settings.ioThreads(), NioIoHandler.newFactory());
    connections = new DefaultChannelGroup("riemann-connections", GlobalEventExecutor.INSTANCE);
    ServerBootstrap tcp =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast("frames", new RiemannFrameDecoder(settings.maxFrameBytes()))
                        .addLast("riemann", new RiemannTcpHandler(processor, metrics, unanswered));
                  }
                });
    InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
    try {
      tcpChannel = tcp.bind(address).sync().channel();
      if (settings.udpEnabled()) {
        // Same port number as TCP, which may have been picked by the system.
        InetSocketAddress bound = (InetSocketAddress) tcpChannel.localAddress();
        Bootstrap udp =
            new Bootstrap()
                .group(workerGroup)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(
                    ChannelOption.RECVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES))
                .handler(new RiemannUdpHandler(processor, limiter, metrics));
        udpChannel =
            udp.bind(new InetSocketAddress(settings.host(), bound.getPort())).sync().channel();
      }
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException(
          "could not listen for Riemann clients on "
              + address
              + " ("
              + e.getMessage()
              + "); is another server using the port? Set ingest.port to change it",
          e);
    }
    LOG.info(
        "Riemann ingest listening on {} (TCP{})",
        tcpChannel.localAddress(),
        settings.udpEnabled() ? " and UDP" : "");
  }

  /** The TCP (and UDP) port actually bound. */
  public int port() {
    return ((InetSocketAddress) tcpChannel.localAddress()).getPort();
  }

  /**
   * Publishes events that arrived over HTTP: same defaults, same durability, same limit.
   *
   * @param bytes the size of the request, counted against the in-flight limit
   */
  public CompletableFuture<Void> publish(List<Event> events, int bytes) {
    return processor.publish(events, bytes);
  }

  public IngestMetrics metrics() {
    return metrics;
  }

  public long inflightBytes() {
    return limiter.inflightBytes();
  }

  /**
   * Stops gracefully: no new connections, no more reading, then waits up to {@code drainTimeout}
   * for every message already read to be answered, so a client is not left to resend events that
   * were in fact stored (which would duplicate them). Then closes everything.
   */
  public void close(Duration drainTimeout) {
    if (tcpChannel != null) {
      tcpChannel.close().syncUninterruptibly();
    }
    if (udpChannel != null) {
      udpChannel.close().syncUninterruptibly();
    }
    if (connections != null) {
      limiter.drain();
      connections.forEach(ch -> ch.config().setAutoRead(false));
      long deadline = System.nanoTime() + drainTimeout.toNanos();
      while (unanswered.get() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(10); // a shutdown wait, bounded by drainTimeout
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (unanswered.get() > 0) {
        LOG.warn(
            "closing with {} messages unanswered after {} ms; their senders will resend them",
            unanswered.get(),
            drainTimeout.toMillis());
      }
      // Each close is queued behind the replies already written on that connection.
      connections.forEach(
          ch -> ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
      connections.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    closeGroups();
  }

  @Override
  public void close() {
    close(DEFAULT_DRAIN_TIMEOUT);
  }

  private void closeGroups() {
    if (bossGroup != null) {
      bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (workerGroup != null) {
      workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
