package dev.sixfinger.server.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.indexer.document.IndexNames;
import dev.sixfinger.indexer.template.IndexTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Kibana objects against the indexer's real templates (see {@link SavedObjectsCheck}).
 */
class KibanaSavedObjectsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SavedObjectsCheck check =
      new SavedObjectsCheck(
          new IndexTemplates(new IndexNames("sixfinger"), 1, 1000), new IndexNames("sixfinger"));

  private static List<ObjectNode> shipped() throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    for (String line : KibanaObjects.ndjson().split("\n")) {
      if (!line.isBlank()) {
        out.add((ObjectNode) JSON.readTree(line));
      }
    }
    return out;
  }

  @Test
  void everyFieldIsMappedWithASuitableTypeAndEveryReferenceResolves() throws IOException {
    List<ObjectNode> objects = shipped();
    assertThat(check.check(objects)).isEmpty();
    assertThat(objects)
        .extracting(o -> o.path("type").asText())
        .contains("index-pattern", "search", "lens", "dashboard");
    assertThat(objects.stream().filter(o -> o.path("type").asText().equals("dashboard")))
        .extracting(o -> o.path("attributes").path("title").asText())
        .containsExactly("Sixfinger: Fleet", "Sixfinger: Alerts", "Sixfinger: Scheduler");
  }

  @Test
  void everyLensAndSearchIsOnADashboard() throws IOException {
    List<ObjectNode> objects = shipped();
    List<String> onDashboards = new ArrayList<>();
    objects.stream()
        .filter(o -> o.path("type").asText().equals("dashboard"))
        .forEach(d -> d.path("references").forEach(r -> onDashboards.add(r.path("id").asText())));
    assertThat(
            objects.stream()
                .filter(o -> List.of("lens", "search").contains(o.path("type").asText())))
        .extracting(o -> o.path("id").asText())
        .allMatch(onDashboards::contains);
  }

  @Test
  void theSwappingShareUsesTheFleetSwapRulesThreshold() throws IOException {
    String rules = Files.readString(Path.of("../config/rules/fleet.yml"));
    Matcher m =
        Pattern.compile("name: fleet-swap[\\s\\S]*?condition:\\s*metric\\s*>\\s*([0-9.]+)")
            .matcher(rules);
    assertThat(m.find()).isTrue();
    JsonNode lens = byId(shipped(), "sixfinger-lens-hosts-swapping");
    assertThat(lens.toString()).contains("metric > " + m.group(1));
  }

  // The check must fail on the mistakes it is there to catch.

  @Test
  void aFieldTheTemplatesDoNotHaveIsReported() throws IOException {
    assertThat(broken("sixfinger-lens-cpu-top", o -> column(o, "m").put("sourceField", "cpu.pct")))
        .anySatisfy(p -> assertThat(p).contains("field cpu.pct is not mapped"));
  }

  @Test
  void anAverageOfAKeywordIsReported() throws IOException {
    assertThat(
            broken("sixfinger-lens-cpu-top", o -> column(o, "m").put("sourceField", "host.name")))
        .anySatisfy(p -> assertThat(p).contains("field host.name is keyword"));
  }

  @Test
  void aFieldInAQueryOrFilterIsChecked() throws IOException {
    assertThat(
            broken(
                "sixfinger-lens-cpu-top",
                o ->
                    ((ObjectNode) o.path("attributes").path("state").path("query"))
                        .put("query", "servce.name : \"cpu/user\"")))
        .anySatisfy(p -> assertThat(p).contains("field servce.name is not mapped"));
    assertThat(
            broken(
                "sixfinger-lens-hosts-swapping",
                o -> ((ObjectNode) column(o, "shareX0").path("filter")).put("query", "swap > 1")))
        .anySatisfy(p -> assertThat(p).contains("field swap is not mapped"));
  }

  @Test
  void aFieldOfAnotherDataViewIsReported() throws IOException {
    // severity exists in the alerts indices, not in the events ones.
    assertThat(broken("sixfinger-lens-cpu-top", o -> column(o, "b").put("sourceField", "severity")))
        .anySatisfy(p -> assertThat(p).contains("severity is not mapped in sixfinger-events-*"));
  }

  @Test
  void danglingReferencesAreReported() throws IOException {
    assertThat(
            broken(
                "sixfinger-dashboard-fleet",
                o -> ((ObjectNode) o.path("references").get(0)).put("id", "no-such-lens")))
        .anySatisfy(p -> assertThat(p).contains("lens no-such-lens is not in the files"));
    assertThat(
            broken(
                "sixfinger-lens-cpu-top",
                o -> ((ObjectNode) o.path("references").get(0)).put("name", "indexpattern-x")))
        .anySatisfy(p -> assertThat(p).contains("no data view reference"));
    assertThat(
            broken(
                "sixfinger-dashboard-alerts",
                o -> ((ObjectNode) o.path("references").get(1)).put("name", "p2:panel_p9")))
        .anySatisfy(p -> assertThat(p).contains("has no reference p2:panel_p2"));
    assertThat(
            broken(
                "sixfinger-search-silences",
                o -> ((ObjectNode) o.path("references").get(0)).put("id", "sixfinger-nothing")))
        .anySatisfy(
            p -> assertThat(p).contains("index-pattern sixfinger-nothing is not in the files"));
  }

  @Test
  void aDataViewOnAnIndexTheIndexerDoesNotWriteIsReported() throws IOException {
    assertThat(
            broken(
                "sixfinger-events",
                o -> ((ObjectNode) o.path("attributes")).put("title", "sixfinger-event-*")))
        .anySatisfy(p -> assertThat(p).contains("sixfinger-event-* is no index pattern"));
  }

  private List<String> broken(String id, Consumer<ObjectNode> breakIt) throws IOException {
    List<ObjectNode> objects = shipped();
    breakIt.accept(byId(objects, id));
    return check.check(objects);
  }

  private static ObjectNode column(ObjectNode lens, String column) {
    JsonNode layers =
        lens.path("attributes")
            .path("state")
            .path("datasourceStates")
            .path("formBased")
            .path("layers");
    return (ObjectNode) layers.elements().next().path("columns").path(column);
  }

  private static ObjectNode byId(List<ObjectNode> objects, String id) {
    return objects.stream().filter(o -> o.path("id").asText().equals(id)).findFirst().orElseThrow();
  }
}
