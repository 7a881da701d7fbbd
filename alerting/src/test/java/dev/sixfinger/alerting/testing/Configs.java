package dev.sixfinger.alerting.testing;

import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.config.ConfigException;
import dev.sixfinger.alerting.config.ConfigParser;
import java.util.Map;

/** Parses configuration text in tests. */
public final class Configs {
  /** 32 characters, as PagerDuty wants. */
  public static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";

  private Configs() {}

  public static AlertingConfig parse(String yaml) {
    try {
      return ConfigParser.parse("test.yml", yaml, Map.of("PD_KEY", ROUTING_KEY)::get);
    } catch (ConfigException e) {
      throw new AssertionError("config should parse:\n" + e.getMessage(), e);
    }
  }
}
