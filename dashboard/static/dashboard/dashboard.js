// The provincial dashboard's charts, drawn with Apache ECharts. Each
// <div data-dashboard-chart="ID"> reads its figures from the JSON block with that id
// (Django's json_script: data, never executed, so the CSP allows it); the same figures
// are in the table under it. ECharts is loaded once for all charts; if it cannot load,
// the tables are opened instead.
(function () {
  "use strict";

  const TEXT = "#212529";
  // Colour-blind-safe palette (Okabe–Ito, then Tol's muted for more series), dark enough
  // against white; no black, which reads as an axis or a missing value.
  const COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#999933", "#882255", "#44aa99"];

  function fontSize() {
    const rem = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.round(rem * 0.8125);
  }

  function figures(element) {
    const source = document.getElementById(element.dataset.dashboardChart);
    return source ? JSON.parse(source.textContent) : null;
  }

  function categoryAxis(labels, size, horizontal) {
    return {
      type: "category",
      data: labels,
      inverse: horizontal,
      axisTick: { show: false },
      axisLabel: { color: TEXT, fontSize: size, interval: horizontal ? 0 : "auto" },
    };
  }

  function valueAxis(size) {
    return { type: "value", minInterval: 1, axisLabel: { color: TEXT, fontSize: size } };
  }

  function options(data, size) {
    const common = {
      animation: false,
      color: COLOURS,
      aria: { enabled: true },
      textStyle: { fontSize: size },
      tooltip: { trigger: data.kind === "funnel" ? "item" : "axis", textStyle: { fontSize: size } },
    };
    if (data.kind === "funnel") {
      return Object.assign(common, {
        series: [
          {
            type: "funnel",
            sort: "none",
            // Labels beside the funnel: a long stage name does not fit inside a narrow step.
            left: "4%",
            width: "52%",
            minSize: "10%",
            label: { show: true, position: "right", formatter: "{b}: {c}", fontSize: size, color: TEXT },
            labelLine: { show: true },
            data: data.labels.map((label, index) => ({ name: label, value: data.series[0].values[index] })),
          },
        ],
      });
    }
    const horizontal = data.kind !== "line";
    const legend = { top: 0, type: "scroll", textStyle: { fontSize: size, color: TEXT } };
    const grid = { left: 8, right: 32, top: 36, bottom: 8, containLabel: true };
    const series = data.series.map((serie) => ({
      name: serie.name,
      type: data.kind === "line" ? "line" : "bar",
      stack: data.kind === "stacked" ? "total" : undefined,
      data: serie.values,
      barMaxWidth: size * 1.8,
      label: { show: data.kind === "bar", position: "right", color: TEXT, fontSize: size },
    }));
    return Object.assign(common, {
      legend: legend,
      grid: grid,
      xAxis: horizontal ? valueAxis(size) : categoryAxis(data.labels, size, false),
      yAxis: horizontal ? categoryAxis(data.labels, size, true) : valueAxis(size),
      series: series,
    });
  }

  function draw(element) {
    const data = figures(element);
    if (!data || !data.labels.length) {
      return;
    }
    const size = fontSize();
    if (data.kind !== "line" && data.kind !== "funnel") {
      // One bar per row, long Chinese names on the left: readable on a narrow screen.
      const bars = data.kind === "stacked" ? 1 : data.series.length;
      element.style.height = `${Math.max(280, data.labels.length * bars * size * 2 + 80)}px`;
    }
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(options(data, size));
    window.addEventListener("resize", () => chart.resize());
    element.dataset.chartDrawn = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    const charts = Array.from(document.querySelectorAll("[data-dashboard-chart]"));
    if (!charts.length) {
      return;
    }
    window.loadECharts(charts[0].dataset.echartsSrc)
      .then(() => charts.forEach(draw))
      .catch(() =>
        charts.forEach((element) => {
          const table = document.getElementById(element.dataset.chartTable);
          if (table) {
            table.open = true;
          }
          element.hidden = true;
        }),
      );
  });
})();
