package dev.sixfinger.server.index;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** Reads a server-sent event stream line by line with java.net.http, as any client would. */
final class SseClient implements AutoCloseable {
  record Event(String name, String data) {}

  private final HttpResponse<Stream<String>> response;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Thread reader;

  SseClient(HttpClient http, URI uri) throws Exception {
    response =
        http.send(
            HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofLines());
    reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  int status() {
    return response.statusCode();
  }

  private void read() {
    String name = "message";
    List<String> data = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) { // the end of one event
          if (!data.isEmpty()) {
            events.add(new Event(name, String.join("\n", data)));
          }
          name = "message";
          data.clear();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.add(line.substring(5).strip());
        } // comments (":...") and other fields are ignored
      }
    } catch (RuntimeException e) {
      // closed under our feet
    }
  }

  /** Waits for the first event (among all received so far) that satisfies the condition. */
  Event next(Duration timeout, Predicate<Event> condition) {
    return Awaitility.await()
        .atMost(timeout)
        .until(() -> events.stream().filter(condition).findFirst().orElse(null), e -> e != null);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() {
    response.body().close();
    reader.interrupt();
  }
}
