package dev.sixfinger.scheduler.rebalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.Host;
import dev.sixfinger.scheduler.rebalancer.Rebalancer.Decision;
import dev.sixfinger.scheduler.rebalancer.Rebalancer.Running;
import dev.sixfinger.scheduler.rebalancer.Rebalancer.Starved;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalancerTest {
  private static final RebalancerConfig ON = new RebalancerConfig(true, 1.0, 0.5, 10, 10);
  private static final Resources FOUR = Resources.of(4, 4096, 0);

  private static Host full(String name) {
    return new Host(name, Resources.of(8, 8192, 0), Map.of(), Resources.of(8, 8192, 0));
  }

  private static Starved starved(String user, double cpus, double score) {
    Job j = Job.builder("want-" + user, user, "c").cpus(cpus).memMib((long) (cpus * 1024)).build();
    return new Starved(j, score, Set.of());
  }

  @Test
  void preemptsTheHighestScoringTasksOfOtherUsersOnOneHost() {
    List<Running> running =
        List.of(
            new Running("a1", "hog", "h1", FOUR, 2.0),
            new Running("a2", "hog", "h1", FOUR, 3.0),
            new Running("b1", "hog", "h2", FOUR, 5.0),
            new Running("b2", "mid", "h2", FOUR, 1.2));
    List<Decision> d =
        Rebalancer.decide(
            ON,
            List.of(starved("poor", 4, 0.1)),
            running,
            List.of(full("h1"), full("h2")),
            h -> true);
    // One victim suffices on either host; h2's is furthest over its share.
    assertThat(d).containsExactly(new Decision("h2", "want-poor", List.of("b1")));
  }

  @Test
  void victimsComeFromASingleHostAndEnoughAreTakenToFit() {
    List<Running> running =
        List.of(
            new Running("a1", "hog", "h1", FOUR, 2.0), new Running("a2", "hog", "h1", FOUR, 3.0));
    List<Decision> d =
        Rebalancer.decide(
            ON, List.of(starved("poor", 8, 0.1)), running, List.of(full("h1")), h -> true);
    assertThat(d).containsExactly(new Decision("h1", "want-poor", List.of("a2", "a1")));
  }

  @Test
  void safeThresholdMinDiffOwnTasksAndHealthProtectVictims() {
    List<Running> running =
        List.of(
            new Running("safe", "hog", "h1", FOUR, 0.9), // within its share
            new Running("close", "hog", "h2", FOUR, 1.3), // only 0.3 above the starved job's 1.0
            new Running("own", "poor", "h3", FOUR, 5.0), // the starved user's own task
            new Running("cordoned", "hog", "h4", FOUR, 9.0)); // host takes no new work
    List<Decision> d =
        Rebalancer.decide(
            ON,
            List.of(starved("poor", 4, 1.0)),
            running,
            List.of(full("h1"), full("h2"), full("h3"), full("h4")),
            h -> !h.equals("h4"));
    assertThat(d).isEmpty();
  }

  @Test
  void offUnlessConfiguredAndBoundedByMaxPreemption() {
    List<Running> running =
        List.of(
            new Running("a1", "hog", "h1", FOUR, 2.0), new Running("a2", "hog", "h2", FOUR, 3.0));
    List<Host> hosts = List.of(full("h1"), full("h2"));
    List<Starved> two = List.of(starved("p1", 4, 0.1), starved("p2", 4, 0.2));
    assertThat(Rebalancer.decide(RebalancerConfig.OFF, two, running, hosts, h -> true)).isEmpty();
    RebalancerConfig one = new RebalancerConfig(true, 1.0, 0.5, 1, 10);
    assertThat(Rebalancer.decide(one, two, running, hosts, h -> true))
        .containsExactly(new Decision("h2", "want-p1", List.of("a2")));
    assertThat(Rebalancer.decide(ON, two, running, hosts, h -> true))
        .containsExactly(
            new Decision("h2", "want-p1", List.of("a2")),
            new Decision("h1", "want-p2", List.of("a1")));
  }

  @Test
  void aHostTooSmallForTheJobIsNeverEmptiedForIt() {
    List<Running> running = List.of(new Running("a1", "hog", "h1", FOUR, 4.0));
    assertThat(
            Rebalancer.decide(
                ON, List.of(starved("poor", 16, 0.1)), running, List.of(full("h1")), h -> true))
        .isEmpty();
  }
}
