// The runner page's script. The harness calls `window.corsHarness.run(plan)` through one
// WebDriver execute_async call per case; it runs the case's requests in order and reports, per
// request, what the page could observe. Nothing here decides CORS: it only records.
//
// plan = { marker: "<page origin>/__run/<id>/mark", timeout_ms, requests: [ {
//   kind, url, method, headers: [[name, value], ...], body, mode, credentials, crossorigin,
//   cache, upload_listener, read_headers, wait_ms } ] }
//
// Before request i the page fetches `${marker}?before=i` (same origin, no-store). The harness
// splits the proxy's wire log at those markers, so each exchange is attributed to the request
// that caused it without touching the case's own URLs (which cache cases reuse on purpose).
"use strict";
(() => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function makeBody(body) {
    if (!body) return undefined;
    switch (body.kind) {
      case "text":
        return body.text;
      case "blob":
        return new Blob([body.text], body.type ? { type: body.type } : {});
      case "url-search-params":
        return new URLSearchParams(body.text);
      case "form-data": {
        const form = new FormData();
        for (const [name, value] of body.fields) form.append(name, value);
        return form;
      }
      case "readable-stream": {
        const bytes = new TextEncoder().encode(body.text);
        return new ReadableStream({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        });
      }
      default:
        throw new Error("unknown body kind " + body.kind);
    }
  }

  function readHeaders(names, get) {
    const out = {};
    for (const name of names) {
      let value = null;
      try {
        value = get(name);
      } catch (e) {
        value = null;
      }
      out[name.toLowerCase()] = value === undefined ? null : value;
    }
    return out;
  }

  async function runFetch(r) {
    const init = { method: r.method, mode: r.mode, credentials: r.credentials, cache: r.cache };
    let request;
    try {
      const headers = new Headers();
      for (const [name, value] of r.headers) headers.append(name, value);
      init.headers = headers;
      if (r.body) {
        init.body = makeBody(r.body);
        if (r.body.kind === "readable-stream") init.duplex = "half";
      }
      // Built apart from fetch() so that a request the browser refuses to even make (e.g. PUT
      // in no-cors mode) is told apart from a network error.
      request = new Request(r.url, init);
    } catch (e) {
      return { outcome: "blocked", rejected: true, error: String(e) };
    }
    let response;
    try {
      response = await fetch(request);
    } catch (e) {
      return { outcome: "blocked", error: String(e) };
    }
    const readable = readHeaders(r.read_headers, (n) => response.headers.get(n));
    try {
      await response.arrayBuffer();
    } catch (e) {
      // A body that fails after the headers arrived does not change what the page could see.
    }
    const outcome = response.type === "opaque" ? "opaque" : "allowed";
    return { outcome, status: response.status, readable };
  }

  function runXhr(r) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      try {
        xhr.open(r.method, r.url);
        for (const [name, value] of r.headers) xhr.setRequestHeader(name, value);
        xhr.withCredentials = r.credentials === "include";
        if (r.upload_listener) xhr.upload.addEventListener("progress", () => {});
      } catch (e) {
        resolve({ outcome: "blocked", rejected: true, error: String(e) });
        return;
      }
      xhr.onload = () =>
        resolve({
          outcome: "allowed",
          status: xhr.status,
          readable: readHeaders(r.read_headers, (n) => xhr.getResponseHeader(n)),
        });
      xhr.onerror = () => resolve({ outcome: "blocked", error: "XMLHttpRequest error event" });
      xhr.onabort = () => resolve({ outcome: "blocked", error: "XMLHttpRequest abort event" });
      try {
        xhr.send(r.body ? makeBody(r.body) : null);
      } catch (e) {
        resolve({ outcome: "blocked", error: String(e) });
      }
    });
  }

  // Elements: a load without `crossorigin` is a no-cors load, so success means an opaque
  // (tainting) response; with `crossorigin` it is a CORS load and success means allowed.
  // The status of an opaque response is 0, as fetch() would show it; a CORS element load has
  // no status the page could read.
  function elementOutcome(r) {
    return r.crossorigin ? { outcome: "allowed" } : { outcome: "opaque", status: 0 };
  }

  function loadImage(r) {
    return new Promise((resolve) => {
      const img = new Image();
      if (r.crossorigin) img.crossOrigin = r.crossorigin;
      img.onload = () => resolve({ img });
      img.onerror = () => resolve({ error: "image error event" });
      img.src = r.url;
    });
  }

  async function runImg(r) {
    const { error } = await loadImage(r);
    if (error) return { outcome: "blocked", error };
    return elementOutcome(r);
  }

  async function runImgCanvas(r) {
    const { img, error } = await loadImage(r);
    if (error) return { outcome: "blocked", error };
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, img.naturalWidth || 1);
    canvas.height = Math.max(1, img.naturalHeight || 1);
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    let tainted = false;
    let taint = null;
    try {
      context.getImageData(0, 0, 1, 1);
    } catch (e) {
      tainted = true;
      taint = String(e);
    }
    return { ...elementOutcome(r), canvas_tainted: tainted, error: taint };
  }

  function runScript(r) {
    return new Promise((resolve) => {
      const script = document.createElement("script");
      if (r.crossorigin) script.crossOrigin = r.crossorigin;
      script.onload = () => resolve(elementOutcome(r));
      script.onerror = () => resolve({ outcome: "blocked", error: "script error event" });
      script.src = r.url;
      document.head.appendChild(script);
    });
  }

  let fontCount = 0;
  async function runFont(r) {
    // Fonts are always fetched in cors mode with credentials same-origin (CSS Fonts).
    fontCount += 1;
    const face = new FontFace("cors-harness-font-" + fontCount, 'url("' + r.url + '")');
    try {
      await face.load();
      return { outcome: "allowed" };
    } catch (e) {
      return { outcome: "blocked", error: String(e) };
    }
  }

  const runners = {
    fetch: runFetch,
    xhr: runXhr,
    img: runImg,
    "img-canvas": runImgCanvas,
    script: runScript,
    font: runFont,
  };

  async function runOne(r, timeoutMs) {
    const runner = runners[r.kind];
    if (!runner) return { outcome: "blocked", error: "unknown request kind " + r.kind, page_error: true };
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(
        () => resolve({ outcome: "blocked", error: "no result within " + timeoutMs + " ms", timed_out: true }),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([runner(r), timeout]);
    } catch (e) {
      return { outcome: "blocked", error: String(e), page_error: true };
    } finally {
      clearTimeout(timer);
    }
  }

  async function mark(marker, label) {
    const response = await fetch(marker + "?" + label, { cache: "no-store" });
    await response.arrayBuffer();
  }

  async function run(plan) {
    const results = [];
    for (let i = 0; i < plan.requests.length; i++) {
      const r = plan.requests[i];
      if (r.wait_ms > 0) await sleep(r.wait_ms);
      await mark(plan.marker, "before=" + i);
      const started = performance.now();
      const result = await runOne(r, plan.timeout_ms);
      result.ms = performance.now() - started;
      results.push(result);
    }
    await mark(plan.marker, "end");
    return results;
  }

  window.corsHarness = { run };
})();
