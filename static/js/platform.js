// Behaviour that would otherwise need inline script (forbidden by the CSP).

// Apache ECharts (1 MB) is loaded only by pages that draw a chart, once, from our own
// static files: `window.loadECharts(src).then(draw)`.
window.loadECharts = (src) =>
  new Promise((resolve, reject) => {
    if (window.echarts) {
      resolve();
      return;
    }
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });

document.addEventListener("DOMContentLoaded", () => {
  // Confirmation before irreversible actions: <form data-confirm="..."> or, for one of
  // a form's buttons, <button data-confirm="...">.
  document.body.addEventListener("submit", (event) => {
    const button = event.submitter && event.submitter.closest("[data-confirm]");
    const form = event.target.closest("form[data-confirm]");
    const message = (button && button.dataset.confirm) || (form && form.dataset.confirm);
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Auto-submit of filter selects: <select data-autosubmit>.
  document.body.addEventListener("change", (event) => {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
});

// Tables that become cards on a phone (<table class="table-stack">, static/css/platform.css):
// each cell is labelled with its column's header, so that a card reads "截止日期 2026-12-01"
// instead of a column one character wide.
const labelStackedCells = (root) => {
  root.querySelectorAll("table.table-stack").forEach((table) => {
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (headers[index] && !cell.hasAttribute("colspan")) {
          cell.dataset.label = headers[index];
        }
      });
    });
  });
};
document.addEventListener("DOMContentLoaded", () => labelStackedCells(document));
document.addEventListener("htmx:afterSwap", () => labelStackedCells(document));
