package dev.sixfinger.rules.engine;

import dev.sixfinger.rules.config.RuleError;
import java.util.List;

/**
 * What a reload did: rules kept with their state, added, changed (restarted without state) and
 * removed; or, when the new set has errors, those errors and nothing changed.
 */
public record ReloadResult(
    List<String> kept,
    List<String> added,
    List<String> changed,
    List<String> removed,
    List<RuleError> errors) {
  public ReloadResult {
    kept = List.copyOf(kept);
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
    errors = List.copyOf(errors);
  }

  public boolean applied() {
    return errors.isEmpty();
  }
}
