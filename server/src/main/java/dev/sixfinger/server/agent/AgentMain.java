package dev.sixfinger.server.agent;

/**
 * {@code ./sixfinger agent ...} starts here: the agent runs on every host of a cluster, and
 * starting it without Dropwizard's command line keeps about 2,000 classes and over 10 MiB of
 * resident memory out of it (measured in benchmarks/agent/README.md).
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    AgentRunner.run(AgentRunner.parse(args));
  }
}
