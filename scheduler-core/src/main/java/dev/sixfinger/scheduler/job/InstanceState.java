package dev.sixfinger.scheduler.job;

import java.util.Locale;

/** UNKNOWN is placed but not yet confirmed by the executor; it holds resources all the same. */
public enum InstanceState {
  UNKNOWN,
  RUNNING,
  SUCCESS,
  FAILED;

  public boolean terminal() {
    return this == SUCCESS || this == FAILED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static InstanceState parse(String text) {
    for (InstanceState s : values()) {
      if (s.wireName().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "instance state must be unknown, running, success or failed, got '" + text + "'");
  }
}
