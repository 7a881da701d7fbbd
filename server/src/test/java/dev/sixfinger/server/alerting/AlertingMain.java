package dev.sixfinger.server.alerting;

import java.util.Map;

/** An alerting instance alone in a JVM of its own, so that a test can kill it with SIGKILL. */
public final class AlertingMain {
  private AlertingMain() {}

  /** Arguments: bootstrap servers, alerting.yml, group, PagerDuty base URL. */
  public static void main(String[] args) throws Exception {
    dev.sixfinger.server.kafka.KafkaTestLogging.quiet();
    AlertingService service =
        new AlertingService(factory(args[1], args[2], args[3]), args[0], Map.of());
    service.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    AlertingService.State last = null;
    while (true) {
      AlertingService.State s = service.state();
      if (s != last) {
        System.out.println("STATE " + s);
        System.out.flush();
        last = s;
      }
      Thread.sleep(50);
    }
  }

  static AlertingFactory factory(String configFile, String group, String pagerDutyUrl) {
    AlertingFactory f = new AlertingFactory();
    f.setConfigFile(configFile);
    f.setGroup(group);
    f.setPagerDutyUrl(pagerDutyUrl);
    f.useTickInterval(java.time.Duration.ofMillis(100));
    f.setPagerDutyRate(10_000, 600_000);
    return f;
  }
}
