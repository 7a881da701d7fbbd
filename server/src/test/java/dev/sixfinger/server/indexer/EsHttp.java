package dev.sixfinger.server.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Plain HTTP to Elasticsearch for the tests' own checks, independent of the client under test. */
final class EsHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();

  EsHttp(String url) {
    this.url = url;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode post(String path, String body) {
    return send("POST", path, body);
  }

  JsonNode put(String path, String body) {
    return send("PUT", path, body);
  }

  JsonNode send(String method, String path, String body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url + path))
              .timeout(Duration.ofSeconds(30))
              .header("content-type", "application/json");
      b.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode n = JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
      if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
        o.put("_status", r.statusCode());
      }
      return n;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Documents in the indices matching {@code pattern}, after a refresh; 0 when none exist. */
  long count(String pattern) {
    post("/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    JsonNode n = get("/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true");
    return n.path("count").asLong(0);
  }

  /** Every document id in {@code pattern}, read with a scroll. */
  Set<String> ids(String pattern) {
    post("/" + pattern + "/_refresh", null);
    Set<String> ids = new HashSet<>();
    JsonNode page =
        post(
            "/" + pattern + "/_search?scroll=1m",
            "{\"size\":5000,\"_source\":false,\"sort\":[\"_doc\"]}");
    while (page.path("hits").path("hits").size() > 0) {
      page.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
      page =
          post(
              "/_search/scroll",
              "{\"scroll\":\"1m\",\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
    }
    return ids;
  }
}
