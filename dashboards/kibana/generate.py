#!/usr/bin/env python3
"""Writes sixfinger.ndjson: the Kibana saved objects (data views, saved searches, Lens
visualizations, dashboards) in the shapes Kibana 8.9+ exports. Run it after changing a panel:
    python3 dashboards/kibana/generate.py
The fleet-swap threshold is read from config/rules/fleet.yml, so the chart follows the rule.
ServerKibanaObjectsTest checks every field against the indexer's templates and every reference."""
import json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORE = "8.8.0"

def swap_threshold():
    text = open(os.path.join(ROOT, "config/rules/fleet.yml")).read()
    rule = text[text.index("name: fleet-swap"):]
    return re.search(r"condition:\s*metric\s*>\s*([0-9.]+)", rule).group(1)

THRESHOLD = swap_threshold()
objects = []

def obj(type_, id_, attributes, references, tmv):
    objects.append({"attributes": attributes, "coreMigrationVersion": CORE, "id": id_,
                    "managed": False, "references": references, "type": type_,
                    "typeMigrationVersion": tmv})

# ---- data views --------------------------------------------------------------------------
VIEWS = {"events": "Sixfinger events", "alerts": "Sixfinger alerts", "health": "Sixfinger health",
         "scheduler": "Sixfinger scheduler", "notifications": "Sixfinger notifications",
         "silences": "Sixfinger silences"}
for name, title in VIEWS.items():
    obj("index-pattern", "sixfinger-" + name,
        {"fieldAttrs": "{}", "fieldFormatMap": "{}", "fields": "[]", "name": title,
         "runtimeFieldMap": "{}", "sourceFilters": "[]", "timeFieldName": "@timestamp",
         "title": "sixfinger-%s-*" % name, "typeMeta": "{}"}, [], "8.0.0")

def view(name):
    return "sixfinger-" + name

# ---- saved searches ----------------------------------------------------------------------
def search(id_, title, data, query, columns):
    source = {"query": {"query": query, "language": "kuery"}, "filter": [],
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    obj("search", id_,
        {"columns": columns, "description": "", "grid": {}, "hideChart": False,
         "isTextBasedQuery": False,
         "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source)},
         "sort": [["@timestamp", "desc"]], "title": title},
        [{"id": view(data), "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
          "type": "index-pattern"}], "8.0.0")

search("sixfinger-search-critical-events", "Sixfinger: critical events", "events",
       'event.state : "critical"', ["host.name", "service.name", "metric", "message"])
search("sixfinger-search-firing-alerts", "Sixfinger: alert transitions", "alerts", "",
       ["rule.name", "status", "severity", "host.name", "message"])
search("sixfinger-search-pages", "Sixfinger: notifications sent", "notifications",
       'outcome : "sent"', ["receiver", "groupKey", "firing", "resolved"])
search("sixfinger-search-silences", "Sixfinger: silences", "silences", "",
       ["createdBy", "comment", "matchers.name", "matchers.value", "startsAt", "endsAt"])
search("sixfinger-search-host-health", "Sixfinger: host health changes", "scheduler",
       'type : "host-health"', ["host.name", "from", "to", "cause", "detail"])
search("sixfinger-search-health-records", "Sixfinger: health decisions", "health", "",
       ["host.name", "action", "decisions.rule", "decisions.reason"])

# ---- Lens columns ------------------------------------------------------------------------
def date_col():
    return {"label": "@timestamp", "dataType": "date", "operationType": "date_histogram",
            "sourceField": "@timestamp", "isBucketed": True, "scale": "interval",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}

def count_col(label, kql=None):
    c = {"label": label, "dataType": "number", "operationType": "count", "isBucketed": False,
         "scale": "ratio", "sourceField": "___records___", "params": {"emptyAsNull": True},
         "customLabel": True}
    if kql:
        c["filter"] = {"query": kql, "language": "kuery"}
    return c

def metric_col(op, field, label, params=None, fmt=None):
    p = dict(params or {})
    if op != "percentile" and op != "last_value":
        p.setdefault("emptyAsNull", True)
    if fmt:
        p["format"] = fmt
    return {"label": label, "dataType": "number", "operationType": op, "sourceField": field,
            "isBucketed": False, "scale": "ratio", "params": p, "customLabel": True}

def last_value_col(field, label):
    return {"label": label, "dataType": "string", "operationType": "last_value",
            "sourceField": field, "isBucketed": False, "scale": "ordinal",
            "filter": {"query": field + ": *", "language": "kuery"},
            "params": {"sortField": "@timestamp", "showArrayValues": True}, "customLabel": True}

def terms_col(field, size, order_by, label=None):
    return {"label": label or "Top %d values of %s" % (size, field), "dataType": "string",
            "operationType": "terms", "scale": "ordinal", "sourceField": field,
            "isBucketed": True, "customLabel": label is not None,
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by},
                       "orderDirection": "desc", "otherBucket": False, "missingBucket": False,
                       "parentFormat": {"id": "terms"}, "include": [], "exclude": [],
                       "includeIsRegex": False, "excludeIsRegex": False}}

def ratio_formula(cid, label, num_kql, den_kql, field):
    """A Lens formula unique_count(field, kql=num) / unique_count(field, kql=den), with the
    helper columns (X0, X1: the counts, X2: the division) Lens stores alongside it."""
    text = "unique_count(%s, kql='%s') / unique_count(%s, kql='%s')" % (
        field, num_kql, field, den_kql)
    part = "Part of " + label
    def uc(kql):
        return {"label": part, "dataType": "number", "operationType": "unique_count",
                "sourceField": field, "isBucketed": False, "scale": "ratio",
                "filter": {"language": "kuery", "query": kql},
                "params": {"emptyAsNull": False}, "customLabel": True}
    return {
        cid + "X0": uc(num_kql),
        cid + "X1": uc(den_kql),
        cid + "X2": {"label": part, "dataType": "number", "operationType": "math",
                     "isBucketed": False, "scale": "ratio",
                     "params": {"tinymathAst": {"type": "function", "name": "divide",
                                                "args": [cid + "X0", cid + "X1"],
                                                "location": {"min": 0, "max": len(text)},
                                                "text": text}},
                     "references": [cid + "X0", cid + "X1"], "customLabel": True},
        cid: {"label": label, "dataType": "number", "operationType": "formula",
              "isBucketed": False, "scale": "ratio",
              "params": {"formula": text, "isFormulaBroken": False,
                         "format": {"id": "percent", "params": {"decimals": 0}}},
              "references": [cid + "X2"], "customLabel": True},
    }

# ---- Lens visualizations -----------------------------------------------------------------
AXES = {"x": True, "yLeft": True, "yRight": True}

def xy(series, layer, x, accessors, split=None, legend=True):
    l = {"layerId": layer, "accessors": accessors, "position": "top", "seriesType": series,
         "showGridlines": False, "layerType": "data", "xAccessor": x}
    if split:
        l["splitAccessor"] = split
    return {"legend": {"isVisible": legend, "position": "right"}, "valueLabels": "hide",
            "fittingFunction": "None", "axisTitlesVisibilitySettings": AXES,
            "tickLabelsVisibilitySettings": AXES, "gridlinesVisibilitySettings": AXES,
            "labelsOrientation": {"x": 0, "yLeft": 0, "yRight": 0},
            "yLeftExtent": {"mode": "full"}, "yRightExtent": {"mode": "full"},
            "preferredSeriesType": series, "layers": [l]}

def lens(id_, title, data, vis_type, columns, order, visualization, query="", description=""):
    layer = "layer-" + id_.replace("sixfinger-lens-", "")
    vis = visualization(layer) if callable(visualization) else visualization
    obj("lens", id_,
        {"description": description, "title": title, "visualizationType": vis_type,
         "state": {"adHocDataViews": {}, "internalReferences": [], "filters": [],
                   "query": {"query": query, "language": "kuery"}, "visualization": vis,
                   "datasourceStates": {"formBased": {"layers": {layer: {
                       "columns": columns, "columnOrder": order, "incompleteColumns": {},
                       "sampling": 1, "ignoreGlobalFilters": False}}}}}},
        [{"id": view(data), "name": "indexpattern-datasource-layer-" + layer,
          "type": "index-pattern"}], "8.9.0")
    return id_

def over_time(id_, title, data, metric, query="", split_field=None, series="line", size=10):
    cols = {"t": date_col(), "m": metric}
    order = ["t", "m"]
    if split_field:
        cols["s"] = terms_col(split_field, size, "m")
        order = ["s", "t", "m"]
    return lens(id_, title, data, "lnsXY", cols, order,
                lambda l: xy(series, l, "t", ["m"], "s" if split_field else None), query)

def top_n(id_, title, data, metric, field, query="", size=10):
    return lens(id_, title, data, "lnsXY", {"b": terms_col(field, size, "m"), "m": metric},
                ["b", "m"], lambda l: xy("bar_horizontal", l, "b", ["m"], legend=False), query)

def heatmap(id_, title, data, metric, field, query="", size=20):
    cols = {"y": terms_col(field, size, "v"), "x": date_col(), "v": metric}
    def vis(l):
        return {"shape": "heatmap", "layerId": l, "layerType": "data", "xAccessor": "x",
                "yAccessor": "y", "valueAccessor": "v",
                "legend": {"isVisible": True, "position": "right", "type": "heatmap_legend"},
                "gridConfig": {"type": "heatmap_grid", "isCellLabelVisible": False,
                               "isYAxisLabelVisible": True, "isXAxisLabelVisible": True,
                               "isYAxisTitleVisible": False, "isXAxisTitleVisible": False}}
    return lens(id_, title, data, "lnsHeatmap", cols, ["y", "x", "v"], vis, query)

def table(id_, title, data, cols, order, query=""):
    return lens(id_, title, data, "lnsDatatable", cols, order,
                lambda l: {"layerId": l, "layerType": "data",
                           "columns": [{"columnId": c, "isTransposed": False} for c in order]},
                query)

def metric(id_, title, data, col, query=""):
    return lens(id_, title, data, "lnsMetric", {"m": col}, ["m"],
                lambda l: {"layerId": l, "layerType": "data", "metricAccessor": "m"}, query)

PCT = {"id": "percent", "params": {"decimals": 0}}

def svc(name):
    return 'service.name : "%s"' % name

# Fleet
fleet = [
    (over_time("sixfinger-lens-hosts-reporting", "Hosts reporting", "events",
               metric_col("unique_count", "host.name", "Hosts")), 24, 10),
    (lens("sixfinger-lens-hosts-swapping", "Share of hosts swapping (swap/in-rate > %s)" % THRESHOLD,
          "events", "lnsXY",
          dict([("t", date_col())] + list(ratio_formula(
              "share", "Hosts swapping", "%s and metric > %s" % (svc("swap/in-rate"), THRESHOLD),
              svc("swap/in-rate"), "host.name").items())),
          ["t", "shareX0", "shareX1", "shareX2", "share"],
          lambda l: xy("line", l, "t", ["share"], legend=False),
          description="The fleet-swap rule's condition (config/rules/fleet.yml) over the hosts "
                      "that report swap/in-rate"), 24, 10),
    (top_n("sixfinger-lens-cpu-top", "CPU (user) by host, top 10", "events",
           metric_col("average", "metric", "CPU user", fmt=PCT), "host.name", svc("cpu/user")), 16, 12),
    (top_n("sixfinger-lens-memory-top", "Memory used by host, top 10", "events",
           metric_col("average", "metric", "Memory used", fmt=PCT), "host.name",
           svc("memory/used-fraction")), 16, 12),
    (top_n("sixfinger-lens-load-top", "Load per core by host, top 10", "events",
           metric_col("average", "metric", "Load per core"), "host.name", svc("load/1-per-core")), 16, 12),
    (heatmap("sixfinger-lens-cpu-heatmap", "CPU (user) heat map", "events",
             metric_col("average", "metric", "CPU user", fmt=PCT), "host.name", svc("cpu/user")), 24, 14),
    (heatmap("sixfinger-lens-memory-heatmap", "Memory used heat map", "events",
             metric_col("average", "metric", "Memory used", fmt=PCT), "host.name",
             svc("memory/used-fraction")), 24, 14),
    (heatmap("sixfinger-lens-load-heatmap", "Load per core heat map", "events",
             metric_col("average", "metric", "Load per core"), "host.name", svc("load/1-per-core")), 24, 14),
    (table("sixfinger-lens-disk-use", "Disk use by host and mount", "events",
           {"h": terms_col("host.name", 50, "m", "Host"), "d": terms_col("labels.mount", 10, "m", "Mount"),
            "m": metric_col("max", "metric", "Used", fmt=PCT)}, ["h", "d", "m"],
           svc("disk/used-fraction")), 24, 14),
    (table("sixfinger-lens-silent-hosts", "Silent hosts (host-silent alerts)", "alerts",
           {"h": terms_col("host.name", 100, "n", "Host"), "s": last_value_col("status", "Status now"),
            "n": count_col("Transitions")}, ["h", "s", "n"], 'rule.name : "host-silent"'), 24, 14),
]
# Alerts
alerts = [
    (over_time("sixfinger-lens-firing-by-rule", "Alerts firing by rule", "alerts",
               count_col("Firing transitions"), 'status : "firing"', "rule.name", "bar_stacked"), 24, 12),
    (over_time("sixfinger-lens-firing-by-severity", "Alerts firing by severity", "alerts",
               count_col("Firing transitions"), 'status : "firing"', "severity", "bar_stacked"), 24, 12),
    (top_n("sixfinger-lens-time-to-resolve", "Time to resolve by rule (average)", "alerts",
           metric_col("average", "event.duration", "Time to resolve",
                      fmt={"id": "duration", "params": {"fromUnit": "nanoseconds",
                                                        "toUnit": "humanize"}}),
           "rule.name", 'status : "resolved"'), 24, 12),
    (top_n("sixfinger-lens-noisiest-rules", "Noisiest rules", "alerts",
           count_col("Firing transitions"), "rule.name", 'status : "firing"'), 24, 12),
    (over_time("sixfinger-lens-pages-sent", "Notifications sent by receiver", "notifications",
               count_col("Sent"), 'outcome : "sent"', "receiver", "bar_stacked"), 24, 12),
    (metric("sixfinger-lens-failed-notifications", "Failed notification attempts", "notifications",
            count_col("Failed attempts"), 'not outcome : "sent"'), 12, 12),
    (metric("sixfinger-lens-silence-changes", "Silences created or changed", "silences",
            metric_col("unique_count", "id", "Silences")), 12, 12),
    (table("sixfinger-lens-silences-by-author", "Silences by author", "silences",
           {"a": terms_col("createdBy", 20, "n", "Author"), "n": metric_col("unique_count", "id", "Silences")},
           ["a", "n"]), 24, 12),
]
# Scheduler
scheduler = [
    (over_time("sixfinger-lens-jobs-submitted", "Jobs submitted by user", "scheduler",
               count_col("Jobs submitted"), 'type : "job-submitted"', "job.user", "bar_stacked"), 24, 12),
    (over_time("sixfinger-lens-cpus-requested", "CPUs requested by user", "scheduler",
               metric_col("sum", "job.cpus", "CPUs requested"), 'type : "job-submitted"', "job.user",
               "bar_stacked"), 24, 12),
    (over_time("sixfinger-lens-placements", "Instances started", "scheduler",
               count_col("Placements"), 'type : "instance-started"'), 24, 12),
    (over_time("sixfinger-lens-instance-ends", "Instances ended by reason", "scheduler",
               count_col("Instances"), 'type : "instance-updated" and reason : *', "reason",
               "bar_stacked"), 24, 12),
    (over_time("sixfinger-lens-preemptions", "Preemptions", "scheduler",
               count_col("Preemptions"), 'type : "preempted"', series="bar"), 24, 12),
    (metric("sixfinger-lens-preempted-tasks", "Tasks preempted", "scheduler",
            metric_col("unique_count", "victims", "Tasks preempted"), 'type : "preempted"'), 24, 12),
    (table("sixfinger-lens-host-health", "Cordoned and draining hosts, with reasons", "scheduler",
           {"h": terms_col("host.name", 100, "n", "Host"), "s": last_value_col("to", "State"),
            "c": last_value_col("cause", "Cause"), "d": last_value_col("detail", "Reason"),
            "n": count_col("Changes")}, ["h", "s", "c", "d", "n"], 'type : "host-health"'), 48, 14),
    (over_time("sixfinger-lens-guard-rails", "Guard-rail holds by kind", "scheduler",
               count_col("Holds"), 'type : "guard-rail"', "alert.kind", "bar_stacked"), 24, 12),
    (table("sixfinger-lens-overrides", "Operator overrides", "scheduler",
           {"h": terms_col("override.host", 50, "n", "Host"), "s": last_value_col("override.state", "State"),
            "a": last_value_col("override.author", "Author"), "r": last_value_col("override.reason", "Reason"),
            "n": count_col("Overrides")}, ["h", "s", "a", "r", "n"], 'type : "override-set"'), 24, 12),
]

def dashboard(id_, title, description, panels, searches):
    grid, refs, x, y, row = [], [], 0, 0, 0
    items = [(p, "lens", w, h) for (p, w, h) in panels] + [(s, "search", 48, 14) for s in searches]
    for n, (ref, type_, w, h) in enumerate(items, 1):
        if x + w > 48:
            x, y = 0, y + row
            row = 0
        pid = "p%d" % n
        grid.append({"version": "8.9.0", "type": type_,
                     "gridData": {"x": x, "y": y, "w": w, "h": h, "i": pid}, "panelIndex": pid,
                     "embeddableConfig": {"enhancements": {}}, "panelRefName": "panel_" + pid})
        refs.append({"id": ref, "name": "%s:panel_%s" % (pid, pid), "type": type_})
        x += w
        row = max(row, h)
    obj("dashboard", id_,
        {"description": description, "title": title, "timeRestore": True, "timeFrom": "now-24h",
         "timeTo": "now", "refreshInterval": {"pause": False, "value": 30000},
         "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True,
                                    "syncTooltips": False, "hidePanelTitles": False}),
         "panelsJSON": json.dumps(grid), "version": 1,
         "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
             {"query": {"query": "", "language": "kuery"}, "filter": []})}},
        refs, "8.7.0")

dashboard("sixfinger-dashboard-fleet", "Sixfinger: Fleet",
          "Hosts reporting, swapping, CPU, memory, load, disks and silent hosts",
          fleet, ["sixfinger-search-critical-events"])
dashboard("sixfinger-dashboard-alerts", "Sixfinger: Alerts",
          "Alerts firing, time to resolve, notifications sent, silences, noisiest rules",
          alerts, ["sixfinger-search-firing-alerts", "sixfinger-search-pages",
                   "sixfinger-search-silences"])
dashboard("sixfinger-dashboard-scheduler", "Sixfinger: Scheduler",
          "Jobs submitted and placed per user, preemptions, cordoned and draining hosts",
          scheduler, ["sixfinger-search-host-health", "sixfinger-search-health-records"])

with open(os.path.join(HERE, "sixfinger.ndjson"), "w") as out:
    for o in objects:
        out.write(json.dumps(o, separators=(",", ":"), sort_keys=True) + "\n")
print("wrote %d objects" % len(objects))
