/* cxgap report: tooltips on the charts' marks, views, group toggles, and the item table's
   sorting and filters. No network, no libraries; the page reads fully without it. */
(function () {
  "use strict";
  var island = document.getElementById("cxgap-data");
  var data = JSON.parse(island.textContent);
  var tip = document.getElementById("tip");
  var current = null;

  // The marks' <title> shows the browser's own tooltip; the script's replaces it.
  Array.prototype.forEach.call(document.querySelectorAll(".mark > title"), function (t) {
    t.parentNode.removeChild(t);
  });

  function show(mark) {
    var m = data.marks[mark.getAttribute("data-k")];
    if (!m) { return; }
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    var head = document.createElement("div");
    head.className = "t";
    head.textContent = m.t;
    tip.appendChild(head);
    var table = document.createElement("table");
    m.r.forEach(function (pair) {
      var tr = document.createElement("tr");
      var k = document.createElement("td"), v = document.createElement("td");
      k.textContent = pair[0];
      v.textContent = pair[1];
      tr.appendChild(k);
      tr.appendChild(v);
      table.appendChild(tr);
    });
    tip.appendChild(table);
    tip.hidden = false;
    var box = mark.getBoundingClientRect();
    var left = window.scrollX + box.right + 12;
    if (left + tip.offsetWidth > window.scrollX + document.documentElement.clientWidth) {
      left = Math.max(window.scrollX, window.scrollX + box.left - tip.offsetWidth - 12);
    }
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + box.top - 4) + "px";
    if (current && current !== mark) { current.removeAttribute("aria-describedby"); }
    mark.setAttribute("aria-describedby", "tip");
    current = mark;
  }

  function hide() {
    tip.hidden = true;
    if (current) { current.removeAttribute("aria-describedby"); }
    current = null;
  }

  function markOf(event) {
    return event.target.closest ? event.target.closest(".mark") : null;
  }
  document.addEventListener("mouseover", function (e) {
    var m = markOf(e);
    if (m) { show(m); } else if (current && current !== document.activeElement) { hide(); }
  });
  document.addEventListener("focusin", function (e) {
    var m = markOf(e);
    if (m) { show(m); } else { hide(); }
  });
  document.addEventListener("focusout", function (e) { if (markOf(e)) { hide(); } });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });

  // Views: the view (overall, a wave, a segment), the comparison and the trend's item.
  function value(id) {
    var el = document.getElementById(id);
    return el ? el.value : null;
  }
  function apply() {
    var state = { view: value("view") || "v0", cmp: value("cmp") || "0",
                  trend: value("trend-item") || "0" };
    Array.prototype.forEach.call(document.querySelectorAll(".variant"), function (el) {
      var show = true;
      ["view", "cmp", "trend"].forEach(function (key) {
        var want = el.getAttribute("data-" + key);
        if (want !== null && want !== state[key]) { show = false; }
      });
      el.hidden = !show;
    });
    hide();
    filter();
  }
  ["view", "cmp", "trend-item"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("change", apply); }
  });

  // Groups shown: each checkbox hides its group's marks and lines in every chart.
  Array.prototype.forEach.call(document.querySelectorAll("[data-toggle-g]"), function (box) {
    box.addEventListener("change", function () {
      var g = box.getAttribute("data-toggle-g");
      Array.prototype.forEach.call(document.querySelectorAll('svg [data-g="' + g + '"]'),
        function (el) { el.classList.toggle("off", !box.checked); });
    });
  });

  // The item table: sort by any column, filter by flag and by words.
  var table = document.getElementById("item-table");
  if (!table) { return; }
  var heads = table.querySelectorAll("thead th");

  function key(row, col) {
    var v = row.children[col].getAttribute("data-v");
    if (v === "" || v === null) { return null; }
    var num = Number(v);
    return isNaN(num) ? v.toLowerCase() : num;
  }
  function sort(col) {
    var th = heads[col];
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, col), y = key(b, col);
        if (x === null || y === null) {
          if (x === y) { return a.getAttribute("data-n") - b.getAttribute("data-n"); }
          return x === null ? 1 : -1;  // blanks last either way
        }
        if (x < y) { return -sign; }
        if (x > y) { return sign; }
        return a.getAttribute("data-n") - b.getAttribute("data-n");
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  }
  Array.prototype.forEach.call(table.querySelectorAll("thead button"), function (b) {
    b.addEventListener("click", function () { sort(Number(b.getAttribute("data-col"))); });
  });

  function filter() {
    var flag = value("flag-filter") || "";
    var words = (value("text-filter") || "").toLowerCase();
    var theme = value("theme-filter") || "";
    var shown = 0, total = 0;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var flags = (row.getAttribute("data-flags") || "").split(" ").filter(Boolean);
        var ok = flag === "" || (flag === "none" ? flags.length === 0 : flags.indexOf(flag) >= 0);
        var label = row.children[0].textContent.toLowerCase();
        ok = ok && (words === "" || label.indexOf(words) >= 0);
        ok = ok && (theme === "" || row.getAttribute("data-theme") === theme);
        row.hidden = !ok;
        if (!body.hidden) { total += 1; if (ok) { shown += 1; } }
      });
    });
    var out = document.getElementById("shown");
    if (out) { out.textContent = shown + " of " + total + " items shown"; }
  }
  ["flag-filter", "theme-filter", "text-filter"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("input", filter); el.addEventListener("change", filter); }
  });
  apply();
})();
