package dev.sixfinger.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The TCP path on an in-memory channel, with a sink whose acknowledgements the test controls. */
class RiemannTcpHandlerTest {

  /** Holds each publish until the test completes it. */
  static final class ControlledSink implements EventSink {
    final List<List<Event>> published = new ArrayList<>();
    final List<CompletableFuture<Void>> pending = new ArrayList<>();

    @Override
    public CompletableFuture<Void> publish(List<Event> events) {
      published.add(events);
      CompletableFuture<Void> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }
  }

  private final IngestMetrics metrics = new IngestMetrics();
  private final ControlledSink sink = new ControlledSink();

  private EmbeddedChannel channel(int maxFrame, long maxInflight) {
    InflightLimiter limiter = new InflightLimiter(maxInflight, metrics);
    MessageProcessor processor =
        new MessageProcessor(sink, null, limiter, metrics, () -> 1_000_000L, 60f);
    return new EmbeddedChannel(
        new RiemannFrameDecoder(maxFrame),
        new RiemannTcpHandler(processor, metrics, new java.util.concurrent.atomic.AtomicInteger()));
  }

  private static ByteBuf frame(RiemannProto.Msg msg) {
    byte[] body = msg.toByteArray();
    return Unpooled.buffer().writeInt(body.length).writeBytes(body);
  }

  private static RiemannProto.Msg msg(String host) {
    return RiemannProto.Msg.newBuilder()
        .addEvents(RiemannCodec.toProto(Event.builder().host(host).build()))
        .build();
  }

  private static List<RiemannProto.Msg> replies(EmbeddedChannel ch) throws Exception {
    List<RiemannProto.Msg> out = new ArrayList<>();
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      all.writeBytes(b);
      b.release();
    }
    while (all.readableBytes() >= 4) {
      int length = all.readInt();
      byte[] body = new byte[length];
      all.readBytes(body);
      out.add(RiemannProto.Msg.parseFrom(body));
    }
    assertThat(all.readableBytes()).as("no partial reply").isZero();
    return out;
  }

  @Test
  void repliesComeInMessageOrderWhateverOrderKafkaAnswersIn() throws Exception {
    EmbeddedChannel ch = channel(1024, 1 << 20);
    ch.writeInbound(frame(msg("a")), frame(msg("b")), frame(msg("c")));
    assertThat(sink.published).hasSize(3);
    assertThat(replies(ch)).as("nothing before Kafka answers").isEmpty();

    sink.pending.get(2).complete(null);
    sink.pending.get(1).completeExceptionally(new IllegalStateException("broker down"));
    ch.runPendingTasks();
    assertThat(replies(ch)).as("b and c wait for a").isEmpty();

    sink.pending.get(0).complete(null);
    ch.runPendingTasks();
    List<RiemannProto.Msg> replies = replies(ch);
    assertThat(replies).extracting(RiemannProto.Msg::getOk).containsExactly(true, false, true);
    assertThat(replies.get(1).getError()).contains("broker down");
  }

  @Test
  void eventsGetTheReceiveTimeAndTheDefaultTtl() {
    EmbeddedChannel ch = channel(1024, 1 << 20);
    ch.writeInbound(frame(msg("a")));
    Event e = sink.published.get(0).get(0);
    assertThat(e.timeMicros()).isEqualTo(1_000_000L);
    assertThat(e.ttl()).isEqualTo(60f);
  }

  @Test
  void readingPausesAboveTheInflightLimitAndResumesWhenDrained() {
    RiemannProto.Msg m = msg("host-with-a-long-name");
    int size = frame(m).readableBytes();
    EmbeddedChannel ch = channel(1024, size * 3L);
    for (int i = 0; i < 4; i++) {
      ch.writeInbound(frame(m));
    }
    assertThat(ch.config().isAutoRead()).as("paused over the limit").isFalse();
    assertThat(metrics.readPauses.sum()).isEqualTo(1);

    sink.pending.get(0).complete(null);
    ch.runPendingTasks();
    assertThat(ch.config().isAutoRead()).as("still above half").isFalse();
    sink.pending.get(1).complete(null);
    sink.pending.get(2).complete(null);
    ch.runPendingTasks();
    assertThat(ch.config().isAutoRead()).as("resumed below half").isTrue();
  }

  @Test
  void tooLongFrameIsAnsweredThenTheConnectionCloses() throws Exception {
    EmbeddedChannel ch = channel(16, 1 << 20);
    ch.writeInbound(frame(msg("a")).writeBytes(Unpooled.buffer().writeInt(17).writeZero(17)));
    sink.pending.get(0).complete(null);
    ch.runPendingTasks();
    List<RiemannProto.Msg> replies = replies(ch);
    assertThat(replies).hasSize(2);
    assertThat(replies.get(0).getOk()).isTrue();
    assertThat(replies.get(1).getError())
        .isEqualTo(
            "message of 17 bytes exceeds the maximum of 16 bytes (ingest.maxFrameSize);"
                + " closing the connection");
    assertThat(ch.isOpen()).isFalse();
    assertThat(metrics.tcpFramesTooLong.sum()).isEqualTo(1);
  }

  @Test
  void queriesWithoutAnIndexAreRefused() throws Exception {
    EmbeddedChannel ch = channel(1024, 1 << 20);
    ch.writeInbound(
        frame(
            RiemannProto.Msg.newBuilder()
                .setQuery(RiemannProto.Query.newBuilder().setString("true"))
                .build()));
    sink.pending.get(0).complete(null);
    ch.runPendingTasks();
    assertThat(replies(ch).get(0).getError()).contains("queries are not served here");
  }

  /** Whatever bytes arrive, the handler answers with well-formed replies or closes; no crash. */
  @Property(tries = 500)
  void arbitraryBytesNeverBreakTheHandler(@ForAll @Size(max = 200) List<byte[]> chunks)
      throws Exception {
    EmbeddedChannel ch = channel(64, 1 << 20);
    for (byte[] chunk : chunks) {
      if (!ch.isOpen()) {
        break;
      }
      ch.writeInbound(Unpooled.wrappedBuffer(chunk));
    }
    sink.pending.forEach(f -> f.complete(null));
    ch.runPendingTasks();
    for (RiemannProto.Msg reply : replies(ch)) {
      assertThat(reply.getOk() || !reply.getError().isEmpty()).isTrue();
    }
    ch.finishAndReleaseAll();
  }

  /**
   * Valid pipelined frames with a few bytes flipped: still one well-formed reply each, or a close.
   */
  @Property(tries = 500)
  void mutatedFramesGetOneReplyEachOrClose(
      @ForAll @Size(min = 1, max = 8) List<@net.jqwik.api.constraints.AlphaChars String> hosts,
      @ForAll @Size(max = 4) List<Integer> positions,
      @ForAll byte value)
      throws Exception {
    ByteBuf stream = Unpooled.buffer();
    hosts.forEach(h -> stream.writeBytes(frame(msg(h))));
    for (int p : positions) {
      stream.setByte(Math.floorMod(p, stream.writerIndex()), value);
    }
    EmbeddedChannel ch = channel(1024, 1 << 20);
    ch.writeInbound(stream);
    sink.pending.forEach(f -> f.complete(null));
    ch.runPendingTasks();
    List<RiemannProto.Msg> replies = replies(ch);
    if (ch.isOpen()) {
      assertThat(replies.size()).isLessThanOrEqualTo(hosts.size());
    }
    for (RiemannProto.Msg reply : replies) {
      assertThat(reply.getOk() || !reply.getError().isEmpty()).isTrue();
    }
    ch.finishAndReleaseAll();
  }
}
