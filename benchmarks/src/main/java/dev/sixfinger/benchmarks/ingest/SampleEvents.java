package dev.sixfinger.benchmarks.ingest;

import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The load: what a node agent sends, one message per host with that host's metrics. Messages are
 * encoded once, before anything is timed, and then sent over and over, so that the client's own
 * encoding cost stays out of the figures.
 */
public final class SampleEvents {
  /** Distinct hosts, hence distinct Kafka keys spread over the partitions of sixfinger.events. */
  public static final int HOSTS = 1000;

  private static final String[] SERVICES = {
    "cpu/user",
    "cpu/system",
    "cpu/iowait",
    "load/load1",
    "memory/used",
    "memory/free",
    "swap/in-rate",
    "disk/sda/util",
    "net/eth0/rx-bytes",
    "net/eth0/tx-bytes"
  };

  /** A fixed time, so that every run sends the same bytes. */
  private static final long BASE_TIME_MICROS = 1_767_225_600_000_000L;

  private SampleEvents() {}

  /** The typical event: one host metric with tags, attributes, a time and a ttl. */
  static Event typical() {
    return event(42, 0, 12.5);
  }

  public static Event event(int host, int index, double metric) {
    String service =
        index < SERVICES.length
            ? SERVICES[index]
            : SERVICES[index % SERVICES.length] + "/" + (index / SERVICES.length);
    return Event.builder()
        .host(String.format(Locale.ROOT, "node-%04d.dc1.example.net", host))
        .service(service)
        .state("ok")
        .metric(metric)
        .tags(List.of("linux", "research"))
        .attribute("rack", String.format(Locale.ROOT, "r%02d", host % 40))
        .attribute("cluster", "research-a")
        .timeMicros(BASE_TIME_MICROS + index)
        .ttl(60f)
        .build();
  }

  /** Pre-encoded Riemann TCP frames (4-byte length, then the Msg), one per host. */
  static List<byte[]> frames(int eventsPerMessage) {
    Random random = new Random(42);
    List<byte[]> frames = new ArrayList<>(HOSTS);
    for (int host = 0; host < HOSTS; host++) {
      RiemannProto.Msg.Builder msg = RiemannProto.Msg.newBuilder();
      for (int i = 0; i < eventsPerMessage; i++) {
        msg.addEvents(RiemannCodec.toProto(event(host, i, random.nextDouble() * 100)));
      }
      byte[] body = msg.build().toByteArray();
      frames.add(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
    }
    return frames;
  }

  /**
   * The mean size of a Kafka record value the gateway writes for these messages (one protobuf
   * Event): the record size given to the baseline.
   */
  static int meanRecordBytes(int eventsPerMessage) {
    Random random = new Random(42);
    long total = 0;
    for (int i = 0; i < eventsPerMessage; i++) {
      total += RiemannCodec.encode(event(42, i, random.nextDouble() * 100)).length;
    }
    return (int) Math.round((double) total / eventsPerMessage);
  }

  /**
   * Text payloads for the baseline's {@code --payload-file} (it takes only UTF-8 lines): the same
   * events as JSON, cut or padded to exactly {@code recordSize} bytes, so that lz4 finds in them
   * about the redundancy it finds in the gateway's protobuf records.
   */
  static List<String> textPayloads(int eventsPerMessage, int recordSize) {
    Random random = new Random(42);
    List<String> lines = new ArrayList<>();
    for (int host = 0; host < 100; host++) {
      for (int i = 0; i < eventsPerMessage; i++) {
        String json = JsonCodec.toJson(event(host, i, random.nextDouble() * 100));
        lines.add(
            json.length() >= recordSize
                ? json.substring(0, recordSize)
                : json + " ".repeat(recordSize - json.length()));
      }
    }
    return lines;
  }
}
