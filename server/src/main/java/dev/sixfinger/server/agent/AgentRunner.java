package dev.sixfinger.server.agent;

import dev.sixfinger.collector.agent.Agent;
import dev.sixfinger.collector.agent.AgentConfig;
import dev.sixfinger.collector.agent.FleetRunner;
import dev.sixfinger.collector.agent.simulator.FleetSimulator;
import dev.sixfinger.collector.agent.simulator.Scenario;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.core.time.Durations;
import dev.sixfinger.server.cli.CommandLogging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.sourceforge.argparse4j.ArgumentParsers;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.ArgumentParser;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * The agent's arguments and its run loop, free of Dropwizard: {@link AgentMain} starts it directly
 * (the launcher does, to keep the agent's memory small on every host) and {@link AgentCommand}
 * through Dropwizard's command line.
 */
final class AgentRunner {
  static final String DESCRIPTION = "Run the node agent (or a simulated fleet with --simulate N)";
  private static final Path DEFAULT_CONFIG = Path.of("config", "agent.yml");

  private AgentRunner() {}

  static void addArguments(ArgumentParser parser) {
    parser
        .addArgument("file")
        .nargs("?")
        .help("agent configuration (default: config/agent.yml if it exists, else the defaults)");
    parser
        .addArgument("--simulate")
        .metavar("N")
        .type(Integer.class)
        .help("simulate N hosts instead of sampling this one");
    parser
        .addArgument("--scenario")
        .action(Arguments.append())
        .metavar("KIND:COUNT@OFFSET")
        .help(
            "with --simulate: a fault to switch on, e.g. swap-storm:25%@60s or host-silent:2@30s"
                + " (kinds: swap-storm, host-silent, disk-full, load-spike, d-state,"
                + " check-failing); repeatable");
    parser.addArgument("--seed").type(Long.class).setDefault(1L).help("simulator seed");
    parser
        .addArgument("--endpoint")
        .action(Arguments.append())
        .metavar("HOST:PORT")
        .help("Riemann endpoint, overrides the file's endpoints; repeatable");
    parser.addArgument("--interval").help("sampling interval, e.g. 10s (overrides the file)");
    parser.addArgument("--spool-dir").help("spool directory (overrides the file)");
    parser
        .addArgument("--run-for")
        .help("stop after this long, e.g. 10m (default: run until stopped)");
  }

  /** Parses {@code args} as {@code sixfinger agent} would; prints help or errors and exits. */
  static Namespace parse(String[] args) {
    ArgumentParser parser =
        ArgumentParsers.newFor("sixfinger agent").build().description(DESCRIPTION);
    addArguments(parser);
    return parser.parseArgsOrFail(args);
  }

  /** Runs the agent or the simulated fleet until stopped or for {@code --run-for}. */
  static void run(Namespace ns) throws Exception {
    CommandLogging.progressToConsole();
    AgentConfig config = config(ns);
    Duration runFor =
        ns.getString("run_for") == null
            ? null
            : Durations.parse(ns.getString("run_for"), "--run-for");
    AutoCloseable running;
    Integer simulate = ns.getInt("simulate");
    if (simulate != null) {
      List<Scenario> scenarios = new ArrayList<>();
      List<String> texts = ns.getList("scenario");
      if (texts != null) {
        texts.forEach(t -> scenarios.add(Scenario.parse(t)));
      }
      FleetRunner fleet =
          new FleetRunner(
              new FleetSimulator(simulate, scenarios, ns.getLong("seed")), config, Clock.system());
      fleet.start();
      running = fleet;
    } else {
      Agent agent = Agent.create(config, Clock.system());
      agent.start();
      running = agent;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeQuietly(running);
                  stopped.countDown();
                },
                "agent-shutdown"));
    if (runFor != null) {
      stopped.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
      closeQuietly(running);
    } else {
      stopped.await();
    }
  }

  private static AgentConfig config(Namespace ns) throws IOException {
    String file = ns.getString("file");
    AgentConfig config;
    if (file != null) {
      config = AgentConfig.load(Path.of(file));
    } else if (Files.exists(DEFAULT_CONFIG)) {
      config = AgentConfig.load(DEFAULT_CONFIG);
    } else {
      config = AgentConfig.defaults();
    }
    List<String> endpoints = ns.getList("endpoint");
    if (endpoints != null && !endpoints.isEmpty()) {
      config = config.withEndpoints(endpoints);
    }
    if (ns.getString("interval") != null) {
      config = config.withInterval(Durations.parse(ns.getString("interval"), "--interval"));
    }
    if (ns.getString("spool_dir") != null) {
      config = config.withSpoolDir(Path.of(ns.getString("spool_dir")));
    }
    return config;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("agent: error while stopping: " + e);
    }
  }
}
