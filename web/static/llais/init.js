// Mark the page as scripted before it paints (GOV.UK Frontend's js-enabled class), from a file:
// the Content-Security-Policy allows no inline script.
document.documentElement.classList.add("llais-js");
document.addEventListener("DOMContentLoaded", function () {
  document.body.classList.add("js-enabled", "govuk-frontend-supported");
});
