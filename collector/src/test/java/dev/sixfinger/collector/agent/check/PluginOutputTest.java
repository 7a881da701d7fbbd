package dev.sixfinger.collector.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PluginOutputTest {

  @Test
  void firstLineIsTheDescriptionAndPerfdataFollowsTheBar() {
    PluginOutput out = PluginOutput.parse("NTP OK: offset 0.01s | offset=0.01s;1;2\n");
    assertThat(out.description()).isEqualTo("NTP OK: offset 0.01s");
    assertThat(out.perfData()).isEqualTo("offset=0.01s;1;2");
    assertThat(out.longText()).isEmpty();
  }

  @Test
  void followsTheMultiLineLayoutOfTheGuidelines() {
    String stdout =
        "DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968\n"
            + "/ 15272 MB (77%);\n"
            + "/boot 68 MB (69%);\n"
            + "/home 69357 MB (27%);\n"
            + "/var/log 819 MB (84%); | /boot=68MB;88;93;0;98\n"
            + "/home=69357MB;253404;253409;0;253414\n"
            + "/var/log=818MB;970;975;0;980\n";
    PluginOutput out = PluginOutput.parse(stdout);
    assertThat(out.description()).isEqualTo("DISK OK - free space: / 3326 MB (56%);");
    assertThat(out.longText())
        .isEqualTo(
            "/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%);");
    assertThat(PerfData.parse(out.perfData()).items())
        .extracting(PerfData.Item::label)
        .containsExactly("/", "/boot", "/home", "/var/log");
  }

  @Test
  void windowsLineEndingsAndNoPerfdata() {
    PluginOutput out = PluginOutput.parse("WARNING: slow\r\nmore\r\n");
    assertThat(out.description()).isEqualTo("WARNING: slow");
    assertThat(out.longText()).isEqualTo("more");
    assertThat(out.perfData()).isEmpty();
  }

  @Test
  void emptyOutput() {
    assertThat(PluginOutput.parse("")).isEqualTo(new PluginOutput("", "", ""));
  }

  @Property
  void arbitraryOutputNeverThrows(@ForAll String stdout) {
    PluginOutput out = PluginOutput.parse(stdout);
    assertThat(out.description()).doesNotContain("\n");
  }
}
