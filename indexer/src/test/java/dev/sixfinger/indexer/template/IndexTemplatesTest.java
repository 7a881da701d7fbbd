package dev.sixfinger.indexer.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sixfinger.indexer.document.Dataset;
import dev.sixfinger.indexer.document.IndexNames;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {
  private final IndexTemplates templates = new IndexTemplates(new IndexNames("sixfinger"), 1, 800);

  @Test
  void eachDatasetHasATemplateAboveTheBuiltInOnes() {
    for (Dataset d : Dataset.values()) {
      JsonNode t = templates.indexTemplate(d);
      assertThat(t.path("index_patterns").get(0).asText())
          .isEqualTo("sixfinger-" + d.indexName() + "-*");
      assertThat(t.path("priority").asInt()).isGreaterThan(100);
      assertThat(t.path("composed_of").get(0).asText()).isEqualTo(templates.componentName());
      JsonNode settings = t.path("template").path("settings");
      assertThat(settings.path("mapping.total_fields.limit").asInt()).isEqualTo(800);
      assertThat(settings.path("mapping.total_fields.ignore_dynamic_beyond_limit").asBoolean())
          .isTrue();
      assertThat(settings.path("number_of_replicas").asInt()).isEqualTo(1);
    }
  }

  @Test
  void theSharedComponentMapsTheEcsFieldsForExactFilters() {
    JsonNode props = templates.component().path("template").path("mappings").path("properties");
    assertThat(props.path("@timestamp").path("type").asText()).isEqualTo("date");
    assertThat(props.path("host").path("properties").path("name").path("type").asText())
        .isEqualTo("keyword");
    assertThat(props.path("service").path("properties").path("name").path("type").asText())
        .isEqualTo("keyword");
    assertThat(props.path("metric").path("type").asText()).isEqualTo("double");
    assertThat(props.path("tags").path("type").asText()).isEqualTo("keyword");
    assertThat(props.path("event").path("properties").path("kind").path("type").asText())
        .isEqualTo("keyword");
    assertThat(
            templates
                .component()
                .path("template")
                .path("mappings")
                .path("date_detection")
                .asBoolean(true))
        .isFalse();
  }

  @Test
  void evidenceIsKeptButNotMapped() {
    JsonNode alerts =
        templates
            .indexTemplate(Dataset.ALERTS)
            .path("template")
            .path("mappings")
            .path("properties");
    assertThat(alerts.path("evidence").path("enabled").asBoolean(true)).isFalse();
    JsonNode health =
        templates
            .indexTemplate(Dataset.HEALTH)
            .path("template")
            .path("mappings")
            .path("properties");
    assertThat(
            health
                .path("decisions")
                .path("properties")
                .path("evidence")
                .path("enabled")
                .asBoolean(true))
        .isFalse();
  }
}
