package dev.sixfinger.server.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Imports saved objects with Kibana's {@code POST /api/saved_objects/_import}: a multipart form
 * whose {@code file} part is the NDJSON, with the {@code kbn-xsrf} header Kibana requires of every
 * API write.
 */
public final class KibanaImporter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public KibanaImporter(Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /** The import URL for {@code space} (null or empty: the default space). */
  public static URI importUri(String kibana, String space, boolean overwrite) {
    String base = kibana.endsWith("/") ? kibana.substring(0, kibana.length() - 1) : kibana;
    String prefix =
        space == null || space.isEmpty() || space.equals("default")
            ? ""
            : "/s/" + URLEncoder.encode(space, StandardCharsets.UTF_8);
    return URI.create(base + prefix + "/api/saved_objects/_import?overwrite=" + overwrite);
  }

  /**
   * Imports {@code ndjson}; prints what happened. Returns the exit status: 0 when every object was
   * imported, 1 otherwise.
   */
  public int install(
      String kibana,
      String space,
      boolean overwrite,
      String ndjson,
      PrintStream out,
      PrintStream err)
      throws InterruptedException {
    URI uri;
    try {
      uri = importUri(kibana, space, overwrite);
    } catch (IllegalArgumentException e) {
      err.println("sixfinger: --kibana " + kibana + " is not a URL: " + e.getMessage());
      return 1;
    }
    String boundary = "sixfinger-" + UUID.randomUUID();
    byte[] body =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + KibanaObjects.FILE_NAME
                + "\"\r\nContent-Type: application/ndjson\r\n\r\n"
                + ndjson
                + "\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("kbn-xsrf", "true")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println(
          "sixfinger: cannot reach Kibana at "
              + uri.getScheme()
              + "://"
              + uri.getAuthority()
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "). Check that Kibana is running and that --kibana is its URL (for example"
              + " http://localhost:5601), or import "
              + KibanaObjects.FILE_NAME
              + " by hand in Stack Management > Saved objects > Import.");
      return 1;
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = null;
    }
    if (response.statusCode() != 200 || answer == null || !answer.has("success")) {
      String message =
          answer != null && answer.has("message")
              ? answer.get("message").asText()
              : response.body();
      err.println(
          "sixfinger: Kibana at "
              + uri
              + " refused the import: HTTP "
              + response.statusCode()
              + ": "
              + message);
      return 1;
    }
    Map<String, Integer> byType = new TreeMap<>();
    for (JsonNode r : answer.path("successResults")) {
      byType.merge(r.path("type").asText(), 1, Integer::sum);
    }
    int imported = answer.path("successCount").asInt();
    if (answer.path("success").asBoolean()) {
      out.println(
          "Imported " + imported + " saved objects into Kibana at " + kibana + counts(byType));
      return 0;
    }
    JsonNode errors = answer.path("errors");
    err.println(
        "sixfinger: Kibana imported "
            + imported
            + " objects"
            + counts(byType)
            + " and refused "
            + errors.size()
            + ":");
    for (JsonNode e : errors) {
      String title = e.path("meta").path("title").asText(e.path("title").asText(""));
      JsonNode error = e.path("error");
      StringBuilder line =
          new StringBuilder("  ")
              .append(e.path("type").asText())
              .append(' ')
              .append(e.path("id").asText());
      if (!title.isEmpty()) {
        line.append(" \"").append(title).append('"');
      }
      line.append(": ").append(error.path("type").asText("error"));
      if (error.has("message")) {
        line.append(": ").append(error.get("message").asText());
      }
      for (JsonNode ref : error.path("references")) {
        line.append(" [missing ")
            .append(ref.path("type").asText())
            .append(' ')
            .append(ref.path("id").asText())
            .append(']');
      }
      err.println(line);
    }
    return 1;
  }

  private static String counts(Map<String, Integer> byType) {
    if (byType.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder(" (");
    byType.forEach((t, n) -> s.append(s.length() > 2 ? ", " : "").append(n).append(' ').append(t));
    return s.append(')').toString();
  }
}
