package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link All} for lists of events. */
final class AllBatches implements BatchStream, HasChildren {
  private static final Logger LOG = LoggerFactory.getLogger(AllBatches.class);
  private final BatchStream[] children;

  AllBatches(BatchStream... children) {
    this.children = children.clone();
  }

  @Override
  public void accept(List<Event> events) {
    for (BatchStream child : children) {
      try {
        child.accept(events);
      } catch (RuntimeException e) {
        LOG.warn("stream {} threw on a list of events; passing it to the next child", child, e);
      }
    }
  }

  @Override
  public List<Object> children() {
    return Arrays.asList((Object[]) children);
  }
}
