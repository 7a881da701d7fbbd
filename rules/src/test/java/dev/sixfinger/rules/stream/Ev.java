package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;

/** Test events at times given in seconds after {@link #T0}. */
final class Ev {
  static final long T0 = 1_700_000_000_000_000L;

  private Ev() {}

  static long sec(double seconds) {
    return T0 + Math.round(seconds * 1_000_000);
  }

  static Event at(double seconds, String host, String service, Number metric) {
    return Event.builder()
        .host(host)
        .service(service)
        .metric(metric)
        .timeMicros(sec(seconds))
        .build();
  }

  static Event at(double seconds, Number metric) {
    return at(seconds, "h1", "svc", metric);
  }

  static Event state(double seconds, String host, String state) {
    return Event.builder().host(host).service("svc").state(state).timeMicros(sec(seconds)).build();
  }

  static Event expired(double seconds, String host, String service) {
    return Event.builder()
        .host(host)
        .service(service)
        .state(Expiry.EXPIRED_STATE)
        .timeMicros(sec(seconds))
        .build();
  }
}
