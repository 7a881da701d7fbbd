package dev.sixfinger.alerting.notify;

import static dev.sixfinger.alerting.notify.Notifications.alert;
import static dev.sixfinger.alerting.notify.Notifications.of;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.testing.Configs;
import dev.sixfinger.alerting.testing.SmtpTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmailNotifierTest {
  private SmtpTestServer smtp;
  private final FakeTime time = new FakeTime();
  private EmailNotifier notifier;
  private Receiver.Email receiver;

  @BeforeEach
  void start() throws Exception {
    smtp = SmtpTestServer.start();
    notifier =
        new EmailNotifier(
            new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.5), time);
    AlertingConfig c =
        Configs.parse(
            """
            receivers:
              - name: mail
                email:
                  to: [oncall@example.com, lead@example.com]
                  from: sixfinger@example.com
                  smarthost: "127.0.0.1:%d"
                  require_tls: false
            route: {receiver: mail}
            """
                .formatted(smtp.port()));
    receiver = (Receiver.Email) c.receiver("mail");
  }

  @AfterEach
  void stop() throws Exception {
    smtp.close();
  }

  @Test
  void sendsAThreadedPlainTextMessage() {
    var firing = alert("n1", "error", true, List.of());
    var resolved = alert("n2", "error", false, List.of());
    var n = of(receiver, List.of(firing), List.of(resolved), Set.of());
    NotifyResult r = notifier.notify(n);
    assertThat(r.delivered()).as(r.detail()).isTrue();
    assertThat(r.attempts()).isEqualTo(1);
    SmtpTestServer.Mail m = smtp.mails().get(0);
    assertThat(m.from()).isEqualTo("sixfinger@example.com");
    assertThat(m.to()).containsExactly("oncall@example.com", "lead@example.com");
    assertThat(m.data())
        .contains("Subject: [FIRING:1] disk-full on n1")
        .contains("References: <" + n.dedupKey() + "@sixfinger>")
        .contains("1 firing, 1 resolved")
        .contains("FIRING\n- disk-full on n1")
        .contains("RESOLVED\n- disk-full on n2")
        .contains("labels: alertname=disk-full host=n1 severity=error")
        .contains("Console: http://sixfinger.example:8080/alerts?group=");
  }

  @Test
  void aResolvedGroupSaysSo() {
    var n = of(receiver, List.of(), List.of(alert("n2", "error", false, List.of())), Set.of());
    assertThat(notifier.notify(n).delivered()).isTrue();
    assertThat(smtp.mails().get(0).data()).contains("Subject: [RESOLVED] disk-full on n2");
  }

  @Test
  void temporaryFailuresAreRetried() {
    smtp.rejectNext(2, "451 try again later");
    NotifyResult r =
        notifier.notify(
            of(receiver, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of()));
    assertThat(r.delivered()).as(r.detail()).isTrue();
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(smtp.mails()).hasSize(1);
    assertThat(time.sleeps).extracting(Duration::toMillis).containsExactly(250L, 500L);
  }

  @Test
  void permanentFailuresAreNotRetried() {
    smtp.rejectNext(5, "550 sender rejected");
    NotifyResult r =
        notifier.notify(
            of(receiver, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of()));
    assertThat(r.delivered()).isFalse();
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(550);
    assertThat(r.detail()).contains("550").contains("sender rejected");
    assertThat(smtp.transactions()).isEqualTo(1);
  }
}
