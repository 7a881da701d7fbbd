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
 * back. Pipelining is allowed: one thread may write while another reads the replies. It can be
 * created unconnected, so that another thread may {@link #close()} it while it connects.
 */
public final class RiemannTcpClient implements AutoCloseable {
  private final Socket socket = new Socket();
  private final int maxReplyBytes;
  private DataOutputStream out;
  private DataInputStream in;

  /** Connects at once; the timeout bounds the connect and each wait for a reply. */
  public RiemannTcpClient(String host, int port, Duration timeout) throws IOException {
    this(64 * 1024 * 1024);
    connect(host, port, timeout, timeout);
  }

  /** An unconnected client; {@link #connect} it before use. */
  public RiemannTcpClient(int maxReplyBytes) {
    this.maxReplyBytes = maxReplyBytes;
  }

  /**
   * @param connectTimeout how long the TCP connect may take
   * @param replyTimeout the longest silence while waiting for a reply
   */
  public void connect(String host, int port, Duration connectTimeout, Duration replyTimeout)
      throws IOException {
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
    socket.setSoTimeout((int) replyTimeout.toMillis());
    out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
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

  /** Closes the socket; ends a connect or a wait for a reply in another thread at once. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }
}
