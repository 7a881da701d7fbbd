package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;

/**
 * Passes expired events (or, inverted, the others), by {@link Expiry#isExpired} at the context's
 * time, so that {@code expired} and {@code notExpired} split a stream in two.
 */
final class ExpiredFilter implements Stream, HasChildren {
  private final StreamContext ctx;
  private final boolean wantExpired;
  private final Stream child;

  ExpiredFilter(StreamContext ctx, boolean wantExpired, Stream child) {
    this.ctx = ctx;
    this.wantExpired = wantExpired;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    if (Expiry.isExpired(event, ctx.nowMicros()) == wantExpired) {
      child.accept(event);
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
