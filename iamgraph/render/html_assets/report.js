/* iamgraph report page script. Every piece of account text is inserted with textContent; no innerHTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("iamgraph-data").textContent);
  var SHAPE_GLYPH = {dot: "\u25CF", square: "\u25A0", diamond: "\u25C6", triangle: "\u25B2",
                     triangleDown: "\u25BC", hexagon: "\u2B22", star: "\u2605"};
  var SEV_ORDER = {critical: 0, high: 1, medium: 2, low: 3};

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  /* Page data (see html.py _payload): nodes[i] is vis node "n<i>"; edges[j] = [from, to, edge_type, [evidence]]
     is vis edge "e<j>"; policy documents, evidence rows and edge attributes live once in docs/evidence/edge_types. */
  function indexOf(id, prefix, list) {
    var s = String(id);
    if (s.charAt(0) !== prefix) { return -1; }
    var i = Number(s.slice(1));
    return (i >= 0 && i < list.length && Math.floor(i) === i) ? i : -1;
  }
  function nodeAt(vid) { var i = indexOf(vid, "n", DATA.nodes); return i < 0 ? null : DATA.nodes[i]; }
  DATA.findings.forEach(function (f) {     /* hops and details are stored once, findings hold indexes */
    f.path = (f.path || []).map(function (i) { return DATA.hops[i]; });
    if (f.details !== undefined) { f.details = DATA.finding_details[f.details]; }
  });
  var ON_PATH = {};
  DATA.findings.forEach(function (f) { (f.hop_edges || []).forEach(function (e) { if (e) { ON_PATH[e] = true; } }); });
  function edgeAt(eid) {
    var j = indexOf(eid, "e", DATA.edges);
    if (j < 0) { return null; }
    var row = DATA.edges[j], shared = DATA.edge_types[row[2]] || {}, e = {};
    Object.keys(shared).forEach(function (k) { e[k] = shared[k]; });
    e.from_id = "n" + row[0]; e.to_id = "n" + row[1];
    e.from = DATA.nodes[row[0]].id; e.to = DATA.nodes[row[1]].id;
    e.evidence = (row[3] || []).map(function (i) { return DATA.evidence[i]; });
    e.on_path = ON_PATH["e" + j] === true;
    return e;
  }
  function label(vid) { var n = nodeAt(vid); return n ? String(n.label || n.id) : String(vid); }
  var ARN_TO_VID = Object.create(null);
  DATA.nodes.forEach(function (n, i) { ARN_TO_VID[n.id] = "n" + i; });
  function vidOf(arn) { return ARN_TO_VID[arn] || null; }
  var ADJ = null;   /* per node index: outgoing and incoming edge indexes, built on first use */
  function adjacency() {
    if (ADJ) { return ADJ; }
    ADJ = {out: DATA.nodes.map(function () { return []; }), in: DATA.nodes.map(function () { return []; })};
    DATA.edges.forEach(function (row, j) { ADJ.out[row[0]].push(j); ADJ.in[row[1]].push(j); });
    return ADJ;
  }
  function shortOf(arn) { var v = ARN_TO_VID[arn]; return v ? label(v) : String(arn); }

  function nodeLink(arn) {
    var vid = ARN_TO_VID[arn];
    if (!vid) { return el("span", null, arn); }
    var b = el("button", "ig-link", label(vid));
    b.type = "button";
    b.addEventListener("click", function (ev) { ev.stopPropagation(); focusNodes([vid]); showNode(vid); });
    return b;
  }
  function dl(pairs) {
    var list = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === "") { return; }
      list.appendChild(el("dt", null, p[0]));
      var dd = el("dd");
      if (p[1] instanceof Node) { dd.appendChild(p[1]); } else { dd.textContent = String(p[1]); }
      list.appendChild(dd);
    });
    return list;
  }
  function docBlock(index) {
    var doc = (index === undefined || index === null) ? null : DATA.docs[index];
    if (doc === undefined || doc === null) { return el("p", "ig-hint", "document not in the input"); }
    return el("pre", "ig-doc", typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
  }
  function evidenceTable(evidence) {
    var t = el("table", "ig-evidence");
    var head = el("tr");
    ["action", "resource", "policy", "type", "statement", "sid", "attached to"].forEach(function (h) {
      head.appendChild(el("th", null, h));
    });
    t.appendChild(head);
    (evidence || []).forEach(function (ev) {
      var row = el("tr");
      [ev.action, ev.resource, ev.policy, ev.policy_type, ev.statement, ev.sid, ev.attached_to].forEach(function (v) {
        row.appendChild(el("td", null, v === undefined || v === null ? "" : v));
      });
      t.appendChild(row);
    });
    if (!evidence || !evidence.length) {
      var r = el("tr"); var c = el("td", "ig-hint", "no statement evidence recorded"); c.colSpan = 7;
      r.appendChild(c); t.appendChild(r);
    }
    return t;
  }
  function panel(title) {
    var body = document.getElementById("ig-panel-body");
    clear(body);
    delete body.dataset.id;
    body.appendChild(el("h3", null, title));
    return body;
  }
  function findingsOf(vid) {
    var arn = nodeAt(vid) && nodeAt(vid).id;
    return DATA.findings.filter(function (f) {
      return (f.hop_nodes || []).indexOf(vid) >= 0 || f.source === arn || f.target === arn;
    });
  }

  var PRINCIPAL_KINDS = {user: true, group: true, role: true};
  function edgeLinks(title, list, other) {
    var box = el("div");
    if (!list.length) { return box; }
    box.appendChild(el("h3", null, title + " (" + list.length + ")"));
    var ul = el("ul");
    list.slice(0, 40).forEach(function (j) {
      var row = DATA.edges[j], t = DATA.edge_types[row[2]] || {};
      var b = el("button", "ig-link", (t.technique || t.kind) + (t.conditional ? "?" : "") + " \u2014 " +
                 label("n" + row[other]));
      b.type = "button";
      b.addEventListener("click", function (ev) {
        ev.stopPropagation();
        if (typeof network !== "undefined") { network.setSelection({nodes: [], edges: ["e" + j]}); }
        showEdge("e" + j);
      });
      var li = el("li"); li.appendChild(b); ul.appendChild(li);
    });
    if (list.length > 40) { ul.appendChild(el("li", "ig-hint", "\u2026 and " + (list.length - 40) + " more")); }
    box.appendChild(ul);
    return box;
  }

  function showNode(vid) {
    var n = nodeAt(vid);
    if (!n) { return; }
    var d = n.details || {};
    var body = panel(String(n.label || n.id));
    body.dataset.kind = "node";
    body.dataset.id = vid;
    body.appendChild(dl([["ARN", n.id], ["kind", n.hub ? "service resource hub" : n.kind], ["account", n.account],
                         ["path", d.path],
                         ["administrator", PRINCIPAL_KINDS[n.kind] ? (d.admin ? "yes" : "no") : null],
                         ["description", d.description],
                         ["stands for", n.hub ? "every role this service resource may run as: one node instead of " +
                          "an edge from each principal to each role (see the edges out)" : null]]));
    var tags = d.tags || {};
    if (Object.keys(tags).length) {
      body.appendChild(el("h3", null, "Tags"));
      body.appendChild(dl(Object.keys(tags).map(function (k) { return [k, tags[k]]; })));
    }
    if ((d.incomplete || []).length) {
      body.appendChild(el("h3", null, "Incomplete data"));
      var ul = el("ul");
      d.incomplete.forEach(function (x) { ul.appendChild(el("li", null, x)); });
      body.appendChild(ul);
    }
    (d.policies || []).forEach(function (p) {
      body.appendChild(el("h3", null, "Policy: " + p.policy + " (" + (p.policy_type || "?") + ")"));
      body.appendChild(docBlock(p.doc));
    });
    if (d.trust !== undefined) {
      body.appendChild(el("h3", null, "Trust policy"));
      body.appendChild(docBlock(d.trust));
    }
    var fs = findingsOf(vid);
    if (fs.length) {
      body.appendChild(el("h3", null, "Findings through this principal (" + fs.length + ")"));
      var list = el("ul");
      fs.slice(0, 50).forEach(function (f) {
        var b = el("button", "ig-link", "[" + f.severity + "] " + f.title);
        b.type = "button";
        b.addEventListener("click", function () { selectFinding(f); });
        var li = el("li"); li.appendChild(b); list.appendChild(li);
      });
      body.appendChild(list);
    }
    var i = indexOf(vid, "n", DATA.nodes), adj = adjacency();
    body.appendChild(edgeLinks("Edges out", adj.out[i], 1));
    body.appendChild(edgeLinks("Edges in", adj.in[i], 0));
  }

  function showEdge(eid) {
    var e = edgeAt(eid);
    if (!e) { return; }
    var body = panel((e.technique || e.kind) + ": " + label(e.from_id) + " \u2192 " + label(e.to_id));
    body.dataset.kind = "edge";
    body.dataset.id = eid;
    body.appendChild(dl([["from", nodeLink(e.from)], ["to", nodeLink(e.to)], ["technique", e.technique],
                         ["kind", e.kind], ["actions", (e.actions || []).join(", ")],
                         ["on a finding path", e.on_path ? "yes" : "no"],
                         ["status", e.conditional ? "conditional (potential)" : "definite"],
                         ["conditions", (e.conditions || []).join(", ")],
                         ["missing data", (e.missing || []).join(", ")], ["note", e.note], ["via", e.via]]));
    body.appendChild(el("h3", null, "Evidence (statements that allow this hop)"));
    body.appendChild(evidenceTable(e.evidence));
  }

  function focusNodes(vids) {
    if (typeof network === "undefined" || !vids.length) { return; }
    network.selectNodes(vids.slice(0, 1000), false);
    if (vids.length <= 60) { network.fit({nodes: vids, animation: false, maxZoomLevel: 1.2}); }
  }

  function selectFinding(f) {
    var edgesSel = (f.hop_edges || []).filter(function (x) { return x; });
    if (typeof network !== "undefined") {
      network.setSelection({nodes: f.hop_nodes || [], edges: edgesSel}, {highlightEdges: false});
      if ((f.hop_nodes || []).length) {
        network.fit({nodes: f.hop_nodes, animation: false, maxZoomLevel: 1.2});
      }
    }
    var body = panel("Finding: " + f.title);
    body.dataset.kind = "finding";
    body.appendChild(dl([["id", f.id], ["query", f.query], ["severity", f.severity],
                         ["source", nodeLink(f.source)], ["target", nodeLink(f.target)],
                         ["reaches admin", f.reaches_admin ? "yes" : "no"],
                         ["status", f.conditional ? "conditional (potential path)" : "definite"],
                         ["remediation", f.remediation]]));
    body.appendChild(hopList(f));
    if (f.details !== undefined && f.details !== null) { body.appendChild(findingDetails(f.details)); }
  }

  function findingDetails(details) {
    var box = el("div");
    var perms = details.permissions;
    if (perms && typeof perms === "object") {
      box.appendChild(el("h3", null, "Permissions (by service)"));
      var t = el("table", "ig-evidence"), head = el("tr");
      ["service", "actions", "resources", "denied"].forEach(function (h) { head.appendChild(el("th", null, h)); });
      t.appendChild(head);
      Object.keys(perms).forEach(function (svc) {
        var p = perms[svc] || {}, row = el("tr");
        [svc, p.actions, p.resources, p.denied].forEach(function (v) {
          row.appendChild(el("td", null, Array.isArray(v) ? v.join(", ") : (v === undefined ? "" : v)));
        });
        t.appendChild(row);
      });
      box.appendChild(t);
    }
    var rest = {};
    Object.keys(details).forEach(function (k) { if (k !== "permissions") { rest[k] = details[k]; } });
    if (Object.keys(rest).length) {
      box.appendChild(el("h3", null, "Details"));
      box.appendChild(el("pre", "ig-doc", JSON.stringify(rest, null, 2)));
    }
    return box;
  }

  function pathText(f) {
    var path = f.path || [];
    if (!path.length) { return shortOf(f.source); }
    return shortOf(path[0].from) + path.map(function (h) {
      return " -[" + (h.technique || h.kind) + (h.conditional ? "?" : "") + "]-> " + shortOf(h.to);
    }).join("");
  }

  function hopList(f) {
    var box = el("div");
    (f.path || []).forEach(function (hop, i) {
      var t = el("div", "ig-hop-title", (i + 1) + ". " + shortOf(hop.from) + " -[" + (hop.technique || hop.kind) +
                 "]-> " + shortOf(hop.to));
      if (hop.conditional) {
        t.appendChild(el("span", "ig-cond", "  conditional" +
          ((hop.conditions || []).length ? " on " + hop.conditions.join(", ") : "") +
          ((hop.missing || []).length ? " (missing: " + hop.missing.join(", ") + ")" : "")));
      }
      box.appendChild(t);
      box.appendChild(el("div", "ig-hint", "actions: " + (hop.actions || []).join(", ")));
      box.appendChild(evidenceTable(hop.evidence));
    });
    return box;
  }

  function renderHeader() {
    document.getElementById("ig-title").textContent = DATA.title;
    var tool = DATA.tool || {};
    document.getElementById("ig-tool").textContent =
      (tool.name || "iamgraph") + " " + (tool.version || "") + " \u00B7 accounts: " + (DATA.accounts || []).join(", ");
    var s = DATA.summary || {};
    var counts = {critical: 0, high: 0, medium: 0, low: 0};
    DATA.findings.forEach(function (f) { counts[f.severity] = (counts[f.severity] || 0) + 1; });
    var summary = document.getElementById("ig-summary");
    [["principals", s.principals], ["admins", s.admins], ["findings", DATA.findings.length]].forEach(function (p) {
      summary.appendChild(el("span", "ig-chip", p[0] + ": " + (p[1] === undefined ? 0 : p[1])));
    });
    Object.keys(counts).forEach(function (k) {
      if (counts[k]) { summary.appendChild(el("span", "ig-sev ig-sev-" + k, counts[k] + " " + k)); }
    });
    var legend = document.getElementById("ig-legend");
    DATA.legend.forEach(function (item) {
      var li = el("span", "ig-legend-item");
      var sw = el("span", "ig-swatch", SHAPE_GLYPH[item.shape] || "\u25CF");
      sw.style.color = item.color;
      li.appendChild(sw); li.appendChild(el("span", null, item.text));
      legend.appendChild(li);
    });
    var lines = [["solid", "#d62728", "escalation path"], ["dashed", "#d62728", "conditional / potential hop"],
                 ["solid", "#9aa0a6", "other relation"]];
    if (DATA.drawn.large) { lines.push(["solid", "#e8a33d", "other relation, conditional / potential"]); }
    else { lines.push(["dashed", "#9aa0a6", "other relation, conditional / potential"]); }
    lines.forEach(function (x) {
      var li = el("span", "ig-legend-item");
      var line = el("span", "ig-line");
      line.style.borderTopStyle = x[0]; line.style.borderTopColor = x[1];
      li.appendChild(line); li.appendChild(el("span", null, x[2]));
      legend.appendChild(li);
    });
    var dr = DATA.drawn;
    document.getElementById("ig-drawn").textContent = "Drawing " + dr.nodes + " of " + dr.total_nodes +
      " nodes and " + dr.edges + " edges" + (dr.full_graph ? " (full graph)." :
      " (the subgraph the findings touch; render with the full-graph option to see everything).");
  }

  var ROWS = [];
  function renderFindings() {
    var tbody = document.getElementById("ig-findings-body");
    var sorted = DATA.findings.slice().sort(function (a, b) {
      return (SEV_ORDER[a.severity] - SEV_ORDER[b.severity]) || String(a.id).localeCompare(String(b.id));
    });
    if (!sorted.length) { document.getElementById("ig-no-findings").hidden = false; }
    sorted.forEach(function (f) {
      var tr = el("tr", "ig-finding");
      var sev = el("td"); sev.appendChild(el("span", "ig-sev ig-sev-" + f.severity, f.severity));
      tr.appendChild(sev);
      [f.query, f.title, shortOf(f.source), shortOf(f.target), pathText(f)].forEach(function (v) {
        tr.appendChild(el("td", null, v));
      });
      tr.appendChild(el("td", f.conditional ? "ig-cond" : null, f.conditional ? "conditional" : "definite"));
      var detail = el("tr"); detail.hidden = true;
      var cell = el("td", "ig-hops"); cell.colSpan = 7;
      detail.appendChild(cell);
      tr.addEventListener("click", function () {
        if (!cell.firstChild) {
          cell.appendChild(el("div", null, "Remediation: " + (f.remediation || "\u2014")));
          cell.appendChild(hopList(f));
        }
        detail.hidden = !detail.hidden;
        ROWS.forEach(function (r) { r.tr.classList.remove("ig-selected"); });
        tr.classList.add("ig-selected");
        selectFinding(f);
      });
      tbody.appendChild(tr); tbody.appendChild(detail);
      var hay = [f.source, f.target, f.title, f.path_text].concat((f.path || []).map(function (h) {
        return h.from + " " + h.to;
      })).join(" ").toLowerCase();
      ROWS.push({tr: tr, detail: detail, hay: hay});
    });
  }

  function renderWarnings() {
    if (!(DATA.warnings || []).length) { return; }
    document.getElementById("ig-warnings").hidden = false;
    var ul = document.getElementById("ig-warnings-list");
    DATA.warnings.forEach(function (w) { ul.appendChild(el("li", null, w)); });
  }

  function applyFilter(q) {
    q = q.trim().toLowerCase();
    var shown = 0;
    ROWS.forEach(function (r) {
      var ok = !q || r.hay.indexOf(q) >= 0;
      r.tr.hidden = !ok;
      if (!ok) { r.detail.hidden = true; }
      if (ok) { shown += 1; }
    });
    var status = document.getElementById("ig-search-status");
    if (!q) {
      status.textContent = "";
      if (typeof network !== "undefined") { network.unselectAll(); }
      return;
    }
    var matches = [];
    DATA.nodes.forEach(function (n, i) {
      if (String(n.label || "").toLowerCase().indexOf(q) >= 0 || String(n.id).toLowerCase().indexOf(q) >= 0) {
        matches.push("n" + i);
      }
    });
    focusNodes(matches);
    status.textContent = matches.length + " matching principals, " + shown + " findings";
    if (matches.length === 1) { showNode(matches[0]); }
  }

  renderHeader();
  renderFindings();
  renderWarnings();
  var search = document.getElementById("ig-search");
  search.addEventListener("input", function () { applyFilter(search.value); });
  document.getElementById("ig-reset").addEventListener("click", function () {
    search.value = ""; applyFilter("");
    if (typeof network !== "undefined") { network.fit({animation: false}); }
  });
  if (typeof network !== "undefined") {
    network.on("click", function (params) {
      if (params.nodes && params.nodes.length) { showNode(params.nodes[0]); }
      else if (params.edges && params.edges.length) { showEdge(params.edges[0]); }
    });
  }
  window.iamgraphReport = {showNode: showNode, showEdge: showEdge, selectFinding: selectFinding,
                           filter: applyFilter, vidOf: vidOf, node: nodeAt, edge: edgeAt, ready: true};
})();
