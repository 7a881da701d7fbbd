package dev.sixfinger.alerting.notify;

import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Notification;
import dev.sixfinger.core.codec.JsonCodec;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Sends a plain-text e-mail per notification through an SMTP relay (Angus Mail). Messages of one
 * group carry the same {@code References} header (from the group's dedup key), so mail clients
 * thread a group's firing and resolved messages. Connection problems and 4xx answers are retried
 * with the {@link RetryPolicy}; a 5xx answer (bad recipient, rejected sender) is final.
 */
public final class EmailNotifier implements Notifier {
  static final int MAX_SUBJECT = 200;

  private final RetryPolicy retry;
  private final Sleeper sleeper;

  public EmailNotifier(RetryPolicy retry, Sleeper sleeper) {
    this.retry = retry;
    this.sleeper = sleeper;
  }

  @Override
  public NotifyResult notify(Notification n) {
    if (!(n.receiver() instanceof Receiver.Email mail)) {
      throw new IllegalArgumentException("not an e-mail receiver: " + n.receiverName());
    }
    Session session = Session.getInstance(properties(mail));
    MimeMessage m;
    try {
      m = message(session, mail, n);
    } catch (MessagingException e) {
      return NotifyResult.failed(0, 0, "cannot build the e-mail: " + e.getMessage());
    }
    for (int attempt = 1; ; attempt++) {
      try {
        if (mail.username() != null) {
          Transport.send(m, mail.username(), mail.password());
        } else {
          Transport.send(m);
        }
        return NotifyResult.delivered(attempt, 250, "sent to " + mail.to());
      } catch (MessagingException e) {
        int code = smtpCode(e);
        String why = "SMTP " + (code > 0 ? code + " " : "") + describe(e);
        if (code >= 500 || attempt >= retry.maxAttempts()) {
          return NotifyResult.failed(attempt, code, why + " after " + attempt + " attempt(s)");
        }
      }
      try {
        sleeper.sleep(retry.backoff(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NotifyResult.failed(attempt, 0, "interrupted");
      }
    }
  }

  private static Properties properties(Receiver.Email mail) {
    Properties p = new Properties();
    p.put("mail.smtp.host", mail.host());
    p.put("mail.smtp.port", Integer.toString(mail.port()));
    p.put("mail.smtp.connectiontimeout", "10000");
    p.put("mail.smtp.timeout", "30000");
    p.put("mail.smtp.writetimeout", "30000");
    p.put("mail.smtp.starttls.enable", Boolean.toString(mail.requireTls()));
    p.put("mail.smtp.starttls.required", Boolean.toString(mail.requireTls()));
    p.put("mail.smtp.auth", Boolean.toString(mail.username() != null));
    p.put("mail.smtp.reportsuccess", "false");
    return p;
  }

  static MimeMessage message(Session session, Receiver.Email mail, Notification n)
      throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(mail.from()));
    List<InternetAddress> to = new ArrayList<>();
    for (String t : mail.to()) {
      try {
        to.add(new InternetAddress(t, true));
      } catch (AddressException e) {
        throw new MessagingException("bad address '" + t + "': " + e.getMessage(), e);
      }
    }
    m.setRecipients(Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
    m.setSubject(subject(n), "UTF-8");
    m.setSentDate(new Date(n.createdAtMicros() / 1000));
    m.setHeader("References", "<" + n.dedupKey() + "@sixfinger>");
    m.setHeader("X-Sixfinger-Group-Key", n.groupKey().replaceAll("[\\r\\n]", " "));
    m.setText(body(n), "UTF-8");
    return m;
  }

  /** {@code [FIRING:2] disk-full on n1 (+1 more)} or {@code [RESOLVED] disk-full ...}. */
  static String subject(Notification n) {
    List<Alert> shown = n.firing().isEmpty() ? n.resolved() : n.firing();
    String head =
        n.firing().isEmpty()
            ? (n.isFiring() ? "[RESOLVED:" + n.resolved().size() + "]" : "[RESOLVED]")
            : "[FIRING:" + n.firing().size() + "]";
    StringBuilder b = new StringBuilder(head);
    if (!shown.isEmpty()) {
      Alert first = shown.get(0);
      b.append(' ').append(first.summary() != null ? first.summary() : first.alertname());
      if (shown.size() > 1) {
        b.append(" (+").append(shown.size() - 1).append(" more)");
      }
    }
    return PagerDutyClient.cut(b.toString().replaceAll("[\\r\\n]+", " "), MAX_SUBJECT);
  }

  static String body(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append(n.firing().size()).append(" firing, ").append(n.resolved().size()).append(" resolved");
    if (!n.stillOpen().isEmpty()) {
      b.append(", ").append(n.stillOpen().size()).append(" silenced or inhibited");
    }
    b.append("\nGroup: ").append(n.groupKey());
    String base = n.externalUrl().toString().replaceAll("/$", "");
    b.append("\nConsole: ")
        .append(base)
        .append("/alerts?group=")
        .append(URLEncoder.encode(n.groupKey(), StandardCharsets.UTF_8))
        .append('\n');
    section(b, "FIRING", n.firing(), n);
    section(b, "RESOLVED", n.resolved(), n);
    return b.toString();
  }

  private static void section(StringBuilder b, String title, List<Alert> alerts, Notification n) {
    if (alerts.isEmpty()) {
      return;
    }
    b.append('\n').append(title).append('\n');
    for (Alert a : alerts) {
      b.append("- ").append(a.summary() != null ? a.summary() : a.alertname());
      if (n.flapping().contains(a.fingerprint())) {
        b.append(" [flapping]");
      }
      b.append("\n  since ").append(JsonCodec.formatMicros(a.startsAtMicros()));
      if (a.endsAtMicros() != null && !a.firing()) {
        b.append(", resolved ").append(JsonCodec.formatMicros(a.endsAtMicros()));
      }
      b.append("\n  labels:");
      Map<String, String> labels = new TreeMap<>(a.labels());
      labels.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
      b.append('\n');
      if (a.description() != null && !a.description().isBlank()) {
        b.append("  ").append(a.description().replace("\n", "\n  ")).append('\n');
      }
    }
  }

  /** The SMTP reply code of the failure, or 0 if the server never answered (connection). */
  static int smtpCode(MessagingException e) {
    for (Exception x = e; x != null; ) {
      if (x instanceof SMTPAddressFailedException a) {
        return a.getReturnCode();
      }
      if (x instanceof SMTPSenderFailedException s) {
        return s.getReturnCode();
      }
      if (x instanceof SMTPSendFailedException s) {
        return s.getReturnCode();
      }
      x = x instanceof MessagingException me ? me.getNextException() : null;
    }
    return 0;
  }

  private static String describe(MessagingException e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()).strip());
    Exception next = e.getNextException();
    if (next != null
        && next.getMessage() != null
        && !b.toString().contains(next.getMessage().strip())) {
      b.append(": ").append(next.getMessage().strip());
    }
    return b.toString();
  }
}
