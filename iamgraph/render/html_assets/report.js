/* iamgraph report page script. Every piece of account text is inserted with textContent; no innerHTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("iamgraph-data").textContent);
  var SHAPE_GLYPH = {dot: "\u25CF", square: "\u25A0", diamond: "\u25C6", triangle: "\u25B2",
                     triangleDown: "\u25BC", hexagon: "\u2B22", star: "\u2605"};
  var SEV_ORDER = {critical: 0, high: 1, medium: 2, low: 3};
  var STYLE = DATA.style || {path: "#d62728", risky: "#8250df", other: "#9aa0a6", conditional: "#e8a33d"};
  var HAS_NET = typeof network !== "undefined";
  var LABEL_MAX = 40;
  var DIM_NODE = 0.15, DIM_EDGE = "rgba(175,184,193,0.25)", DIM_FONT = "rgba(52,52,52,0.12)";

  /* Account text as shown (same rules as render/escape.py): control, format (bidi overrides, zero-width) and
     lone-surrogate characters become visible escapes ("\\u202e"); newlines/tabs survive in policy documents. */
  var HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}]/gu, MAX_TEXT = 1024, MAX_DOC = 100000;
  function visible(s, keepLines) {
    return String(s).replace(HIDDEN, function (ch) {
      if (keepLines && (ch === "\n" || ch === "\t")) { return ch; }
      var c = ch.codePointAt(0), h = c.toString(16);
      return c < 0x100 ? "\\x" + ("0" + h).slice(-2) : c < 0x10000 ? "\\u" + ("000" + h).slice(-4) :
        "\\U" + ("0000000" + h).slice(-8);
    });
  }
  /* Put text into `node`: shown, and cut at `max` characters with the rest behind a "show all" button. */
  function setText(node, text, max, keepLines) {
    var s = visible(text, keepLines);
    if (s.length <= max) { node.textContent = s; return; }
    node.textContent = s.slice(0, max) + "\u2026 (" + (s.length - max).toLocaleString("en") + " more characters) ";
    var more = document.createElement("button");
    more.type = "button"; more.className = "ig-link ig-more"; more.textContent = "show all";
    more.addEventListener("click", function (ev) { ev.stopPropagation(); node.textContent = s; });
    node.appendChild(more);
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) {
      var isDoc = tag === "pre" || tag === "mark";
      setText(node, text, isDoc ? MAX_DOC : MAX_TEXT, isDoc);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function clip(s, n) { s = String(s); return s.length <= n ? s : s.slice(0, n - 1) + "\u2026"; }
  /* Page data (see html.py _payload): nodes[i] is vis node "n<i>"; edges[j] = [from, to, edge_type, [evidence]]
     is vis edge "e<j>"; the first drawn.nodes / drawn.edges are in the vis DataSets at load, the rest of the
     graph is added on demand. Policy documents, evidence rows and edge attributes live once in
     docs/evidence/edge_types. */
  function indexOf(id, prefix, list) {
    var s = String(id);
    if (s.charAt(0) !== prefix) { return -1; }
    var i = Number(s.slice(1));
    return (i >= 0 && i < list.length && Math.floor(i) === i) ? i : -1;
  }
  function nodeAt(vid) { var i = indexOf(vid, "n", DATA.nodes); return i < 0 ? null : DATA.nodes[i]; }
  DATA.findings.forEach(function (f, i) {     /* hops and details are stored once, findings hold indexes */
    f.path = (f.path || []).map(function (k) { return DATA.hops[k]; });
    if (f.details !== undefined) { f.details = DATA.finding_details[f.details]; }
    f._index = i;
  });
  var ON_PATH = {}, EDGE_FINDINGS = {}, NODE_FINDINGS = {};
  DATA.findings.forEach(function (f, i) {
    (f.hop_edges || []).forEach(function (e) {
      if (!e) { return; }
      if (f.query_kind !== "inventory") { ON_PATH[e] = true; }
      (EDGE_FINDINGS[e] = EDGE_FINDINGS[e] || []).push(i);
    });
    (f.hop_nodes || []).forEach(function (n) { (NODE_FINDINGS[n] = NODE_FINDINGS[n] || []).push(i); });
  });
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
  var ADJ = null;   /* per node index: outgoing and incoming edge indexes (the whole graph), built on first use */
  function adjacency() {
    if (ADJ) { return ADJ; }
    ADJ = {out: DATA.nodes.map(function () { return []; }), in: DATA.nodes.map(function () { return []; })};
    DATA.edges.forEach(function (row, j) { ADJ.out[row[0]].push(j); ADJ.in[row[1]].push(j); });
    return ADJ;
  }
  function shortOf(arn) { var v = ARN_TO_VID[arn]; return v ? label(v) : String(arn); }

  /* ---- what is drawn: base visibility, on-demand additions, toggles ---------------------------------- */
  var BASE = {nodes: {}, edges: {}};      /* vis id -> {hidden, color, width, dashes} as first drawn */
  if (HAS_NET) {
    nodes.get().forEach(function (n) { BASE.nodes[n.id] = {hidden: !!n.hidden}; });
    edges.get().forEach(function (e) {
      BASE.edges[e.id] = {hidden: !!e.hidden, color: e.color || null, width: e.width || 1};
    });
  }
  var REVEALED = {};            /* vis ids the user asked to see (neighbours, a selected finding, whole graph) */
  var SHOWN_FINDING = {};       /* finding index -> passes the toggles and the search */
  var SELECTED = null;          /* the highlighted finding, or null */
  DATA.findings.forEach(function (f, i) { SHOWN_FINDING[i] = true; });

  function nodeItem(i, near) {
    var n = DATA.nodes[i];
    var group = n.hub ? "hub" : ({user: 1, group: 1, role: 1, service: 1, external: 1, federated: 1, admin: 1}[n.kind]
                                 ? n.kind : "external");
    var item = {id: "n" + i, group: group, label: clip(n.label || n.id, group === "hub" ? 2 * LABEL_MAX : LABEL_MAX)};
    var pos = (DATA.positions || [])[i];
    if (pos) { item.x = pos[0]; item.y = pos[1]; }
    else if (near) { item.x = near.x + 220; item.y = near.y + (Math.random() - 0.5) * 400; }
    return item;
  }
  function edgeItem(j) {
    var row = DATA.edges[j], t = DATA.edge_types[row[2]] || {};
    var item = {id: "e" + j, from: "n" + row[0], to: "n" + row[1], label: clip(t.technique || t.kind || "", LABEL_MAX)};
    if (t.conditional) { item.dashes = true; }
    var parallel = edges.get({filter: function (e) { return e.from === item.from && e.to === item.to; }}).length;
    if (parallel) {
      item.smooth = {enabled: true, type: parallel % 2 ? "curvedCW" : "curvedCCW",
                     roundness: Math.round(22 * Math.floor((parallel + 1) / 2)) / 100};
    }
    return item;
  }
  /* Put nodes (by DATA index) and the edges among drawn nodes into the drawing; returns how many were new. */
  function draw(nodeIdx, anchorVid) {
    if (!HAS_NET) { return 0; }
    var anchor = anchorVid ? network.getPositions([anchorVid])[anchorVid] : null;
    var added = 0, fresh = [];
    nodeIdx.forEach(function (i) {
      var vid = "n" + i;
      REVEALED[vid] = true;
      if (!nodes.get(vid)) { fresh.push(nodeItem(i, anchor)); BASE.nodes[vid] = {hidden: false}; added += 1; }
    });
    if (fresh.length) { nodes.add(fresh); }
    var adj = adjacency(), want = {};
    nodeIdx.forEach(function (i) {
      adj.out[i].concat(adj.in[i]).forEach(function (j) {
        var row = DATA.edges[j];
        if (nodes.get("n" + row[0]) && nodes.get("n" + row[1])) { want[j] = true; }
      });
    });
    Object.keys(want).forEach(function (j) {
      var eid = "e" + j;
      REVEALED[eid] = true;
      if (!edges.get(eid)) {
        var item = edgeItem(Number(j));
        edges.add(item);
        BASE.edges[eid] = {hidden: false, color: null, width: 1};
      }
    });
    refresh();
    return added;
  }
  function hiddenByToggles(list) {
    if (!list || !list.length) { return false; }
    return !list.some(function (i) { return SHOWN_FINDING[i]; });
  }
  function refresh() {
    if (!HAS_NET) { return; }
    var nodeUpdates = [], edgeUpdates = [];
    nodes.get().forEach(function (n) {
      var base = BASE.nodes[n.id] || {};
      var hide = (base.hidden && !REVEALED[n.id]) || (!REVEALED[n.id] && hiddenByToggles(NODE_FINDINGS[n.id]) &&
                                                       (nodeAt(n.id) || {}).kind !== "admin");
      var opacity = (SELECTED && SELECTED.nodes[n.id] !== true) ? DIM_NODE : 1;
      if (!!n.hidden !== hide || (n.opacity === undefined ? 1 : n.opacity) !== opacity) {
        nodeUpdates.push({id: n.id, hidden: hide, opacity: opacity});
      }
    });
    edges.get().forEach(function (e) {
      var base = BASE.edges[e.id] || {};
      var hide = (base.hidden && !REVEALED[e.id]) || (!REVEALED[e.id] && hiddenByToggles(EDGE_FINDINGS[e.id]));
      var color, width, font;
      if (SELECTED && SELECTED.edges[e.id] === true) {
        color = base.color || STYLE.path; width = 5; font = {color: "#1f2328", size: 13};
      } else if (SELECTED) {
        color = DIM_EDGE; width = 1; font = {color: DIM_FONT};
      } else {
        color = base.color || STYLE.other; width = base.width || 1; font = {color: "#343434", size: 11};
      }
      var cur = e.color && typeof e.color === "object" ? e.color.color : e.color;
      if (!!e.hidden !== hide || cur !== color || (e.width || 1) !== width || (e.font || {}).color !== font.color) {
        edgeUpdates.push({id: e.id, hidden: hide, width: width, font: font,
                          color: {color: color, highlight: color, hover: color, inherit: false}});
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    renderDrawn();
  }
  function counts() {
    if (!HAS_NET) { return {nodes: 0, edges: 0}; }
    return {nodes: nodes.get({filter: function (n) { return !n.hidden; }}).length,
            edges: edges.get({filter: function (e) { return !e.hidden && !(nodes.get(e.from) || {}).hidden &&
                                                             !(nodes.get(e.to) || {}).hidden; }}).length};
  }
  function renderDrawn() {
    var dr = DATA.drawn, c = counts();
    var text = "Drawing " + c.nodes + " of " + dr.total_nodes + " nodes and " + c.edges + " of " + dr.total_edges +
      " edges";
    if (dr.full_graph) { text += " (full graph)."; }
    else if (c.nodes < dr.total_nodes) {
      text += dr.large ? " (the paths of the most severe findings; select a finding to draw its path, a node " +
        "to draw its neighbours)." : " (the subgraph the findings touch; select a node to draw its neighbours).";
    } else { text += "."; }
    document.getElementById("ig-drawn").textContent = text;
    document.getElementById("ig-draw-all").hidden = !HAS_NET || c.nodes >= dr.total_nodes;
  }

  /* ---- highlighting a finding ----------------------------------------------------------------------- */
  function highlight(f) {
    if (!f) { SELECTED = null; refresh(); return; }
    var hopNodes = {}, hopEdges = {};
    (f.hop_nodes || []).forEach(function (v) { hopNodes[v] = true; });
    (f.hop_edges || []).forEach(function (e) { if (e) { hopEdges[e] = true; } });
    SELECTED = {finding: f, nodes: hopNodes, edges: hopEdges};
    var idx = (f.hop_nodes || []).map(function (v) { return indexOf(v, "n", DATA.nodes); })
      .filter(function (i) { return i >= 0; });
    (f.hop_edges || []).forEach(function (e) { if (e) { REVEALED[e] = true; } });
    draw(idx, null);
    if (HAS_NET && (f.hop_nodes || []).length) {
      network.unselectAll();
      network.fit({nodes: f.hop_nodes, animation: false, maxZoomLevel: 1.2});
    }
  }

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
  function docText(doc) { return typeof doc === "string" ? doc : JSON.stringify(doc, null, 2); }
  /* A policy document as <pre>; with `cited` (a statement index) that statement is wrapped in a <mark>. */
  function docPre(doc, cited) {
    var pre = el("pre", "ig-doc");
    function txt(t) { return document.createTextNode(visible(t, true)); }
    var stmts = doc && typeof doc === "object" ? doc.Statement : undefined;
    if (cited === undefined || cited === null || stmts === undefined) { setText(pre, docText(doc), MAX_DOC, true); return pre; }
    var list = Array.isArray(stmts) ? stmts : [stmts];
    var head = {}, rest = {};
    var seen = false;
    Object.keys(doc).forEach(function (k) {
      if (k === "Statement") { seen = true; return; }
      (seen ? rest : head)[k] = doc[k];
    });
    var headText = JSON.stringify(head, null, 2);
    var opening = headText === "{}" ? "{\n" : headText.slice(0, -2) + ",\n";
    pre.appendChild(txt(opening + '  "Statement": ' + (Array.isArray(stmts) ? "[\n" : "")));
    list.forEach(function (s, i) {
      var indent = Array.isArray(stmts) ? "    " : "  ";
      var body = indent + JSON.stringify(s, null, 2).split("\n").join("\n" + indent);
      var part = i === Number(cited) ? el("mark", "ig-cited", body) : txt(body);
      if (i === Number(cited)) { part.dataset.statement = String(i); }
      pre.appendChild(part);
      pre.appendChild(txt(i < list.length - 1 ? ",\n" : "\n"));
    });
    var tail = JSON.stringify(rest, null, 2);
    pre.appendChild(txt((Array.isArray(stmts) ? "  ]" : "") +
      (tail === "{}" ? "\n}" : ",\n" + tail.slice(2))));
    return pre;
  }
  function docBlock(index, cited) {
    var doc = (index === undefined || index === null) ? null : DATA.docs[index];
    if (doc === undefined || doc === null) { return el("p", "ig-hint", "document not in the input"); }
    return docPre(doc, cited);
  }
  /* The document an evidence row cites: the holder's (attached_to) policy of that name, or its trust policy. */
  function citedDocument(ev) {
    var holders = [ev.attached_to, ev.resource].filter(function (x) { return x; });
    for (var h = 0; h < holders.length; h++) {
      var n = nodeAt(ARN_TO_VID[holders[h]]);
      if (!n) { continue; }
      var d = n.details || {};
      if (ev.policy_type === "trust" && d.trust !== undefined) { return d.trust; }
      var hit = (d.policies || []).filter(function (p) { return p.policy === ev.policy; })[0];
      if (hit && hit.doc !== undefined && hit.doc !== null) { return hit.doc; }
    }
    return null;
  }
  function citation(ev) {
    if (!ev.policy) { return "no statement recorded (e.g. a resource policy or the service's own trust)"; }
    return "policy " + ev.policy + (ev.policy_type ? " (" + ev.policy_type + ")" : "") +
      (ev.statement !== undefined && ev.statement !== null ? " statement " + ev.statement : "") +
      (ev.sid ? " (Sid " + ev.sid + ")" : "");
  }
  function evidenceList(evidence) {
    var ul = el("ul", "ig-evidence");
    (evidence || []).forEach(function (ev) {
      var li = el("li");
      var top = el("div", "ig-ev-line");
      top.appendChild(el("span", "ig-ev-action", ev.action));
      if (ev.resource) { top.appendChild(document.createTextNode(" on ")); top.appendChild(el("code", null, ev.resource)); }
      li.appendChild(top);
      li.appendChild(el("div", "ig-ev-line", "allowed by " + citation(ev)));
      if (ev.attached_to) {
        var who = el("div", "ig-ev-line", "attached to ");
        who.appendChild(nodeLink(ev.attached_to));
        li.appendChild(who);
      }
      if (ev.conditional) {
        li.appendChild(el("div", "ig-ev-line ig-cond", "conditional on " + (ev.condition_keys || []).join(", ")));
      }
      if (ev.step) { li.appendChild(el("div", "ig-ev-line", "attacker step: " + ev.step)); }
      if (ev.context && typeof ev.context === "object") {
        var chosen = Object.keys(ev.context).sort().map(function (k) {
          var v = ev.context[k];
          return k + " = " + (Array.isArray(v) ? "[" + v.join(", ") + "]" : String(v));
        });
        li.appendChild(el("div", "ig-ev-line", "attacker-chosen context: " + chosen.join("; ")));
      }
      if (ev.credential) { li.appendChild(el("div", "ig-ev-line", "credential: " + ev.credential)); }
      var doc = citedDocument(ev);
      if (doc !== null && ev.statement !== undefined && ev.statement !== null) {
        var box = el("details", "ig-docbox");
        box.appendChild(el("summary", null, "policy document (statement " + ev.statement + " marked)"));
        box.appendChild(docBlock(doc, ev.statement));
        li.appendChild(box);
      }
      ul.appendChild(li);
    });
    if (!evidence || !evidence.length) { ul.appendChild(el("li", "ig-hint", "no statement evidence recorded")); }
    return ul;
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
        if (HAS_NET) {
          draw([row[0], row[1]], "n" + row[1 - other]);
          network.setSelection({nodes: [], edges: ["e" + j]});
        }
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
    var i = indexOf(vid, "n", DATA.nodes), adj = adjacency();
    var hiddenNeighbours = adj.out[i].map(function (j) { return DATA.edges[j][1]; })
      .concat(adj.in[i].map(function (j) { return DATA.edges[j][0]; }))
      .filter(function (k, pos, all) {
        var item = HAS_NET ? nodes.get("n" + k) : null;
        return all.indexOf(k) === pos && (!item || item.hidden);
      });
    if (HAS_NET && hiddenNeighbours.length) {
      var more = el("button", "ig-link ig-neighbours", "Draw its neighbours (" + hiddenNeighbours.length +
                    " not drawn)");
      more.type = "button";
      more.addEventListener("click", function (ev) {
        ev.stopPropagation();
        draw([i].concat(hiddenNeighbours), vid);
        showNode(vid);
      });
      body.appendChild(more);
    }
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
    body.appendChild(evidenceList(e.evidence));
  }

  function focusNodes(vids) {
    if (!HAS_NET || !vids.length) { return; }
    network.selectNodes(vids.slice(0, 1000), false);
    if (vids.length <= 60) { network.fit({nodes: vids, animation: false, maxZoomLevel: 1.2}); }
  }

  function selectFinding(f) {
    highlight(f);
    ROWS.forEach(function (r) { r.tr.classList.toggle("ig-selected", r.finding === f); });
    var body = panel("Finding: " + f.title);
    body.dataset.kind = "finding";
    body.dataset.id = String(f.id);
    body.appendChild(dl([["id", f.id], ["query", f.query], ["severity", f.severity],
                         ["source", nodeLink(f.source)], ["target", nodeLink(f.target)],
                         ["reaches admin", f.reaches_admin ? "yes" : "no"],
                         ["status", f.conditional ? "conditional (potential path)" : "definite"]]));
    if (f.remediation) { body.appendChild(el("div", "ig-remediation", "Remediation: " + f.remediation)); }
    body.appendChild(hopList(f));
    if (f.details !== undefined && f.details !== null) { body.appendChild(findingDetails(f.details)); }
  }

  function findingDetails(details) {
    var box = el("div");
    var perms = details.permissions;
    if (perms && typeof perms === "object" && !Array.isArray(perms)) {
      box.appendChild(el("h3", null, "Permissions (by service)"));
      var ul = el("ul", "ig-evidence");
      Object.keys(perms).forEach(function (svc) {
        var p = perms[svc] || {}, li = el("li");
        li.appendChild(el("div", "ig-ev-action", svc));
        ["actions", "resources", "denied"].forEach(function (k) {
          var v = p[k];
          if (v === undefined || (Array.isArray(v) && !v.length)) { return; }
          li.appendChild(el("div", "ig-ev-line", k + ": " + (Array.isArray(v) ? v.join(", ") : v)));
        });
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    var eff = details.effective;
    if (Array.isArray(eff)) {
      box.appendChild(el("h3", null, "Effective permissions (" + eff.length + " action" + (eff.length === 1 ? "" : "s") + ")"));
      var list = el("ul", "ig-evidence ig-effective");
      eff.forEach(function (entry) {
        var li = el("li");
        li.appendChild(el("div", "ig-ev-action", entry.action));
        (entry.resources || []).forEach(function (r) {
          li.appendChild(el("div", "ig-ev-line", "on " + r.resource + (r.status === "conditional" ?
            " (conditional on " + (r.conditions || []).join(", ") + ")" : "")));
          (r.allowed_by || []).forEach(function (c) { li.appendChild(el("div", "ig-ev-line ig-hint", "allowed by " + citation(c))); });
        });
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    var shown = {permissions: !Array.isArray(perms), effective: Array.isArray(eff)};
    var rest = {};
    Object.keys(details).forEach(function (k) { if (!shown[k]) { rest[k] = details[k]; } });
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
    var box = el("ol", "ig-hops");
    (f.path || []).forEach(function (hop) {
      var li = el("li");
      var t = el("div", "ig-hop-title", shortOf(hop.from) + " -[" + (hop.technique || hop.kind) + "]-> " +
                 shortOf(hop.to));
      li.appendChild(t);
      if (hop.note) { li.appendChild(el("div", "ig-hint", hop.note)); }
      if (hop.conditional) {
        li.appendChild(el("div", "ig-cond", "conditional" +
          ((hop.conditions || []).length ? " on " + hop.conditions.join(", ") : "") +
          ((hop.missing || []).length ? " (missing: " + hop.missing.join(", ") + ")" : "")));
      }
      li.appendChild(el("div", "ig-hint", "actions: " + (hop.actions || []).join(", ")));
      li.appendChild(evidenceList(hop.evidence));
      box.appendChild(li);
    });
    return box;
  }

  function renderHeader() {
    document.getElementById("ig-title").textContent = DATA.title;
    var tool = DATA.tool || {};
    document.getElementById("ig-tool").textContent =
      (tool.name || "iamgraph") + " " + (tool.version || "") + " \u00B7 accounts: " + (DATA.accounts || []).join(", ");
    var s = DATA.summary || {};
    var sevCounts = {critical: 0, high: 0, medium: 0, low: 0};
    DATA.findings.forEach(function (f) { sevCounts[f.severity] = (sevCounts[f.severity] || 0) + 1; });
    var summary = document.getElementById("ig-summary");
    [["principals", s.principals], ["admins", s.admins], ["findings", DATA.findings.length]].forEach(function (p) {
      summary.appendChild(el("span", "ig-chip", p[0] + ": " + (p[1] === undefined ? 0 : p[1])));
    });
    Object.keys(sevCounts).forEach(function (k) {
      if (sevCounts[k]) { summary.appendChild(el("span", "ig-sev ig-sev-" + k, sevCounts[k] + " " + k)); }
    });
    var legend = document.getElementById("ig-legend");
    DATA.legend.forEach(function (item) {
      var li = el("span", "ig-legend-item");
      var sw = el("span", "ig-swatch", SHAPE_GLYPH[item.shape] || "\u25CF");
      sw.style.color = item.color;
      li.appendChild(sw); li.appendChild(el("span", null, item.text));
      legend.appendChild(li);
    });
    var lines = [["solid", STYLE.path, "escalation path"], ["dashed", STYLE.path, "conditional / potential hop"],
                 ["solid", STYLE.risky, "risky trust (a way in)"], ["solid", STYLE.other, "other relation"]];
    if (DATA.drawn.large) { lines.push(["solid", STYLE.conditional, "other relation, conditional / potential"]); }
    else { lines.push(["dashed", STYLE.other, "other relation, conditional / potential"]); }
    lines.forEach(function (x) {
      var li = el("span", "ig-legend-item");
      var line = el("span", "ig-line");
      line.style.borderTopStyle = x[0]; line.style.borderTopColor = x[1];
      li.appendChild(line); li.appendChild(el("span", null, x[2]));
      legend.appendChild(li);
    });
  }

  /* ---- toggles: severity, query, status -------------------------------------------------------------- */
  var TOGGLES = {severity: {}, query: {}, status: {}};
  function statusOf(f) { return f.conditional ? "conditional" : "definite"; }
  function renderToggles() {
    var groups = {severity: [], query: [], status: []};
    DATA.findings.forEach(function (f) {
      [["severity", f.severity], ["query", f.query], ["status", statusOf(f)]].forEach(function (p) {
        if (groups[p[0]].indexOf(String(p[1])) < 0) { groups[p[0]].push(String(p[1])); }
      });
    });
    groups.severity.sort(function (a, b) { return (SEV_ORDER[a] === undefined ? 9 : SEV_ORDER[a]) -
                                                  (SEV_ORDER[b] === undefined ? 9 : SEV_ORDER[b]); });
    groups.query.sort();
    groups.status.sort();
    Object.keys(groups).forEach(function (g) {
      var box = document.getElementById("ig-toggle-" + g);
      if (!groups[g].length) { box.hidden = true; return; }
      groups[g].forEach(function (value) {
        TOGGLES[g][value] = true;
        var lab = el("label"), cb = el("input");
        cb.type = "checkbox"; cb.checked = true; cb.dataset.group = g; cb.value = value;
        cb.addEventListener("change", function () { TOGGLES[g][value] = cb.checked; applyFilter(search.value); });
        lab.appendChild(cb);
        lab.appendChild(el("span", null, value + " (" + DATA.findings.filter(function (f) {
          return String(g === "status" ? statusOf(f) : f[g]) === value; }).length + ")"));
        box.appendChild(lab);
      });
    });
  }
  function passesToggles(f) {
    return TOGGLES.severity[String(f.severity)] !== false && TOGGLES.query[String(f.query)] !== false &&
      TOGGLES.status[statusOf(f)] !== false;
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
      tr.dataset.id = String(f.id);
      var sev = el("td"); sev.appendChild(el("span", "ig-sev ig-sev-" + f.severity, f.severity));
      tr.appendChild(sev);
      [f.query, f.title, shortOf(f.source), shortOf(f.target), pathText(f)].forEach(function (v) {
        tr.appendChild(el("td", f.query_kind === "posture" && v === f.query ? "ig-risky" : null, v));
      });
      tr.appendChild(el("td", f.conditional ? "ig-cond" : null, statusOf(f)));
      var detail = el("tr"); detail.hidden = true;
      var cell = el("td", "ig-hops"); cell.colSpan = 7;
      detail.appendChild(cell);
      tr.addEventListener("click", function () {
        if (!cell.firstChild) {
          if (f.remediation) { cell.appendChild(el("div", "ig-remediation", "Remediation: " + f.remediation)); }
          cell.appendChild(hopList(f));
        }
        detail.hidden = !detail.hidden;
        selectFinding(f);
      });
      tbody.appendChild(tr); tbody.appendChild(detail);
      var hay = [f.source, f.target, f.title, f.path_text].concat((f.path || []).map(function (h) {
        return h.from + " " + h.to;
      })).join(" ").toLowerCase();
      ROWS.push({tr: tr, detail: detail, hay: hay, finding: f});
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
      var ok = (!q || r.hay.indexOf(q) >= 0) && passesToggles(r.finding);
      SHOWN_FINDING[r.finding._index] = passesToggles(r.finding);
      r.tr.hidden = !ok;
      if (!ok) { r.detail.hidden = true; }
      if (ok) { shown += 1; }
    });
    if (SELECTED && !SHOWN_FINDING[SELECTED.finding._index]) { SELECTED = null; }
    refresh();
    var status = document.getElementById("ig-search-status");
    if (!q) {
      status.textContent = shown < ROWS.length ? shown + " of " + ROWS.length + " findings shown" : "";
      if (HAS_NET) { network.unselectAll(); }
      return;
    }
    var matches = [];
    DATA.nodes.forEach(function (n, i) {
      if (String(n.label || "").toLowerCase().indexOf(q) >= 0 || String(n.id).toLowerCase().indexOf(q) >= 0) {
        matches.push("n" + i);
      }
    });
    var drawnMatches = HAS_NET ? matches.filter(function (v) { return nodes.get(v) && !nodes.get(v).hidden; })
                               : matches;
    focusNodes(drawnMatches);
    status.textContent = matches.length + " matching principals, " + shown + " findings";
    if (matches.length === 1) { showNode(matches[0]); }
  }

  renderHeader();
  renderToggles();
  renderFindings();
  renderWarnings();
  var search = document.getElementById("ig-search");
  search.addEventListener("input", function () { applyFilter(search.value); });
  document.getElementById("ig-reset").addEventListener("click", function () {
    search.value = "";
    Array.prototype.forEach.call(document.querySelectorAll("#ig-toggles input[type=checkbox]"), function (cb) {
      cb.checked = true; TOGGLES[cb.dataset.group][cb.value] = true;
    });
    SELECTED = null;
    ROWS.forEach(function (r) { r.tr.classList.remove("ig-selected"); });
    applyFilter("");
    if (HAS_NET) { network.fit({animation: false}); }
  });
  document.getElementById("ig-draw-all").addEventListener("click", function () {
    if (HAS_NET && DATA.positions && !DATA.drawn.large) {
      /* a big account whose findings' subgraph was laid out hierarchically: switch to the precomputed grid */
      network.setOptions({layout: {hierarchical: {enabled: false}}, physics: {enabled: false},
                          edges: {smooth: false}});
      nodes.update(nodes.getIds().map(function (vid) {
        var p = DATA.positions[indexOf(vid, "n", DATA.nodes)];
        return {id: vid, x: p[0], y: p[1]};
      }));
    }
    draw(DATA.nodes.map(function (n, i) { return i; }), null);
    if (HAS_NET) { network.fit({animation: false}); }
  });
  if (HAS_NET) {
    network.on("click", function (params) {
      if (params.nodes && params.nodes.length) { showNode(params.nodes[0]); }
      else if (params.edges && params.edges.length) { showEdge(params.edges[0]); }
      else if (SELECTED) { highlight(null); ROWS.forEach(function (r) { r.tr.classList.remove("ig-selected"); }); }
    });
  }
  renderDrawn();
  window.iamgraphReport = {showNode: showNode, showEdge: showEdge, selectFinding: selectFinding,
                           finding: function (id) { return DATA.findings.filter(function (f) { return f.id === id; })[0]; },
                           filter: applyFilter, vidOf: vidOf, node: nodeAt, edge: edgeAt, counts: counts,
                           selected: function () { return SELECTED ? SELECTED.finding.id : null; }, ready: true};
})();
