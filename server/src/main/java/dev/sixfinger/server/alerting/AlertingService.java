package dev.sixfinger.server.alerting;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.config.ConfigException;
import dev.sixfinger.alerting.config.ConfigParser;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Dispatcher;
import dev.sixfinger.alerting.dispatch.Notification;
import dev.sixfinger.alerting.nlog.NotificationLog;
import dev.sixfinger.alerting.nlog.NotificationLogEntry;
import dev.sixfinger.alerting.nlog.NotificationLogJson;
import dev.sixfinger.alerting.notify.EmailNotifier;
import dev.sixfinger.alerting.notify.HttpSender;
import dev.sixfinger.alerting.notify.Notifier;
import dev.sixfinger.alerting.notify.Notifiers;
import dev.sixfinger.alerting.notify.NotifyResult;
import dev.sixfinger.alerting.notify.PagerDutyClient;
import dev.sixfinger.alerting.notify.RateLimiter;
import dev.sixfinger.alerting.notify.RetryPolicy;
import dev.sixfinger.alerting.notify.Sleeper;
import dev.sixfinger.alerting.silence.SilenceJson;
import dev.sixfinger.alerting.silence.Silences;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.kafka.LeaderLease;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Clock;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerting in the server: one thread ({@code alerting}) owns the {@link Dispatcher}. It replays
 * {@code sixfinger.notifications}, {@code sixfinger.silences} and {@code sixfinger.alerts} from the
 * beginning, then follows them; the instance that holds the group's lease ({@link LeaderLease})
 * ticks the dispatcher when the next group falls due (at most every {@value #MIN_TICK_MS} ms, at
 * least every {@code tickInterval}) and sends what is due on the {@code alerting-sender-N} pool,
 * groups concurrently; the dispatcher holds a group until its outcome is recorded, so one group's
 * notifications go out one at a time and in order. Outcomes are recorded and written to {@code
 * sixfinger.notifications} (acks=all, idempotent; those that arrived together in one batch) and
 * acknowledged before the next tick, so before the group can be flushed again. A standby follows
 * the same topics without ticking, so that it takes over from the log where the leader stopped:
 * nothing the leader delivered and logged is sent again, and per group at most the one notification
 * in flight when it died is re-sent with the same dedup key (which PagerDuty folds into the same
 * incident).
 *
 * <p>The API (any instance) goes through the loop thread: reads see one consistent state, and
 * silences and acknowledgements are written to the topics, so every instance applies them.
 */
public final class AlertingService implements Managed {
  /**
   * Notifications of different groups sent at once: a storm makes hundreds of groups due together,
   * and each send mostly waits for the receiver's answer.
   */
  static final int SENDER_THREADS = 8;

  /** Groups falling due within this are flushed by one tick. */
  private static final long MIN_TICK_MS = 10;

  private static final Duration GAUGE_INTERVAL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(AlertingService.class);
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration GC_INTERVAL = Duration.ofHours(1);
  private static final int NOTES_PER_ALERT = 100;
  private static final String ACK_PREFIX = "ack|";

  /** What the loop is doing. */
  public enum State {
    STARTING,
    REPLAYING,
    STANDBY,
    LEADING,
    STOPPED,
    FAILED
  }

  private final AlertingFactory factory;
  private final String bootstrapServers;
  private final Map<String, Object> producerExtras;
  private final Clock clock;
  private final Notifier notifierOverride;
  private final Meter sent = new Meter();
  private final Meter failed = new Meter();

  private AlertingConfig config;
  private Silences silences;
  private Dispatcher dispatcher;
  private Notifier notifiers;
  private PagerDutyClient pagerDuty;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private LeaderLease lease;
  private ExecutorService sender;
  private Thread loop;

  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Sent> results = new ConcurrentLinkedQueue<>();
  private final Map<String, Deque<ObjectNode>> notes = new HashMap<>();
  private final Map<String, String> ackKeys = new HashMap<>(); // kafka key -> fingerprint
  private final Map<String, String> lastErrors = new TreeMap<>(); // nlog key -> error
  private final Set<String> seenEntries = new java.util.HashSet<>();
  private boolean errorsChanged;

  private volatile boolean running;
  private volatile State state = State.STARTING;
  private volatile String error;
  private volatile int groupCount;
  private volatile int silenceCount;
  private volatile int alertCount;
  private volatile Map<String, String> unresolvedErrors = Map.of();
  private volatile long undecodable;

  /** A notification and what became of it. */
  private record Sent(Notification n, NotifyResult r) {}

  public AlertingService(
      AlertingFactory factory, String bootstrapServers, Map<String, String> producerExtras) {
    this(factory, bootstrapServers, producerExtras, Clock.system(), null);
  }

  /**
   * @param notifier sends notifications instead of the standard notifiers (tests); null for the
   *     standard ones
   */
  public AlertingService(
      AlertingFactory factory,
      String bootstrapServers,
      Map<String, String> producerExtras,
      Clock clock,
      Notifier notifier) {
    this.factory = factory;
    this.bootstrapServers = bootstrapServers;
    this.producerExtras = new HashMap<>(producerExtras);
    this.clock = clock;
    this.notifierOverride = notifier;
  }

  /**
   * Reads {@code alerting.yml} with the server's overrides (consoleUrl, pagerDutyUrl).
   *
   * @throws IllegalStateException listing every error as {@code file:line:column: message}
   */
  public static AlertingConfig loadConfig(AlertingFactory factory) {
    AlertingConfig parsed;
    try {
      parsed = ConfigParser.parse(factory.configFile());
    } catch (ConfigException e) {
      StringBuilder msg =
          new StringBuilder("the alerting configuration " + factory.configFile() + " has errors:");
      e.errors().forEach(err -> msg.append("\n  ").append(err));
      msg.append(
          "\nFix them and start again (alerting/README.md describes the format), or set"
              + " alerting.enabled: false to run without alerting.");
      throw new IllegalStateException(msg.toString(), e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the alerting configuration "
              + factory.configFile().toAbsolutePath()
              + ": "
              + e
              + ". Set alerting.configFile to an existing file, or alerting.enabled: false.",
          e);
    }
    Map<String, Receiver> receivers = new LinkedHashMap<>();
    parsed
        .receivers()
        .forEach(
            (name, r) -> {
              if (r instanceof Receiver.PagerDuty pd
                  && pd.url().equals(Receiver.PagerDuty.DEFAULT_URL)) {
                r = new Receiver.PagerDuty(pd.name(), pd.routingKey(), factory.pagerDutyUrl());
              }
              receivers.put(name, r);
            });
    URI console = factory.consoleUrl() != null ? factory.consoleUrl() : parsed.externalUrl();
    return new AlertingConfig(
        console, receivers, parsed.route(), parsed.inhibitRules(), parsed.flapping());
  }

  @Override
  public void start() {
    config = loadConfig(factory);
    silences = new Silences(clock);
    dispatcher = new Dispatcher(config, clock, silences, new NotificationLog());
    HttpSender pdHttp =
        HttpSender.standard(
            new RateLimiter(
                factory.pagerDutyBurst(), factory.pagerDutyPerMinute(), System::nanoTime));
    pagerDuty = new PagerDutyClient(pdHttp);
    notifiers =
        notifierOverride != null
            ? notifierOverride
            : new Notifiers(
                pdHttp,
                HttpSender.standard(new RateLimiter(50, 600, System::nanoTime)),
                new EmailNotifier(RetryPolicy.DEFAULT, Sleeper.real()));
    producer =
        new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
    consumer =
        new KafkaConsumer<>(
            consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    AtomicInteger senders = new AtomicInteger();
    sender =
        Executors.newFixedThreadPool(
            SENDER_THREADS,
            r -> {
              Thread t = new Thread(r, "alerting-sender-" + senders.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    running = true;
    loop = new Thread(this::run, "alerting");
    loop.setDaemon(true);
    loop.start();
    LOG.info(
        "Alerting starting: {} receivers, group {}, from {}",
        config.receivers().size(),
        factory.group(),
        factory.configFile());
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (loop != null) {
      loop.join(60_000);
    }
    if (sender != null) {
      sender.shutdownNow();
    }
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> p = new HashMap<>(producerExtras);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sixfinger-alerting-" + factory.group());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return p;
  }

  private Map<String, Object> consumerProps() {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-alerting-reader-" + factory.group());
    return p;
  }

  // ---------------------------------------------------------------- the loop

  private void run() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      for (String topic : List.of(Topics.NOTIFICATIONS, Topics.SILENCES, Topics.ALERTS)) {
        for (PartitionInfo p : awake(() -> consumer.partitionsFor(topic, Duration.ofSeconds(60)))) {
          parts.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      state = State.REPLAYING;
      long t0 = System.nanoTime();
      catchUp(parts);
      LOG.info(
          "Alerting replayed its topics in {} ms: {} alerts, {} silences, {} notification log"
              + " entries",
          (System.nanoTime() - t0) / 1_000_000,
          dispatcher.alerts().size(),
          silences.all().size(),
          dispatcher.notificationLog().size());
      state = State.STANDBY;
      lease = new LeaderLease(bootstrapServers, factory.group(), Map.of());
      boolean leading = false;
      long lastTick = 0;
      long nextGc = System.nanoTime() + GC_INTERVAL.toNanos();
      long nextGauges = 0;
      while (running) {
        runCommands();
        drainResults();
        // Not waiting: its partition is paused, so any wait would be spent idle on every turn.
        boolean leader = lease.poll(Duration.ZERO);
        if (leader && !leading) {
          // Everything the previous leader wrote (and had acknowledged) before it stopped.
          catchUp(parts);
          LOG.info(
              "Alerting: this instance leads group {} and sends notifications", factory.group());
          state = State.LEADING;
          lastTick = System.nanoTime() - factory.tickInterval().toNanos();
        } else if (!leader && leading) {
          LOG.warn("Alerting: lost the lead of group {}; standing by", factory.group());
          state = State.STANDBY;
        }
        leading = leader;
        long now = System.nanoTime();
        if (leading && nanosToTick(now, lastTick) <= 0) {
          tick();
          lastTick = now;
        }
        if (leading && now >= nextGc) {
          collectGarbage();
          nextGc = now + GC_INTERVAL.toNanos();
        }
        if (errorsChanged) {
          publishErrors(); // at once: a refused notification is a visible problem
        }
        if (now >= nextGauges) {
          publishGauges();
          nextGauges = now + GAUGE_INTERVAL.toNanos();
        }
        long wait = POLL.toNanos();
        if (leading) {
          wait = Math.min(wait, nanosToTick(System.nanoTime(), lastTick));
        }
        pollOnce(Duration.ofMillis(Math.max(1, (wait + 999_999) / 1_000_000)));
      }
    } catch (WakeupException e) {
      if (running) {
        fail(e);
      }
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      if (state != State.FAILED) {
        state = State.STOPPED;
      }
      closeQuietly();
    }
  }

  /**
   * How long until the next tick is due: when the earliest group falls due, but not sooner than
   * {@value #MIN_TICK_MS} ms after the last tick (so that groups falling due together are flushed
   * by one tick) and not later than {@code tickInterval} after it.
   */
  private long nanosToTick(long now, long lastTick) {
    long since = now - lastTick;
    long until = factory.tickInterval().toNanos() - since;
    OptionalLong due = dispatcher.nextFlushMicros();
    if (due.isPresent()) {
      until = Math.min(until, (due.getAsLong() - clock.nowMicros()) * 1000);
    }
    return Math.max(until, TimeUnit.MILLISECONDS.toNanos(MIN_TICK_MS) - since);
  }

  private void fail(Exception e) {
    error = e.toString();
    state = State.FAILED;
    LOG.error("Alerting stopped: {}. Notifications are not sent until the server restarts.", e, e);
  }

  private void closeQuietly() {
    if (lease != null) {
      try {
        lease.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the lease", e);
      }
    }
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer", e);
    }
    producer.close(Duration.ofSeconds(5));
  }

  /** Reads the assigned partitions up to their end offsets as of now. */
  private void catchUp(List<TopicPartition> parts) {
    Map<TopicPartition, Long> end = awake(() -> consumer.endOffsets(parts, Duration.ofSeconds(60)));
    while (running) {
      boolean done = true;
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        if (awake(() -> consumer.position(e.getKey())) < e.getValue()) {
          done = false;
          break;
        }
      }
      if (done) {
        return;
      }
      pollOnce(POLL);
      runCommands();
    }
  }

  /**
   * Runs a blocking consumer call again when a {@link KafkaConsumer#wakeup} meant for the poll (a
   * command or a result arrived) interrupted it.
   */
  private <T> T awake(java.util.function.Supplier<T> call) {
    while (true) {
      try {
        return call.get();
      } catch (WakeupException e) {
        if (!running) {
          throw e;
        }
      }
    }
  }

  private void pollOnce(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(timeout);
    } catch (WakeupException e) {
      if (!running) {
        throw e;
      }
      return; // woken for a command or a result
    }
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
      try {
        switch (r.topic()) {
          case Topics.ALERTS -> applyAlert(r);
          case Topics.SILENCES -> {
            if (r.value() == null) {
              silences.remove(key);
            } else {
              silences.apply(SilenceJson.parse(r.value()));
            }
          }
          case Topics.NOTIFICATIONS -> applyNotification(key, r.value());
          default -> {}
        }
      } catch (RuntimeException e) {
        undecodable++;
        LOG.warn(
            "Alerting skips {}-{}@{} (key {}): {}",
            r.topic(),
            r.partition(),
            r.offset(),
            key,
            e.getMessage());
      }
    }
  }

  private void applyAlert(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null || r.headers().lastHeader(Topics.TICK_HEADER) != null) {
      return; // a tick of the rules engine
    }
    EngineRecord rec = RecordJson.parse(r.value());
    if (rec instanceof AlertRecord a) {
      dispatcher.accept(a);
    }
  }

  private void applyNotification(String key, byte[] value) throws IllegalArgumentException {
    if (key.startsWith(ACK_PREFIX)) {
      if (value == null) {
        ackKeys.remove(key);
        return;
      }
      JsonNode n;
      try {
        n = MAPPER.readTree(value);
      } catch (IOException e) {
        throw new IllegalArgumentException("not a JSON acknowledgement: " + e.getMessage(), e);
      }
      String fp = n.path("fingerprint").asText();
      ackKeys.put(key, fp);
      if (seenEntries.add(key + "@" + n.path("at").asText())) {
        ObjectNode note = MAPPER.createObjectNode();
        note.put("at", n.path("at").asText());
        note.put("kind", "acknowledged");
        note.put("receiver", n.path("receiver").asText());
        note.put("by", n.path("by").asText());
        note.put("outcome", n.path("outcome").asText());
        note(fp, note);
      }
      return;
    }
    if (value == null) {
      dispatcher.notificationLog().remove(key);
      lastErrors.remove(key);
      errorsChanged = true;
      return;
    }
    NotificationLogEntry e = NotificationLogJson.parse(value);
    dispatcher.notificationLog().apply(e);
    noteEntry(e);
  }

  /** Adds what an entry says to the history of the alerts it names, once per entry. */
  private void noteEntry(NotificationLogEntry e) {
    if (!seenEntries.add(e.key() + "@" + e.attemptedAtMicros())) {
      return;
    }
    String at = JsonCodec.formatMicros(e.attemptedAtMicros());
    if (e.outcome().equals(NotificationLogEntry.SENT)) {
      lastErrors.remove(e.key());
      errorsChanged = true;
      for (String fp : e.firing()) {
        note(fp, entryNote(e, at, "notified-firing"));
      }
      for (String fp : e.resolved()) {
        note(fp, entryNote(e, at, "notified-resolved"));
      }
    } else {
      lastErrors.put(e.key(), e.outcome());
      errorsChanged = true;
      List<String> fps = new ArrayList<>(e.firing());
      for (Dispatcher.GroupView g : dispatcher.groups()) {
        if (g.key().equals(e.groupKey()) && g.receiver().equals(e.receiver())) {
          g.fingerprints().stream().filter(f -> !fps.contains(f)).forEach(fps::add);
        }
      }
      for (String fp : fps) {
        note(fp, entryNote(e, at, "notification-failed"));
      }
    }
    if (seenEntries.size() > 200_000) {
      seenEntries.clear(); // only guards against echoes of recent entries
    }
  }

  private static ObjectNode entryNote(NotificationLogEntry e, String at, String kind) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("at", at);
    n.put("kind", kind);
    n.put("receiver", e.receiver());
    n.put("groupKey", e.groupKey());
    n.put("dedupKey", e.dedupKey());
    n.put("outcome", e.outcome());
    return n;
  }

  private void note(String fp, ObjectNode n) {
    Deque<ObjectNode> d = notes.computeIfAbsent(fp, f -> new ArrayDeque<>());
    d.addLast(n);
    while (d.size() > NOTES_PER_ALERT) {
      d.removeFirst();
    }
  }

  private void tick() {
    for (Notification n : dispatcher.tick(clock.nowMicros())) {
      sender.execute(
          () -> {
            NotifyResult r;
            try {
              r = notifiers.notify(n);
            } catch (RuntimeException e) {
              r = NotifyResult.failed(0, 0, "notifier error: " + e);
            }
            results.add(new Sent(n, r));
            consumer.wakeup();
          });
    }
  }

  private void drainResults() {
    List<NotificationLogEntry> entries = new ArrayList<>();
    for (Sent s; (s = results.poll()) != null; ) {
      NotifyResult r = s.r();
      NotificationLogEntry e = dispatcher.recordResult(s.n(), r.delivered(), r.detail());
      if (r.delivered()) {
        sent.mark();
      } else {
        failed.mark();
        LOG.warn(
            "Notification to {} for group {} failed: {}", e.receiver(), e.groupKey(), r.detail());
      }
      noteEntry(e);
      entries.add(e);
    }
    // All acknowledged before this thread ticks again, so no group is flushed anew before its
    // last notification is in the log; sent together, they cost one round trip, not one each.
    writeEntries(entries);
  }

  /** Writes notification log entries at once and waits for the broker's acknowledgement of each. */
  private void writeEntries(List<NotificationLogEntry> entries) {
    List<byte[]> values = new ArrayList<>(entries.size());
    List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
    for (NotificationLogEntry e : entries) {
      byte[] value = NotificationLogJson.toBytes(e);
      values.add(value);
      acks.add(producer.send(record(Topics.NOTIFICATIONS, e.key(), value)));
    }
    for (int i = 0; i < entries.size(); i++) {
      try {
        acks.get(i).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted writing to " + Topics.NOTIFICATIONS, ex);
      } catch (ExecutionException | TimeoutException ex) {
        // That one again, alone, until the broker acknowledges it.
        write(Topics.NOTIFICATIONS, entries.get(i).key(), values.get(i));
      }
    }
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** Writes one record and waits for the broker's acknowledgement, retrying until it has it. */
  private void write(String topic, String key, byte[] value) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer
            .send(record(topic, key, value))
            .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (error != null && error.startsWith("cannot write")) {
          error = null;
        }
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted writing to " + topic, e);
      } catch (ExecutionException | TimeoutException e) {
        error = "cannot write to " + topic + " (attempt " + attempt + "): " + e;
        LOG.error("Alerting {}; retrying. Is Kafka at {} up?", error, bootstrapServers);
        if (!running) {
          throw new IllegalStateException(error, e);
        }
      }
    }
  }

  private void collectGarbage() {
    long now = clock.nowMicros();
    for (String key : dispatcher.collectGarbage(now)) {
      write(Topics.NOTIFICATIONS, key, null);
    }
    for (String id : silences.garbage(now, factory.silenceRetention())) {
      silences.remove(id);
      write(Topics.SILENCES, id, null);
    }
    for (Map.Entry<String, String> e : new ArrayList<>(ackKeys.entrySet())) {
      if (dispatcher.alerts().get(e.getValue()).isEmpty()) {
        ackKeys.remove(e.getKey());
        write(Topics.NOTIFICATIONS, e.getKey(), null);
      }
    }
    notes.keySet().removeIf(fp -> dispatcher.alerts().get(fp).isEmpty());
  }

  private void publishGauges() {
    groupCount = dispatcher.groups().size();
    long now = clock.nowMicros();
    silenceCount = (int) silences.all().stream().filter(s -> s.activeAt(now)).count();
    alertCount = dispatcher.alerts().size();
  }

  private void publishErrors() {
    errorsChanged = false;
    Map<String, String> errors = new TreeMap<>();
    lastErrors.forEach(
        (k, v) -> {
          if (isRequestError(v)) {
            errors.put(k, v);
          }
        });
    unresolvedErrors = Map.copyOf(errors);
  }

  /** A final answer from the receiver that retrying cannot fix (PagerDuty's 400). */
  static boolean isRequestError(String outcome) {
    return outcome.matches("failed: PagerDuty answered 4(?!29)\\d\\d.*");
  }

  private void runCommands() {
    for (Runnable r; (r = commands.poll()) != null; ) {
      r.run();
    }
  }

  // ---------------------------------------------------------------- for the API

  /** The view the API reads, on the loop thread. */
  public final class View {
    private View() {}

    public Dispatcher dispatcher() {
      return dispatcher;
    }

    public Silences silences() {
      return silences;
    }

    public long nowMicros() {
      return clock.nowMicros();
    }

    public List<ObjectNode> notes(String fingerprint) {
      Deque<ObjectNode> d = notes.get(fingerprint);
      return d == null ? List.of() : List.copyOf(d);
    }

    public Map<String, String> lastErrors() {
      return Map.copyOf(lastErrors);
    }

    public State state() {
      return state;
    }

    /** Writes a record (waits for Kafka's acknowledgement). */
    public void write(String topic, String key, byte[] value) {
      AlertingService.this.write(topic, key, value);
    }

    /** Records an acknowledgement in the history of every instance. */
    public void recordAck(String fingerprint, String receiver, String by, String outcome) {
      ObjectNode n = MAPPER.createObjectNode();
      n.put("v", 1);
      n.put("type", "ack");
      n.put("fingerprint", fingerprint);
      n.put("receiver", receiver);
      n.put("by", by);
      n.put("outcome", outcome);
      n.put("at", JsonCodec.formatMicros(clock.nowMicros()));
      String key = ACK_PREFIX + fingerprint + "|" + receiver;
      byte[] bytes;
      try {
        bytes = MAPPER.writeValueAsBytes(n);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      write(Topics.NOTIFICATIONS, key, bytes);
      applyNotification(key, bytes);
    }
  }

  /**
   * Runs {@code f} on the loop thread and returns its result.
   *
   * @throws IllegalStateException when alerting is not running or does not answer within 30 s
   */
  public <T> T call(Function<View, T> f) {
    if (state == State.FAILED || state == State.STOPPED || !running) {
      throw new IllegalStateException(
          "alerting is "
              + state.name().toLowerCase(java.util.Locale.ROOT)
              + (error == null ? "" : ": " + error));
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    View v = new View();
    commands.add(
        () -> {
          try {
            out.complete(f.apply(v));
          } catch (RuntimeException e) {
            out.completeExceptionally(e);
          }
        });
    consumer.wakeup();
    try {
      return out.get(WRITE_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "alerting did not answer within 35 s (it is " + state + "); try again", e);
    }
  }

  /** PagerDuty's client, for acknowledgements (thread-safe; call it off the loop thread). */
  public PagerDutyClient pagerDuty() {
    return pagerDuty;
  }

  public AlertingConfig config() {
    return config;
  }

  public State state() {
    return state;
  }

  public String lastError() {
    return error;
  }

  /** Notifications sent and failed since start (this instance). */
  public long sentCount() {
    return sent.getCount();
  }

  public long failedCount() {
    return failed.getCount();
  }

  public void registerMetrics(MetricRegistry metrics) {
    metrics.register("alerting.notifications.sent", sent);
    metrics.register("alerting.notifications.failed", failed);
    metrics.register("alerting.groups", (Gauge<Integer>) () -> groupCount);
    metrics.register("alerting.silences.active", (Gauge<Integer>) () -> silenceCount);
    metrics.register("alerting.alerts", (Gauge<Integer>) () -> alertCount);
    metrics.register("alerting.leader", (Gauge<Boolean>) () -> state == State.LEADING);
    metrics.register("alerting.undecodable", (Gauge<Long>) () -> undecodable);
  }

  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      protected Result check() {
        State s = state;
        if (s == State.FAILED || s == State.STOPPED) {
          return Result.unhealthy("alerting is %s: %s", s, error);
        }
        Map<String, String> errors = unresolvedErrors;
        if (!errors.isEmpty()) {
          StringBuilder b = new StringBuilder();
          errors.forEach((k, v) -> b.append("\n  ").append(k).append(": ").append(v));
          return Result.unhealthy(
              "%d notification(s) refused by the receiver and not retried; fix the receiver"
                  + " (routing key, payload) in alerting.yml:%s",
              errors.size(), b);
        }
        if (error != null) {
          return Result.unhealthy("alerting: %s", error);
        }
        return switch (s) {
          case LEADING ->
              Result.healthy("leading: %d groups, %d silences active", groupCount, silenceCount);
          case STANDBY -> Result.healthy("standby: another instance of the group sends");
          default -> Result.healthy("%s", s.name().toLowerCase(java.util.Locale.ROOT));
        };
      }
    };
  }
}
