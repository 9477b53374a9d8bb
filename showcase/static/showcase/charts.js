// The charts of the showcase's home page, drawn with Apache ECharts. Each
// <div data-chart="ID"> reads its figures from the JSON block with that id (rendered by
// Django's json_script: data, never executed, so the CSP allows it); the same figures
// are in a table next to the chart. ECharts (1 MB) is loaded only when a chart comes
// near the screen, so that a phone shows the page first; if it cannot load, the tables
// are opened instead.
(function () {
  "use strict";

  const BAR = "#1d4f91"; // 8.9:1 against white
  const TEXT = "#212529";

  function remPixels() {
    return parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
  }

  function figures(element) {
    const source = document.getElementById(element.dataset.chart);
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(element) {
    const data = figures(element);
    if (!data || !data.values.length) {
      return;
    }
    const size = Math.round(remPixels() * 0.875);
    // One bar per row, long Chinese names on the left: readable on a narrow screen.
    element.style.height = `${Math.max(200, data.values.length * size * 2.6 + 48)}px`;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true, label: { description: element.dataset.chartDescription || "" } },
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: size } },
      xAxis: { type: "value", minInterval: 1, axisLabel: { color: TEXT, fontSize: size } },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.labels,
        axisTick: { show: false },
        axisLabel: { color: TEXT, fontSize: size, interval: 0 },
      },
      series: [
        {
          type: "bar",
          data: data.values,
          barMaxWidth: size * 1.8,
          itemStyle: { color: BAR },
          label: { show: true, position: "right", color: TEXT, fontSize: size },
        },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
    element.dataset.chartDrawn = "true";
  }

  function openTables(charts) {
    charts.forEach((element) => {
      const table = document.getElementById(element.dataset.chartTable);
      if (table) {
        table.open = true;
      }
      element.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const charts = Array.from(document.querySelectorAll("[data-chart]"));
    if (!charts.length) {
      return;
    }
    let started = false;
    const start = () => {
      if (started) {
        return;
      }
      started = true;
      window.loadECharts(charts[0].dataset.echartsSrc)
        .then(() => charts.forEach(draw))
        .catch(() => openTables(charts));
    };
    if (!("IntersectionObserver" in window)) {
      start();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          start();
        }
      },
      { rootMargin: "300px" },
    );
    charts.forEach((element) => observer.observe(element));
  });
})();
