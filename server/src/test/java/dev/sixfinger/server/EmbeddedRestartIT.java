package dev.sixfinger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's log outlives the server: a restart finds every acknowledged event. */
class EmbeddedRestartIT {

  @TempDir Path data;

  @Test
  void restartingTheServerKeepsTheLog() throws Exception {
    try (TestServer first = TestServer.embedded(data)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(first.httpUrl() + "/api/v1/events"))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"survivor\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    try (TestServer second = TestServer.embedded(data);
        EventLog log = new EventLog(second.bootstrapServers())) {
      assertThat(log.awaitAtLeast(1, Duration.ofSeconds(30)))
          .extracting(rec -> rec.value().host())
          .containsExactly("survivor");
    }
  }
}
