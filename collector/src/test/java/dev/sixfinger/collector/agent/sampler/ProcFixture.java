package dev.sixfinger.collector.agent.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Recorded proc roots from {@code src/test/resources/agent/proc}, and lookups in results. */
final class ProcFixture {
  static final long T0 = 1_700_000_000_000_000L;
  static final long TEN_SECONDS = 10_000_000L;

  private ProcFixture() {}

  /** Copies a snapshot over {@code root}, replacing the files it has and keeping the others. */
  static void copy(String snapshot, Path root) {
    try {
      Path from = Path.of(ProcFixture.class.getResource("/agent/proc/" + snapshot).toURI());
      try (Stream<Path> files = Files.walk(from)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path to = root.resolve(from.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(to);
          } else {
            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes one file under the root, creating directories. */
  static void write(Path root, String file, String content) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content, StandardCharsets.UTF_8);
  }

  /** The one event with this service (and attribute value, if given). */
  static Event only(List<Event> events, String service, String... attributeValue) {
    List<Event> matching =
        events.stream()
            .filter(e -> e.service().equals(service))
            .filter(
                e -> attributeValue.length == 0 || e.attributes().containsValue(attributeValue[0]))
            .toList();
    assertThat(matching).as("%s %s in %s", service, List.of(attributeValue), events).hasSize(1);
    return matching.get(0);
  }

  static List<String> services(List<Event> events) {
    return events.stream().map(Event::service).toList();
  }
}
