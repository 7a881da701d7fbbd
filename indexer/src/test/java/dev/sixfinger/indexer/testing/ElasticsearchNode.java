package dev.sixfinger.indexer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real single-node Elasticsearch from the {@code integ-test-zip} distribution, run as a child
 * process with security off, disk thresholds off and a small heap. Elasticsearch refuses to run as
 * root; when the tests run as root it is started as the unprivileged user {@value #USER} (which
 * {@code .ci/run} creates).
 *
 * <p>The zip's path comes from the system property {@code sixfinger.elasticsearch.zip}, which the
 * build sets after copying the artifact from Maven.
 */
public final class ElasticsearchNode implements AutoCloseable {
  public static final String USER = "sixfinger";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Path home;
  private final Path dir;
  private final int httpPort;
  private final int transportPort;
  private final String heap;
  private Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private ElasticsearchNode(Path home, Path dir, String heap) {
    this.home = home;
    this.dir = dir;
    this.heap = heap;
    this.httpPort = freePort();
    this.transportPort = freePort();
  }

  /**
   * Unpacks the distribution (once per machine and version) and starts a node with a fresh data
   * directory, deleted by {@link #close}.
   */
  public static ElasticsearchNode start(String heap) throws IOException {
    // Not under JUnit's @TempDir: that is private to us, and the node may run as another user.
    Path dir = Files.createTempDirectory("sixfinger-es-node");
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    ElasticsearchNode node = new ElasticsearchNode(unpacked(), dir, heap);
    node.prepareDirs();
    // A test JVM that ends without closing the node (Ctrl-C, a timeout) must not leave it running.
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "elasticsearch-node-stop"));
    node.startProcess();
    return node;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** Stops the node (SIGTERM, then SIGKILL after 30 s); its data stays for {@link #restart}. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      for (ProcessHandle h : tree) {
        h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      tree.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    process = null;
  }

  /** Starts the node again on the same ports and data. */
  public synchronized void restart() throws IOException {
    startProcess();
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  private void prepareDirs() throws IOException {
    Path conf = dir.resolve("config");
    Files.createDirectories(conf);
    try (Stream<Path> files = Files.list(home.resolve("config"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, conf.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.createDirectories(conf.resolve("jvm.options.d"));
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    if (isRoot()) {
      run("chown", "-R", USER + ":", dir.toString());
    }
  }

  private void startProcess() throws IOException {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", USER, "--"));
    }
    cmd.add("env");
    cmd.add("ES_JAVA_HOME=" + System.getProperty("java.home"));
    cmd.add("ES_PATH_CONF=" + dir.resolve("config"));
    cmd.add("ES_TMPDIR=" + dir.resolve("tmp"));
    cmd.add("ES_JAVA_OPTS=-Xms" + heap + " -Xmx" + heap + " -XX:TieredStopAtLevel=1");
    cmd.add(home.resolve("bin/elasticsearch").toString());
    for (String setting :
        List.of(
            "discovery.type=single-node",
            "xpack.security.enabled=false",
            "cluster.routing.allocation.disk.threshold_enabled=false",
            "network.host=127.0.0.1",
            "http.port=" + httpPort,
            "transport.port=" + transportPort,
            "path.data=" + dir.resolve("data"),
            "path.logs=" + dir.resolve("logs"),
            "action.destructive_requires_name=true")) {
      cmd.add("-E" + setting);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("console.log").toFile());
    process = pb.start();
    awaitReady();
  }

  private void awaitReady() throws IOException {
    long end = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException(
            "Elasticsearch exited with " + process.exitValue() + ":\n" + consoleTail());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Elasticsearch", e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Elasticsearch", e);
      }
    }
    stop();
    throw new IOException(
        "Elasticsearch did not start within " + START_TIMEOUT + ":\n" + consoleTail());
  }

  private String consoleTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("console.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no console output: " + e + ")";
    }
  }

  /** The distribution, unpacked once into the temporary directory and reused by later runs. */
  private static synchronized Path unpacked() throws IOException {
    String zip = System.getProperty("sixfinger.elasticsearch.zip");
    if (zip == null || !Files.isRegularFile(Path.of(zip))) {
      throw new IllegalStateException(
          "system property sixfinger.elasticsearch.zip must name the Elasticsearch integ-test zip"
              + " (the Maven build sets it; got "
              + zip
              + ")");
    }
    Path zipPath = Path.of(zip);
    String name = zipPath.getFileName().toString().replace(".zip", "");
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "sixfinger-" + name);
    Path done = base.resolve(".unpacked");
    if (!Files.exists(done)) {
      Path staging = Files.createTempDirectory(base.getParent(), "sixfinger-es-unpack");
      unzip(zipPath, staging);
      try (Stream<Path> top = Files.list(staging)) {
        Path inner = top.filter(Files::isDirectory).findFirst().orElseThrow();
        try (Stream<Path> bins = Files.list(inner.resolve("bin"))) {
          bins.forEach(b -> b.toFile().setExecutable(true, false));
        }
        Files.createDirectories(base);
        Path target = base.resolve("home");
        if (!Files.exists(target)) {
          Files.move(inner, target);
        }
      }
      if (isRoot()) {
        // Readable by the unprivileged user that runs it.
        run("chmod", "-R", "a+rX", base.toString());
      }
      Files.writeString(done, zipPath.toString());
    }
    return base.resolve("home");
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream z = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = z.getNextEntry()) != null) {
        Path out = into.resolve(e.getName()).normalize();
        if (!out.startsWith(into)) {
          throw new IOException("zip entry outside the target: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(z, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void run(String... cmd) throws IOException {
    try {
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException(
            String.join(" ", cmd)
                + " failed; when running as root the user '"
                + USER
                + "' must exist (useradd --system "
                + USER
                + ", as .ci/run does)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
