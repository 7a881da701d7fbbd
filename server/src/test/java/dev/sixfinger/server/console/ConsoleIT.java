package dev.sixfinger.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.alerting.testing.PagerDutyTestServer;
import dev.sixfinger.collector.agent.AgentConfig;
import dev.sixfinger.collector.agent.FleetRunner;
import dev.sixfinger.collector.agent.simulator.FleetSimulator;
import dev.sixfinger.collector.agent.simulator.Scenario;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.server.TestServer;
import dev.sixfinger.server.alerting.AlertingKit;
import dev.sixfinger.server.alerting.AlertingService;
import dev.sixfinger.server.kafka.KafkaTestLogging;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The web console in Debian's headless chromium against the real server (embedded Kafka, rules
 * engine, alerting with the PagerDuty test server, scheduler) fed by the fleet simulator: every
 * view loads, a swap storm shows in the grid, the alert list and the scheduler's hosts within
 * seconds, a silence is created from an alert and expired, and no JavaScript error reaches the
 * browser's log. Screenshots of each view go to {@code target/console-screenshots/}.
 */
class ConsoleIT {
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final int HOSTS = 20;
  private static final Duration SWAP_AT = Duration.ofSeconds(35);
  private static final Duration LIVE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private PagerDutyTestServer pd;
  private TestServer server;
  private FleetRunner fleet;
  private ChromeDriver browser;
  private final List<LogEntry> browserLog = new ArrayList<>();

  @BeforeAll
  static void quiet() {
    KafkaTestLogging.quiet();
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (fleet != null) {
      fleet.close();
    }
    if (server != null) {
      server.close();
    }
    if (pd != null) {
      pd.close();
    }
  }

  @Test
  void everyViewIsLiveAndASwapStormShowsUpWithinSeconds() throws Exception {
    pd = PagerDutyTestServer.start();
    server = TestServer.embedded(dir, serverConfig());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> server.app().alerting().state() == AlertingService.State.LEADING);
    String base = server.httpUrl();
    assertServesTheConsole(base);

    // 20 simulated hosts every second; a quarter of them start swapping after SWAP_AT.
    Scenario storm = Scenario.parse("swap-storm:25%@" + SWAP_AT.toSeconds() + "s");
    FleetSimulator sim = new FleetSimulator(HOSTS, List.of(storm), 7);
    Set<String> swapping = sim.hostsOf(storm);
    fleet =
        new FleetRunner(
            sim,
            AgentConfig.defaults()
                .withEndpoints(List.of("127.0.0.1:" + server.riemannPort()))
                .withInterval(Duration.ofSeconds(1))
                .withSpoolDir(dir.resolve("spool")),
            Clock.system());
    fleet.start();
    submitJobs(base);

    browser = startChromium();
    Files.createDirectories(SHOTS);

    // Fleet: every host in the grid, the swapping ones not yet alerting.
    browser.get(base + "/");
    await().atMost(LIVE).until(() -> gridRows().size() == HOSTS);
    String sick = swapping.iterator().next();
    assertThat(hostRowState(sick)).isIn("none", "ok");

    // A bad filter is explained with the server's words.
    WebElement filter = browser.findElement(By.id("fleet-query"));
    filter.clear();
    filter.sendKeys("service = ");
    browser.findElement(By.id("fleet-apply")).click();
    await().atMost(LIVE).until(() -> errorsText().contains("400"));
    assertThat(errorsText()).contains("/api/v1/index").containsIgnoringCase("column");
    filter.clear();
    filter.sendKeys("true");
    browser.findElement(By.id("fleet-apply")).click();
    await().atMost(LIVE).until(() -> gridRows().size() == HOSTS && !errorsText().contains("400"));

    // Rules: the loaded rules with the file and line they come from and their evaluation counts.
    browser.get(base + "/#/rules");
    await()
        .atMost(LIVE)
        .until(
            () ->
                text(By.cssSelector("#rules-table tr[data-rule='swap-in-high']"))
                    .matches("(?s).*swap-in-high\\s+host\\.yml:\\d+\\s+[1-9].*"));
    assertThat(text(By.id("rules-table"))).contains("fleet-swap", "check-failing");

    // Events: the answer of a query, then its live tail.
    browser.get(base + "/#/events");
    WebElement q = browser.findElement(By.id("events-query"));
    q.clear();
    q.sendKeys("service = \"load/1\"");
    browser.findElement(By.id("events-run")).click();
    await()
        .atMost(LIVE)
        .until(() -> browser.findElements(By.cssSelector("#events-log div")).size() >= 10);
    assertThat(text(By.id("events-status"))).contains(HOSTS + " entries match");

    // Scheduler: hosts from the capacity events, the job that cannot fit waits with a reason.
    browser.get(base + "/#/scheduler");
    await()
        .atMost(LIVE)
        .until(
            () ->
                browser.findElements(By.cssSelector("#hosts tr[data-state='healthy']")).size()
                    == HOSTS);
    await()
        .atMost(LIVE)
        .until(() -> text(By.cssSelector("#queue tr[data-uuid='console-too-big']")).length() > 0);
    assertThat(text(By.cssSelector("#queue tr[data-uuid='console-too-big']")))
        .contains("carol")
        .doesNotContain("schedulable");
    assertThat(text(By.id("usage"))).contains("alice", "bob");

    // The storm: the grid, the alert list and the scheduler's hosts change within seconds.
    browser.get(base + "/#/fleet");
    await()
        .atMost(SWAP_AT.plusSeconds(30))
        .until(() -> Set.of("warning", "critical").contains(hostRowState(sick)));
    long swapSeen = System.nanoTime();
    screenshot("fleet");

    browser.get(base + "/#/alerts");
    await()
        .atMost(LIVE)
        .until(
            () ->
                !browser
                    .findElements(By.cssSelector("#alerts-list tr[data-rule='swap-in-high']"))
                    .isEmpty());
    await()
        .atMost(LIVE)
        .until(
            () ->
                !browser
                    .findElements(By.cssSelector("#alerts-list tr[data-rule='fleet-swap']"))
                    .isEmpty());
    screenshot("alerts");

    browser.get(base + "/#/scheduler");
    await()
        .atMost(LIVE)
        .until(
            () ->
                !browser
                    .findElements(By.cssSelector("#hosts tr[data-state='draining']"))
                    .isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - swapSeen)).isLessThan(Duration.ofSeconds(40));
    String drained = attr("#hosts tr[data-state='draining']", "data-host");
    assertThat(swapping).contains(drained);
    assertThat(text(By.cssSelector("#hosts tr[data-host='" + drained + "']")))
        .contains("fleet-swap");
    screenshot("scheduler");

    // A silence from an alert, then expired, from the UI.
    browser.get(base + "/#/alerts");
    By swapRow = By.cssSelector("#alerts-list tr[data-rule='swap-in-high']");
    await().atMost(LIVE).until(() -> !browser.findElements(swapRow).isEmpty());
    String fingerprint = attr("#alerts-list tr[data-rule='swap-in-high']", "data-fingerprint");
    String thatRow = "#alerts-list tr[data-fingerprint='" + fingerprint + "']";
    click(By.cssSelector(thatRow + " button.silence"));
    assertThat(browser.findElement(By.id("silence-matchers")).getAttribute("value"))
        .contains("alertname=\"swap-in-high\"", "host=");
    browser.findElement(By.id("silence-author")).sendKeys("console-it");
    browser.findElement(By.id("silence-comment")).sendKeys("swap storm under investigation");
    browser.findElement(By.id("silence-submit")).click();
    await().atMost(LIVE).until(() -> !browser.findElements(By.id("silence-created")).isEmpty());
    await().atMost(LIVE).until(() -> "silenced".equals(attr(thatRow, "data-state")));
    By activeSilence = By.cssSelector("#silences tr[data-state='active']");
    await().atMost(LIVE).until(() -> browser.findElements(activeSilence).size() == 1);
    assertThat(text(activeSilence)).contains("console-it", "swap storm under investigation");
    screenshot("alerts-silenced");
    click(By.cssSelector("#silences tr[data-state='active'] button.expire"));
    await().atMost(LIVE).until(() -> browser.findElements(activeSilence).isEmpty());
    assertThat(browser.findElements(By.cssSelector("#silences tr[data-state='expired']")))
        .hasSize(1);
    await().atMost(LIVE).until(() -> !"silenced".equals(attr(thatRow, "data-state")));

    // A host's page: its latest events with sparklines from the history the page kept.
    browser.get(base + "/#/fleet");
    await().atMost(LIVE).until(() -> gridRows().size() == HOSTS);
    click(By.cssSelector("#fleet-grid tr[data-host='" + sick + "'] a"));
    By swapLine = By.cssSelector("#host-events tr[data-service='swap/in-rate'] svg polyline");
    await().atMost(LIVE).until(() -> !browser.findElements(swapLine).isEmpty());
    await().atMost(LIVE).until(() -> text(By.id("host-scheduler")).contains("fleet-swap"));
    screenshot("host");

    browser.get(base + "/#/rules");
    await().atMost(LIVE).until(() -> text(By.id("rules-table")).contains("per second"));
    screenshot("rules");
    browser.get(base + "/#/events");
    await()
        .atMost(LIVE)
        .until(() -> browser.findElements(By.cssSelector("#events-log div")).size() >= 5);
    screenshot("events");

    readBrowserLog();
    assertThat(browserLog.stream().filter(ConsoleIT::unexpectedError).map(LogEntry::toString))
        .as("browser console errors")
        .isEmpty();
  }

  private ConfigOverride[] serverConfig() throws Exception {
    Path rules = dir.resolve("rules");
    Files.createDirectories(rules);
    // The shipped rules with `for` in seconds, so that the test sees them fire.
    for (String f : List.of("host.yml", "fleet.yml")) {
      String text = Files.readString(Path.of("..", "config", "rules", f));
      Files.writeString(rules.resolve(f), text.replaceAll("for: \\d+m", "for: 3s"));
    }
    // The alerting ITs' config: everything pages the PagerDuty test server; fleet-swap inhibits
    // swap-in-high.
    Path alerting = AlertingKit.config(dir, "1s", "2s");
    return new ConfigOverride[] {
      ConfigOverride.config("rules.dir", rules.toString()),
      ConfigOverride.config("rules.watch", "false"),
      ConfigOverride.config("alerting.enabled", "true"),
      ConfigOverride.config("alerting.configFile", alerting.toString()),
      ConfigOverride.config("alerting.tickInterval", "200 milliseconds"),
      ConfigOverride.config("alerting.pagerDutyUrl", pd.baseUrl().toString()),
      ConfigOverride.config("scheduler.cycleInterval", "500ms"),
      ConfigOverride.config("scheduler.maxPerMinute", "100")
    };
  }

  /** Jobs for the queue and usage views: two users' small jobs, and one that cannot fit. */
  private static void submitJobs(String base) throws Exception {
    StringBuilder jobs = new StringBuilder("[");
    for (int i = 0; i < 6; i++) {
      jobs.append(
          """
          {"uuid":"console-%d","user":"%s","command":"sleep 3600","cpus":4,"mem":8192,\
          "priority":50,"maxRetries":1,"maxRuntimeSeconds":3600},"""
              .formatted(i, i % 2 == 0 ? "alice" : "bob"));
    }
    jobs.append(
        """
        {"uuid":"console-too-big","user":"carol","command":"train","cpus":128,"mem":1024,\
        "priority":50,"maxRetries":1,"maxRuntimeSeconds":3600}]""");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(jobs.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** The page, its scripts with a JavaScript type (ES modules need it), revalidation, the API. */
  private static void assertServesTheConsole(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page = get(http, base + "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.body()).contains("<noscript>", "/api/v1/alerts");
    HttpResponse<String> js = get(http, base + "/app.js");
    assertThat(js.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    String etag = js.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/app.js"))
                .header("If-None-Match", etag)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(get(http, base + "/console.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    assertThat(get(http, base + "/nothing.js").statusCode()).isEqualTo(404);
    assertThat(get(http, base + "/api/v1/rules").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Debian's chromium through Debian's chromedriver: Selenium Manager never downloads anything. */
  private ChromeDriver startChromium() throws Exception {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new ChromeDriver(service, options);
  }

  /** Rows of the fleet grid; reads the log as it goes, since each read drains it. */
  private List<WebElement> gridRows() {
    readBrowserLog();
    return browser.findElements(By.cssSelector("#fleet-grid tbody tr[data-host]"));
  }

  private String hostRowState(String host) {
    return attr("#fleet-grid tr[data-host='" + host + "']", "data-state");
  }

  /**
   * An attribute read in one script call: the views redraw while they are live, so an element found
   * in one call may be gone by the next.
   */
  private String attr(String css, String name) {
    Object v =
        browser.executeScript(
            "const e = document.querySelector(arguments[0]);"
                + " return e ? e.getAttribute(arguments[1]) : '';",
            css,
            name);
    return v == null ? "" : v.toString();
  }

  /** Clicks what {@code by} finds, finding it again if a redraw replaced it meanwhile. */
  private void click(By by) {
    await()
        .atMost(LIVE)
        .ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            () -> {
              browser.findElement(by).click();
              return true;
            });
  }

  private String errorsText() {
    return text(By.id("main"));
  }

  private String text(By by) {
    List<WebElement> found = browser.findElements(by);
    try {
      return found.isEmpty() ? "" : found.get(0).getText();
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return ""; // redrawn meanwhile: the next poll reads the new one
    }
  }

  private void readBrowserLog() {
    browser.manage().logs().get(LogType.BROWSER).forEach(browserLog::add);
  }

  /**
   * A SEVERE entry is a failure, except the network line of the one bad filter the test types on
   * purpose (Chromium logs every 4xx answer, even one the page handles and explains).
   */
  private static boolean unexpectedError(LogEntry e) {
    if (e.getLevel().intValue() < Level.SEVERE.intValue()) {
      return false;
    }
    String m = e.getMessage();
    return !(m.contains("/api/v1/index?limit=1&q=service%20%3D ") && m.contains("status of 400"));
  }

  private void screenshot(String name) throws Exception {
    readBrowserLog();
    Path f = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(f, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
