package dev.sixfinger.server.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;

/** The {@code alerting} section of the configuration; every default is in config/sixfinger.yml. */
public class AlertingFactory {
  /** PagerDuty's Events API; receivers of alerting.yml without their own {@code url} use this. */
  public static final String DEFAULT_PAGERDUTY_URL = "https://events.pagerduty.com";

  /** Run alerting (grouping, silences, paging) in this server. */
  @JsonProperty private boolean enabled = true;

  /** Receivers, routes, inhibit rules: alerting/README.md. */
  @JsonProperty @NotEmpty private String configFile = "config/alerting.yml";

  /** Consumer group of the leader lease: of the instances of one group, only the leader sends. */
  @JsonProperty @NotEmpty private String group = "sixfinger-alerting";

  /**
   * The longest time between two checks for due notifications; a group is also checked as soon as
   * it falls due (within 10 ms), so this adds no latency.
   */
  @JsonProperty @NotNull private Duration tickInterval = Duration.seconds(1);

  /** The console's base URL for links in pages; empty = alerting.yml's external_url. */
  @JsonProperty private String consoleUrl = "";

  /** PagerDuty base URL for receivers that set none in alerting.yml (a proxy, a test server). */
  @JsonProperty @NotEmpty private String pagerDutyUrl = DEFAULT_PAGERDUTY_URL;

  /** Events per routing key: bursts of this many (PagerDuty's own limit is about 120/minute). */
  @JsonProperty
  @Min(1)
  private int pagerDutyBurst = 20;

  @JsonProperty
  @Min(1)
  private int pagerDutyPerMinute = 120;

  /** Ended silences are kept (shown, replayed) this long before they are deleted. */
  @JsonProperty @NotNull private Duration silenceRetention = Duration.days(5);

  public boolean enabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Path configFile() {
    return Path.of(configFile);
  }

  public void setConfigFile(String configFile) {
    this.configFile = configFile;
  }

  public String group() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public java.time.Duration tickInterval() {
    return java.time.Duration.ofMillis(Math.max(10, tickInterval.toMilliseconds()));
  }

  public void useTickInterval(java.time.Duration d) {
    this.tickInterval = Duration.milliseconds(d.toMillis());
  }

  /** The console URL override, or null to keep alerting.yml's external_url. */
  public URI consoleUrl() {
    return consoleUrl == null || consoleUrl.isBlank() ? null : uri("consoleUrl", consoleUrl);
  }

  public void setConsoleUrl(String consoleUrl) {
    this.consoleUrl = consoleUrl;
  }

  public URI pagerDutyUrl() {
    return uri("pagerDutyUrl", pagerDutyUrl);
  }

  public void setPagerDutyUrl(String pagerDutyUrl) {
    this.pagerDutyUrl = pagerDutyUrl;
  }

  public int pagerDutyBurst() {
    return pagerDutyBurst;
  }

  public int pagerDutyPerMinute() {
    return pagerDutyPerMinute;
  }

  public void setPagerDutyRate(int burst, int perMinute) {
    this.pagerDutyBurst = burst;
    this.pagerDutyPerMinute = perMinute;
  }

  public java.time.Duration silenceRetention() {
    return java.time.Duration.ofMillis(silenceRetention.toMilliseconds());
  }

  private static URI uri(String key, String value) {
    try {
      URI u = URI.create(value.trim());
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "alerting."
              + key
              + " must be an absolute http(s) URL such as https://example.com, got '"
              + value
              + "'",
          e);
    }
  }
}
