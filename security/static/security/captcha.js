// "Another picture" on the sign-in form: load a new picture in place, keeping what was
// typed. Without JavaScript the link reloads the sign-in page, which draws a new one too.
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("click", (event) => {
    const link = event.target.closest("[data-captcha-refresh]");
    const image = document.querySelector("[data-captcha-image]");
    if (!link || !image) {
      return;
    }
    event.preventDefault();
    const url = new URL(image.src, window.location.href);
    url.searchParams.set("n", Date.now().toString(36));
    image.src = url.toString();
    const input = document.querySelector("input[name=captcha]");
    if (input) {
      input.value = "";
      input.focus();
    }
  });
});
