package dev.sixfinger.collector.agent.transport;

import static dev.sixfinger.collector.agent.transport.RiemannTransportTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  /** Forcing to disk only on roll and close: what survives a process restart is the same. */
  private static final Duration RARELY = Duration.ofHours(1);

  @TempDir Path dir;

  private static Spool open(Path dir) throws IOException {
    return Spool.open(dir, 1024 * 1024, 64 * 1024, Duration.ZERO);
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  private static List<Event> all(Spool spool) throws IOException {
    return spool.peek(Integer.MAX_VALUE).events();
  }

  /** The agent's check threads are interrupted when it stops, possibly while they append. */
  @Test
  void anInterruptedWriterNeitherFailsNorBreaksTheSpool() throws IOException {
    try (Spool spool = open(dir)) {
      Thread.currentThread().interrupt();
      spool.append(events(0, 3));
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
      spool.append(events(3, 5));
      assertThat(all(spool)).containsExactlyElementsOf(events(0, 5));
    }
    try (Spool reopened = open(dir)) {
      assertThat(all(reopened)).containsExactlyElementsOf(events(0, 5));
    }
  }

  @Test
  void peekReadsFromTheHeadInOrderAndAgainUntilAcknowledged() throws IOException {
    try (Spool spool = open(dir)) {
      spool.append(events(0, 3));
      spool.append(events(3, 10));

      Spool.Batch batch = spool.peek(4);
      assertThat(batch.events()).containsExactlyElementsOf(events(0, 4));
      assertThat(spool.peek(4).events()).as("peek removes nothing").isEqualTo(batch.events());
      assertThat(spool.depth()).isEqualTo(10);

      spool.ack(batch);
      assertThat(spool.depth()).isEqualTo(6);
      assertThat(all(spool)).containsExactlyElementsOf(events(4, 10));

      spool.ack(batch);
      assertThat(spool.depth()).as("acknowledging twice changes nothing").isEqualTo(6);
    }
  }

  @Test
  void reopeningResumesAfterTheLastAcknowledgedEvent() throws IOException {
    try (Spool spool = open(dir)) {
      spool.append(events(0, 10));
      spool.ack(spool.peek(4));
    }
    try (Spool spool = open(dir)) {
      assertThat(spool.depth()).isEqualTo(6);
      assertThat(all(spool)).containsExactlyElementsOf(events(4, 10));
      spool.append(events(10, 12));
      assertThat(all(spool)).containsExactlyElementsOf(events(4, 12));
    }
  }

  @Test
  void aTornLastRecordIsDiscardedAndTheEarlierOnesSurvive() throws IOException {
    try (Spool spool = open(dir)) {
      spool.append(events(0, 1));
      spool.append(events(1, 2));
      spool.append(events(2, 3));
    }
    Path segment = segments(dir).get(0);
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 3); // the kill came in the middle of the third record
    }

    try (Spool spool = open(dir)) {
      assertThat(spool.depth()).isEqualTo(2);
      assertThat(all(spool)).containsExactlyElementsOf(events(0, 2));
      spool.append(events(3, 4));
      assertThat(all(spool))
          .extracting(Event::metric)
          .as("appends go on after the cut")
          .containsExactly(0L, 1L, 3L);
    }
    try (Spool spool = open(dir)) {
      assertThat(spool.depth()).as("the cut was clean: nothing more lost").isEqualTo(3);
    }
  }

  @Test
  void aTailOfZerosOrAWrongChecksumIsNotTakenForARecord() throws IOException {
    try (Spool spool = open(dir)) {
      spool.append(events(0, 3));
    }
    Path segment = segments(dir).get(0);
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {42}), size - 1); // damage the last record
      ch.write(ByteBuffer.allocate(64), size); // and zeros after it, as after a power cut
    }

    try (Spool spool = open(dir)) {
      assertThat(all(spool)).containsExactlyElementsOf(events(0, 2));
    }
    assertThat(Files.size(segment)).isLessThan(size);
  }

  @Test
  void overTheLimitWholeOldestSegmentsAreDroppedAndCounted() throws IOException {
    int total = 500;
    try (Spool spool = Spool.open(dir, 4096, 1024, RARELY)) {
      for (int i = 0; i < total; i += 5) {
        spool.append(events(i, i + 5));
        assertThat(spool.bytes()).isLessThanOrEqualTo(4096);
      }
      assertThat(spool.droppedOldest()).isPositive();
      assertThat(spool.depth() + spool.droppedOldest()).isEqualTo(total);
      List<Event> kept = all(spool);
      assertThat(kept).containsExactlyElementsOf(events(total - kept.size(), total));
      assertThat(segments(dir).size()).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void acknowledgingABatchThatWasDroppedMeanwhileChangesNothing() throws IOException {
    try (Spool spool = Spool.open(dir, 4096, 1024, RARELY)) {
      spool.append(events(0, 5));
      Spool.Batch inFlight = spool.peek(5);
      for (int i = 5; i < 200; i += 5) {
        spool.append(events(i, i + 5));
      }
      long depth = spool.depth();
      assertThat(spool.droppedOldest()).isGreaterThan(5);

      spool.ack(inFlight);

      assertThat(spool.depth()).isEqualTo(depth);
      List<Event> kept = all(spool);
      assertThat(kept).containsExactlyElementsOf(events(200 - kept.size(), 200));
    }
  }

  @Test
  void acknowledgedSegmentsAreDeleted() throws IOException {
    try (Spool spool = Spool.open(dir, 1 << 20, 1024, RARELY)) {
      spool.append(events(0, 200));
      assertThat(segments(dir).size()).isGreaterThan(3);
      while (spool.depth() > 0) {
        spool.ack(spool.peek(7));
      }
      assertThat(segments(dir)).hasSize(1);
      assertThat(spool.bytes()).isLessThanOrEqualTo(1024);
    }
    try (Spool spool = Spool.open(dir, 1 << 20, 1024, RARELY)) {
      assertThat(spool.depth()).isZero();
    }
  }

  @Test
  void aDamagedAckFileMeansSendingAgainNotLosing() throws IOException {
    try (Spool spool = open(dir)) {
      spool.append(events(0, 5));
      spool.ack(spool.peek(3));
    }
    Files.write(dir.resolve("ack"), new byte[] {1, 2, 3});
    try (Spool spool = open(dir)) {
      assertThat(all(spool)).containsExactlyElementsOf(events(0, 5));
    }
  }

  @Test
  void anEventLargerThanASegmentIsRefusedWithTheLimitAndNothingIsAppended() throws IOException {
    try (Spool spool = Spool.open(dir, 4096, 1024, RARELY)) {
      Event huge = events(1, 2).get(0).toBuilder().description("x".repeat(2000)).build();
      assertThatThrownBy(() -> spool.append(List.of(events(0, 1).get(0), huge)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("node-1/test/seq")
          .hasMessageContaining("1008 bytes");
      assertThat(spool.depth()).isZero();
    }
  }

  @Test
  void oneDirectoryCannotBeOpenedTwice() throws IOException {
    try (Spool spool = open(dir)) {
      assertThatThrownBy(() -> open(dir))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already in use");
      assertThat(spool.depth()).isZero();
    }
  }

  // --- property: any sequence of operations keeps FIFO order and loses only what the limit drops

  /** kind: 0 append n, 1 peek n and ack, 2 peek n only, 3 reopen, 4 peek n, append n, then ack. */
  record Op(int kind, int n) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4), Arbitraries.integers().between(1, 30))
        .as(Op::new)
        .list()
        .ofMaxSize(40);
  }

  /** What the spool should hold, and how many drops the model has accounted for. */
  private static final class Model {
    final List<Event> unacked = new ArrayList<>();
    long droppedBefore; // by spools closed earlier
    long droppedSeen;
    int next;

    List<Event> fresh(int n) {
      List<Event> e = events(next, next + n);
      next += n;
      unacked.addAll(e);
      return e;
    }

    /** Drops leave from the front: exactly as many as the spool counted. */
    void syncDrops(Spool spool) {
      long dropped = droppedBefore + spool.droppedOldest();
      int newly = (int) (dropped - droppedSeen);
      unacked.subList(0, newly).clear();
      droppedSeen = dropped;
    }

    void acked(Spool.Batch batch) {
      if (batch.isEmpty()) {
        return;
      }
      int last = unacked.indexOf(batch.events().get(batch.size() - 1));
      unacked.subList(0, last + 1).clear(); // -1 (already dropped) clears nothing
    }
  }

  @Property(tries = 150)
  void anySequenceKeepsOrderAndLosesOnlyWhatTheLimitDrops(
      @ForAll("ops") List<Op> ops, @ForAll boolean tight) throws IOException {
    Path root = Files.createTempDirectory("spool-property");
    long max = tight ? 4096 : 1 << 20;
    long segment = tight ? 1024 : 64 * 1024;
    Model model = new Model();
    Spool spool = Spool.open(root, max, segment, RARELY);
    try {
      for (Op op : ops) {
        switch (op.kind()) {
          case 0 -> spool.append(model.fresh(op.n()));
          case 1, 2 -> {
            Spool.Batch batch = spool.peek(op.n());
            assertThat(batch.events())
                .containsExactlyElementsOf(
                    model.unacked.subList(0, Math.min(op.n(), model.unacked.size())));
            if (op.kind() == 1) {
              spool.ack(batch);
              model.acked(batch);
            }
          }
          case 3 -> {
            model.droppedBefore += spool.droppedOldest();
            spool.close();
            spool = Spool.open(root, max, segment, RARELY);
          }
          default -> {
            Spool.Batch batch = spool.peek(op.n());
            spool.append(model.fresh(op.n()));
            model.syncDrops(spool);
            spool.ack(batch);
            model.acked(batch);
          }
        }
        model.syncDrops(spool);
        assertThat(all(spool)).containsExactlyElementsOf(model.unacked);
        assertThat(spool.depth()).isEqualTo(model.unacked.size());
        assertThat(spool.bytes()).isLessThanOrEqualTo(max);
      }
      if (!tight) {
        assertThat(model.droppedSeen).as("under the limit nothing is dropped").isZero();
      }
    } finally {
      spool.close();
      deleteRecursively(root);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
