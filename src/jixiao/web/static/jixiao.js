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

  /* Peers' targets as one horizontal box (the common ECharts build has no boxplot series): the
     p25–p75 box as a marked area, the median as a thick line, whiskers to min and max; this
     project's target as a diamond. Numbers arrive as text and are only drawn. */
  function boxplotOption(spec) {
    var b = spec.boxes[0].map(Number);
    var marks = spec.marks.filter(function (v) { return v !== null; }).map(function (v) { return [Number(v), 0]; });
    var xs = b.concat(marks.map(function (m) { return m[0]; }));
    var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs);
    var pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.05, 1);
    var line = { color: PALETTE[0], type: "solid", width: 1.5 };
    return {
      color: [PALETTE[5]],
      tooltip: { trigger: "item", formatter: function () { return "本项目：" + marks.map(function (m) { return m[0]; }).join("、") + spec.unit; } },
      grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
      xAxis: { type: "value", min: lo - pad, max: hi + pad, name: spec.unit, axisLabel: { hideOverlap: true } },
      yAxis: { type: "category", data: spec.labels, axisLabel: { width: 96, overflow: "truncate" } },
      series: [{
        name: "本项目", type: "scatter", symbol: "diamond", symbolSize: 14, data: marks, z: 5,
        markArea: { silent: true, itemStyle: { color: "rgba(58,143,217,0.25)", borderColor: PALETTE[0], borderWidth: 1 },
          data: [[{ xAxis: b[1] }, { xAxis: b[3] }]] },
        markLine: { silent: true, symbol: "none", label: { show: false }, lineStyle: line, data: [
          { xAxis: b[2], lineStyle: { color: PALETTE[0], type: "solid", width: 3 } },
          [{ coord: [b[0], 0] }, { coord: [b[1], 0] }],
          [{ coord: [b[3], 0] }, { coord: [b[4], 0] }],
          { xAxis: b[0] }, { xAxis: b[4] }
        ] }
      }]
    };
  }

  function chartOption(spec, el) {
    if (spec.kind === "pie") { return pieOption(spec); }
    if (spec.kind === "boxplot") { return boxplotOption(spec); }
    return barOption(spec, el.clientWidth);
  }

  function draw(el, spec) {
    if (!spec || echarts.getInstanceByDom(el)) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(chartOption(spec, el));
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
