/* Progressive enhancement of the ballot form: the total of the chosen proposals (or the number of
   votes) follows every tick at once. Without JavaScript the "Summe prüfen" button asks the server for
   the same total; with it the button is not needed and hides. No inline script (CSP). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-kk-ballot]");
  if (!form) { return; }
  var boxes = form.querySelectorAll("input[type=checkbox][name=ideas]");
  var kind = form.getAttribute("data-kind");
  var budget = parseInt(form.getAttribute("data-budget"), 10) || 0;
  var votes = parseInt(form.getAttribute("data-votes"), 10) || 0;
  var lang = document.documentElement.lang || "de";
  var money;
  try {
    money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", maximumFractionDigits: 0, numberingSystem: "latn" });
  } catch (e) {
    money = new Intl.NumberFormat("de", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  }
  var spent = form.querySelector("[data-kk-spent]");
  var remaining = form.querySelector("[data-kk-remaining]");
  var count = form.querySelector("[data-kk-count]");
  var over = form.querySelector("[data-kk-over]");
  var box = form.querySelector("[data-kk-ballot-total]");
  var check = form.querySelector("[data-kk-check]");
  if (check && check.parentNode) { check.parentNode.hidden = true; }
  function update() {
    var total = 0;
    var n = 0;
    boxes.forEach(function (b) {
      if (b.checked) { total += parseInt(b.getAttribute("data-cost"), 10) || 0; n += 1; }
    });
    var tooMuch = kind === "budget" ? total > budget : n > votes;
    if (spent) { spent.textContent = money.format(total); }
    if (remaining) { remaining.textContent = money.format(budget - total); }
    if (count) { count.textContent = String(n); }
    if (over) { over.hidden = !tooMuch; }
    if (box) {
      box.classList.toggle("kern-alert--danger", tooMuch);
      box.classList.toggle("kern-alert--info", !tooMuch);
    }
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
