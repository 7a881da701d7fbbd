package dev.sixfinger.alerting.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sixfinger.alerting.alert.FlapPolicy;
import dev.sixfinger.alerting.routing.Route;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.Configs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigParserTest {
  private static final String TREE =
      """
      receivers:
        - name: default
          webhook: {url: "http://hooks.example/default"}
        - name: pager
          pagerduty: {routing_key: "${PD_KEY}", url: "http://127.0.0.1:9/"}
        - name: disk-team
          webhook: {url: "http://hooks.example/disk", max_alerts: 10}
      route:
        receiver: default
        group_by: [alertname]
        routes:
          - matchers: ['severity=~"critical|error"']
            receiver: pager
            group_wait: 10s
            continue: true
            routes:
              - matchers: [alertname="host-silent"]
                group_by: ['...']
          - matchers: [alertname="disk-full"]
            receiver: disk-team
            repeat_interval: 1h
      """;

  private static List<String> receivers(Route root, Map<String, String> labels) {
    return root.match(labels).stream().map(Route::receiver).toList();
  }

  @Test
  void routesWithMatchersContinueAndFallback() {
    AlertingConfig c = Configs.parse(TREE);
    Route root = c.route();
    assertThat(receivers(root, Alerts.labels("alertname", "disk-full", "severity", "error")))
        .containsExactly("pager", "disk-team");
    assertThat(receivers(root, Alerts.labels("alertname", "disk-full", "severity", "warning")))
        .containsExactly("disk-team");
    assertThat(receivers(root, Alerts.labels("alertname", "load-high", "severity", "warning")))
        .containsExactly("default");
    assertThat(receivers(root, Alerts.labels("alertname", "host-silent", "severity", "critical")))
        .containsExactly("pager");
    Route silent =
        root.match(Alerts.labels("alertname", "host-silent", "severity", "critical")).get(0);
    assertThat(silent.groupByAll()).isTrue();
    assertThat(silent.id())
        .isEqualTo("{}/{severity=~\"critical|error\"}/{alertname=\"host-silent\"}");
  }

  @Test
  void childrenInheritTimingsAndGroupingAndDefaultsAreAlertmanagers() {
    AlertingConfig c = Configs.parse(TREE);
    Route root = c.route();
    assertThat(root.groupWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(root.groupInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(root.repeatInterval()).isEqualTo(Duration.ofHours(4));
    Route pager = root.routes().get(0);
    assertThat(pager.groupWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(pager.groupBy()).containsExactly("alertname");
    Route silent = pager.routes().get(0);
    assertThat(silent.groupWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(silent.receiver()).isEqualTo("pager");
    Route disk = root.routes().get(1);
    assertThat(disk.repeatInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(disk.groupInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.flapping()).isEqualTo(FlapPolicy.DEFAULT);
    assertThat(c.externalUrl()).isEqualTo(AlertingConfig.DEFAULT_EXTERNAL_URL);
  }

  @Test
  void receiversWithEnvironmentSubstitution() {
    AlertingConfig c = Configs.parse(TREE);
    assertThat(c.receiver("pager"))
        .isEqualTo(
            new Receiver.PagerDuty(
                "pager", Configs.ROUTING_KEY, URI.create("http://127.0.0.1:9/")));
    assertThat(c.receiver("disk-team"))
        .isEqualTo(new Receiver.Webhook("disk-team", URI.create("http://hooks.example/disk"), 10));
  }

  @Test
  void errorsNameFileLineAndColumnAndAreAllReported() {
    String yaml =
        """
        receivers:
          - name: pager
            pagerduty: {routing_key: "short"}
          - name: hook
            webhook: {url: "ftp://x"}
        route:
          receiver: nobody
          group_wait: soon
          routes:
            - matchers: ['severity=~"(critical"']
              colour: red
        inhibit_rules:
          - source_matchers: [alertname="fleet-swap"]
        """;
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigParser.parse("alerting.yml", yaml, k -> null));
    assertThat(e.errors())
        .extracting(ConfigError::toString)
        .containsExactlyInAnyOrder(
            "alerting.yml:3:30: receiver 'pager' pagerduty: routing_key must be the 32-character"
                + " integration key, got 5 characters",
            "alerting.yml:5:20: receiver 'hook' webhook url must be an http or https URL, got"
                + " 'ftp://x'",
            "alerting.yml:7:13: route receiver 'nobody' is not defined in receivers",
            "alerting.yml:8:15: group_wait 'soon' is not a duration such as 500ms, 30s, 5m, 2h"
                + " or 1d",
            "alerting.yml:10:18: route {}/{severity=~\"(critical\"} matchers: invalid regular"
                + " expression '(critical' for label severity: Unclosed group",
            "alerting.yml:11:7: unknown key 'colour' in route {}/{severity=~\"(critical\"}"
                + " (allowed: continue, group_by, group_interval, group_wait, matchers,"
                + " receiver, repeat_interval, routes)",
            "alerting.yml:13:5: missing required key 'target_matchers'");
  }

  @Test
  void invalidYamlAndMissingVariablesAreLocated() {
    ConfigException bad =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigParser.parse("a.yml", "route:\n  receiver: [x\n", k -> null));
    assertThat(bad.errors()).hasSize(1);
    assertThat(bad.errors().get(0).message()).startsWith("invalid YAML");
    assertThat(bad.errors().get(0).line()).isGreaterThanOrEqualTo(2);

    ConfigException env =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigParser.parse(
                    "a.yml",
                    """
                    receivers:
                      - name: p
                        pagerduty: {routing_key: "${NOPE}"}
                    route: {receiver: p}
                    """,
                    k -> null));
    assertThat(env.errors())
        .extracting(ConfigError::toString)
        .containsExactly("a.yml:3:30: environment variable NOPE is not set");
  }

  @Test
  void emailReceivers() {
    AlertingConfig c =
        Configs.parse(
            """
            receivers:
              - name: mail
                email: {to: oncall@example.com, from: s@example.com, smarthost: "smtp.example.com:587"}
            route: {receiver: mail}
            """);
    Receiver.Email mail = (Receiver.Email) c.receiver("mail");
    assertThat(mail.to()).containsExactly("oncall@example.com");
    assertThat(mail.host()).isEqualTo("smtp.example.com");
    assertThat(mail.port()).isEqualTo(587);
    assertThat(mail.requireTls()).isTrue();
    assertThat(mail.username()).isNull();

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigParser.parse(
                    "a.yml",
                    """
                    receivers:
                      - name: mail
                        email: {to: [nobody], from: s@x, smarthost: smtp, auth_username: u}
                    route: {receiver: mail}
                    """,
                    k -> null));
    assertThat(e.errors())
        .extracting(ConfigError::toString)
        .containsExactlyInAnyOrder(
            "a.yml:3:17: receiver 'mail' email: 'nobody' is not an e-mail address",
            "a.yml:3:49: receiver 'mail' email: smarthost must be host:port, got 'smtp'",
            "a.yml:3:12: receiver 'mail' email: auth_username and auth_password go together");
  }

  @Test
  void rootRouteRules() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigParser.parse(
                    "a.yml",
                    """
                    receivers: [{name: r, webhook: {url: "http://x"}}]
                    route:
                      matchers: [a="b"]
                      continue: true
                      group_by: ['...', host]
                    flapping: {max_changes: 0}
                    """,
                    k -> null));
    assertThat(e.errors())
        .extracting(ConfigError::message)
        .containsExactlyInAnyOrder(
            "the root route needs a receiver",
            "the root route matches every alert: no matchers",
            "the root route cannot have continue",
            "group_by: '...' (group by all labels) must be the only entry",
            "flapping max_changes must be at least 1, got 0");
  }

  @Test
  void theShippedConfigurationRoutesTheShippedRules() throws Exception {
    Path file = Path.of("../config/alerting.yml");
    AlertingConfig c =
        ConfigParser.parse(
            file.toString(),
            Files.readString(file),
            k -> k.equals("PAGERDUTY_ROUTING_KEY") ? Configs.ROUTING_KEY : null);
    Route root = c.route();
    // Critical and error alerts page; warnings go to the webhook only.
    assertThat(receivers(root, labels("fleet-swap", "critical", null)))
        .containsExactly("platform-pager");
    assertThat(receivers(root, labels("host-silent", "critical", "n1")))
        .containsExactly("platform-pager");
    assertThat(receivers(root, labels("disk-full", "error", "n1")))
        .containsExactly("platform-pager");
    assertThat(receivers(root, labels("check-failing", "error", "n1")))
        .containsExactly("platform-pager");
    assertThat(receivers(root, labels("swap-in-high", "warning", "n1")))
        .containsExactly("platform-webhook");
    assertThat(receivers(root, labels("memory-high", "warning", "n1")))
        .containsExactly("platform-webhook");
    // fleet-swap inhibits the per-host swap alerts.
    assertThat(c.inhibitRules()).hasSize(1);
    assertThat(
            c.inhibitRules()
                .get(0)
                .sourceMatchers()
                .get(0)
                .matches(labels("fleet-swap", "critical", null)))
        .isTrue();
    assertThat(
            c.inhibitRules()
                .get(0)
                .targetMatchers()
                .get(0)
                .matches(labels("swap-in-high", "warning", "n1")))
        .isTrue();
  }

  private static Map<String, String> labels(String alertname, String severity, String host) {
    Map<String, String> m =
        Alerts.labels("alertname", alertname, "severity", severity, "team", "platform");
    if (host != null) {
      m.put("host", host);
    }
    return m;
  }
}
