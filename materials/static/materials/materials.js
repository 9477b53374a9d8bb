// Upload forms of the materials app (<form data-upload-form>): a progress bar fed by
// htmx's htmx:xhr:progress event, a size check before 100 MB travel for nothing, and a
// message when the upload does not get through. Without JavaScript the forms post as
// ordinary forms. Loaded by several includes of one page: it sets itself up once.
(() => {
  if (window.materialsUploads) {
    return;
  }
  window.materialsUploads = true;

  const uploadForm = (element) => (element && element.closest ? element.closest("form[data-upload-form]") : null);

  const showError = (form, message) => {
    const box = form.querySelector("[data-upload-error]");
    if (box) {
      box.textContent = message;
      box.hidden = !message;
    }
  };

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = uploadForm(event.target);
    if (!form) {
      return;
    }
    const bar = form.querySelector("progress[data-upload-progress]");
    if (bar) {
      bar.value = 0;
    }
    showError(form, "");
  });

  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = uploadForm(event.target);
    const bar = form && form.querySelector("progress[data-upload-progress]");
    if (!bar || !event.detail.lengthComputable || !event.detail.total) {
      return;
    }
    // The response's download reports progress too, from 0 again: the bar only moves forward.
    bar.value = Math.max(bar.value, Math.round((100 * event.detail.loaded) / event.detail.total));
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = uploadForm(event.target);
    if (form && !event.detail.successful) {
      showError(form, form.dataset.uploadFailed || "");
    }
  });

  // Capture phase: runs before htmx sends the form, and can stop it.
  document.addEventListener(
    "submit",
    (event) => {
      const form = uploadForm(event.target);
      if (!form) {
        return;
      }
      for (const input of form.querySelectorAll("input[type=file][data-max-bytes]")) {
        const limit = Number(input.dataset.maxBytes);
        if (Array.from(input.files || []).some((file) => file.size > limit)) {
          event.preventDefault();
          event.stopImmediatePropagation();
          showError(form, form.dataset.tooLarge || "");
          return;
        }
      }
    },
    true,
  );
})();
