/* jixiao pages: charts from JSON data islands or fetched JSON, toasts that fade.
   No inline scripts (CSP). */
(function () {
  "use strict";

  var PALETTE = ["#1d4f91", "#3a8fd9", "#5fb3a1", "#f5c242", "#e07b39", "#b42318", "#7a5fb8", "#8a96a8"];

  function readSpec(el) {
    var island = document.getElementById(el.getAttribute("data-chart"));
    return island ? JSON.parse(island.textContent) : null;
  }

  /* Counts of projects: whole numbers on the value axis; category labels that never overlap
     (rotated and shortened on a narrow screen, any that still collide are hidden). */
  function barOption(spec, width) {
    var narrow = width < 560;
    var counts = { type: "value", minInterval: 1 };
    var categories = {
      type: "category", data: spec.labels,
      axisLabel: {
        interval: narrow ? "auto" : 0, hideOverlap: true,
        rotate: narrow || spec.labels.length > 6 ? 30 : 0,
        width: narrow ? 72 : 120, overflow: "truncate"
      }
    };
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: spec.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 8, right: 16, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      xAxis: spec.horizontal ? counts : categories,
      yAxis: spec.horizontal ? { type: "category", data: spec.labels, inverse: true, axisLabel: { width: narrow ? 96 : 160, overflow: "truncate" } } : counts,
      series: spec.series.map(function (s) {
        return { name: s.name, type: "bar", stack: spec.stacked ? "all" : undefined, data: s.data, barMaxWidth: 36 };
      })
    };
  }

  function pieOption(spec) {
    var data = spec.labels.map(function (l, i) { return { name: l, value: spec.series[0].data[i] }; });
    return {
      color: spec.colors || PALETTE,
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], data: data, label: { formatter: "{b}\n{c}" } }]
    };
  }

  function draw(el, spec) {
    if (!spec || echarts.getInstanceByDom(el)) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(spec.kind === "pie" ? pieOption(spec) : barOption(spec, el.clientWidth));
  }

  function drawCharts(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) { draw(el, readSpec(el)); });
  }

  /* A group of charts whose data is one JSON object fetched from data-charts (key → spec). */
  function fetchCharts(root) {
    root.querySelectorAll("[data-charts]").forEach(function (group) {
      fetch(group.getAttribute("data-charts"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (specs) {
          if (!specs || typeof echarts === "undefined") { return; }
          group.querySelectorAll("[data-chart-key]").forEach(function (el) {
            draw(el, specs[el.getAttribute("data-chart-key")]);
          });
        });
    });
  }

  function resizeCharts() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart], [data-chart-key]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  }

  function fadeToasts(root) {
    root.querySelectorAll("[data-autohide]").forEach(function (el) {
      setTimeout(function () { el.remove(); }, 6000);
    });
  }

  document.addEventListener("change", function (evt) {
    var form = evt.target.form;
    if (form && form.hasAttribute("data-autosubmit")) { form.requestSubmit(); }
  });

  /* After a refused form, bring the first error into view and put the cursor on it. */
  function focusFirstError(root) {
    var notice = root.querySelector("[data-first-error], .notice.error[role=alert]");
    var field = root.querySelector(".field.invalid");
    var target = notice || field;
    if (!target) { return; }
    target.scrollIntoView({ block: "center" });
    var input = field ? field.querySelector("input, select, textarea") : null;
    if (input) { input.focus({ preventScroll: true }); return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError(document);
    drawCharts(document);
    fetchCharts(document);
    fadeToasts(document);
  });
  document.addEventListener("htmx:afterSettle", function (evt) {
    drawCharts(evt.target);
    fadeToasts(document.getElementById("toasts"));
  });
  window.addEventListener("resize", resizeCharts);
})();
