package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.Map;

/**
 * A transition of a rule: {@code FIRING} when its condition has held for its {@code for}, {@code
 * RESOLVED} when it stops holding or the entity expires. Alert fields are null when the rule has no
 * alert; health fields are null when it has no health decision.
 */
public record RuleOutput(
    String rule,
    Kind kind,
    long timeMicros,
    String severity,
    Map<String, String> labels,
    String summary,
    String description,
    String healthAction,
    String healthReason,
    List<Event> evidence,
    List<String> hosts) {

  public enum Kind {
    FIRING,
    RESOLVED
  }
}
