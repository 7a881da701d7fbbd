package dev.sixfinger.server.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server enforcing Kibana's documented saved-objects import contract: {@code POST
 * [/s/SPACE]/api/saved_objects/_import}, the {@code kbn-xsrf} header, a multipart/form-data body
 * with a {@code file} part named {@code *.ndjson}; answers {@code {"success":true,...}}, or {@code
 * success:false} with an {@code errors} entry per object whose references do not resolve or whose
 * type is unknown, or 400 for a bad request.
 */
final class KibanaImportServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TYPES =
      Set.of("index-pattern", "search", "lens", "dashboard", "visualization", "map", "config");
  private static final Pattern PATH =
      Pattern.compile("(?:/s/([a-z0-9_-]+))?/api/saved_objects/_import");

  record Received(String space, String query, List<JsonNode> objects) {}

  private final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();

  KibanaImportServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      Matcher path = PATH.matcher(x.getRequestURI().getPath());
      if (!path.matches()) {
        send(x, 404, error(404, "Not Found", "Not Found"));
        return;
      }
      if (!x.getRequestMethod().equals("POST")) {
        send(x, 404, error(404, "Not Found", "Not Found"));
        return;
      }
      if (x.getRequestHeaders().getFirst("kbn-xsrf") == null) {
        send(x, 400, error(400, "Bad Request", "Request must contain a kbn-xsrf header."));
        return;
      }
      String type = x.getRequestHeaders().getFirst("Content-Type");
      Matcher b =
          Pattern.compile("multipart/form-data;\\s*boundary=(\\S+)")
              .matcher(type == null ? "" : type);
      if (!b.find()) {
        send(x, 415, error(415, "Unsupported Media Type", "Unsupported Media Type"));
        return;
      }
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String file = null;
      String fileName = null;
      for (String part : body.split("--" + Pattern.quote(b.group(1)))) {
        Matcher d =
            Pattern.compile(
                    "Content-Disposition: form-data; name=\"([^\"]+)\"(?:; filename=\"([^\"]*)\")?")
                .matcher(part);
        if (d.find() && d.group(1).equals("file")) {
          fileName = d.group(2);
          int start = part.indexOf("\r\n\r\n");
          file = part.substring(start + 4, part.lastIndexOf("\r\n"));
        }
      }
      if (file == null) {
        send(
            x,
            400,
            error(
                400,
                "Bad Request",
                "[request body.file]: expected value of type [Stream] but got [undefined]"));
        return;
      }
      if (fileName == null || !fileName.endsWith(".ndjson")) {
        send(x, 400, error(400, "Bad Request", "Invalid file extension " + fileName));
        return;
      }
      List<JsonNode> objects = new ArrayList<>();
      for (String line : file.split("\n")) {
        if (!line.isBlank()) {
          try {
            objects.add(JSON.readTree(line));
          } catch (IOException e) {
            send(x, 400, error(400, "Bad Request", "Unexpected token in JSON"));
            return;
          }
        }
      }
      received.add(new Received(path.group(1), x.getRequestURI().getQuery(), objects));
      Set<String> present = new HashSet<>();
      objects.forEach(o -> present.add(o.path("type").asText() + "/" + o.path("id").asText()));
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode ok = JSON.createArrayNode();
      ArrayNode errors = JSON.createArrayNode();
      for (JsonNode o : objects) {
        ObjectNode meta =
            JSON.createObjectNode().put("title", o.path("attributes").path("title").asText());
        if (!TYPES.contains(o.path("type").asText())) {
          errors
              .addObject()
              .put("id", o.path("id").asText())
              .put("type", o.path("type").asText())
              .set("meta", meta);
          ((ObjectNode) errors.get(errors.size() - 1))
              .putObject("error")
              .put("type", "unsupported_type");
          continue;
        }
        ArrayNode missing = JSON.createArrayNode();
        for (JsonNode r : o.path("references")) {
          if (!present.contains(r.path("type").asText() + "/" + r.path("id").asText())) {
            missing
                .addObject()
                .put("type", r.path("type").asText())
                .put("id", r.path("id").asText());
          }
        }
        if (missing.isEmpty()) {
          ok.addObject()
              .put("type", o.path("type").asText())
              .put("id", o.path("id").asText())
              .set("meta", meta);
        } else {
          ObjectNode e =
              errors
                  .addObject()
                  .put("id", o.path("id").asText())
                  .put("type", o.path("type").asText());
          e.put("title", meta.path("title").asText());
          e.set("meta", meta);
          e.putObject("error").put("type", "missing_references").set("references", missing);
        }
      }
      answer.put("success", errors.isEmpty());
      answer.put("successCount", ok.size());
      answer.set("successResults", ok);
      if (!errors.isEmpty()) {
        answer.set("errors", errors);
      }
      send(x, 200, answer);
    }
  }

  private static ObjectNode error(int status, String error, String message) {
    return JSON.createObjectNode()
        .put("statusCode", status)
        .put("error", error)
        .put("message", message);
  }

  private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
