package dev.sixfinger.alerting.config;

import java.net.URI;
import java.util.List;

/** Where notifications go: a named receiver of one kind. */
public sealed interface Receiver {
  String name();

  /**
   * PagerDuty Events API v2.
   *
   * @param routingKey the integration key of the service (32 characters)
   * @param url the API base, {@code https://events.pagerduty.com} unless overridden (tests,
   *     proxies)
   */
  record PagerDuty(String name, String routingKey, URI url) implements Receiver {
    public static final URI DEFAULT_URL = URI.create("https://events.pagerduty.com");
  }

  /**
   * An HTTP endpoint that takes Alertmanager's webhook JSON (version 4).
   *
   * @param maxAlerts at most this many alerts per message (the rest counted in {@code
   *     truncatedAlerts}); 0 = all
   */
  record Webhook(String name, URI url, int maxAlerts) implements Receiver {}

  /**
   * E-mail through an SMTP relay.
   *
   * @param smarthost {@code host:port} of the SMTP relay
   * @param username for SMTP AUTH, or null for none
   * @param password for SMTP AUTH, or null
   * @param requireTls STARTTLS is required (default true, as in Alertmanager)
   */
  record Email(
      String name,
      List<String> to,
      String from,
      String smarthost,
      String username,
      String password,
      boolean requireTls)
      implements Receiver {
    public Email {
      to = List.copyOf(to);
    }

    public String host() {
      return smarthost.substring(0, smarthost.lastIndexOf(':'));
    }

    public int port() {
      return Integer.parseInt(smarthost.substring(smarthost.lastIndexOf(':') + 1));
    }

    @Override
    public String toString() {
      return "Email[name="
          + name
          + ", to="
          + to
          + ", from="
          + from
          + ", smarthost="
          + smarthost
          + ", username="
          + username
          + ", requireTls="
          + requireTls
          + "]";
    }
  }
}
