package dev.sixfinger.collector.agent.transport;

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
 * One blocking Riemann TCP connection for the transport. Unlike {@code
 * collector.transport.RiemannTcpClient} it has separate connect and reply timeouts, and it sends
 * one message at a time, so a reply always belongs to the message just sent: on any error the
 * connection is dropped, never reused.
 */
final class RiemannConnection implements AutoCloseable {
  /** Replies to event messages are a few bytes; anything huge is not a Riemann server. */
  private static final int MAX_REPLY_BYTES = 1024 * 1024;

  private final Socket socket = new Socket();
  private DataOutputStream out;
  private DataInputStream in;

  /**
   * Connects. Separate from the constructor so that another thread can {@link #close()} the
   * connection while the connect is still under way.
   */
  void connect(TransportSettings.Endpoint endpoint, Duration connectTimeout, Duration reply)
      throws IOException {
    socket.setTcpNoDelay(true);
    socket.connect(
        new InetSocketAddress(endpoint.host(), endpoint.port()), (int) connectTimeout.toMillis());
    // The longest silence while waiting for a reply; a reply is one small read in practice.
    socket.setSoTimeout((int) reply.toMillis());
    out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
  }

  boolean isConnected() {
    return out != null;
  }

  /** Sends a message and waits for its reply. */
  RiemannProto.Msg call(RiemannProto.Msg msg) throws IOException {
    out.writeInt(msg.getSerializedSize());
    msg.writeTo(out);
    out.flush();
    int length = in.readInt();
    if (length < 0 || length > MAX_REPLY_BYTES) {
      throw new IOException(
          "reply of " + Integer.toUnsignedString(length) + " bytes exceeds " + MAX_REPLY_BYTES);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return RiemannProto.Msg.parseFrom(body);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }
}
