package dev.sixfinger.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sixfinger.core.riemann.RiemannProto;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riemann UDP: one {@code Msg} per datagram, no length prefix and no reply. UDP senders cannot be
 * slowed down, so when Kafka is behind, datagrams are dropped and counted rather than buffered.
 */
final class RiemannUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = LoggerFactory.getLogger(RiemannUdpHandler.class);

  private final MessageProcessor processor;
  private final InflightLimiter limiter;
  private final IngestMetrics metrics;

  RiemannUdpHandler(MessageProcessor processor, InflightLimiter limiter, IngestMetrics metrics) {
    this.processor = processor;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    int size = packet.content().readableBytes();
    RiemannProto.Msg msg;
    try {
      msg = RiemannProto.Msg.parseFrom(packet.content().nioBuffer());
    } catch (InvalidProtocolBufferException e) {
      metrics.udpUndecodable.increment();
      LOG.debug(
          "datagram of {} bytes from {} is not a Riemann protobuf Msg: {}",
          size,
          packet.sender(),
          e.getMessage());
      return;
    }
    if (limiter.overLimit()) {
      metrics.udpDroppedBackpressure.increment();
      return;
    }
    processor.process(msg, size, null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A bad datagram must never stop the socket: log and go on.
    LOG.warn("error on the Riemann UDP socket", cause);
  }
}
