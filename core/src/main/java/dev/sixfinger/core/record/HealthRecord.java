package dev.sixfinger.core.record;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import java.util.List;

/**
 * The automated health of one host for the compacted {@code sixfinger.health}, keyed by host: every
 * decision in force (one per firing alert that asks for one) and the strongest action among them
 * ({@code drain} over {@code cordon}; {@code none} when no decision is left, which clears the
 * host). The engine renews a record while it stays in force; a consumer must ignore it after {@code
 * expiresAtMicros}, so that a stopped engine cannot keep hosts out of the pool.
 */
public record HealthRecord(
    String host, String action, long timeMicros, long expiresAtMicros, List<Decision> decisions)
    implements EngineRecord {

  public static final String NONE = "none";

  /** Why: the rule, its action and reason, the alert it belongs to, since when, and evidence. */
  public record Decision(
      String rule,
      String action,
      String reason,
      String fingerprint,
      long sinceMicros,
      List<Event> evidence) {
    public Decision {
      evidence = List.copyOf(evidence);
    }
  }

  public HealthRecord {
    decisions = List.copyOf(decisions);
  }

  /** {@code drain} if any decision drains, else {@code cordon} if any cordons, else none. */
  public static String strongest(List<Decision> decisions) {
    String action = NONE;
    for (Decision d : decisions) {
      if ("drain".equals(d.action())) {
        return "drain";
      }
      if ("cordon".equals(d.action())) {
        action = "cordon";
      }
    }
    return action;
  }

  @Override
  public String topic() {
    return Topics.HEALTH;
  }

  @Override
  public String key() {
    return host;
  }
}
