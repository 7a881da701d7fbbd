package dev.sixfinger.collector.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.collector.agent.check.PerfData.Item;
import dev.sixfinger.collector.agent.check.PerfData.Parsed;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PerfDataTest {

  @Test
  void readsAllFieldsOfAnItem() {
    Parsed p = PerfData.parse("time=0.5s;1;2;0;10");
    assertThat(p.items()).containsExactly(new Item("time", 0.5, "s", "1", "2", "0", "10"));
    assertThat(p.malformed()).isEmpty();
  }

  @Test
  void integersStayIntegersAndOptionalFieldsMayBeEmpty() {
    Parsed p = PerfData.parse("users=3;;5 load1=0.12;;;0");
    assertThat(p.items())
        .containsExactly(
            new Item("users", 3L, null, null, "5", null, null),
            new Item("load1", 0.12, null, null, null, "0", null));
  }

  @Test
  void readsTheUnitsOfTheGuidelinesAndOthers() {
    Parsed p = PerfData.parse("a=1s b=2ms c=3us d=99% e=10B f=10KB g=1.5MB h=2TB i=12345c j=5KiB");
    assertThat(p.items())
        .extracting(Item::unit)
        .containsExactly("s", "ms", "us", "%", "B", "KB", "MB", "TB", "c", "KiB");
    assertThat(p.items())
        .extracting(Item::value)
        .containsExactly(1L, 2L, 3L, 99L, 10L, 10L, 1.5, 2L, 12345L, 5L);
  }

  @Test
  void quotedLabelsMayHoldSpacesEqualsSignsAndDoubledQuotes() {
    Parsed p = PerfData.parse("'/var free'=80%;90;95 'it''s'=1 'a=b'=2");
    assertThat(p.items()).extracting(Item::label).containsExactly("/var free", "it's", "a=b");
    assertThat(p.items().get(0).unit()).isEqualTo("%");
  }

  @Test
  void acceptsSignsExponentsCommaDecimalsAndUndetermined() {
    Parsed p = PerfData.parse("a=-3 b=+4 c=1.5e3 d=0,25 e=.5 f=U g=U;1;2");
    assertThat(p.items())
        .extracting(Item::value)
        .containsExactly(-3L, 4L, 1500.0, 0.25, 0.5, null, null);
    assertThat(p.items().get(6).warn()).isEqualTo("1");
  }

  @Test
  void keepsRangesAsWritten() {
    Parsed p = PerfData.parse("x=5;@10:20;~:30");
    assertThat(p.items().get(0).warn()).isEqualTo("@10:20");
    assertThat(p.items().get(0).crit()).isEqualTo("~:30");
  }

  @Test
  void setsMalformedItemsAsideAndReadsTheRest() {
    Parsed p = PerfData.parse("ok1=1 noequals =5 a= b=abc c=1;2;3;4;5;6 d =1 ''=3 ok2=2 'open=1");
    assertThat(p.items()).extracting(Item::label).containsExactly("ok1", "ok2");
    assertThat(p.malformed())
        .containsExactly(
            "noequals", "=5", "a=", "b=abc", "c=1;2;3;4;5;6", "d", "=1", "''=3", "'open=1");
  }

  @Test
  void hugeNumbersBecomeDoubles() {
    Parsed p = PerfData.parse("big=123456789012345678901234567890");
    assertThat(p.items().get(0).value()).isEqualTo(1.2345678901234568e29);
  }

  @Test
  void dropsItemsBeyondTheLimitAndCountsThem() {
    String many =
        IntStream.range(0, 150).mapToObj(i -> "m" + i + "=" + i).collect(Collectors.joining(" "));
    Parsed p = PerfData.parse(many);
    assertThat(p.items()).hasSize(PerfData.MAX_ITEMS);
    assertThat(p.overLimit()).isEqualTo(50);
  }

  @Test
  void emptyAndNullGiveNothing() {
    assertThat(PerfData.parse("   ").items()).isEmpty();
    assertThat(PerfData.parse(null).items()).isEmpty();
  }

  @Property
  void arbitraryStringsNeverThrow(@ForAll String text) {
    Parsed p = PerfData.parse(text);
    assertThat(p.items().size() + p.malformed().size() + p.overLimit())
        .isLessThanOrEqualTo(text.length());
  }

  @Property
  void perfdataLikeStringsNeverThrow(
      @ForAll
          @Chars({'\'', '=', ';', ' ', '|', '\n', 'a', '1', '.', ',', '-', '%', 'e', 'U'})
          @Size(max = 60)
          String text) {
    PerfData.parse(text);
  }

  @Property
  void wellFormedItemsReadBack(@ForAll("items") List<Item> items) {
    String text =
        items.stream()
            .map(
                i ->
                    "'"
                        + i.label().replace("'", "''")
                        + "'="
                        + i.value()
                        + Objects.toString(i.unit(), "")
                        + ";"
                        + i.warn())
            .collect(Collectors.joining(" "));
    assertThat(PerfData.parse(text).items()).containsExactlyElementsOf(items);
  }

  @Provide
  Arbitrary<List<Item>> items() {
    Arbitrary<String> labels =
        Arbitraries.strings().withChars("ab /'=:_-").ofMinLength(1).ofMaxLength(12);
    Arbitrary<Long> values = Arbitraries.longs();
    Arbitrary<String> units = Arbitraries.of("", "s", "ms", "%", "B", "KB", "c");
    Arbitrary<String> warns = Arbitraries.of("10", "@1:2", "~:5");
    return Combinators.combine(labels, values, units, warns)
        .as((l, v, u, w) -> new Item(l, v, u.isEmpty() ? null : u, w, null, null, null))
        .list()
        .ofMaxSize(5);
  }
}
