package dev.sixfinger.alerting.inhibit;

import dev.sixfinger.alerting.routing.Matcher;
import java.util.List;

/**
 * While an alert matching {@code sourceMatchers} fires, alerts matching {@code targetMatchers} that
 * have the same values for every {@code equal} label (a label missing on both sides counts as
 * equal, as in Alertmanager) are not notified.
 */
public record InhibitRule(
    List<Matcher> sourceMatchers, List<Matcher> targetMatchers, List<String> equal) {
  public InhibitRule {
    sourceMatchers = List.copyOf(sourceMatchers);
    targetMatchers = List.copyOf(targetMatchers);
    equal = List.copyOf(equal);
  }
}
