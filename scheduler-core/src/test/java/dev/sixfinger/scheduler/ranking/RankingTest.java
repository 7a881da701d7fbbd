package dev.sixfinger.scheduler.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sixfinger.scheduler.job.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingTest {
  private static Task pending(String uuid, String user, double cpus, long mem, long submit) {
    return new Task(uuid, user, Resources.of(cpus, mem, 0), 50, false, 0, submit);
  }

  @Test
  void cooksWorkedExample() {
    Shares shares = Shares.uniform(new Share(25, 25, 0));
    List<Task> tasks =
        List.of(
            pending("t1", "u", 10, 10, 1),
            pending("t2", "u", 5, 5, 2),
            pending("t3", "u", 15, 25, 3),
            pending("t4", "u", 25, 15, 4));
    List<ScoredTask> ranked = Ranking.cumulative(tasks, shares);
    assertThat(ranked).extracting(s -> s.task().uuid()).containsExactly("t1", "t2", "t3", "t4");
    assertThat(ranked.get(0).score()).isCloseTo(0.4, within(1e-9));
    assertThat(ranked.get(1).score()).isCloseTo(0.6, within(1e-9));
    assertThat(ranked.get(2).score()).isCloseTo(1.6, within(1e-9));
    assertThat(ranked.get(3).score()).isCloseTo(2.2, within(1e-9));
  }

  @Test
  void runningTasksComeFirstThenPriorityThenStartThenSubmission() {
    Shares shares = Shares.uniform(new Share(10, 10, 0));
    Task runningLate = new Task("r2", "u", Resources.of(1, 1, 0), 10, true, 20, 1);
    Task runningEarly = new Task("r1", "u", Resources.of(1, 1, 0), 10, true, 10, 2);
    Task urgent = new Task("p1", "u", Resources.of(1, 1, 0), 90, false, 0, 5);
    Task old = new Task("p2", "u", Resources.of(1, 1, 0), 50, false, 0, 3);
    Task young = new Task("p3", "u", Resources.of(1, 1, 0), 50, false, 0, 4);
    List<ScoredTask> ranked =
        Ranking.cumulative(List.of(young, old, urgent, runningLate, runningEarly), shares);
    assertThat(ranked)
        .extracting(s -> s.task().uuid())
        .containsExactly("r1", "r2", "p1", "p2", "p3");
  }

  @Test
  void usersAreMergedByScoreAndUnknownUsersGetTheDefaultShare() {
    Shares shares =
        new Shares(
            Map.of(Shares.DEFAULT_USER, new Share(10, 10, 0), "big", new Share(100, 100, 0)));
    List<Task> tasks =
        List.of(
            pending("a1", "small", 5, 5, 1), // 0.5
            pending("a2", "small", 5, 5, 2), // 1.0
            pending("b1", "big", 20, 20, 3), // 0.2
            pending("b2", "big", 20, 20, 4), // 0.4
            pending("b3", "big", 40, 40, 5)); // 0.8
    assertThat(Ranking.cumulative(tasks, shares))
        .extracting(s -> s.task().uuid())
        .containsExactly("b1", "b2", "a1", "b3", "a2");
  }

  @Test
  void gpusCountOnlyWhenAShareIsDefined() {
    Task t = new Task("g", "u", new Resources(1000, 1, 4), 50, false, 0, 1);
    assertThat(Ranking.cumulative(List.of(t), Shares.uniform(new Share(10, 10, 0))).get(0).score())
        .isCloseTo(0.1, within(1e-9));
    assertThat(Ranking.cumulative(List.of(t), Shares.uniform(new Share(10, 10, 2))).get(0).score())
        .isCloseTo(2.0, within(1e-9));
  }

  @Test
  void plainDrfRanksAUsersWholeQueueByWhatTheyRunNow() {
    Resources cap = Resources.of(100, 100, 0);
    List<Task> tasks =
        List.of(
            new Task("busy-run", "busy", Resources.of(50, 10, 0), 50, true, 1, 1),
            pending("busy-p", "busy", 1, 1, 2),
            pending("idle-1", "idle", 30, 30, 3),
            pending("idle-2", "idle", 30, 30, 4),
            pending("idle-3", "idle", 30, 30, 5));
    List<ScoredTask> ranked = Ranking.drf(tasks, cap);
    // Idle's three jobs all score 0 and go before busy's one (0.5); cumulative would interleave.
    assertThat(ranked)
        .extracting(s -> s.task().uuid())
        .containsExactly("idle-1", "idle-2", "idle-3", "busy-run", "busy-p");
    assertThat(ranked.get(4).score()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void fcfsIsSubmissionOrderAcrossUsers() {
    List<Task> tasks =
        List.of(
            pending("c", "x", 1, 1, 30), pending("a", "y", 1, 1, 10), pending("b", "x", 1, 1, 20));
    assertThat(Ranking.fcfs(tasks)).extracting(s -> s.task().uuid()).containsExactly("a", "b", "c");
  }

  @Test
  void quotasCapCpusMemAndCount() {
    Quotas q = new Quotas(Map.of("alice", new Quota(10, 1000, 2)));
    Quotas.Tracker t = q.tracker(Map.of());
    Resources six = Resources.of(6, 100, 0);
    assertThat(t.exceeded("alice", six)).isNull();
    t.add("alice", six);
    assertThat(t.exceeded("alice", six))
        .isEqualTo("user alice runs 6.0 cpus, this job needs 6.0, quota 10.0 cpus");
    assertThat(t.exceeded("alice", Resources.of(1, 901, 0)))
        .isEqualTo("user alice runs 100 MiB, this job needs 901, quota 1000 MiB");
    t.add("alice", Resources.of(1, 1, 0));
    assertThat(t.exceeded("alice", Resources.of(0.1, 1, 0)))
        .isEqualTo("user alice runs 2 jobs, quota 2 jobs");
    assertThat(t.exceeded("bob", Resources.of(1000, 1 << 30, 0))).isNull();
  }

  @Test
  void sharesAndQuotasAreValues() {
    Shares a = new Shares(java.util.Map.of(Shares.DEFAULT_USER, new Share(10, 100, 0)));
    Shares b = new Shares(java.util.Map.of(Shares.DEFAULT_USER, new Share(10, 100, 0)));
    org.assertj.core.api.Assertions.assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    org.assertj.core.api.Assertions.assertThat(a)
        .isNotEqualTo(Shares.uniform(new Share(10, 200, 0)));
    org.assertj.core.api.Assertions.assertThat(
            new Quotas(java.util.Map.of("alice", new Quota(1, 2, 3))))
        .isEqualTo(new Quotas(java.util.Map.of("alice", new Quota(1, 2, 3))))
        .isNotEqualTo(Quotas.unlimited());
  }
}
