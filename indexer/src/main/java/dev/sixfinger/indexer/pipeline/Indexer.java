package dev.sixfinger.indexer.pipeline;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.indexer.bulk.Backoff;
import dev.sixfinger.indexer.bulk.BulkStats;
import dev.sixfinger.indexer.bulk.BulkWriter;
import dev.sixfinger.indexer.bulk.Refused;
import dev.sixfinger.indexer.document.Dataset;
import dev.sixfinger.indexer.document.DocumentMapper;
import dev.sixfinger.indexer.document.IndexNames;
import dev.sixfinger.indexer.document.Mapped;
import dev.sixfinger.indexer.template.IndexTemplates;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the Sixfinger topics into Elasticsearch, at least once and without duplicates: document
 * ids come from the record's place in the log, so a record stored twice overwrites itself.
 *
 * <p>One thread reads Kafka and cuts batches (by count, bytes, or {@code linger}); up to {@code
 * concurrency} batches are written at once. When all writers are busy the consumer pauses its
 * partitions and only keeps its group membership alive, so a slow or absent Elasticsearch never
 * makes the indexer buffer without bound. Offsets are committed only after every document of a
 * batch, and of every batch before it, is stored or dead-lettered.
 */
public final class Indexer implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final IndexerSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final ElasticsearchClient client;
  private final DocumentMapper mapper;
  private final IndexTemplates templates;
  private final BulkWriter writer;
  private final DeadLetters deadLetters;
  private final BulkStats stats = new BulkStats();
  private final Clock clock;
  private final ExecutorService writers;
  private final Queue<Long> settledQueue = new ConcurrentLinkedQueue<>();
  private final BatchLedger ledger = new BatchLedger();
  private final ArrayDeque<Batch> ready = new ArrayDeque<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.concurrent.Semaphore writerFreed = new java.util.concurrent.Semaphore(0);
  private volatile boolean running = true;
  // Writers keep retrying until the final drain gives up on them.
  private volatile boolean writersGiveUp;
  private volatile boolean paused;
  private volatile boolean templatesInstalled;
  private volatile String lastProblem;
  private Batch current;
  private long nextSequence;

  public Indexer(
      IndexerSettings settings,
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> dlqProducer,
      ElasticsearchClient client,
      Clock clock) {
    this.settings = settings;
    this.consumer = consumer;
    this.client = client;
    this.clock = clock;
    IndexNames names = new IndexNames(settings.indexPrefix());
    this.mapper = new DocumentMapper(names);
    this.templates = new IndexTemplates(names, settings.replicas(), settings.totalFieldsLimit());
    Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
    this.writer =
        new BulkWriter(
            ElasticsearchClients.restClient(client), backoff, stats, () -> !writersGiveUp);
    this.deadLetters = new DeadLetters(dlqProducer, backoff, () -> !writersGiveUp);
    AtomicInteger n = new AtomicInteger();
    this.writers =
        Executors.newFixedThreadPool(
            settings.concurrency(),
            r -> {
              Thread t = new Thread(r, "sixfinger-indexer-bulk-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** What the indexer has done so far, for metrics, health checks and progress lines. */
  public record Status(
      boolean templatesInstalled,
      long stored,
      long deadLettered,
      long itemsRetried,
      long requestsFailed,
      int batchesInFlight,
      boolean paused,
      String lastProblem) {}

  public Status status() {
    return new Status(
        templatesInstalled,
        stats.stored(),
        stats.deadLettered(),
        stats.itemsRetried(),
        stats.requestsFailed(),
        inFlight.get(),
        paused,
        lastProblem);
  }

  @Override
  public void run() {
    try {
      installTemplates();
      if (!running) {
        return;
      }
      consumer.subscribe(topicPattern(settings.datasets()), new Rebalance());
      while (running) {
        settle();
        dispatch();
        if (paused) {
          // Every writer is busy: wait for one to finish rather than for a poll to time out, so
          // that the next batch starts at once; poll(0) keeps the group membership alive.
          writerFreed.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
          writerFreed.drainPermits();
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(paused ? Duration.ZERO : POLL);
        for (ConsumerRecord<byte[], byte[]> r : records) {
          take(r);
        }
        if (current != null
            && System.nanoTime() - current.createdNanos >= settings.linger().toNanos()) {
          seal();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finish();
    }
  }

  private void installTemplates() throws InterruptedException {
    Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
    for (int attempt = 1; running; attempt++) {
      try {
        templates.install(client);
        templatesInstalled = true;
        LOG.info("index templates installed for {}-*", settings.indexPrefix());
        return;
      } catch (Exception e) {
        lastProblem = "cannot install index templates: " + e;
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.warn(
              "cannot install index templates at {} (attempt {}): {}; is Elasticsearch running"
                  + " there?",
              settings.hosts(),
              attempt,
              e.toString());
        }
        long until = System.nanoTime() + backoff.delayMillis(attempt) * 1_000_000L;
        while (running && System.nanoTime() < until) {
          Thread.sleep(50);
        }
      }
    }
  }

  static Pattern topicPattern(List<Dataset> datasets) {
    return Pattern.compile(
        datasets.stream().map(d -> Pattern.quote(d.topic())).collect(Collectors.joining("|")));
  }

  private void take(ConsumerRecord<byte[], byte[]> r) {
    if (current == null) {
      current = new Batch(nextSequence++, System.nanoTime());
    }
    current.advance(r.topic(), r.partition(), r.offset());
    Mapped m = mapper.map(r);
    if (m instanceof Mapped.Document d) {
      current.add(d.document(), new Batch.Source(r.topic(), r.partition(), r.offset(), r.key()));
    } else if (m instanceof Mapped.Unreadable u) {
      current.unreadable.add(
          new DeadLetter(
              r.topic(), r.partition(), r.offset(), r.key(), null, 0, u.reason(), null, r.value()));
    }
    if (current.documents.size() >= settings.bulkMaxDocs()
        || current.bytes >= settings.bulkMaxBytes()) {
      seal();
    }
  }

  private void seal() {
    ledger.opened(current);
    ready.add(current);
    current = null;
  }

  /** Starts ready batches while writers are free; pauses the consumer when they are not. */
  private void dispatch() {
    while (!ready.isEmpty() && inFlight.get() < settings.concurrency()) {
      Batch b = ready.poll();
      inFlight.incrementAndGet();
      writers.execute(() -> write(b));
    }
    boolean full = !ready.isEmpty();
    if (full && !paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (!full && paused) {
      consumer.resume(consumer.assignment());
      paused = false;
    }
  }

  private void write(Batch b) {
    try {
      List<Refused> refused = b.documents.isEmpty() ? List.of() : writer.write(b.documents);
      List<DeadLetter> letters = new ArrayList<>(b.unreadable);
      if (!refused.isEmpty()) {
        Map<String, Batch.Source> byId = new HashMap<>();
        for (int i = 0; i < b.documents.size(); i++) {
          byId.put(b.documents.get(i).id(), b.sources.get(i));
        }
        for (Refused f : refused) {
          Batch.Source s = byId.get(f.document().id());
          letters.add(
              new DeadLetter(
                  s.topic(),
                  s.partition(),
                  s.offset(),
                  s.key(),
                  f.document().index(),
                  f.status(),
                  f.reason(),
                  f.document().source(),
                  null));
        }
        lastProblem =
            "Elasticsearch refused "
                + refused.size()
                + " documents, e.g. "
                + refused.get(0).reason();
      }
      deadLetters.write(letters, clock.nowMicros());
      stats.deadLettered(letters.size());
      settledQueue.add(b.sequence);
    } catch (InterruptedException e) {
      // Stopping: the batch stays unsettled, so its offsets are not committed.
    } catch (RuntimeException e) {
      // Nothing after this batch may be committed: stop, visibly, rather than stall in silence.
      lastProblem = "batch failed, indexer stopped: " + e;
      LOG.error(
          "indexer batch {} failed; stopping. Its records are read again after a restart",
          b.sequence,
          e);
      running = false;
      consumer.wakeup();
    } finally {
      inFlight.decrementAndGet();
      writerFreed.release();
    }
  }

  /** Commits the offsets of batches settled in order. */
  private void settle() {
    Long s;
    boolean any = false;
    while ((s = settledQueue.poll()) != null) {
      ledger.settled(s);
      any = true;
    }
    if (any) {
      commit(ledger.release(), false);
    }
  }

  private void commit(Map<TopicPartition, Long> offsets, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>();
    var assignment = consumer.assignment();
    offsets.forEach(
        (tp, o) -> {
          if (assignment.contains(tp)) {
            owned.put(tp, new OffsetAndMetadata(o));
          }
        });
    if (owned.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(owned);
    } else {
      consumer.commitAsync(
          owned,
          (o, e) -> {
            if (e != null) {
              LOG.warn(
                  "offset commit failed, it will be retried with the next batch: {}", e.toString());
            }
          });
    }
  }

  /** Sends what is buffered and waits, up to {@code timeout}, for every batch to settle. */
  private void drain(Duration timeout) {
    if (current != null) {
      seal();
    }
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end && (ledger.openCount() > 0)) {
      dispatch();
      settleSync();
      if (ledger.openCount() == 0) {
        break;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    settleSync();
  }

  private void settleSync() {
    Long s;
    while ((s = settledQueue.poll()) != null) {
      ledger.settled(s);
    }
    commit(ledger.release(), true);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Give in-flight work a chance to land so the next owner starts where we stopped; whatever
      // is left is written again by the next owner, under the same ids.
      drain(Duration.ofSeconds(20));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused) {
        consumer.pause(partitions);
      }
    }
  }

  private void finish() {
    try {
      if (templatesInstalled) {
        try {
          drain(Duration.ofSeconds(10));
        } catch (WakeupException e) {
          settleSync(); // the wakeup that stopped the loop was still pending
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not commit the indexer's last offsets: {}", e.toString());
    } finally {
      writersGiveUp = true;
      writers.shutdownNow();
      try {
        writers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Stops the loop; the thread running it settles what it can and closes the consumer. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
