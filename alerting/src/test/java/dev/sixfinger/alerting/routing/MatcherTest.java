package dev.sixfinger.alerting.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static final Map<String, String> LABELS =
      Map.of("alertname", "disk-full", "severity", "critical", "mount", "/var");

  @Test
  void parsesTheFourOperatorsInAlertmanagerSyntax() {
    assertThat(Matcher.parse("severity=\"critical\"").matches(LABELS)).isTrue();
    assertThat(Matcher.parse("severity!=\"critical\"").matches(LABELS)).isFalse();
    assertThat(Matcher.parse("severity=~\"critical|warning\"").matches(LABELS)).isTrue();
    assertThat(Matcher.parse("severity!~\"critical|warning\"").matches(LABELS)).isFalse();
    assertThat(Matcher.parse("severity =~ \"warn.*\"").matches(LABELS)).isFalse();
    assertThat(Matcher.parse("alertname=disk-full").matches(LABELS)).isTrue();
  }

  @Test
  void regexesAreAnchored() {
    assertThat(Matcher.parse("severity=~\"crit\"").matches(LABELS)).isFalse();
    assertThat(Matcher.parse("severity=~\"crit.*\"").matches(LABELS)).isTrue();
    assertThat(Matcher.parse("mount=~\"/v\"").matches(LABELS)).isFalse();
  }

  @Test
  void aMissingLabelIsTheEmptyString() {
    assertThat(Matcher.parse("team=\"\"").matches(LABELS)).isTrue();
    assertThat(Matcher.parse("team!=\"platform\"").matches(LABELS)).isTrue();
    assertThat(Matcher.parse("team=~\".+\"").matches(LABELS)).isFalse();
  }

  @Test
  void escapedQuotesInValues() {
    Matcher m = Matcher.parse("summary=\"say \\\"hi\\\"\"");
    assertThat(m.value()).isEqualTo("say \"hi\"");
    assertThat(Matcher.parse(m.toString())).isEqualTo(m);
  }

  @Test
  void badMatchersSayWhatIsWrong() {
    assertThatThrownBy(() -> Matcher.parse("severity")).hasMessageContaining("needs an operator");
    assertThatThrownBy(() -> Matcher.parse("=\"x\"")).hasMessageContaining("label name");
    assertThatThrownBy(() -> Matcher.parse("a=\"x")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> Matcher.parse("a=~\"(\"")).hasMessageContaining("regular expression");
    assertThatThrownBy(() -> Matcher.parse("a=\"x\" b")).hasMessageContaining("text after");
  }

  @Property
  void toStringParsesBackToTheSameMatcher(@ForAll("matchers") Matcher m) {
    assertThat(Matcher.parse(m.toString())).isEqualTo(m);
  }

  @Provide
  Arbitrary<Matcher> matchers() {
    Arbitrary<String> names =
        Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> values = Arbitraries.strings().withChars("abc \"\\\n=~!|,{}").ofMaxLength(12);
    return Combinators.combine(
            names, Arbitraries.of(Matcher.Op.EQUAL, Matcher.Op.NOT_EQUAL), values)
        .as(Matcher::new);
  }
}
