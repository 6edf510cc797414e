/* Mängelmelder: progressive enhancement of the form. The map (with its click-to-place picker) is the
   platform's map component (core/map.js); here only the "use my location" button, which fills the
   latitude/longitude fields and tells the map about the new place. */
(function () {
  "use strict";
  var form = document.querySelector("form.sd-report-form");
  var latInput = form ? form.querySelector("input[name=lat]") : null;
  var lonInput = form ? form.querySelector("input[name=lon]") : null;
  var picker = document.querySelector("[data-picker]");
  if (!picker || !latInput || !lonInput || !("geolocation" in navigator)) { return; }
  picker.hidden = false;
  var status = picker.querySelector(".sd-locate-status");
  picker.querySelector(".sd-locate").addEventListener("click", function () {
    status.textContent = picker.dataset.waiting || "…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      latInput.value = pos.coords.latitude.toFixed(6);
      lonInput.value = pos.coords.longitude.toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = picker.dataset.found || "✓";
    }, function () {
      status.textContent = picker.dataset.failed || "✗";
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
