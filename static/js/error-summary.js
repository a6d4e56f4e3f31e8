// Move focus to the error summary after a failed submit (GOV.UK pattern); no inline script.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
