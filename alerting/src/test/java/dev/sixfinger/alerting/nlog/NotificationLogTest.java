package dev.sixfinger.alerting.nlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationLogTest {
  private static final long S = 1_000_000L;
  private static final long T0 = 1_700_000_000L * S;

  @Test
  void jsonRoundTrip() {
    NotificationLogEntry e =
        new NotificationLogEntry(
            "{}/{severity=\"critical\"}:{alertname=\"fleet-swap\"}",
            "pager",
            Set.of("b", "a"),
            Set.of("c"),
            T0,
            "ab12",
            "sent",
            T0 + S);
    byte[] json = NotificationLogJson.toBytes(e);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .startsWith("{\"v\":1,\"type\":\"notification\",\"groupKey\":")
        .contains("\"firing\":[\"a\",\"b\"]");
    assertThat(NotificationLogJson.parse(json)).isEqualTo(e);
    NotificationLogEntry failed =
        new NotificationLogEntry("g", "r", Set.of(), Set.of(), null, null, "failed: 500", T0);
    assertThat(NotificationLogJson.parse(NotificationLogJson.toBytes(failed))).isEqualTo(failed);
    assertThat(failed.delivered()).isFalse();
  }

  @Test
  void keyedByReceiverAndGroupNewestWins() {
    NotificationLog log = new NotificationLog();
    var newer = new NotificationLogEntry("g", "r", Set.of("a"), Set.of(), T0, "k", "sent", T0 + 2);
    var older = new NotificationLogEntry("g", "r", Set.of(), Set.of(), T0, "k", "sent", T0 + 1);
    log.apply(newer);
    log.apply(older);
    assertThat(log.get("g", "r")).contains(newer);
    assertThat(log.get("g", "other")).isEmpty();
    assertThat(newer.key()).isEqualTo("r|g");
  }

  @Test
  void garbageIsOldEntriesOwingNothingOfDeadGroups() {
    NotificationLog log = new NotificationLog();
    log.apply(new NotificationLogEntry("g1", "r", Set.of(), Set.of("a"), T0, "k", "sent", T0));
    log.apply(new NotificationLogEntry("g2", "r", Set.of("b"), Set.of(), T0, "k", "sent", T0));
    log.apply(new NotificationLogEntry("g3", "r", Set.of(), Set.of(), T0, "k", "sent", T0));
    long later = T0 + Duration.ofHours(121).toNanos() / 1000;
    assertThat(log.garbage(later, NotificationLog.DEFAULT_RETENTION, Set.of("r|g3")))
        .containsExactly("r|g1");
  }

  @Test
  void badJsonIsRefused() {
    assertThatThrownBy(
            () ->
                NotificationLogJson.parse(
                    "{\"v\":1,\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a notification log entry");
    assertThatThrownBy(
            () ->
                NotificationLogJson.parse(
                    "{\"v\":1,\"type\":\"notification\",\"groupKey\":\"g\",\"receiver\":\"r\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("firing");
  }
}
