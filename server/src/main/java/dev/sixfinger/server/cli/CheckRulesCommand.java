package dev.sixfinger.server.cli;

import dev.sixfinger.rules.config.CheckRules;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code ./sixfinger check-rules DIR}: validates rule files, printing every error. */
public final class CheckRulesCommand extends Command {

  public CheckRulesCommand() {
    super("check-rules", "Check rule files: print every error as file:line:column and fail");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser
        .addArgument("dir")
        .nargs("?")
        .setDefault("config/rules")
        .help("directory of *.yml rule files (default: config/rules)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) {
    int status = CheckRules.run(Path.of(ns.getString("dir")), System.out);
    if (status != 0) {
      // Dropwizard's Cli has no exit code for a command that completes; exiting is the contract.
      System.exit(status);
    }
  }
}
