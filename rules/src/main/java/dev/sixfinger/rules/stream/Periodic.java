package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Riemann's {@code periodically-until-expired}, the clock behind {@code rate} and {@code
 * percentiles}: the first event starts a tick every {@code interval} (the first one interval
 * later); an expired event stops it, and so does a tick that finds the latest event past its time +
 * TTL (events without both run on until an expired event or their fork is freed).
 */
final class Periodic {
  private final StreamContext ctx;
  private final long intervalMicros;
  private final Runnable tick;
  private Timer timer;
  private long expiresAt = Long.MAX_VALUE;

  Periodic(StreamContext ctx, long intervalMicros, Runnable tick) {
    this.ctx = ctx;
    this.intervalMicros = intervalMicros;
    this.tick = tick;
  }

  /** Notes the event; returns false if it was expired (and the ticks stopped). */
  boolean onEvent(Event event) {
    Long time = event.timeMicros();
    Float ttl = event.ttl();
    expiresAt = time != null && ttl != null ? time + Micros.ofSeconds(ttl) : Long.MAX_VALUE;
    if (Expiry.isExpired(event, ctx.nowMicros())) {
      stop();
      return false;
    }
    if (timer == null) {
      timer = ctx.schedule(ctx.nowMicros() + intervalMicros, this::fire);
    }
    return true;
  }

  void stop() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void fire() {
    timer = null;
    long now = ctx.nowMicros();
    if (expiresAt < now) {
      return;
    }
    timer = ctx.schedule(now + intervalMicros, this::fire);
    tick.run();
  }

  Map<String, Object> snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("timer", StreamContext.timerState(timer));
    s.put("expiresAt", expiresAt);
    return s;
  }

  void restore(Map<String, Object> s, String stage) {
    stop();
    expiresAt = State.getLong(s, "expiresAt", stage);
    timer = ctx.restoreTimer(s.get("timer"), this::fire);
  }
}
