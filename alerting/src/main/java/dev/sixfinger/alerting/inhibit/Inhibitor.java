package dev.sixfinger.alerting.inhibit;

import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.routing.Matcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies inhibit rules. {@link #snapshot} indexes the firing source alerts once (per dispatch
 * tick); {@link Snapshot#inhibitedBy} then answers per target in time proportional to the rules.
 * Silenced sources still inhibit (as in Alertmanager); an alert never inhibits itself.
 */
public final class Inhibitor {
  private final List<InhibitRule> rules;

  public Inhibitor(List<InhibitRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<InhibitRule> rules() {
    return rules;
  }

  /** Indexes the firing alerts among {@code alerts} as sources. */
  public Snapshot snapshot(Collection<Alert> alerts) {
    List<Map<List<String>, Set<String>>> index = new ArrayList<>(rules.size());
    for (InhibitRule rule : rules) {
      Map<List<String>, Set<String>> sources = new HashMap<>();
      for (Alert a : alerts) {
        if (a.firing() && Matcher.all(rule.sourceMatchers(), a.labels())) {
          sources.computeIfAbsent(key(rule, a.labels()), k -> new TreeSet<>()).add(a.fingerprint());
        }
      }
      index.add(sources);
    }
    return new Snapshot(index);
  }

  private static List<String> key(InhibitRule rule, Map<String, String> labels) {
    List<String> key = new ArrayList<>(rule.equal().size());
    for (String l : rule.equal()) {
      key.add(labels.getOrDefault(l, ""));
    }
    return key;
  }

  /** The firing sources at one moment. */
  public final class Snapshot {
    private final List<Map<List<String>, Set<String>>> index;

    private Snapshot(List<Map<List<String>, Set<String>>> index) {
      this.index = index;
    }

    /** The fingerprint of a firing alert that inhibits this one, if any. */
    public Optional<String> inhibitedBy(String fingerprint, Map<String, String> labels) {
      for (int i = 0; i < rules.size(); i++) {
        InhibitRule rule = rules.get(i);
        if (!Matcher.all(rule.targetMatchers(), labels)) {
          continue;
        }
        Set<String> sources = index.get(i).get(key(rule, labels));
        if (sources == null) {
          continue;
        }
        for (String s : sources) {
          if (!s.equals(fingerprint)) {
            return Optional.of(s);
          }
        }
      }
      return Optional.empty();
    }

    public boolean isInhibited(String fingerprint, Map<String, String> labels) {
      return inhibitedBy(fingerprint, labels).isPresent();
    }
  }
}
