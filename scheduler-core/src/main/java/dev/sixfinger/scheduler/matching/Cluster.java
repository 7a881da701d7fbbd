package dev.sixfinger.scheduler.matching;

import dev.sixfinger.scheduler.job.Resources;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hosts the scheduler knows, fed by method calls (the wiring turns agents' capacity events into
 * {@link #upsert}). Usage is moved by {@link #allocate} and {@link #release}; a capacity update
 * keeps the usage, so a host that shrank below its usage is simply full until work ends.
 */
public final class Cluster {
  private final TreeMap<String, Host> hosts = new TreeMap<>();
  private Resources capacity = Resources.ZERO;

  public void upsert(String name, Resources cap, Map<String, String> attributes) {
    Host old = hosts.get(name);
    Resources used = old == null ? Resources.ZERO : old.used();
    if (old != null) {
      capacity = capacity.minus(old.capacity());
    }
    hosts.put(name, new Host(name, cap, attributes, used));
    capacity = capacity.plus(cap);
  }

  public Host get(String name) {
    return hosts.get(name);
  }

  public Collection<Host> all() {
    return Collections.unmodifiableCollection(hosts.values());
  }

  public Map<String, Host> asMap() {
    return Collections.unmodifiableMap(hosts);
  }

  public int size() {
    return hosts.size();
  }

  public Resources capacity() {
    return capacity;
  }

  /** Placements on a host the scheduler has not heard of yet create it with zero capacity. */
  public void allocate(String name, Resources r) {
    Host h =
        hosts.computeIfAbsent(name, n -> new Host(n, Resources.ZERO, Map.of(), Resources.ZERO));
    hosts.put(name, h.withUsed(h.used().plus(r)));
  }

  public void release(String name, Resources r) {
    Host h = hosts.get(name);
    if (h != null) {
      hosts.put(name, h.withUsed(h.used().minus(r)));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cluster c && c.hosts.equals(hosts);
  }

  @Override
  public int hashCode() {
    return hosts.hashCode();
  }
}
