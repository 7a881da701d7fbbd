package dev.sixfinger.scheduler.ranking;

import java.util.Map;
import java.util.TreeMap;

/** Shares per user; a user without one gets the {@code default} user's share, as in Cook. */
public final class Shares {
  public static final String DEFAULT_USER = "default";
  private final Map<String, Share> byUser;

  public Shares(Map<String, Share> byUser) {
    if (!byUser.containsKey(DEFAULT_USER)) {
      throw new IllegalArgumentException("shares must define the '" + DEFAULT_USER + "' user");
    }
    this.byUser = new TreeMap<>(byUser);
  }

  /** Every user gets the same share. */
  public static Shares uniform(Share share) {
    return new Shares(Map.of(DEFAULT_USER, share));
  }

  public Share of(String user) {
    Share s = byUser.get(user);
    return s != null ? s : byUser.get(DEFAULT_USER);
  }

  public Map<String, Share> asMap() {
    return java.util.Collections.unmodifiableMap(byUser);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shares other && other.byUser.equals(byUser);
  }

  @Override
  public int hashCode() {
    return byUser.hashCode();
  }

  @Override
  public String toString() {
    return byUser.toString();
  }
}
