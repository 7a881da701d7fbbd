package dev.sixfinger.alerting.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SilencesTest {
  private static final long S = 1_000_000L;
  private static final long T0 = 1_700_000_000L * S;
  private final ManualClock clock = new ManualClock(T0);
  private final AtomicInteger ids = new AtomicInteger();
  private final Silences silences = new Silences(clock, () -> "s" + ids.incrementAndGet());
  private final List<Matcher> n1 = List.of(Matcher.parse("host=\"n1\""));

  @Test
  void activeBetweenStartAndEndForMatchingAlertsOnly() {
    Silence s = silences.create(n1, "alice", "reimaging n1", T0 + 60 * S, T0 + 3600 * S);
    var onN1 = Alerts.labels("alertname", "disk-full", "host", "n1");
    var onN2 = Alerts.labels("alertname", "disk-full", "host", "n2");
    assertThat(silences.isSilenced(onN1, T0)).isFalse(); // not started
    assertThat(silences.isSilenced(onN1, T0 + 60 * S)).isTrue();
    assertThat(silences.isSilenced(onN2, T0 + 60 * S)).isFalse();
    assertThat(silences.isSilenced(onN1, T0 + 3600 * S)).isFalse(); // endsAt is exclusive
    assertThat(silences.silencing(onN1, T0 + 120 * S)).containsExactly(s);
  }

  @Test
  void expireEndsItNowAndKeepsTheRecord() {
    Silence s = silences.create(n1, "alice", "reimaging", T0, T0 + 3600 * S);
    clock.advance(Duration.ofMinutes(10));
    Silence expired = silences.expire(s.id()).orElseThrow();
    assertThat(expired.endsAtMicros()).isEqualTo(clock.nowMicros());
    assertThat(expired.activeAt(clock.nowMicros())).isFalse();
    assertThat(silences.get(s.id())).contains(expired);
    assertThat(silences.expire(s.id())).isEmpty(); // already ended
    assertThat(silences.expire("nope")).isEmpty();
  }

  @Test
  void expiringAPendingSilenceMakesItNeverApply() {
    Silence s = silences.create(n1, "alice", "tomorrow", T0 + 86_400 * S, T0 + 90_000 * S);
    Silence expired = silences.expire(s.id()).orElseThrow();
    assertThat(expired.startsAtMicros()).isEqualTo(expired.endsAtMicros()).isEqualTo(T0);
    assertThat(silences.isSilenced(Alerts.labels("host", "n1"), T0 + 86_500 * S)).isFalse();
  }

  @Test
  void validation() {
    assertThatThrownBy(() -> silences.create(List.of(), "a", "c", T0, T0 + S))
        .hasMessageContaining("at least one matcher");
    assertThatThrownBy(
            () -> silences.create(List.of(Matcher.parse("host=~\".*\"")), "a", "c", T0, T0 + S))
        .hasMessageContaining("empty string");
    assertThatThrownBy(() -> silences.create(n1, " ", "c", T0, T0 + S))
        .hasMessageContaining("createdBy");
    assertThatThrownBy(() -> silences.create(n1, "a", "", T0, T0 + S))
        .hasMessageContaining("comment");
    assertThatThrownBy(() -> silences.create(n1, "a", "c", T0 + S, T0 + S))
        .hasMessageContaining("after its startsAt");
    assertThatThrownBy(() -> silences.create(n1, "a", "c", T0 - 10 * S, T0 - S))
        .hasMessageContaining("future");
    // A start in the past means from now.
    assertThat(silences.create(n1, "a", "c", T0 - 10 * S, T0 + S).startsAtMicros()).isEqualTo(T0);
  }

  @Test
  void jsonRoundTripTombstonesAndOlderRecordsIgnored() {
    Silence s = silences.create(n1, "alice", "why \"quoted\"", T0, T0 + 3600 * S);
    byte[] json = SilenceJson.toBytes(s);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .startsWith(
            "{\"v\":1,\"type\":\"silence\",\"id\":\"s1\",\"matchers\":[{\"name\":\"host\","
                + "\"op\":\"=\",\"value\":\"n1\"}],\"createdBy\":\"alice\"");
    Silence back = SilenceJson.parse(json);
    assertThat(back).isEqualTo(s);

    // Replaying the topic into another process: the expiry wins over the older creation.
    Silences replica = new Silences(clock);
    clock.advance(Duration.ofMinutes(1));
    Silence expired = silences.expire(s.id()).orElseThrow();
    replica.apply(SilenceJson.parse(SilenceJson.toBytes(expired)));
    replica.apply(back);
    assertThat(replica.get(s.id())).contains(expired);
    replica.remove(s.id()); // tombstone
    assertThat(replica.all()).isEmpty();
  }

  @Test
  void garbageListsSilencesEndedLongerAgoThanTheRetention() {
    Silence s = silences.create(n1, "alice", "x", T0, T0 + 60 * S);
    Silence t = silences.create(n1, "bob", "y", T0, T0 + 86_400 * S);
    assertThat(silences.garbage(T0 + 3600 * S, Duration.ofMinutes(30))).containsExactly(s.id());
    assertThat(silences.garbage(T0 + 3600 * S, Duration.ofHours(2))).isEmpty();
    assertThat(t.id()).isNotEqualTo(s.id());
  }

  @Test
  void badJsonIsRefusedWithTheReason() {
    assertThatThrownBy(() -> SilenceJson.parse("{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("version");
    assertThatThrownBy(
            () ->
                SilenceJson.parse(
                    ("{\"v\":1,\"type\":\"silence\",\"id\":\"x\",\"matchers\":"
                            + "[{\"name\":\"a\",\"op\":\"==\",\"value\":\"b\"}]}")
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("matchers[0]");
  }
}
