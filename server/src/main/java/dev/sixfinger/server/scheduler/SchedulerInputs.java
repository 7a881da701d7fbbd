package dev.sixfinger.server.scheduler;

import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What feeds the scheduler from Kafka, on a thread of its own: {@code sixfinger.health} (compacted,
 * read from the beginning at every start; a record already held changes nothing) and the agents'
 * {@code capacity/cpus} and {@code capacity/memory-bytes} events from {@code sixfinger.events},
 * combined per host, with a consumer group so that a restart continues where it stopped. Offsets
 * are committed only after the scheduler acknowledged what they carried.
 */
final class SchedulerInputs {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerInputs.class);
  static final String CPUS = "capacity/cpus";
  static final String MEMORY = "capacity/memory-bytes";
  private static final long MIB = 1024 * 1024;

  private final SchedulerService service;
  private final String bootstrapServers;
  private final SchedulerFactory factory;
  private final Clock clock;
  private final AtomicLong healthRecords = new AtomicLong();
  private final AtomicLong capacityEvents = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  // Per host: the latest cpus and memory seen, and the attributes of the latest capacity event.
  private final Map<String, Capacity> capacity = new HashMap<>();
  private volatile boolean running;
  private Thread thread;
  private KafkaConsumer<byte[], byte[]> health;
  private KafkaConsumer<byte[], byte[]> events;

  private record Capacity(Long cpus, Long memBytes, Map<String, String> attributes) {
    Capacity with(Event e) {
      long v = e.metric().longValue();
      return CPUS.equals(e.service())
          ? new Capacity(v, memBytes, e.attributes())
          : new Capacity(cpus, v, e.attributes());
    }
  }

  SchedulerInputs(
      SchedulerService service, String bootstrapServers, SchedulerFactory factory, Clock clock) {
    this.service = service;
    this.bootstrapServers = bootstrapServers;
    this.factory = factory;
    this.clock = clock;
  }

  long healthRecords() {
    return healthRecords.get();
  }

  long capacityEvents() {
    return capacityEvents.get();
  }

  long rejected() {
    return rejected.get();
  }

  void start() {
    health = consumer(null, "health");
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo p : health.partitionsFor(Topics.HEALTH, Duration.ofSeconds(30))) {
      parts.add(new TopicPartition(p.topic(), p.partition()));
    }
    health.assign(parts);
    health.seekToBeginning(parts);
    events = consumer(factory.group(), "capacity");
    events.subscribe(List.of(Topics.EVENTS), new Lookback());
    running = true;
    thread = new Thread(this::run, "scheduler-inputs");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      health.wakeup();
      events.wakeup();
      thread.join(30_000);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String group, String what) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-scheduler-" + what);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    if (group != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    }
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** A group member with no committed offset starts capacityLookback back, not at the end. */
  private final class Lookback implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> committed = events.committed(Set.copyOf(partitions));
      Map<TopicPartition, Long> times = new HashMap<>();
      long since = clock.nowMicros() / 1000 - factory.capacityLookback().toMillis();
      for (TopicPartition p : partitions) {
        if (committed.get(p) == null) {
          times.put(p, since);
        }
      }
      if (times.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndTimestamp> found = events.offsetsForTimes(times);
      for (TopicPartition p : times.keySet()) {
        OffsetAndTimestamp o = found.get(p);
        if (o == null) {
          events.seekToEnd(List.of(p));
        } else {
          events.seek(p, o.offset());
        }
      }
    }
  }

  private void run() {
    while (running) {
      try {
        for (ConsumerRecord<byte[], byte[]> r : health.poll(Duration.ofMillis(100))) {
          onHealth(r);
        }
        Map<String, Capacity> changed = new LinkedHashMap<>();
        var polled = events.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          onEvent(r, changed);
        }
        for (Map.Entry<String, Capacity> e : changed.entrySet()) {
          Capacity c = e.getValue();
          Resources res = Resources.of(c.cpus(), c.memBytes() / MIB, 0);
          String host = e.getKey();
          send(s -> s.upsertHost(host, res, c.attributes()), "capacity of " + host);
        }
        if (!polled.isEmpty() && running) {
          events.commitSync(Duration.ofSeconds(30));
        }
      } catch (WakeupException e) {
        if (running) {
          LOG.warn("scheduler inputs woken up while running");
        }
      } catch (RuntimeException e) {
        LOG.warn("Scheduler inputs: {}; retrying in 1 s", e.toString());
        sleep(1000);
      }
    }
    health.close(Duration.ofSeconds(5));
    events.close(Duration.ofSeconds(5));
  }

  private void onHealth(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null || r.headers().lastHeader(Topics.TICK_HEADER) != null) {
      return;
    }
    EngineRecord rec;
    try {
      rec = RecordJson.parse(r.value());
    } catch (IllegalArgumentException e) {
      rejected.incrementAndGet();
      LOG.warn(
          "{} partition {} offset {} is not a health record and is skipped: {}",
          Topics.HEALTH,
          r.partition(),
          r.offset(),
          e.getMessage());
      return;
    }
    if (!(rec instanceof HealthRecord h)) {
      rejected.incrementAndGet();
      return;
    }
    healthRecords.incrementAndGet();
    send(s -> s.healthRecord(h), "health record of " + h.host());
  }

  private void onEvent(ConsumerRecord<byte[], byte[]> r, Map<String, Capacity> changed) {
    if (r.value() == null || r.headers().lastHeader(Topics.TICK_HEADER) != null) {
      return;
    }
    Event e;
    try {
      e = RiemannCodec.decode(r.value());
    } catch (CodecException ex) {
      return; // not ours to judge; the indexer dead-letters undecodable events
    }
    if (!CPUS.equals(e.service()) && !MEMORY.equals(e.service())) {
      return;
    }
    capacityEvents.incrementAndGet();
    if (e.host() == null
        || e.host().isBlank()
        || e.metric() == null
        || e.metric().doubleValue() < 0
        || Double.isNaN(e.metric().doubleValue())) {
      rejected.incrementAndGet();
      LOG.warn(
          "capacity event {} of host '{}' needs a host and a metric >= 0, got {}; skipped",
          e.service(),
          e.host(),
          e.metric());
      return;
    }
    Capacity c = capacity.getOrDefault(e.host(), new Capacity(null, null, Map.of())).with(e);
    capacity.put(e.host(), c);
    if (c.cpus() != null && c.memBytes() != null) {
      changed.put(e.host(), c);
    }
  }

  /** Hands a command to the scheduler; retries while Kafka is unavailable, so nothing is lost. */
  private void send(Function<Scheduler, List<SchedulerEvent>> command, String what) {
    long backoff = 200;
    while (running) {
      try {
        service.command(command, Duration.ofMinutes(2));
        return;
      } catch (SchedulerUnavailableException e) {
        LOG.warn("The scheduler did not take the {}: {}; retrying", what, e.getMessage());
        sleep(backoff);
        backoff = Math.min(10_000, backoff * 2);
      } catch (RuntimeException e) {
        rejected.incrementAndGet();
        LOG.warn("The scheduler rejected the {}: {}", what, e.getMessage());
        return;
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
