package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riemann's {@code sdo}: every event to every child in order. As Riemann's {@code call-rescue}, a
 * child that throws is logged and the next child still gets the event.
 */
final class All implements Stream, HasChildren {
  private static final Logger LOG = LoggerFactory.getLogger(All.class);
  private final Stream[] children;

  All(Stream... children) {
    this.children = children.clone();
  }

  @Override
  public void accept(Event event) {
    for (Stream child : children) {
      try {
        child.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("stream {} threw on an event; passing it to the next child", child, e);
      }
    }
  }

  @Override
  public List<Object> children() {
    return Arrays.asList((Object[]) children);
  }
}
