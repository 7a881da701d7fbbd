package dev.sixfinger.alerting.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal SMTP server (RFC 5321 without extensions: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT) on the loopback interface that records the messages it accepts. {@link #rejectNext} makes
 * the next transactions fail with a chosen reply at MAIL FROM (e.g. 451 temporary, 550 permanent).
 */
public final class SmtpTestServer implements AutoCloseable {
  /** An accepted message: envelope and the raw DATA (headers and body). */
  public record Mail(String from, List<String> to, String data) {}

  private final ServerSocket socket;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Mail> mails = new ArrayList<>();
  private final Deque<String> rejections = new ArrayDeque<>();
  private int transactions;

  private SmtpTestServer(ServerSocket socket) {
    this.socket = socket;
  }

  public static SmtpTestServer start() throws IOException {
    SmtpTestServer s =
        new SmtpTestServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    s.pool.execute(s::accept);
    return s;
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** The next {@code count} MAIL FROM commands are answered {@code reply}, e.g. "451 busy". */
  public synchronized void rejectNext(int count, String reply) {
    for (int i = 0; i < count; i++) {
      rejections.add(reply);
    }
  }

  public synchronized List<Mail> mails() {
    return List.copyOf(mails);
  }

  /** MAIL FROM commands received. */
  public synchronized int transactions() {
    return transactions;
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket c = socket.accept();
        pool.execute(() -> session(c));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void session(Socket c) {
    try (c) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = c.getOutputStream();
      reply(out, "220 sixfinger-test ESMTP");
      String from = null;
      List<String> to = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
        switch (cmd) {
          case "EHLO", "HELO" -> reply(out, "250 sixfinger-test");
          case "MAIL" -> {
            String rejection;
            synchronized (this) {
              transactions++;
              rejection = rejections.poll();
            }
            if (rejection != null) {
              reply(out, rejection);
            } else {
              from = address(line);
              to.clear();
              reply(out, "250 OK");
            }
          }
          case "RCPT" -> {
            if (from == null) {
              reply(out, "503 need MAIL first");
            } else {
              to.add(address(line));
              reply(out, "250 OK");
            }
          }
          case "DATA" -> {
            if (to.isEmpty()) {
              reply(out, "503 need RCPT first");
              break;
            }
            reply(out, "354 end with <CRLF>.<CRLF>");
            StringBuilder data = new StringBuilder();
            String d;
            while ((d = in.readLine()) != null && !d.equals(".")) {
              data.append(d.startsWith("..") ? d.substring(1) : d).append('\n');
            }
            synchronized (this) {
              mails.add(new Mail(from, List.copyOf(to), data.toString()));
            }
            from = null;
            to.clear();
            reply(out, "250 OK queued");
          }
          case "RSET" -> {
            from = null;
            to.clear();
            reply(out, "250 OK");
          }
          case "NOOP" -> reply(out, "250 OK");
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "502 command not implemented");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String address(String line) {
    int a = line.indexOf('<');
    int b = line.indexOf('>');
    return a >= 0 && b > a
        ? line.substring(a + 1, b)
        : line.substring(line.indexOf(':') + 1).strip();
  }

  private static void reply(OutputStream out, String s) throws IOException {
    out.write((s + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    pool.shutdownNow();
  }
}
