package dev.sixfinger.server.agent;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code java -jar sixfinger.jar agent [agent.yml]}: the node agent, or with {@code --simulate N} a
 * fleet of N virtual hosts. The launcher starts {@link AgentMain} instead, which is the same
 * without Dropwizard's start-up cost in memory.
 */
public final class AgentCommand extends Command {

  public AgentCommand() {
    super("agent", AgentRunner.DESCRIPTION);
  }

  @Override
  public void configure(Subparser subparser) {
    AgentRunner.addArguments(subparser);
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
    AgentRunner.run(ns);
  }
}
