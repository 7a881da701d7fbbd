package dev.sixfinger.scheduler.matching;

import dev.sixfinger.scheduler.job.Resources;
import java.util.Map;
import java.util.TreeMap;

/** A host's capacity (from its agent), attributes for constraints, and what is placed on it. */
public record Host(
    String name, Resources capacity, Map<String, String> attributes, Resources used) {
  public Host {
    attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  public Resources free() {
    return capacity.minus(used);
  }

  public Host withUsed(Resources next) {
    return new Host(name, capacity, attributes, next);
  }
}
