package dev.sixfinger.server.cli;

import dev.sixfinger.rules.ruletest.TestRules;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code ./sixfinger test-rules DIR}: runs the rule tests of {@code DIR/tests/*.yml}. */
public final class TestRulesCommand extends Command {

  public TestRulesCommand() {
    super(
        "test-rules",
        "Run the rule tests in DIR/tests/*.yml against the rules of DIR on a manual clock");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser
        .addArgument("dir")
        .nargs("?")
        .setDefault("config/rules")
        .help("directory of *.yml rule files, with the tests in DIR/tests (default: config/rules)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) {
    int status = TestRules.run(Path.of(ns.getString("dir")), System.out);
    if (status != 0) {
      // Dropwizard's Cli has no exit code for a command that completes; exiting is the contract.
      System.exit(status);
    }
  }
}
