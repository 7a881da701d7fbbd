package dev.sixfinger.alerting.notify;

import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Notification;

/** The notifier for every receiver kind: PagerDuty, webhook and e-mail. Thread-safe. */
public final class Notifiers implements Notifier {
  private final PagerDutyClient pagerDuty;
  private final WebhookNotifier webhook;
  private final EmailNotifier email;

  public Notifiers(HttpSender pagerDutyHttp, HttpSender webhookHttp, EmailNotifier email) {
    this.pagerDuty = new PagerDutyClient(pagerDutyHttp);
    this.webhook = new WebhookNotifier(webhookHttp);
    this.email = email;
  }

  /** With real HTTP clients and SMTP, the default retry policy and per-key rate limits. */
  public static Notifiers standard() {
    return new Notifiers(
        HttpSender.standard(
            new RateLimiter(
                PagerDutyClient.DEFAULT_BURST,
                PagerDutyClient.DEFAULT_PER_MINUTE,
                System::nanoTime)),
        HttpSender.standard(new RateLimiter(50, 600, System::nanoTime)),
        new EmailNotifier(RetryPolicy.DEFAULT, Sleeper.real()));
  }

  @Override
  public NotifyResult notify(Notification n) {
    Receiver r = n.receiver();
    if (r instanceof Receiver.PagerDuty) {
      return pagerDuty.notify(n);
    }
    if (r instanceof Receiver.Webhook) {
      return webhook.notify(n);
    }
    return email.notify(n);
  }
}
