// Copy buttons next to the example calls (an enhancement: without JavaScript the calls can be selected).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (code) {
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kern-btn kern-btn--tertiary";
    button.innerHTML = '<span class="kern-label"></span>';
    button.firstChild.textContent = code.getAttribute("data-copy");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.firstChild.textContent = code.getAttribute("data-copied");
      });
    });
    code.insertAdjacentElement("afterend", button);
  });
})();
