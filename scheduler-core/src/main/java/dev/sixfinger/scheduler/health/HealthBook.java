package dev.sixfinger.scheduler.health;

import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.HealthRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The health of every host. Changing it is two steps, so that it can be event-sourced: {@link
 * #evaluate} decides (pure), and the {@code on*} methods apply what was decided.
 */
public final class HealthBook {
  public static final String AUTOMATION = "automation";
  public static final String OVERRIDE = "override";

  private final TreeMap<String, HostHealth> hosts = new TreeMap<>();
  // Times automation took a host out, to enforce the per-minute guard-rail.
  private final Deque<Long> removals = new ArrayDeque<>();

  /** A decision of {@link #evaluate}. */
  public sealed interface Outcome {}

  public record Change(
      String host, HealthState from, HealthState to, String cause, String detail, long deadline)
      implements Outcome {}

  public record Trip(GuardRailAlert alert) implements Outcome {}

  public record Release(String host) implements Outcome {}

  public HostHealth get(String host) {
    HostHealth h = hosts.get(host);
    return h == null ? HostHealth.initial(host) : h;
  }

  public HealthState state(String host) {
    HostHealth h = hosts.get(host);
    return h == null ? HealthState.HEALTHY : h.state();
  }

  public Map<String, HostHealth> asMap() {
    return Collections.unmodifiableMap(hosts);
  }

  public List<Long> removals() {
    return List.copyOf(removals);
  }

  // ---- fold -------------------------------------------------------------------------------

  public void onRecord(HealthRecord r) {
    hosts.put(r.host(), get(r.host()).withRecord(r));
  }

  public void onOverride(HostOverride o) {
    hosts.put(o.host(), get(o.host()).withOverride(o));
  }

  public void onOverrideCleared(String host) {
    hosts.put(host, get(host).withOverride(null));
  }

  public void onTrip(GuardRailAlert a) {
    hosts.put(a.host(), get(a.host()).withGuardRail(a));
  }

  public void onRelease(String host) {
    hosts.put(host, get(host).withGuardRail(null));
  }

  public void onChange(Change c, long atMicros) {
    HostHealth h = get(c.host());
    if (AUTOMATION.equals(c.cause())
        && h.state() == HealthState.HEALTHY
        && c.to() != HealthState.HEALTHY) {
      removals.addLast(atMicros);
    }
    while (!removals.isEmpty() && removals.peekFirst() <= atMicros - HealthConfig.MINUTE_MICROS) {
      removals.removeFirst();
    }
    long since = c.to() == h.state() ? h.sinceMicros() : atMicros;
    hosts.put(c.host(), h.withState(c.to(), c.cause(), c.detail(), since, c.deadline()));
  }

  /** Restores from a snapshot. */
  public void restore(Collection<HostHealth> all, List<Long> recent) {
    hosts.clear();
    all.forEach(h -> hosts.put(h.host(), h));
    removals.clear();
    removals.addAll(recent);
  }

  // ---- decisions --------------------------------------------------------------------------

  /** What automation and overrides want for a host at {@code now}: state, cause, detail. */
  public record Desire(HealthState state, String cause, String detail) {}

  public static Desire desired(HostHealth h, long now, HealthConfig config) {
    HostOverride o = h.override();
    if (o != null && o.expiresAtMicros() > now) {
      return new Desire(o.state(), OVERRIDE, "operator " + o.author() + ": " + o.reason());
    }
    HealthRecord r = h.record();
    if (r != null && r.expiresAtMicros() > now) {
      List<HealthRecord.Decision> applied = new ArrayList<>();
      for (HealthRecord.Decision d : r.decisions()) {
        if (!config.dryRunRules().contains(d.rule())) {
          applied.add(d);
        }
      }
      String action = HealthRecord.strongest(applied);
      if (!HealthRecord.NONE.equals(action)) {
        for (HealthRecord.Decision d : applied) {
          if (action.equals(d.action())) {
            return new Desire(HealthState.parse(action), AUTOMATION, describe(d));
          }
        }
      }
    }
    String why;
    if (o != null) {
      why = "override-expired";
    } else if (r == null) {
      why = "initial";
    } else if (r.expiresAtMicros() <= now) {
      why = "record-expired";
    } else {
      why = "evidence-cleared";
    }
    return new Desire(HealthState.HEALTHY, why, "");
  }

  /**
   * Decides changes for {@code candidates} at {@code now}, applying the guard-rails in host order
   * so that the outcome is deterministic.
   *
   * @param knownHosts how many hosts the cluster has, for the fraction guard-rail
   */
  public List<Outcome> evaluate(
      Collection<String> candidates, int knownHosts, long now, HealthConfig config) {
    return evaluate(candidates, knownHosts, now, config, Map.of());
  }

  /**
   * As {@link #evaluate(Collection, int, long, HealthConfig)}, as if {@code pending} (a record or
   * override not yet applied) had replaced the hosts' entries.
   */
  public List<Outcome> evaluate(
      Collection<String> candidates,
      int knownHosts,
      long now,
      HealthConfig config,
      Map<String, HostHealth> pending) {
    List<Outcome> out = new ArrayList<>();
    int autoOut = 0;
    for (HostHealth h : hosts.values()) {
      if (h.outByAutomation()) {
        autoOut++;
      }
    }
    int recent = 0;
    for (long t : removals) {
      if (t > now - HealthConfig.MINUTE_MICROS) {
        recent++;
      }
    }
    int maxOut = config.maxOut(Math.max(knownHosts, 1));
    for (String host : new java.util.TreeSet<>(candidates)) {
      HostHealth h = pending.getOrDefault(host, get(host));
      Desire d = desired(h, now, config);
      boolean wasAutoOut = h.outByAutomation();
      if (d.state() == h.state() && d.cause().equals(h.cause())) {
        if (h.guardRail() != null) {
          out.add(new Release(host));
        }
        continue;
      }
      if (d.state() == h.state() && d.state() == HealthState.HEALTHY) {
        // Already in service; only the wording of why changed.
        if (h.guardRail() != null) {
          out.add(new Release(host));
        }
        continue;
      }
      boolean newRemoval = AUTOMATION.equals(d.cause()) && h.state() == HealthState.HEALTHY;
      if (newRemoval) {
        GuardRailAlert trip = null;
        if (autoOut + 1 > maxOut) {
          trip =
              alert(
                  GuardRailAlert.MAX_FRACTION,
                  h,
                  d,
                  now,
                  autoOut,
                  knownHosts,
                  recent,
                  autoOut
                      + " of "
                      + knownHosts
                      + " hosts are already out by automation and the"
                      + " limit is "
                      + maxOut
                      + " ("
                      + Math.round(config.maxFraction() * 100)
                      + "%)");
        } else if (recent + 1 > config.maxPerMinute()) {
          trip =
              alert(
                  GuardRailAlert.MAX_RATE,
                  h,
                  d,
                  now,
                  autoOut,
                  knownHosts,
                  recent,
                  recent
                      + " hosts were taken out in the last minute and the limit is "
                      + config.maxPerMinute()
                      + " per minute");
        }
        if (trip != null) {
          if (h.guardRail() == null || !h.guardRail().kind().equals(trip.kind())) {
            out.add(new Trip(trip));
          }
          continue;
        }
        recent++;
      }
      if (AUTOMATION.equals(d.cause()) && d.state() != HealthState.HEALTHY && !wasAutoOut) {
        autoOut++;
      } else if (wasAutoOut
          && !(AUTOMATION.equals(d.cause()) && d.state() != HealthState.HEALTHY)) {
        autoOut--;
      }
      long deadline = 0;
      if (d.state() == HealthState.DRAINING) {
        deadline =
            h.state() == HealthState.DRAINING && h.drainDeadlineMicros() > 0
                ? h.drainDeadlineMicros()
                : now + config.drainGraceMicros();
      }
      out.add(new Change(host, h.state(), d.state(), d.cause(), d.detail(), deadline));
    }
    return out;
  }

  private static GuardRailAlert alert(
      String kind,
      HostHealth h,
      Desire d,
      long now,
      int autoOut,
      int hosts,
      int recent,
      String why) {
    String rule = h.record() == null ? "" : ruleOf(h.record(), d.state());
    String action = d.state() == HealthState.DRAINING ? "drain" : "cordon";
    String message =
        "automation wanted to "
            + action
            + " "
            + h.host()
            + " (rule "
            + rule
            + ") but "
            + why
            + "; not applied: likely a workload problem, not a host problem";
    return new GuardRailAlert(kind, h.host(), rule, action, message, now, autoOut, hosts, recent);
  }

  private static String ruleOf(HealthRecord r, HealthState s) {
    String action = s == HealthState.DRAINING ? "drain" : "cordon";
    for (HealthRecord.Decision d : r.decisions()) {
      if (action.equals(d.action())) {
        return d.rule();
      }
    }
    return r.decisions().isEmpty() ? "" : r.decisions().get(0).rule();
  }

  static String describe(HealthRecord.Decision d) {
    return "rule "
        + d.rule()
        + " decided "
        + d.action()
        + (d.reason() == null || d.reason().isBlank() ? "" : ": " + d.reason())
        + " (since "
        + JsonCodec.formatMicros(d.sinceMicros())
        + ")";
  }

  // ---- explanation ------------------------------------------------------------------------

  /** A host's state and every reason behind it, in words. */
  public record Explanation(String host, HealthState state, List<String> why) {}

  public Explanation explain(String host, long now, HealthConfig config) {
    HostHealth h = get(host);
    List<String> why = new ArrayList<>();
    String since = h.sinceMicros() > 0 ? " since " + JsonCodec.formatMicros(h.sinceMicros()) : "";
    why.add(
        h.state().wireName()
            + since
            + " ("
            + h.cause()
            + (h.detail().isEmpty() ? "" : ": " + h.detail())
            + ")");
    if (h.state() == HealthState.DRAINING) {
      why.add(
          "running work is stopped and requeued at "
              + JsonCodec.formatMicros(h.drainDeadlineMicros()));
    }
    HostOverride o = h.override();
    if (o != null) {
      boolean live = o.expiresAtMicros() > now;
      why.add(
          (live ? "operator override: " : "expired operator override: ")
              + o.state().wireName()
              + " by "
              + o.author()
              + " ("
              + o.reason()
              + ") until "
              + JsonCodec.formatMicros(o.expiresAtMicros())
              + (live ? ", wins over automation" : ""));
    }
    HealthRecord r = h.record();
    if (r != null) {
      boolean live = r.expiresAtMicros() > now;
      if (!live) {
        why.add(
            "automated record expired at "
                + JsonCodec.formatMicros(r.expiresAtMicros())
                + " and is ignored");
      }
      for (HealthRecord.Decision d : r.decisions()) {
        boolean dry = config.dryRunRules().contains(d.rule());
        why.add(
            (dry ? "dry-run (not applied): " : live ? "" : "expired: ")
                + describe(d)
                + "; evidence: "
                + evidence(d.evidence()));
      }
      if (live && r.decisions().isEmpty()) {
        why.add("automation reports no decision (action none)");
      }
    }
    if (h.guardRail() != null) {
      why.add("guard-rail " + h.guardRail().kind() + ": " + h.guardRail().message());
    }
    return new Explanation(host, h.state(), why);
  }

  private static String evidence(List<Event> events) {
    if (events.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < Math.min(3, events.size()); i++) {
      Event e = events.get(i);
      parts.add(
          e.host()
              + " "
              + e.service()
              + (e.state() == null ? "" : " " + e.state())
              + (e.metric() == null ? "" : " " + e.metric()));
    }
    return events.size()
        + " event(s): "
        + String.join(", ", parts)
        + (events.size() > 3 ? ", ..." : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthBook b
        && b.hosts.equals(hosts)
        && List.copyOf(b.removals).equals(List.copyOf(removals));
  }

  @Override
  public int hashCode() {
    return hosts.hashCode();
  }

  /** For tests and snapshots: the hosts in name order. */
  public Map<String, HostHealth> hosts() {
    return new TreeMap<>(hosts);
  }
}
