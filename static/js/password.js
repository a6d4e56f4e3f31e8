// "Nowe hasło": tick the rules under the form off as the password is typed, and a button that
// shows or hides what was typed. Only a help: the server checks the password again on "Zapisz".
// A static file, since the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  var checks = {
    upper: function (p) { return p !== p.toLowerCase(); },
    lower: function (p) { return p !== p.toUpperCase(); },
    digit: function (p) { return /\d/.test(p); },
    min: function (p, n) { return Array.from(p).length >= n; },
    max: function (p, n) { return Array.from(p).length <= n; },
  };

  document.querySelectorAll("[data-password-rules]").forEach(function (input) {
    var list = document.getElementById(input.dataset.passwordRules);
    if (!list) return;
    var rules = list.querySelectorAll("li[data-rule]");
    function update() {
      rules.forEach(function (item) {
        var parts = item.dataset.rule.split(":");
        var met = input.value !== "" && checks[parts[0]](input.value, Number(parts[1]));
        item.classList.toggle("rule-met", met);
        item.querySelector(".rule-state").textContent = " (" + (met ? list.dataset.met : list.dataset.unmet) + ")";
      });
    }
    input.addEventListener("input", update);
    update();
  });

  document.querySelectorAll("[data-password-toggle]").forEach(function (button) {
    var inputs = button.getAttribute("aria-controls").split(" ").map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    if (!inputs.length) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var show = inputs[0].type === "password";
      inputs.forEach(function (input) { input.type = show ? "text" : "password"; });
      button.setAttribute("aria-pressed", show ? "true" : "false");
      button.textContent = show ? button.dataset.hideText : button.dataset.showText;
    });
  });
});
