package dev.sixfinger.rules.runner;

import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.kafka.LeaderLease;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.ReloadResult;
import dev.sixfinger.rules.engine.RuleEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link RuleEngine} over {@code sixfinger.events}, exactly once.
 *
 * <p><b>Order and time.</b> Every partition of the topic is read (fleet rules need the whole fleet)
 * and merged by {@link PartitionMerge}; the engine's time is the record time. When records wait in
 * one partition while another is empty, or when nothing has arrived for {@code idleTick}, the
 * runner writes a tick into the empty partitions, so that time moves on through the log itself. The
 * sequence the engine sees is thus a function of the log, and so are its outputs.
 *
 * <p><b>Exactly once.</b> Outputs go to {@code sixfinger.alerts} and {@code sixfinger.health} in a
 * Kafka transaction that also commits the consumed offsets (to the group's offsets) and, every
 * {@code snapshotInterval} and after every reload, a snapshot with the same offsets. After a crash
 * the engine restores the last snapshot and replays from its offsets; outputs of records below the
 * committed offsets were committed before and are dropped. Any Kafka failure is handled the same
 * way: abort, start over from the last snapshot, with backoff while the broker is away. Consumers
 * of the outputs must read with {@code isolation.level=read_committed}.
 *
 * <p><b>One writer.</b> Engines of the same group elect a leader through {@link LeaderLease}; the
 * others stay on standby and take over, from the last snapshot, when it goes. The transactional id
 * fences a leader that lost the lease without noticing.
 *
 * <p>{@link #run()} is the engine's thread; {@link #reload} and {@link #status()} may be called
 * from any thread.
 */
public final class EngineRunner implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineRunner.class);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration LEASE_POLL = Duration.ofMillis(200);

  /** Where the runner is. */
  public enum State {
    STARTING,
    /** Another engine of the group leads; this one takes over when it goes. */
    STANDBY,
    RECOVERING,
    RUNNING,
    RETRYING,
    STOPPED
  }

  /** A view for the API and health checks, refreshed after every commit. */
  public record Status(
      State state,
      String lastError,
      long engineTimeMicros,
      long eventsProcessed,
      long recordsEmitted,
      long ticksWritten,
      long undecodable,
      long snapshots,
      int lastSnapshotBytes,
      int indexSize,
      Map<String, Long> evaluations,
      Map<String, Rule> rules,
      List<AlertRecord> firing) {}

  private final RunnerSettings settings;
  private final Clock clock;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicLong ticks = new AtomicLong();
  private final AtomicLong emitted = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final AtomicLong snapshots = new AtomicLong();
  private volatile RuleSet rules;
  private volatile boolean running = true;
  private volatile Status status;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile LeaderLease lease;
  private long processed;
  private int lastSnapshotBytes;

  // Per session.
  private KafkaProducer<byte[], byte[]> producer;
  private RuleEngine engine;
  private boolean inTransaction;
  private boolean suppressing;
  private boolean snapshotDue;
  private Future<ProducerRecord<byte[], byte[]>> encoding;
  private final ExecutorService encoder =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "rules-snapshot-encoder");
            t.setDaemon(true);
            return t;
          });

  public EngineRunner(RuleSet rules, RunnerSettings settings, Clock clock) {
    if (!rules.ok()) {
      throw new IllegalArgumentException("the rule set has errors: " + rules.errors());
    }
    this.rules = rules;
    this.settings = settings;
    this.clock = clock;
    this.status =
        new Status(State.STARTING, null, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), List.of());
  }

  public Status status() {
    return status;
  }

  /**
   * Replaces the rule set on the engine's thread (see {@link RuleEngine#reload}); a set with errors
   * is refused and the running set stays. Completes when applied, with what changed.
   */
  public CompletableFuture<ReloadResult> reload(RuleSet set) {
    CompletableFuture<ReloadResult> done = new CompletableFuture<>();
    if (!set.ok()) {
      ReloadResult refused =
          new ReloadResult(List.of(), List.of(), List.of(), List.of(), set.errors());
      done.complete(refused);
      return done;
    }
    tasks.add(
        () -> {
          ReloadResult result =
              engine != null
                  ? engine.reload(set)
                  : new ReloadResult(
                      List.of(),
                      set.rules().stream().map(r -> r.name()).toList(),
                      List.of(),
                      List.of(),
                      List.of());
          rules = set;
          // A restart must not see the old rules' state with the new offsets.
          snapshotDue = engine != null;
          LOG.info(
              "Rules reloaded: kept {}, added {}, changed {}, removed {}",
              result.kept().size(),
              result.added(),
              result.changed(),
              result.removed());
          done.complete(result);
        });
    return done;
  }

  /** Asks the engine to stop after committing what it has processed. */
  public void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    LeaderLease l = lease;
    if (l != null) {
      l.wakeup();
    }
  }

  @Override
  public void run() {
    try (LeaderLease l =
        new LeaderLease(settings.bootstrapServers(), settings.group(), settings.kafkaOverrides())) {
      lease = l;
      long backoffMs = 500;
      while (running) {
        try {
          if (!l.poll(LEASE_POLL)) {
            if (status.state() != State.STANDBY) {
              LOG.info("Rules engine of group '{}' is on standby", settings.group());
              publish(State.STANDBY, null);
            }
            continue;
          }
          session();
          backoffMs = 500;
        } catch (ProducerFencedException e) {
          // Another engine took over before this one noticed it had lost the lease.
          LOG.warn("Rules engine of group '{}' was fenced; back to standby", settings.group());
          publish(State.STANDBY, "fenced by another engine of group " + settings.group());
        } catch (WakeupException e) {
          // stop() while blocked in Kafka
        } catch (KafkaException | IllegalStateException e) {
          if (!running) {
            break;
          }
          LOG.warn(
              "Rules engine failed ({}); starting over from the last snapshot in {} ms",
              e.toString(),
              backoffMs);
          publish(State.RETRYING, e.toString());
          sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        }
      }
    } finally {
      lease = null;
      encoder.shutdownNow();
      publish(State.STOPPED, status.lastError());
    }
  }

  private void session() {
    publish(State.RECOVERING, null);
    Map<String, Object> consumerConfig = consumerConfig();
    KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    producer = p;
    consumer = c;
    inTransaction = false;
    try {
      // Fences any older producer of the group and aborts what it left open.
      p.initTransactions();
      List<TopicPartition> partitions = eventPartitions(c);
      c.assign(partitions);
      Map<Integer, Long> committed = committedOffsets(c, partitions);
      Map<Integer, Long> positions = recover(c, partitions, consumerConfig, committed);
      loop(c, partitions, positions, committed);
    } finally {
      if (inTransaction) {
        quietly(p::abortTransaction);
      }
      if (encoding != null) {
        encoding.cancel(true);
        encoding = null;
      }
      consumer = null;
      producer = null;
      // Bounded: with the broker gone, an unbounded close waits for it to come back. What was
      // not committed is replayed from the snapshot anyway.
      quietly(() -> p.close(CLOSE_TIMEOUT));
      quietly(() -> c.close(CLOSE_TIMEOUT));
    }
  }

  private Map<Integer, Long> recover(
      KafkaConsumer<byte[], byte[]> c,
      List<TopicPartition> partitions,
      Map<String, Object> consumerConfig,
      Map<Integer, Long> committed) {
    Optional<SnapshotStore.Stored> stored =
        SnapshotStore.load(consumerConfig, settings.group(), KAFKA_TIMEOUT);
    Map<Integer, Long> positions = new TreeMap<>();
    if (stored.isPresent()) {
      engine = RuleEngine.restore(rules, stored.get().engine(), settings.engine(), this::emit);
      lastSnapshotBytes = stored.get().bytes();
      for (TopicPartition tp : partitions) {
        positions.put(tp.partition(), stored.get().offsets().getOrDefault(tp.partition(), 0L));
      }
      snapshotDue = true; // records what the restore resolved, if anything
      LOG.info(
          "Rules engine restored its snapshot ({} bytes) at offsets {}; committed offsets {}",
          stored.get().bytes(),
          positions,
          committed);
    } else {
      // Created at the first record, at its time: a backfill must not start in the future.
      engine = null;
      Map<TopicPartition, Long> starts =
          settings.startFromEarliest()
              ? c.beginningOffsets(partitions, KAFKA_TIMEOUT)
              : c.endOffsets(partitions, KAFKA_TIMEOUT);
      for (TopicPartition tp : partitions) {
        Long from = committed.get(tp.partition());
        positions.put(tp.partition(), from != null ? from : starts.get(tp));
      }
      LOG.info("Rules engine starts without a snapshot, at offsets {}", positions);
    }
    for (TopicPartition tp : partitions) {
      c.seek(tp, positions.get(tp.partition()));
    }
    return positions;
  }

  private void loop(
      KafkaConsumer<byte[], byte[]> c,
      List<TopicPartition> partitions,
      Map<Integer, Long> positions,
      Map<Integer, Long> committed) {
    PartitionMerge merge = new PartitionMerge(positions.keySet());
    Map<Integer, TopicPartition> byNumber = new HashMap<>();
    partitions.forEach(tp -> byNumber.put(tp.partition(), tp));
    Map<Integer, Long> lastTick = new HashMap<>();
    long lastCommit = System.nanoTime();
    long lastSnapshot = System.nanoTime();
    long lastRecord = System.nanoTime();
    publish(State.RUNNING, null);
    while (running) {
      if (!lease.poll(Duration.ZERO)) {
        LOG.warn("Rules engine of group '{}' lost the lease; stopping here", settings.group());
        return; // uncommitted work is aborted; the new leader replays it
      }
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
      org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> polled;
      try {
        polled = c.poll(POLL);
      } catch (WakeupException e) {
        if (running) {
          throw e;
        }
        break; // stop(): commit what was processed below
      }
      for (ConsumerRecord<byte[], byte[]> r : polled) {
        merge.add(r);
        if (merge.buffered(r.partition()) >= settings.maxBuffered()) {
          c.pause(List.of(byNumber.get(r.partition())));
        }
      }
      ConsumerRecord<byte[], byte[]> r;
      while ((r = merge.next()) != null) {
        Long upTo = committed.get(r.partition());
        suppressing = upTo != null && r.offset() < upTo;
        process(r);
        suppressing = false;
        positions.put(r.partition(), r.offset() + 1);
        lastRecord = System.nanoTime();
      }
      List<TopicPartition> resume = new ArrayList<>();
      for (TopicPartition tp : c.paused()) {
        if (merge.buffered(tp.partition()) < settings.maxBuffered() / 2) {
          resume.add(tp);
        }
      }
      c.resume(resume);
      long now = System.nanoTime();
      boolean idle = now - lastRecord >= settings.idleTick().toNanos();
      boolean ticked = false;
      if (merge.anyBuffered() || idle) {
        for (int p : merge.starved()) {
          // A partition with records still to fetch is not idle; a tick there would only wait
          // behind them (and hold the merge until the next commit makes it readable).
          OptionalLong lag = c.currentLag(byNumber.get(p));
          if (lag.isPresent() && lag.getAsLong() > 0) {
            continue;
          }
          Long last = lastTick.get(p);
          // Waiting records: tick once per commit; idle: once per idleTick.
          long every =
              merge.anyBuffered()
                  ? settings.commitInterval().toNanos()
                  : settings.idleTick().toNanos();
          if (last == null || now - last >= every) {
            tick(p);
            lastTick.put(p, now);
            ticked = true;
          }
        }
        if (idle) {
          lastRecord = now;
        }
      }
      if (engine != null && now - lastSnapshot >= settings.snapshotInterval().toNanos()) {
        snapshotDue = true;
      }
      if (snapshotDue && engine != null && encoding == null) {
        startSnapshot(positions);
        lastSnapshot = now;
      }
      boolean snapshotReady = encoding != null && encoding.isDone();
      // Records wait for these ticks, which are readable only once committed: commit now.
      boolean waiting = ticked && merge.anyBuffered();
      if (waiting || snapshotReady || now - lastCommit >= settings.commitInterval().toNanos()) {
        commit(positions, committed, snapshotReady ? encoded() : null);
        lastCommit = System.nanoTime();
        publish(State.RUNNING, null);
      }
    }
    // Stopping: the last snapshot covers everything processed, so a restart replays nothing.
    if (engine != null) {
      if (encoding != null) {
        encoded();
      }
      startSnapshot(positions);
    }
    commit(positions, committed, encoding != null ? encoded() : null);
  }

  /**
   * Captures the state here, on the engine's thread, and encodes it on another: encoding a large
   * index takes a while, and outputs must not wait for it. The snapshot goes out with a later
   * commit whose offsets are at or past the ones it records, which recovery handles like any
   * replay.
   */
  private void startSnapshot(Map<Integer, Long> positions) {
    Object state = engine.snapshot();
    Map<Integer, Long> at = new TreeMap<>(positions);
    encoding = encoder.submit(() -> SnapshotStore.record(settings.group(), at, state));
    snapshotDue = false;
  }

  private ProducerRecord<byte[], byte[]> encoded() {
    try {
      return encoding.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not encode the engine's snapshot", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while encoding the engine's snapshot", e);
    } finally {
      encoding = null;
    }
  }

  private void process(ConsumerRecord<byte[], byte[]> r) {
    if (engine == null) {
      engine = new RuleEngine(rules, r.timestamp() * 1000, settings.engine(), this::emit);
      snapshotDue = true; // with the first outputs, so that no restart loses what they imply
    }
    try {
      if (LogReader.feed(engine, r)) {
        processed++;
      }
    } catch (CodecException e) {
      undecodable.incrementAndGet();
      LOG.warn(
          "Skipping undecodable record {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
    }
  }

  private void emit(EngineRecord record) {
    if (suppressing) {
      return; // committed by the run that crashed
    }
    begin();
    producer.send(
        new ProducerRecord<>(
            record.topic(),
            record.key().getBytes(StandardCharsets.UTF_8),
            RecordJson.toBytes(record)));
    emitted.incrementAndGet();
  }

  private void tick(int partition) {
    begin();
    RecordHeaders headers = new RecordHeaders();
    headers.add(Topics.TICK_HEADER, new byte[0]);
    producer.send(new ProducerRecord<>(Topics.EVENTS, partition, null, null, null, headers));
    ticks.incrementAndGet();
  }

  private void begin() {
    if (!inTransaction) {
      producer.beginTransaction();
      inTransaction = true;
    }
  }

  private void commit(
      Map<Integer, Long> positions,
      Map<Integer, Long> committed,
      ProducerRecord<byte[], byte[]> snapshot) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    boolean moved = false;
    for (Map.Entry<Integer, Long> e : positions.entrySet()) {
      // Never move the group's offsets back while replaying what was committed before.
      long offset = Math.max(e.getValue(), committed.getOrDefault(e.getKey(), 0L));
      moved |= !Long.valueOf(offset).equals(committed.get(e.getKey()));
      offsets.put(new TopicPartition(Topics.EVENTS, e.getKey()), new OffsetAndMetadata(offset));
    }
    if (!inTransaction && !moved && snapshot == null) {
      return;
    }
    begin();
    if (snapshot != null) {
      lastSnapshotBytes = snapshot.value().length;
      producer.send(snapshot);
    }
    producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(settings.group()));
    producer.commitTransaction();
    inTransaction = false;
    offsets.forEach((tp, om) -> committed.put(tp.partition(), om.offset()));
    if (snapshot != null) {
      snapshots.incrementAndGet();
    }
  }

  private List<TopicPartition> eventPartitions(KafkaConsumer<byte[], byte[]> c) {
    List<PartitionInfo> infos = c.partitionsFor(Topics.EVENTS, KAFKA_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + Topics.EVENTS + " does not exist; start the server once to create it");
    }
    return infos.stream()
        .map(i -> new TopicPartition(i.topic(), i.partition()))
        .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  private static Map<Integer, Long> committedOffsets(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
    Map<Integer, Long> committed = new TreeMap<>();
    c.committed(new java.util.HashSet<>(partitions), KAFKA_TIMEOUT)
        .forEach(
            (tp, om) -> {
              if (om != null) {
                committed.put(tp.partition(), om.offset());
              }
            });
    return committed;
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-rules-" + settings.group());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.putAll(settings.kafkaOverrides());
    return props;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "sixfinger-rules-" + settings.group());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sixfinger-rules-" + settings.group());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.RULES_STATE_MAX_BYTES);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    props.putAll(settings.kafkaOverrides());
    return props;
  }

  private void publish(State state, String error) {
    RuleEngine e = engine;
    status =
        new Status(
            state,
            error,
            e == null ? 0 : e.nowMicros(),
            processed,
            emitted.get(),
            ticks.get(),
            undecodable.get(),
            snapshots.get(),
            lastSnapshotBytes,
            e == null ? 0 : e.index().size(),
            e == null ? Map.of() : e.evaluations(),
            e == null ? Map.of() : e.rulesByName(),
            e == null ? List.of() : e.firingAlerts());
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.debug("ignored while stopping", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
