package dev.sixfinger.core.codec;

import dev.sixfinger.core.event.Event;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random events for property tests: unicode, absent fields, NaN and infinite metrics. */
final class Events {
  private Events() {}

  static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20),
        // Any valid UTF-16: lone surrogates cannot be encoded as UTF-8 by anyone.
        Arbitraries.strings()
            .withCharRange('\u0000', '\uD7FF')
            .withCharRange('\uE000', '\uFFFF')
            .ofMaxLength(12),
        Arbitraries.of("", "ok", "critical", "swap/in-rate", "höst-ü-日本", "a\u0000b", "😀"));
  }

  static Arbitrary<Number> metric() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.doubles(),
        Arbitraries.of(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0d,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            0L));
  }

  /** Times from year 1 to year 9999, in microseconds. */
  static Arbitrary<Long> timeMicros() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(-62_135_596_800_000_000L, 253_402_300_799_999_999L),
        Arbitraries.of(0L, 1_700_000_000_123_456L, -1L));
  }

  static Arbitrary<Float> ttl() {
    return Arbitraries.oneOf(
        Arbitraries.floats().between(0f, 1e9f), Arbitraries.of(0f, 60f, 0.5f, Float.MIN_VALUE));
  }

  static Arbitrary<Event> events() {
    Arbitrary<String> field = text().injectNull(0.2);
    return Combinators.combine(
            field,
            field,
            field,
            field,
            metric().injectNull(0.2),
            text().list().ofMaxSize(4),
            Arbitraries.maps(text(), text().injectNull(0.1)).ofMaxSize(4),
            Combinators.combine(timeMicros().injectNull(0.2), ttl().injectNull(0.2))
                .as((t, ttl) -> new Object[] {t, ttl}))
        .as(
            (host, service, state, description, metric, tags, attributes, timeAndTtl) ->
                new Event(
                    host,
                    service,
                    state,
                    description,
                    metric,
                    tags,
                    attributes,
                    (Long) timeAndTtl[0],
                    (Float) timeAndTtl[1]));
  }
}
