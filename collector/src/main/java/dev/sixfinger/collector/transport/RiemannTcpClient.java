package dev.sixfinger.collector.transport;

import dev.sixfinger.core.riemann.RiemannProto;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A plain blocking Riemann TCP client: length-prefixed {@code Msg}s out, replies in the same order
 * back. Pipelining is allowed: one thread may write while another reads the replies.
 */
public final class RiemannTcpClient implements AutoCloseable {
  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;
  private final int maxReplyBytes;

  public RiemannTcpClient(String host, int port, Duration timeout) throws IOException {
    this(host, port, timeout, 64 * 1024 * 1024);
  }

  public RiemannTcpClient(String host, int port, Duration timeout, int maxReplyBytes)
      throws IOException {
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
    socket.setSoTimeout((int) timeout.toMillis());
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    this.maxReplyBytes = maxReplyBytes;
  }

  /** Buffers one message; call {@link #flush()} to send what is buffered. */
  public void write(RiemannProto.Msg msg) throws IOException {
    out.writeInt(msg.getSerializedSize());
    msg.writeTo(out);
  }

  /** Sends raw bytes as they are, for tests of bad input. */
  public void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** Sends one message and waits for its reply. */
  public RiemannProto.Msg call(RiemannProto.Msg msg) throws IOException {
    write(msg);
    flush();
    return read();
  }

  /** Reads the next reply. */
  public RiemannProto.Msg read() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > maxReplyBytes) {
      throw new IOException(
          "reply of " + Integer.toUnsignedString(length) + " bytes exceeds " + maxReplyBytes);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return RiemannProto.Msg.parseFrom(body);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
