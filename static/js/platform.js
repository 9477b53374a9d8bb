// Behaviour that would otherwise need inline script (forbidden by the CSP).
document.addEventListener("DOMContentLoaded", () => {
  // Confirmation before irreversible actions: <form data-confirm="...">.
  document.body.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
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
