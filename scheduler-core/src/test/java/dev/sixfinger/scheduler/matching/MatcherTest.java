package dev.sixfinger.scheduler.matching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.ranking.Quota;
import dev.sixfinger.scheduler.ranking.Quotas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static Host host(String name, double cpus, long mem, String rack) {
    return new Host(name, Resources.of(cpus, mem, 0), Map.of("rack", rack), Resources.ZERO);
  }

  private static Matcher.Request req(Job j) {
    return new Matcher.Request(j, Set.of(), null);
  }

  private static Job job(String uuid, double cpus, long mem) {
    return Job.builder(uuid, "u", "c").cpus(cpus).memMib(mem).build();
  }

  private static Matcher.Result match(List<Matcher.Request> jobs, List<Host> hosts) {
    return Matcher.match(jobs, hosts, h -> true, Map.of(), Quotas.unlimited().tracker(Map.of()));
  }

  @Test
  void bestFitLeavesTheLargeHoleForTheLargeJob() {
    List<Host> hosts = List.of(host("big", 64, 512 * 1024, "r"), host("small", 8, 32 * 1024, "r"));
    Matcher.Result r =
        match(List.of(req(job("little", 2, 16 * 1024)), req(job("large", 32, 400 * 1024))), hosts);
    assertThat(r.placements())
        .containsExactly(
            new Matcher.Placement("little", "small"), new Matcher.Placement("large", "big"));
  }

  @Test
  void aJobThatFitsNowhereDoesNotBlockTheOnesBehindIt() {
    List<Host> hosts = List.of(host("h", 8, 8192, "r"));
    Matcher.Result r =
        match(
            List.of(req(job("huge", 100, 1024)), req(job("ok", 4, 4096)), req(job("ok2", 4, 4096))),
            hosts);
    assertThat(r.placements()).extracting(Matcher.Placement::jobUuid).containsExactly("ok", "ok2");
    assertThat(r.skipped()).containsOnlyKeys("huge");
  }

  @Test
  void neverOverCommitsAHost() {
    List<Host> hosts = List.of(host("h", 8, 8192, "r"));
    List<Matcher.Request> jobs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      jobs.add(req(job("j" + i, 3, 1000)));
    }
    assertThat(match(jobs, hosts).placements()).hasSize(2);
  }

  @Test
  void constraintsFailedHostsHealthAndReservationsAreRespected() {
    List<Host> hosts =
        List.of(
            host("a", 8, 8192, "r1"),
            host("b", 8, 8192, "r2"),
            host("c", 8, 8192, "r2"),
            host("d", 8, 8192, "r2"));
    Job constrained =
        Job.builder("k", "u", "c").constraint("rack", Constraint.Op.NOT_EQUALS, "r1").build();
    List<Matcher.Request> jobs =
        List.of(
            new Matcher.Request(constrained, Set.of("b"), null),
            new Matcher.Request(job("reserved", 8, 8192), Set.of(), "d"),
            req(job("other", 8, 8192)));
    Matcher.Result r =
        Matcher.match(
            jobs,
            hosts,
            h -> !h.equals("c"),
            Map.of("d", "reserved"),
            Quotas.unlimited().tracker(Map.of()));
    // k: not r1 (a), not where it failed (b), not cordoned (c), not reserved for another (d).
    assertThat(r.skipped()).containsKey("k");
    assertThat(r.placements())
        .containsExactlyInAnyOrder(
            new Matcher.Placement("reserved", "d"), new Matcher.Placement("other", "a"));
  }

  @Test
  void jobsOverQuotaAreSkippedWithTheQuotaAsReason() {
    Quotas q = new Quotas(Map.of("u", new Quota(4, 1 << 20, 10)));
    Matcher.Result r =
        Matcher.match(
            List.of(req(job("a", 3, 100)), req(job("b", 3, 100)), req(job("c", 1, 100))),
            List.of(host("h", 64, 1 << 20, "r")),
            h -> true,
            Map.of(),
            q.tracker(Map.of()));
    assertThat(r.placements()).extracting(Matcher.Placement::jobUuid).containsExactly("a", "c");
    assertThat(r.skipped().get("b")).startsWith("over quota: user u runs 3.0 cpus");
  }

  @Test
  void gpuJobsGoToTheSmallestGpuHostThatFits() {
    List<Host> hosts =
        List.of(
            new Host("g8", new Resources(32000, 65536, 8), Map.of(), Resources.ZERO),
            new Host("g2", new Resources(32000, 65536, 2), Map.of(), Resources.ZERO),
            new Host("cpu", new Resources(32000, 65536, 0), Map.of(), Resources.ZERO));
    Job g = Job.builder("g", "u", "c").gpus(2).build();
    Job g4 = Job.builder("g4", "u", "c").gpus(4).build();
    assertThat(match(List.of(req(g), req(g4)), hosts).placements())
        .containsExactly(new Matcher.Placement("g", "g2"), new Matcher.Placement("g4", "g8"));
  }

  @Test
  void cpuDominantJobsPackByCpus() {
    // Both hosts have room; the cpu-heavy job goes where the fewest cpus are left over.
    List<Host> hosts =
        List.of(host("lots-of-cpu", 64, 64 * 1024, "r"), host("some-cpu", 20, 256 * 1024, "r"));
    assertThat(match(List.of(req(job("cpu", 16, 1024))), hosts).placements())
        .containsExactly(new Matcher.Placement("cpu", "some-cpu"));
  }

  @Test
  void bothResourcesDecideTheFit() {
    // Best fit on cpus alone would take "cpus-exact" and leave its 252 GiB behind a host with no
    // cpus; the job goes where the host ends fullest on both, as Fenzo's cpuMemBinPacker does.
    List<Host> hosts =
        List.of(
            new Host(
                "cpus-exact",
                Resources.of(64, 512 * 1024, 0),
                Map.of(),
                Resources.of(60, 256 * 1024, 0)),
            new Host(
                "both-tight",
                Resources.of(64, 512 * 1024, 0),
                Map.of(),
                Resources.of(56, 504 * 1024, 0)));
    assertThat(match(List.of(req(job("j", 4, 4 * 1024))), hosts).placements())
        .containsExactly(new Matcher.Placement("j", "both-tight"));
  }

  @Test
  void aPlacementOfTheCycleMovesToJoinTwoHolesForAJobThatFitsNeither() {
    List<Host> hosts = List.of(host("h1", 8, 64 * 1024, "r1"), host("h2", 8, 64 * 1024, "r2"));
    // a fills half of h1, k the best fit next to it, b most of h2: 2 cpus are left on each, and
    // the 4-cpu job fits neither until k moves over to h2.
    Matcher.Result r =
        match(
            List.of(
                req(job("a", 4, 1024)),
                req(job("k", 2, 1024)),
                req(job("b", 6, 1024)),
                req(job("four", 4, 1024))),
            hosts);
    assertThat(r.skipped()).isEmpty();
    assertThat(r.placements())
        .containsExactly(
            new Matcher.Placement("a", "h1"),
            new Matcher.Placement("k", "h2"),
            new Matcher.Placement("b", "h2"),
            new Matcher.Placement("four", "h1"));
  }

  @Test
  void aPlacementOnlyMovesWhereItsConstraintsAndFailedHostsAllow() {
    List<Host> hosts = List.of(host("h1", 8, 64 * 1024, "r1"), host("h2", 8, 64 * 1024, "r2"));
    Job pinned =
        Job.builder("k", "u", "c")
            .cpus(2)
            .memMib(1024)
            .constraint("rack", Constraint.Op.EQUALS, "r1")
            .build();
    Matcher.Result byConstraint =
        match(
            List.of(
                req(job("a", 4, 1024)),
                req(pinned),
                req(job("b", 6, 1024)),
                req(job("four", 4, 1024))),
            hosts);
    assertThat(byConstraint.skipped()).containsOnlyKeys("four");
    assertThat(byConstraint.placements()).contains(new Matcher.Placement("k", "h1"));

    Matcher.Result byFailure =
        match(
            List.of(
                req(job("a", 4, 1024)),
                new Matcher.Request(job("k", 2, 1024), Set.of("h2"), null),
                req(job("b", 6, 1024)),
                req(job("four", 4, 1024))),
            hosts);
    assertThat(byFailure.skipped()).containsOnlyKeys("four");
    assertThat(byFailure.placements()).contains(new Matcher.Placement("k", "h1"));
  }
}
