package dev.sixfinger.server.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KibanaImporterTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final KibanaImporter importer = new KibanaImporter(Duration.ofSeconds(10));

  private int install(String url, String space, String ndjson) throws InterruptedException {
    return importer.install(
        url,
        space,
        true,
        ndjson,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theShippedObjectsImportAndTheCountsPerTypeAreReported() throws Exception {
    try (KibanaImportServer kibana = new KibanaImportServer()) {
      int status = install(kibana.url(), null, KibanaObjects.ndjson());
      assertThat(status).as(err()).isZero();
      assertThat(kibana.received).hasSize(1);
      assertThat(kibana.received.get(0).query()).isEqualTo("overwrite=true");
      int objects = kibana.received.get(0).objects().size();
      assertThat(out())
          .startsWith("Imported " + objects + " saved objects into Kibana at " + kibana.url())
          .contains("3 dashboard", "6 index-pattern", " lens", " search");
    }
  }

  @Test
  void aSpaceGoesIntoThePath() throws Exception {
    try (KibanaImportServer kibana = new KibanaImportServer()) {
      assertThat(install(kibana.url() + "/", "ops", KibanaObjects.ndjson())).isZero();
      assertThat(kibana.received.get(0).space()).isEqualTo("ops");
    }
  }

  @Test
  void refusedObjectsAreListedWithTypeIdTitleAndError() throws Exception {
    String ndjson =
        "{\"type\":\"index-pattern\",\"id\":\"v\",\"attributes\":{\"title\":\"sixfinger-events-*\"},\"references\":[]}\n"
            + "{\"type\":\"lens\",\"id\":\"l1\",\"attributes\":{\"title\":\"CPU\"},"
            + "\"references\":[{\"type\":\"index-pattern\",\"id\":\"gone\",\"name\":\"x\"}]}\n"
            + "{\"type\":\"widget\",\"id\":\"w\",\"attributes\":{\"title\":\"W\"},\"references\":[]}\n";
    try (KibanaImportServer kibana = new KibanaImportServer()) {
      assertThat(install(kibana.url(), null, ndjson)).isEqualTo(1);
      assertThat(err())
          .contains("imported 1 objects (1 index-pattern) and refused 2:")
          .contains("lens l1 \"CPU\": missing_references [missing index-pattern gone]")
          .contains("widget w \"W\": unsupported_type");
    }
  }

  @Test
  void aBadRequestShowsKibanasMessage() throws Exception {
    try (KibanaImportServer kibana = new KibanaImportServer()) {
      assertThat(install(kibana.url(), null, "not json\n")).isEqualTo(1);
      assertThat(err()).contains("refused the import: HTTP 400: Unexpected token in JSON");
    }
  }

  @Test
  void theTestServerHoldsToKibanasContract() throws Exception {
    // Without kbn-xsrf, or with a file that is not .ndjson, Kibana says 400.
    try (KibanaImportServer kibana = new KibanaImportServer()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> noXsrf =
          http.send(
              HttpRequest.newBuilder(URI.create(kibana.url() + "/api/saved_objects/_import"))
                  .header("Content-Type", "multipart/form-data; boundary=b")
                  .POST(HttpRequest.BodyPublishers.ofString("--b--\r\n"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(noXsrf.statusCode()).isEqualTo(400);
      assertThat(noXsrf.body()).contains("kbn-xsrf");
      String part =
          "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.json\"\r\n\r\n{}\r\n--b--\r\n";
      HttpResponse<String> badName =
          http.send(
              HttpRequest.newBuilder(URI.create(kibana.url() + "/api/saved_objects/_import"))
                  .header("kbn-xsrf", "true")
                  .header("Content-Type", "multipart/form-data; boundary=b")
                  .POST(HttpRequest.BodyPublishers.ofString(part))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(badName.statusCode()).isEqualTo(400);
      assertThat(badName.body()).contains("Invalid file extension");
    }
  }

  @Test
  void anUnreachableKibanaIsNamedWithWhatToDo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    assertThat(install("http://127.0.0.1:" + port, null, KibanaObjects.ndjson())).isEqualTo(1);
    assertThat(err())
        .contains("cannot reach Kibana at http://127.0.0.1:" + port)
        .contains("Check that Kibana is running")
        .contains("Saved objects > Import");
  }
}
