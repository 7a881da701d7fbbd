package dev.sixfinger.server.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.indexer.document.Dataset;
import dev.sixfinger.indexer.document.IndexNames;
import dev.sixfinger.indexer.template.IndexTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Kibana saved objects against the index templates the indexer installs: every field a data
 * view's objects use exists with a type that suits its use, and every reference resolves. Returns
 * the problems, one line each, so that a test can show that a broken object is caught.
 */
final class SavedObjectsCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NUMERIC =
      Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float");
  // A KQL field before an operator: `name : "x"`, `metric > 100`, `reason : *`.
  private static final Pattern KQL_FIELD =
      Pattern.compile("(?<![\\w.\"'])([@A-Za-z_][\\w.@]*)\\s*(:|<=|>=|<|>)");

  /** Field name to Elasticsearch type, per data view title ("sixfinger-events-*"). */
  private final Map<String, Map<String, String>> fieldsByPattern = new HashMap<>();

  SavedObjectsCheck(IndexTemplates templates, IndexNames names) {
    JsonNode component = templates.component().path("template").path("mappings");
    for (Dataset d : Dataset.values()) {
      Map<String, String> fields = new LinkedHashMap<>();
      flatten("", component.path("properties"), fields);
      JsonNode own = templates.indexTemplate(d).path("template").path("mappings");
      flatten("", own.path("properties"), fields);
      fieldsByPattern.put(names.pattern(d), fields);
    }
    this.labelPaths = new ArrayList<>();
    for (JsonNode t : component.path("dynamic_templates")) {
      t.fields()
          .forEachRemaining(
              e -> {
                JsonNode path = e.getValue().path("path_match");
                if (path.isTextual()) {
                  labelPaths.add(
                      new String[] {
                        path.asText(), e.getValue().path("mapping").path("type").asText()
                      });
                }
              });
    }
  }

  private final List<String[]> labelPaths;

  private static void flatten(String prefix, JsonNode props, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = props.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = prefix + e.getKey();
      JsonNode m = e.getValue();
      if (m.has("properties")) {
        flatten(name + ".", m.path("properties"), out);
      } else if (m.path("enabled").asBoolean(true)) {
        out.put(name, m.path("type").asText("object"));
      }
    }
  }

  /** The type of {@code field} in the indices of data view {@code pattern}, or null. */
  String typeOf(String pattern, String field) {
    Map<String, String> fields = fieldsByPattern.get(pattern);
    if (fields == null) {
      return null;
    }
    String t = fields.get(field);
    if (t != null) {
      return t;
    }
    // labels.* are agent attributes, mapped as keywords by a dynamic template.
    for (String[] p : labelPaths) {
      String glob = p[0];
      if (glob.endsWith(".*") && field.startsWith(glob.substring(0, glob.length() - 1))) {
        return p[1];
      }
    }
    return null;
  }

  List<String> check(List<ObjectNode> objects) {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> byKey = new HashMap<>();
    for (ObjectNode o : objects) {
      for (String f : List.of("type", "id", "attributes", "references")) {
        if (!o.has(f)) {
          problems.add(o.path("type").asText() + " " + o.path("id").asText() + ": no " + f);
        }
      }
      if (byKey.put(key(o.path("type").asText(), o.path("id").asText()), o) != null) {
        problems.add("duplicate " + o.path("type").asText() + " " + o.path("id").asText());
      }
    }
    for (ObjectNode o : objects) {
      String where = o.path("type").asText() + " " + o.path("id").asText();
      for (JsonNode r : o.path("references")) {
        if (!byKey.containsKey(key(r.path("type").asText(), r.path("id").asText()))) {
          problems.add(
              where
                  + ": reference "
                  + r.path("name").asText()
                  + " to "
                  + r.path("type").asText()
                  + " "
                  + r.path("id").asText()
                  + " is not in the files");
        }
      }
      switch (o.path("type").asText()) {
        case "index-pattern" -> checkDataView(where, o, problems);
        case "search" -> checkSearch(where, o, byKey, problems);
        case "lens" -> checkLens(where, o, byKey, problems);
        case "dashboard" -> checkDashboard(where, o, problems);
        default -> problems.add(where + ": unexpected type");
      }
    }
    return problems;
  }

  private void checkDataView(String where, JsonNode o, List<String> problems) {
    String title = o.path("attributes").path("title").asText();
    if (!fieldsByPattern.containsKey(title)) {
      problems.add(where + ": title " + title + " is no index pattern the indexer writes");
      return;
    }
    String time = o.path("attributes").path("timeFieldName").asText();
    if (!"date".equals(typeOf(title, time))) {
      problems.add(where + ": time field " + time + " is not a date");
    }
  }

  private String patternOf(
      String where, JsonNode ref, Map<String, JsonNode> byKey, List<String> p) {
    if (ref == null) {
      p.add(where + ": no data view reference");
      return null;
    }
    JsonNode view = byKey.get(key("index-pattern", ref.path("id").asText()));
    return view == null ? null : view.path("attributes").path("title").asText();
  }

  private static JsonNode reference(JsonNode o, String name) {
    for (JsonNode r : o.path("references")) {
      if (r.path("name").asText().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private void checkSearch(
      String where, JsonNode o, Map<String, JsonNode> byKey, List<String> problems) {
    JsonNode a = o.path("attributes");
    JsonNode source =
        parse(where, a.path("kibanaSavedObjectMeta").path("searchSourceJSON"), problems);
    if (source == null) {
      return;
    }
    String pattern =
        patternOf(where, reference(o, source.path("indexRefName").asText()), byKey, problems);
    if (pattern == null) {
      return;
    }
    for (JsonNode c : a.path("columns")) {
      exists(where, pattern, c.asText(), problems);
    }
    for (JsonNode s : a.path("sort")) {
      exists(where, pattern, s.path(0).asText(), problems);
    }
    kql(where, pattern, source.path("query").path("query").asText(), problems);
  }

  private void checkLens(
      String where, JsonNode o, Map<String, JsonNode> byKey, List<String> problems) {
    JsonNode state = o.path("attributes").path("state");
    JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
    if (layers.isEmpty()) {
      problems.add(where + ": no formBased layers");
    }
    Iterator<Map.Entry<String, JsonNode>> it = layers.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> layer = it.next();
      String pattern =
          patternOf(
              where,
              reference(o, "indexpattern-datasource-layer-" + layer.getKey()),
              byKey,
              problems);
      JsonNode columns = layer.getValue().path("columns");
      for (JsonNode id : layer.getValue().path("columnOrder")) {
        if (!columns.has(id.asText())) {
          problems.add(where + ": columnOrder names missing column " + id.asText());
        }
      }
      if (pattern == null) {
        continue;
      }
      Iterator<Map.Entry<String, JsonNode>> cs = columns.fields();
      while (cs.hasNext()) {
        Map.Entry<String, JsonNode> c = cs.next();
        column(where + " column " + c.getKey(), pattern, c.getValue(), columns, problems);
      }
      kql(where, pattern, state.path("query").path("query").asText(), problems);
    }
    String accessors = state.path("visualization").toString();
    Matcher m =
        Pattern.compile(
                "\"(?:xAccessor|yAccessor|valueAccessor|splitAccessor|"
                    + "metricAccessor|columnId)\":\"([^\"]+)\"")
            .matcher(accessors);
    while (m.find()) {
      boolean found = false;
      for (JsonNode layer : layers) {
        found |= layer.path("columns").has(m.group(1));
      }
      if (!found) {
        problems.add(where + ": the visualization uses missing column " + m.group(1));
      }
    }
  }

  private void column(
      String where, String pattern, JsonNode c, JsonNode columns, List<String> problems) {
    String op = c.path("operationType").asText();
    String field = c.path("sourceField").asText("");
    if (c.has("filter")) {
      kql(where, pattern, c.path("filter").path("query").asText(), problems);
    }
    for (JsonNode ref : c.path("references")) {
      if (!columns.has(ref.asText())) {
        problems.add(where + ": references missing column " + ref.asText());
      }
    }
    if (op.equals("terms")
        && !columns.has(c.path("params").path("orderBy").path("columnId").asText())) {
      problems.add(where + ": ordered by a missing column");
    }
    if (op.equals("last_value")) {
      expect(where, pattern, c.path("params").path("sortField").asText(), Set.of("date"), problems);
    }
    if (field.isEmpty() || field.equals("___records___")) {
      if (Set.of("count", "formula", "math", "static_value").contains(op)) {
        return;
      }
      problems.add(where + ": " + op + " without a field");
      return;
    }
    switch (op) {
      case "average", "sum", "median", "percentile", "standard_deviation" ->
          expect(where, pattern, field, NUMERIC, problems);
      case "min", "max" -> expect(where, pattern, field, union(NUMERIC, "date"), problems);
      case "date_histogram" -> expect(where, pattern, field, Set.of("date"), problems);
      case "terms", "unique_count", "last_value" ->
          expect(
              where, pattern, field, union(NUMERIC, "keyword", "date", "boolean", "ip"), problems);
      default -> problems.add(where + ": operation " + op + " is not checked");
    }
  }

  private static Set<String> union(Set<String> a, String... more) {
    Set<String> s = new java.util.HashSet<>(a);
    s.addAll(List.of(more));
    return s;
  }

  private void checkDashboard(String where, JsonNode o, List<String> problems) {
    JsonNode panels = parse(where, o.path("attributes").path("panelsJSON"), problems);
    if (panels == null) {
      return;
    }
    for (JsonNode p : panels) {
      String name = p.path("panelIndex").asText() + ":" + p.path("panelRefName").asText();
      JsonNode r = reference(o, name);
      if (r == null) {
        problems.add(
            where + ": panel " + p.path("panelIndex").asText() + " has no reference " + name);
      } else if (!r.path("type").asText().equals(p.path("type").asText())) {
        problems.add(
            where
                + ": panel "
                + name
                + " is a "
                + p.path("type").asText()
                + " but refers to a "
                + r.path("type").asText());
      }
    }
  }

  private void kql(String where, String pattern, String query, List<String> problems) {
    Matcher m = KQL_FIELD.matcher(query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
    while (m.find()) {
      exists(where, pattern, m.group(1), problems);
    }
  }

  private void exists(String where, String pattern, String field, List<String> problems) {
    if (typeOf(pattern, field) == null) {
      problems.add(where + ": field " + field + " is not mapped in " + pattern);
    }
  }

  private void expect(
      String where, String pattern, String field, Set<String> types, List<String> problems) {
    String t = typeOf(pattern, field);
    if (t == null) {
      problems.add(where + ": field " + field + " is not mapped in " + pattern);
    } else if (!types.contains(t)) {
      problems.add(where + ": field " + field + " is " + t + ", not one of " + types);
    }
  }

  private static JsonNode parse(String where, JsonNode text, List<String> problems) {
    try {
      return JSON.readTree(text.asText());
    } catch (java.io.IOException e) {
      problems.add(where + ": not JSON: " + e.getMessage());
      return null;
    }
  }

  private static String key(String type, String id) {
    return type + "/" + id;
  }
}
