// Autosave of the self-assessment, with drafts kept in the browser.
// Every change is posted by htmx (hx-trigger on the form). Until the server confirms
// a save, the row's values stay in localStorage; they are restored on the next visit
// and sent again when the connection returns, so a dropped connection or a closed tab
// loses nothing. Each row carries an edit token (core/concurrency.py): a draft sent
// after the row was saved elsewhere is refused (409) and stays here, next to the saved
// version, until the person merges the two.
(function () {
  "use strict";
  const FORMS = "form.autosave-form[data-autosave-key]";

  function values(form) {
    const data = {};
    form.querySelectorAll("input[name], textarea[name]").forEach((field) => {
      if (field.name !== "csrfmiddlewaretoken") data[field.name] = field.value;
    });
    return data;
  }

  // What the person typed, without the row's edit token (which each save renews).
  function content(data) {
    const typed = { ...data };
    Object.keys(typed).forEach((name) => {
      if (name.endsWith("edit_token")) delete typed[name];
    });
    return JSON.stringify(typed);
  }

  function remember(form) {
    try {
      localStorage.setItem(form.dataset.autosaveKey, JSON.stringify(values(form)));
    } catch (error) {
      // Storage full or disabled: the server save still runs.
    }
  }

  function forget(form, sent) {
    const stored = localStorage.getItem(form.dataset.autosaveKey);
    // Keep a draft typed after the request left: only what the server has is dropped.
    if (stored !== null && stored === JSON.stringify(sent)) {
      localStorage.removeItem(form.dataset.autosaveKey);
    }
  }

  function status(form, text) {
    const target = form.querySelector("[data-save-state]");
    if (target) target.textContent = text;
  }

  function resend(form) {
    if (window.htmx) window.htmx.trigger(form, "change");
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(FORMS).forEach((form) => {
      const stored = localStorage.getItem(form.dataset.autosaveKey);
      if (stored === null) return;
      const draft = JSON.parse(stored);
      Object.entries(draft).forEach(([name, value]) => {
        const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
        if (field) field.value = value;
      });
      status(form, form.dataset.restoredText || "");
      resend(form);
    });
  });

  document.body.addEventListener("input", (event) => {
    const form = event.target.closest(FORMS);
    if (!form) return;
    // After a refusal (409: the row was saved elsewhere meanwhile) the saved version's
    // token waits in data-pending-token: the person's next keystroke is the merge, and
    // only it may save over that version. A resend of the draft keeps the old token.
    const pending = form.querySelector("[data-pending-token]");
    const token = form.querySelector("input[type=hidden][name$='edit_token']");
    if (pending && token) {
      token.value = pending.dataset.pendingToken;
      pending.remove();
    }
    remember(form);
  });

  // A row is not sent again when the server already has what it holds: the save on
  // "change" and the delayed save on "input" often carry the same text, and the second,
  // arriving after the application was submitted, would only be refused. (Cancelled in
  // htmx:beforeRequest, which releases the row's place in the sync queue.)
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest(FORMS);
    if (!form) return;
    if (form.dataset.savedContent && content(values(form)) === form.dataset.savedContent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = JSON.stringify(values(form));
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt.closest(FORMS);
    if (!form) return;
    if (event.detail.successful) {
      const sent = JSON.parse(form.dataset.sent || "{}");
      forget(form, sent);
      form.dataset.savedContent = content(sent);
    } else if (!event.detail.xhr || event.detail.xhr.status === 0) {
      status(form, form.dataset.offlineText || "");
    }
  });

  window.addEventListener("online", () => {
    document.querySelectorAll(FORMS).forEach((form) => {
      if (localStorage.getItem(form.dataset.autosaveKey) !== null) resend(form);
    });
  });
})();
