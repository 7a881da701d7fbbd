package dev.sixfinger.indexer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchLedgerTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private static Batch batch(long seq, long p0, long p1) {
    Batch b = new Batch(seq, 0);
    if (p0 >= 0) {
      b.advance("t", 0, p0);
    }
    if (p1 >= 0) {
      b.advance("t", 1, p1);
    }
    return b;
  }

  @Test
  void offsetsAreReleasedOnlyWhenEveryEarlierBatchHasSettled() {
    BatchLedger ledger = new BatchLedger();
    ledger.opened(batch(0, 10, 5));
    ledger.opened(batch(1, 20, -1));
    ledger.opened(batch(2, 30, 9));

    ledger.settled(1);
    ledger.settled(2);
    assertThat(ledger.release()).isEmpty();

    ledger.settled(0);
    assertThat(ledger.release()).isEqualTo(Map.of(P0, 31L, P1, 10L));
    assertThat(ledger.openCount()).isZero();
    assertThat(ledger.release()).isEmpty();
  }

  @Test
  void anUnsettledBatchHoldsBackEveryLaterOne() {
    BatchLedger ledger = new BatchLedger();
    ledger.opened(batch(0, 10, -1));
    ledger.opened(batch(1, 20, -1));
    ledger.opened(batch(2, 30, -1));
    ledger.settled(0);
    ledger.settled(2);
    assertThat(ledger.release()).isEqualTo(Map.of(P0, 11L));
    assertThat(ledger.openCount()).isEqualTo(2);
    ledger.settled(1);
    assertThat(ledger.release()).isEqualTo(Map.of(P0, 31L));
  }

  @Test
  void settlingAnUnknownBatchChangesNothing() {
    BatchLedger ledger = new BatchLedger();
    ledger.settled(7);
    ledger.opened(batch(7, 1, -1));
    assertThat(ledger.release()).isEmpty();
  }
}
