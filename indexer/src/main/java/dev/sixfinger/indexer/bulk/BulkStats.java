package dev.sixfinger.indexer.bulk;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the bulk writers did, for the admin port's metrics and the CLI's progress. */
public final class BulkStats {
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong itemsRetried = new AtomicLong();
  private final AtomicLong requestsFailed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();

  void stored(int n) {
    stored.addAndGet(n);
  }

  void itemsRetried(int n) {
    itemsRetried.addAndGet(n);
  }

  void requestFailed() {
    requestsFailed.incrementAndGet();
  }

  public void deadLettered(int n) {
    deadLettered.addAndGet(n);
  }

  public long stored() {
    return stored.get();
  }

  public long itemsRetried() {
    return itemsRetried.get();
  }

  public long requestsFailed() {
    return requestsFailed.get();
  }

  public long deadLettered() {
    return deadLettered.get();
  }
}
