package dev.sixfinger.indexer.template;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.indexer.document.Dataset;
import dev.sixfinger.indexer.document.IndexNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * The composable index templates for the daily indices: one component with the ECS fields every
 * dataset shares, and one index template per dataset. Their priority is above the built-in {@code
 * logs-*} and {@code metrics-*} templates (100), so that ours win should a pattern ever overlap.
 *
 * <p>Dynamic fields are bounded: past {@code totalFieldsLimit} fields, new ones are kept in the
 * source but not mapped ({@code ignore_dynamic_beyond_limit}), so an agent sending thousands of
 * attribute names cannot explode the mapping nor get its events refused.
 */
public final class IndexTemplates {
  public static final int PRIORITY = 200;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final IndexNames names;
  private final int replicas;
  private final int totalFieldsLimit;

  public IndexTemplates(IndexNames names, int replicas, int totalFieldsLimit) {
    this.names = names;
    this.replicas = replicas;
    this.totalFieldsLimit = totalFieldsLimit;
  }

  public String componentName() {
    return names.prefix() + "-ecs";
  }

  public String templateName(Dataset dataset) {
    return names.prefix() + "-" + dataset.indexName();
  }

  /** The component template's body. */
  public ObjectNode component() {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode template = body.putObject("template");
    template.set("mappings", resource("ecs-mappings.json"));
    body.putObject("_meta").put("managed_by", "sixfinger");
    return body;
  }

  /** The index template of {@code dataset}. */
  public ObjectNode indexTemplate(Dataset dataset) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("index_patterns").add(names.pattern(dataset));
    body.putArray("composed_of").add(componentName());
    body.put("priority", PRIORITY);
    ObjectNode template = body.putObject("template");
    ObjectNode settings = template.putObject("settings");
    settings.put("number_of_replicas", replicas);
    settings.put("mapping.total_fields.limit", totalFieldsLimit);
    settings.put("mapping.total_fields.ignore_dynamic_beyond_limit", true);
    template.set("mappings", resource(dataset.indexName() + "-mappings.json"));
    body.putObject("_meta").put("managed_by", "sixfinger").put("dataset", dataset.topic());
    return body;
  }

  /** Installs (or replaces) every template; existing indices keep their mapping. */
  public void install(ElasticsearchClient client) throws IOException {
    String component = component().toString();
    client
        .cluster()
        .putComponentTemplate(b -> b.name(componentName()).withJson(new StringReader(component)));
    for (Dataset d : Dataset.values()) {
      String body = indexTemplate(d).toString();
      client
          .indices()
          .putIndexTemplate(b -> b.name(templateName(d)).withJson(new StringReader(body)));
    }
  }

  private static ObjectNode resource(String name) {
    try (InputStream in = IndexTemplates.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing template resource " + name);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
