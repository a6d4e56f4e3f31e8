// After a failed submit, move focus to the error summary so screen readers announce it
// (GOV.UK pattern). A static file: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
