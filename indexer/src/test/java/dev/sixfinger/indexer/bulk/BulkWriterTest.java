package dev.sixfinger.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.indexer.document.IndexDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theBodyIsAnIndexActionAndTheDocumentPerLine() throws Exception {
    List<IndexDocument> docs =
        List.of(
            new IndexDocument(
                "sixfinger-events-2026.11.24",
                "sixfinger.events-0-7",
                "{\"a\":\"x\\ny\"}".getBytes(StandardCharsets.UTF_8)),
            new IndexDocument(
                "sixfinger-alerts-2026.11.24",
                "sixfinger.alerts-2-9",
                "{\"b\":1}".getBytes(StandardCharsets.UTF_8)));
    String[] lines = new String(BulkWriter.body(docs), StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines).hasSize(5);
    assertThat(lines[4]).isEmpty(); // the body ends with a newline, as _bulk requires
    JsonNode first = JSON.readTree(lines[0]).path("index");
    assertThat(first.path("_index").asText()).isEqualTo("sixfinger-events-2026.11.24");
    assertThat(first.path("_id").asText()).isEqualTo("sixfinger.events-0-7");
    assertThat(JSON.readTree(lines[1]).path("a").asText()).isEqualTo("x\ny");
    assertThat(JSON.readTree(lines[2]).path("index").path("_id").asText())
        .isEqualTo("sixfinger.alerts-2-9");
    assertThat(lines[3]).isEqualTo("{\"b\":1}");
  }

  @Test
  void errorsAreDescribedWithTheirCause() throws Exception {
    JsonNode error =
        JSON.readTree(
            "{\"type\":\"document_parsing_exception\",\"reason\":\"failed to parse field [cpus]\","
                + "\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"lots\"}}");
    assertThat(BulkWriter.describe(error))
        .isEqualTo(
            "document_parsing_exception: failed to parse field [cpus] (caused by"
                + " illegal_argument_exception: lots)");
  }
}
