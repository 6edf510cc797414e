/* Location picker: enhances the latitude/longitude fields with a Leaflet map. Without JavaScript the
   fields (and the district choice and address) work on their own. */
(function () {
  "use strict";
  var box = document.querySelector(".kk-picker");
  if (!box || typeof L === "undefined") { return; }
  var latInput = document.getElementById(box.getAttribute("data-lat-input"));
  var lonInput = document.getElementById(box.getAttribute("data-lon-input"));
  if (!latInput || !lonInput) { return; }
  box.hidden = false;
  var start = [parseFloat(latInput.value) || 51.3331, parseFloat(lonInput.value) || 6.5623];
  var map = L.map(box.querySelector(".kk-picker__map")).setView(start, 12);
  var tiles = document.querySelector("[data-tile-url]");
  if (tiles) {
    L.tileLayer(tiles.getAttribute("data-tile-url"), { attribution: tiles.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }
  var outline = document.getElementById("kk-city-outline");
  if (outline) {
    var shape = L.geoJSON(JSON.parse(outline.textContent), { style: { fill: false, weight: 2 } }).addTo(map);
    map.fitBounds(shape.getBounds());
  }
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
  }
  if (latInput.value && lonInput.value) { place(L.latLng(start[0], start[1])); }
  map.on("click", function (event) { place(event.latlng); });
}());
