package dev.sixfinger.collector.ingest;

import dev.sixfinger.collector.ingest.RiemannFrameDecoder.Frame;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.riemann.RiemannProto;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Riemann TCP connection. Clients may pipeline: several messages are in flight at once, and
 * replies go out strictly in the order the messages came in, because clients match them first in,
 * first out. A message is answered {@code ok=true} only after Kafka has acknowledged all its
 * events.
 */
final class RiemannTcpHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(RiemannTcpHandler.class);

  /** A reply slot, filled in when its message has been dealt with. Event-loop confined. */
  private static final class Pending {
    RiemannProto.Msg reply;
    boolean closeAfter;
  }

  private final MessageProcessor processor;
  private final IngestMetrics metrics;
  private final AtomicInteger unanswered;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private boolean closing;

  /**
   * @param unanswered messages read but not yet answered, over all connections; a graceful shutdown
   *     waits for it to reach zero so that nothing stored goes unacknowledged
   */
  RiemannTcpHandler(MessageProcessor processor, IngestMetrics metrics, AtomicInteger unanswered) {
    this.processor = processor;
    this.metrics = metrics;
    this.unanswered = unanswered;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    metrics.tcpConnectionsOpened.increment();
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (closing) {
      return;
    }
    Pending slot = new Pending();
    pending.add(slot);
    unanswered.incrementAndGet();
    if (frame.error() != null) {
      if (frame.fatal()) {
        metrics.tcpFramesTooLong.increment();
        closing = true;
        slot.closeAfter = true;
      } else {
        metrics.tcpUndecodable.increment();
      }
      LOG.debug("{}: {}", ctx.channel().remoteAddress(), frame.error());
      slot.reply = RiemannCodec.error(frame.error());
      drain(ctx);
      return;
    }
    CompletableFuture<RiemannProto.Msg> reply =
        processor.process(frame.msg(), frame.bytes(), ctx.channel());
    reply.whenComplete(
        (msg, error) ->
            ctx.executor()
                .execute(
                    () -> {
                      slot.reply = error == null ? msg : RiemannCodec.error(reason(error));
                      drain(ctx);
                    }));
  }

  private void drain(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!pending.isEmpty() && pending.peek().reply != null) {
      Pending head = pending.poll();
      ctx.write(encode(ctx, head.reply));
      unanswered.decrementAndGet();
      wrote = true;
      if (head.closeAfter) {
        unanswered.addAndGet(-pending.size());
        pending.clear();
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private static ByteBuf encode(ChannelHandlerContext ctx, RiemannProto.Msg msg) {
    int size = msg.getSerializedSize();
    ByteBuf buf = ctx.alloc().buffer(4 + size);
    buf.writeInt(size);
    try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
      msg.writeTo(out);
    } catch (IOException e) {
      buf.release();
      throw new IllegalStateException("could not encode a reply", e);
    }
    return buf;
  }

  static String reason(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // Replies that can no longer be sent are not waited for.
    unanswered.addAndGet(-pending.size());
    pending.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("{}: connection error: {}", ctx.channel().remoteAddress(), cause.getMessage());
    } else {
      LOG.warn("{}: closing the connection after an error", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
