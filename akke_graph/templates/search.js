// The search box of every page of an akke-graph release: finds organisations, projects, persons,
// themes and agreements by name (Finnish, Swedish, English; case and ä/ö/å do not matter) or by
// business ID, from the index the release carries (search/index.json; no server needed). Under
// `akke-graph serve` it asks the server's /search instead and shows the link to the SPARQL query
// page. Folding and matching are those of akke_graph/search.py.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL(".", script.src);
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector(".search-results");
  var lang = document.documentElement.lang === "en" ? "en" : "fi";
  var KINDS = {
    "organisation": ["organisaatio", "organisation"], "project": ["hanke", "project"],
    "person": ["henkilö", "person"], "theme": ["teema", "theme"],
    "agreement": ["ekosysteemisopimus", "ecosystem agreement"], "programme": ["rahoitusohjelma", "programme"],
    "city-region": ["kaupunkiseutu", "city region"]
  };
  var TEXT = {
    none: ["Ei osumia", "Nothing found"], short: ["Kirjoita vähintään kaksi merkkiä", "Type at least two characters"],
    failed: ["Haku ei onnistunut", "The search failed"]
  };
  var MAX = 20, PREFIX = 2;
  var served = false, index = null, buckets = {}, latest = 0;

  function t(key) { return TEXT[key][lang === "fi" ? 0 : 1]; }
  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function words(s) { return fold(s).match(/[\p{L}\p{N}]+/gu) || []; }
  function idWords(s) { var w = words(s); return w.length > 1 ? w.concat([w.join("")]) : w; }
  function recordWords(r) {
    if (!r.w) {
      var all = [];
      [r[2], r[3]].concat(r[4]).forEach(function (n) { if (n) { all = all.concat(words(n)); } });
      r[5].forEach(function (i) { all = all.concat(idWords(i)); });
      r.w = all;
    }
    return r.w;
  }
  function matches(r, q) {
    var mine = recordWords(r);
    return q.every(function (qw) { return mine.some(function (w) { return w.lastIndexOf(qw, 0) === 0; }); });
  }
  function rank(r, query) {
    var folded = words(query).join(" ");
    var names = [r[2], r[3]].concat(r[4]).filter(Boolean).map(function (n) { return words(n).join(" "); });
    var ids = r[5].map(function (i) { return idWords(i).slice(-1).join(""); });
    if (names.indexOf(folded) >= 0 || ids.indexOf(folded.replace(/ /g, "")) >= 0) { return 0; }
    return names.some(function (n) { return n.lastIndexOf(folded, 0) === 0; }) ? 1 : 2;
  }
  function longest(q) { return q.reduce(function (a, b) { return b.length > a.length ? b : a; }, ""); }
  function bucketKey(w) { var k = w.slice(0, PREFIX); return /^[a-z0-9]+$/.test(k) ? k : "_"; }

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }
  function records(q) {
    var get = index ? Promise.resolve(index) : getJSON(new URL("search/index.json", root)).then(function (d) { index = d; return d; });
    return get.then(function (d) {
      if (d.records) { return d.records; }
      var key = bucketKey(longest(q));
      if (!(key in d.buckets)) { return []; }
      if (!buckets[key]) { buckets[key] = getJSON(new URL("search/b/" + key + ".json", root)).then(function (b) { return b.records; }); }
      return buckets[key];
    });
  }
  function localSearch(query) {
    var q = words(query);
    return records(q).then(function (rs) {
      var kinds = index.kinds;
      return rs.filter(function (r) { return matches(r, q); }).map(function (r) {
        return {r: r, rank: rank(r, query)};
      }).sort(function (a, b) {
        return a.rank - b.rank || a.r[0] - b.r[0] || fold(a.r[2]).localeCompare(fold(b.r[2]));
      }).slice(0, MAX).map(function (x) {
        var r = x.r;
        return {kind: kinds[r[0]], name: r[2], name_en: r[3] || r[2], ids: r[5], path: "id/" + kinds[r[0]] + "/" + r[1] + ".html"};
      });
    });
  }
  function serverSearch(query) {
    var url = new URL("search", root);
    url.searchParams.set("q", query);
    return getJSON(url).then(function (d) { return d.results; });
  }

  function show(items, message) {
    list.textContent = "";
    if (message) {
      var li = document.createElement("li");
      li.className = "muted";
      li.textContent = message;
      list.appendChild(li);
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = new URL(item.path, root).href;
      a.textContent = lang === "en" ? item.name_en : item.name;
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = (KINDS[item.kind] || [item.kind, item.kind])[lang === "fi" ? 0 : 1];
      li.appendChild(kind);
      if (item.ids.length) {
        var ids = document.createElement("span");
        ids.className = "ids";
        ids.textContent = item.ids.join(", ");
        li.appendChild(ids);
      }
      list.appendChild(li);
    });
    list.hidden = false;
    form.setAttribute("data-state", "done");
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) { list.hidden = true; list.textContent = ""; form.setAttribute("data-state", "idle"); return; }
    var q = words(query);
    if (!q.length || longest(q).length < PREFIX) { show([], t("short")); return; }
    form.setAttribute("data-state", "searching");
    (served ? serverSearch(query) : localSearch(query)).then(function (items) {
      if (ticket === latest) { show(items, items.length ? "" : t("none")); }
    }, function () {
      if (ticket === latest) { show([], t("failed")); }
    });
  }

  input.addEventListener("input", run);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) { window.location.href = first.href; }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; run(); }
  });

  function ready() {
    form.hidden = false;
    form.setAttribute("data-state", "idle");
    if (input.value) { run(); }
  }
  if (/^https?:$/.test(location.protocol)) {
    // `akke-graph serve` names itself in the Server header: then /search and /sparql exist.
    fetch(location.href, {method: "HEAD", cache: "no-store"}).then(function (r) {
      served = (r.headers.get("Server") || "").indexOf("akke-graph/") === 0;
      if (served) {
        document.querySelectorAll("[data-serve-only]").forEach(function (el) {
          el.href = new URL(el.getAttribute("data-path"), root).href;
          el.hidden = false;
        });
      }
    }, function () { served = false; }).then(ready);
  } else {
    ready();
  }
})();
