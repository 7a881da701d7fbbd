package dev.sixfinger.alerting.config;

import dev.sixfinger.alerting.alert.FlapPolicy;
import dev.sixfinger.alerting.inhibit.InhibitRule;
import dev.sixfinger.alerting.routing.Route;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The parsed {@code alerting.yml}: receivers by name, the routing tree, inhibit rules, the flapping
 * policy and the console's base URL (links in notifications point there).
 */
public record AlertingConfig(
    URI externalUrl,
    Map<String, Receiver> receivers,
    Route route,
    List<InhibitRule> inhibitRules,
    FlapPolicy flapping) {
  public static final URI DEFAULT_EXTERNAL_URL = URI.create("http://localhost:8080");

  public AlertingConfig {
    receivers = Map.copyOf(receivers);
    inhibitRules = List.copyOf(inhibitRules);
  }

  public Receiver receiver(String name) {
    Receiver r = receivers.get(name);
    if (r == null) {
      throw new IllegalArgumentException("no receiver named '" + name + "'");
    }
    return r;
  }
}
