package dev.sixfinger.server.cli;

import dev.sixfinger.server.kibana.KibanaImporter;
import dev.sixfinger.server.kibana.KibanaObjects;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.time.Duration;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code ./sixfinger dashboards install --kibana URL}: imports the Kibana saved objects. */
public final class DashboardsCommand extends Command {

  public DashboardsCommand() {
    super(
        "dashboards",
        "Install the Kibana data views, searches, Lens visualizations and dashboards");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("install").help("install: import them into Kibana");
    subparser
        .addArgument("--kibana")
        .required(true)
        .metavar("URL")
        .help("Kibana's base URL, e.g. http://localhost:5601");
    subparser
        .addArgument("--space")
        .metavar("SPACE")
        .help("Kibana space (default: the default space)");
    subparser
        .addArgument("--overwrite")
        .type(Arguments.booleanType())
        .setDefault(true)
        .metavar("true|false")
        .help("replace objects that exist already");
    subparser
        .addArgument("--timeout")
        .type(Integer.class)
        .setDefault(30)
        .metavar("SECONDS")
        .help("how long to wait for Kibana");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
    int status =
        new KibanaImporter(Duration.ofSeconds(ns.getInt("timeout")))
            .install(
                ns.getString("kibana"),
                ns.getString("space"),
                ns.getBoolean("overwrite"),
                KibanaObjects.ndjson(),
                System.out,
                System.err);
    if (status != 0) {
      // Dropwizard's Cli has no exit code for a command that completes; exiting is the contract.
      System.exit(status);
    }
  }
}
