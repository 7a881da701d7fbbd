package dev.sixfinger.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sixfinger.core.riemann.RiemannProto;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the TCP stream into Riemann messages: a 4-byte big-endian length, then a protobuf {@code
 * Msg}. Emits {@link Frame}s. A frame that is read whole but does not decode keeps the stream in
 * step, so the connection goes on; a length over the limit cannot be skipped safely (it may be a
 * stray HTTP request or garbage), so that is the end of the stream.
 */
final class RiemannFrameDecoder extends ByteToMessageDecoder {

  /** One decoded message, or the reason it could not be, with the bytes it took. */
  record Frame(RiemannProto.Msg msg, String error, boolean fatal, int bytes) {}

  private final int maxFrameBytes;
  private boolean failed;

  RiemannFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxFrameBytes) {
      failed = true;
      in.skipBytes(in.readableBytes());
      out.add(
          new Frame(
              null,
              "message of "
                  + length
                  + " bytes exceeds the maximum of "
                  + maxFrameBytes
                  + " bytes (ingest.maxFrameSize); closing the connection",
              true,
              0));
      return;
    }
    if (in.readableBytes() < 4 + length) {
      return;
    }
    in.skipBytes(4);
    int size = (int) length;
    ByteBuf body = in.readSlice(size);
    try {
      out.add(new Frame(RiemannProto.Msg.parseFrom(body.nioBuffer()), null, false, size + 4));
    } catch (InvalidProtocolBufferException e) {
      out.add(
          new Frame(
              null,
              "message of " + size + " bytes is not a Riemann protobuf Msg: " + e.getMessage(),
              false,
              size + 4));
    }
  }
}
