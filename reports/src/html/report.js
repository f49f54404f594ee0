// cors-harness run report: builds the case × browser matrix and the detail panel from the JSON
// embedded in this page. Every string from the report goes into the page as a text node, never
// as markup.
(function () {
  "use strict";

  var report = JSON.parse(document.getElementById("report-data").textContent);
  var LABELS = {
    "agree": "agree",
    "diverge": "diverge",
    "expectation-failed": "expectation failed",
    "infrastructure-error": "infrastructure error",
    "load-error": "load error"
  };
  var CELL_TEXT = {
    "agree": "\u2713 agree",
    "diverge": "\u2717 diverge",
    "expectation-failed": "! expectation",
    "infrastructure-error": "\u26a0 infrastructure",
    "load-error": "\u2717 load error"
  };
  var MARKS = { "pass": "\u2713", "fail": "\u2717", "info": "\u00b7" };

  // Creates an element; children may be nodes, strings (added as text) or arrays of either.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "class") node.className = value;
      else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function runBrowsers() {
    var out = [];
    function add(b) { if (out.indexOf(b) < 0) out.push(b); }
    report.browsers.forEach(function (b) { add(b.browser); });
    report.cases.forEach(function (c) { (c.browsers || []).forEach(function (r) { add(r.browser); }); });
    return out.length ? out : ["chrome", "firefox"];
  }

  function browserInfo(browser) {
    return report.browsers.filter(function (b) { return b.browser === browser; })[0] || null;
  }

  function resultIn(testCase, browser) {
    return (testCase.browsers || []).filter(function (r) { return r.browser === browser; })[0] || null;
  }

  function verdictIn(testCase, browser) {
    if (testCase.load_error) return "load-error";
    var result = resultIn(testCase, browser);
    return result ? result.verdict : null;
  }

  function duration(ms) {
    if (ms < 1000) return ms + " ms";
    if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
    return Math.floor(ms / 60000) + " min " + Math.floor((ms % 60000) / 1000) + " s";
  }

  function show(value) {
    if (value === null || value === undefined) return el("span", { "class": "none" }, "none");
    if (typeof value === "string") return value;
    return JSON.stringify(value);
  }

  var browsers = runBrowsers();
  var matrix = document.getElementById("matrix");
  var detail = document.getElementById("detail");

  // ---- matrix ----------------------------------------------------------------------------

  function buildMatrix() {
    var head = el("tr", {}, el("th", {}, "case"), el("th", {}, "tags"),
      browsers.map(function (b) {
        var info = browserInfo(b);
        return el("th", { "data-browser": b }, b,
          el("span", { "class": "browser-version" }, info && info.version ? info.version : "no session"));
      }));
    var body = el("tbody", {});
    report.cases.forEach(function (testCase, index) {
      var search = [testCase.id, testCase.title].concat(testCase.tags || []).join("\n").toLowerCase();
      var row = el("tr", { "class": "case-row", "data-case-id": testCase.id, "data-search": search },
        el("td", {}, el("code", {}, testCase.id), el("div", { "class": "case-title" }, testCase.title)),
        el("td", {}, (testCase.tags || []).map(function (t) { return el("span", { "class": "tag" }, t); })),
        browsers.map(function (b) {
          var verdict = verdictIn(testCase, b);
          if (!verdict) {
            return el("td", { "class": "cell missing", "data-browser": b }, "\u2014");
          }
          return el("td", { "class": "cell v-" + verdict, "data-browser": b, "data-verdict": verdict },
            el("button", {
              "type": "button",
              "class": "v-" + verdict,
              "title": testCase.id + " in " + b + ": " + LABELS[verdict],
              "onclick": function () { select(index, b); }
            }, CELL_TEXT[verdict] || verdict));
        }));
      body.appendChild(row);
    });
    matrix.appendChild(el("thead", {}, head));
    matrix.appendChild(body);
  }

  // ---- page state in the URL ----------------------------------------------------------
  // `#q=TEXT&verdicts=diverge,agree&only=BROWSER&case=ID&browser=BROWSER`: filters and the open
  // detail panel survive a reload and can be linked to.

  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
    });
    return params;
  }

  function hashOf(params) {
    var parts = ["q", "verdicts", "only", "case", "browser"].filter(function (key) {
      return params[key] !== undefined && params[key] !== "";
    }).map(function (key) { return key + "=" + encodeURIComponent(params[key]); });
    return parts.length ? "#" + parts.join("&") : "";
  }

  // ---- filters ---------------------------------------------------------------------------

  function verdictBoxes() {
    return Array.prototype.slice.call(document.querySelectorAll("#filter-verdicts input"));
  }

  function filtersFromHash() {
    var params = readHash();
    document.getElementById("filter-text").value = params.q || "";
    var wanted = params.verdicts === undefined ? null : params.verdicts.split(",");
    verdictBoxes().forEach(function (box) { box.checked = !wanted || wanted.indexOf(box.value) >= 0; });
    var only = browsers.indexOf(params.only) >= 0 ? params.only : "";
    document.getElementById("filter-browser").value = only;
  }

  function filtersChanged() {
    var params = readHash();
    params.q = document.getElementById("filter-text").value;
    var boxes = verdictBoxes();
    var checked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    params.verdicts = checked.length === boxes.length ? undefined : checked.join(",");
    params.only = document.getElementById("filter-browser").value;
    history.replaceState(null, "", location.pathname + location.search + hashOf(params));
    applyFilters();
  }

  function applyFilters() {
    var text = document.getElementById("filter-text").value.trim().toLowerCase();
    var wanted = {};
    verdictBoxes().forEach(function (box) { wanted[box.value] = box.checked; });
    var onlyBrowser = document.getElementById("filter-browser").value;
    Array.prototype.forEach.call(matrix.querySelectorAll("[data-browser]"), function (cellOrHead) {
      var hidden = onlyBrowser !== "" && cellOrHead.getAttribute("data-browser") !== onlyBrowser;
      cellOrHead.classList.toggle("hidden", hidden);
    });
    var shown = 0;
    var rows = matrix.querySelectorAll("tr.case-row");
    Array.prototype.forEach.call(rows, function (row) {
      var textMatch = text === "" || row.getAttribute("data-search").indexOf(text) >= 0;
      var verdictMatch = Array.prototype.some.call(row.querySelectorAll("td[data-verdict]"), function (cell) {
        return !cell.classList.contains("hidden") && wanted[cell.getAttribute("data-verdict")];
      });
      var visible = textMatch && verdictMatch;
      row.classList.toggle("hidden", !visible);
      if (visible) shown++;
    });
    document.getElementById("shown-count").textContent = "showing " + shown + " of " + rows.length + " cases";
  }

  // ---- detail panel ----------------------------------------------------------------------

  function select(index, browser) {
    var params = readHash();
    params["case"] = report.cases[index].id;
    params.browser = browser;
    var hash = hashOf(params);
    if (location.hash !== hash) location.hash = hash; else openFromHash();
  }

  function openFromHash() {
    var params = readHash();
    var index = -1;
    report.cases.forEach(function (c, i) { if (c.id === params["case"]) index = i; });
    if (index < 0 || browsers.indexOf(params.browser) < 0) { closeDetail(); return; }
    renderDetail(report.cases[index], params.browser);
    Array.prototype.forEach.call(matrix.querySelectorAll("td.selected"), function (td) {
      td.classList.remove("selected");
    });
    var row = matrix.querySelectorAll("tr.case-row")[index];
    var cell = row && row.querySelector('td[data-browser="' + params.browser + '"]');
    if (cell) cell.classList.add("selected");
  }

  function closeDetail() {
    detail.hidden = true;
    detail.textContent = "";
    Array.prototype.forEach.call(matrix.querySelectorAll("td.selected"), function (td) {
      td.classList.remove("selected");
    });
    var params = readHash();
    if (params["case"] === undefined && params.browser === undefined) return;
    delete params["case"];
    delete params.browser;
    history.replaceState(null, "", location.pathname + location.search + hashOf(params));
  }

  function renderDetail(testCase, browser) {
    var verdict = verdictIn(testCase, browser);
    var result = resultIn(testCase, browser);
    var info = browserInfo(browser);
    detail.textContent = "";
    detail.hidden = false;
    append(detail, [
      el("button", { "type": "button", "class": "close", "onclick": closeDetail }, "close \u00d7"),
      el("h2", {}, testCase.id),
      el("p", {},
        verdict ? el("span", { "class": "badge v-" + verdict, "id": "detail-verdict" }, LABELS[verdict]) : null,
        " in " + browser + (info && info.version ? " " + info.version : "")),
      el("p", { "class": "case-title" }, testCase.title),
      el("dl", {},
        el("dt", {}, "file"), el("dd", {}, el("code", {}, testCase.file)),
        el("dt", {}, "tags"), el("dd", {}, (testCase.tags || []).join(", ") || "\u2014"),
        result ? [el("dt", {}, "attempts"), el("dd", {}, String(result.attempts)),
                  el("dt", {}, "time"), el("dd", {}, duration(result.duration_ms))] : null)
    ]);
    if (testCase.load_error) {
      append(detail, [el("h4", {}, "load error"), el("pre", { "class": "error-text" }, testCase.load_error)]);
    }
    if (!result) return;
    if (result.infrastructure_error) {
      append(detail, [el("h4", {}, "infrastructure error"),
        el("pre", { "class": "error-text" }, result.infrastructure_error)]);
    }
    if ((result.expectation_failures || []).length) {
      append(detail, [el("h4", {}, "failed expectations"),
        el("ul", { "class": "expectation-failures" },
          result.expectation_failures.map(function (f) { return el("li", {}, f); }))]);
    }
    (result.requests || []).forEach(function (request, i) {
      append(detail, renderRequest(request, i));
    });
  }

  // The compared fields in display order, plus `console` (shown, never compared).
  function fieldRows(request) {
    var predicted = request.predicted;
    var observed = request.observed;
    var rows = [
      ["outcome", predicted.outcome, observed && observed.outcome],
      ["preflight", predicted.preflight, observed && observed.preflight],
      ["status", predicted.status, observed && observed.status]
    ];
    var names = Object.keys(predicted.readable || {});
    Object.keys((observed && observed.readable) || {}).forEach(function (n) {
      if (names.indexOf(n) < 0) names.push(n);
    });
    names.sort().forEach(function (n) {
      rows.push(["readable." + n, (predicted.readable || {})[n], observed && (observed.readable || {})[n]]);
    });
    if (predicted.canvas_tainted !== undefined || (observed && observed.canvas_tainted !== undefined)) {
      rows.push(["canvas_tainted", predicted.canvas_tainted, observed && observed.canvas_tainted]);
    }
    rows.push(["reason", predicted.reason && predicted.reason.code, observed && observed.reason && observed.reason.code]);
    rows.push(["console", predicted.reason && predicted.reason.console,
      observed && observed.reason && observed.reason.console, true]);
    // A difference on a field this page does not know still gets a row.
    (request.differences || []).forEach(function (d) {
      if (!rows.some(function (r) { return r[0] === d.field; })) rows.push([d.field, d.predicted, d.observed]);
    });
    return rows;
  }

  function renderRequest(request, index) {
    var differing = {};
    (request.differences || []).forEach(function (d) { differing[d.field] = true; });
    var observedMissing = !request.observed;
    var table = el("table", { "class": "compare" },
      el("thead", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "predicted"), el("th", {}, "observed"))),
      el("tbody", {}, fieldRows(request).map(function (row) {
        var cls = differing[row[0]] ? "differs" : (row[3] ? "info" : null);
        return el("tr", { "class": cls, "data-field": row[0] },
          el("td", {}, el("code", {}, row[0])),
          el("td", {}, show(row[1])),
          el("td", {}, observedMissing ? el("span", { "class": "none" }, "not observed") : show(row[2])));
      })));
    return el("section", { "class": "request" },
      el("h3", {}, "Request " + (index + 1) + ": ", el("code", {}, request.label), " ",
        el("span", { "class": "badge " + (request.agree ? "v-agree" : "v-diverge") },
          request.agree ? "agrees" : "differs")),
      table,
      el("h4", {}, "wire"),
      el("div", { "class": "wire" },
        el("div", {}, el("strong", {}, "predicted"), renderWire(request.predicted.wire)),
        el("div", {}, el("strong", {}, "observed"),
          observedMissing ? el("p", { "class": "none" }, "not observed") : renderWire(request.observed.wire))),
      el("h4", {}, "explanation"),
      el("ol", { "class": "trace" }, (request.explanation || []).map(function (step) {
        return el("li", { "class": "step-" + step.verdict },
          el("span", { "class": "mark" }, MARKS[step.verdict] || ""), " ",
          el("span", { "class": "actor" }, step.actor), step.text);
      })));
  }

  function renderWire(exchanges) {
    if (!exchanges || !exchanges.length) return el("p", { "class": "none" }, "nothing on the wire");
    return el("ol", {}, exchanges.map(function (x) {
      var preflight = x.method === "OPTIONS" && x.request_headers.some(function (h) {
        return h[0].toLowerCase() === "access-control-request-method";
      });
      return el("li", {},
        el("div", { "class": "exchange-line mono" }, x.method + " " + x.url + " \u2192 " + x.status,
          preflight ? el("span", { "class": "tag" }, "preflight") : null),
        el("table", { "class": "headers mono" },
          x.request_headers.map(function (h) {
            return el("tr", {}, el("td", { "class": "dir" }, "\u2192"), el("td", {}, h[0] + ": " + h[1]));
          }),
          x.response_headers.map(function (h) {
            return el("tr", {}, el("td", { "class": "dir" }, "\u2190"), el("td", {}, h[0] + ": " + h[1]));
          })));
    }));
  }

  buildMatrix();
  document.getElementById("filter-text").addEventListener("input", filtersChanged);
  document.getElementById("filter-browser").addEventListener("change", filtersChanged);
  verdictBoxes().forEach(function (box) { box.addEventListener("change", filtersChanged); });
  window.addEventListener("hashchange", function () {
    filtersFromHash();
    applyFilters();
    openFromHash();
  });
  filtersFromHash();
  applyFilters();
  openFromHash();
})();
