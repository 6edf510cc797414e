/* Mängelmelder: progressive enhancement. Without JavaScript the SVG map, the list and the
   address/district fields do the job; with it Leaflet shows the map, the form gets a click-to-place
   picker and a "use my location" button that fill the latitude/longitude fields. */
(function () {
  "use strict";
  var figure = document.querySelector("figure.sd-map");
  var source = document.getElementById("sd-map-data");
  var form = document.querySelector("form.sd-report-form");
  var latInput = form ? form.querySelector("input[name=lat]") : null;
  var lonInput = form ? form.querySelector("input[name=lon]") : null;
  var marker = null;
  var map = null;

  function setPoint(lat, lon) {
    if (!latInput || !lonInput) { return; }
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    if (map) {
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.marker([lat, lon]).addTo(map); }
    }
  }

  if (figure && source && window.L) {
    var data = JSON.parse(source.textContent);
    var container = document.createElement("div");
    container.className = "kk-map__leaflet";
    container.setAttribute("role", "region");
    var caption = figure.querySelector("figcaption");
    container.setAttribute("aria-label", caption ? caption.textContent : "");
    var svg = figure.querySelector("svg, .sd-map-click");
    figure.insertBefore(container, svg);
    svg.hidden = true;
    map = L.map(container, { scrollWheelZoom: false });
    if (figure.dataset.tileUrl) {
      L.tileLayer(figure.dataset.tileUrl, { attribution: figure.dataset.tileAttribution || "" }).addTo(map);
    }
    var outline = L.geoJSON(data.outline, { style: { color: "#1b1b1f", weight: 2, fillColor: "#eef2f7", fillOpacity: 0.6 } }).addTo(map);
    L.geoJSON(data.districts, { style: { color: "#3c4c66", weight: 1, fillOpacity: 0.1 } }).addTo(map);
    var bounds = outline.getBounds();
    data.points.forEach(function (p) {
      var dot = L.circleMarker([p.lat, p.lon], { radius: 7, color: "#1d4b8f", fillOpacity: 0.8 }).addTo(map);
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.label;
      dot.bindPopup(link);
    });
    if (data.points.length === 1 && !data.picker) { map.setView([data.points[0].lat, data.points[0].lon], 16); } else { map.fitBounds(bounds); }
    if (data.picker) {
      map.on("click", function (event) { setPoint(event.latlng.lat, event.latlng.lng); });
      if (latInput && latInput.value && lonInput.value) {
        setPoint(parseFloat(latInput.value.replace(",", ".")), parseFloat(lonInput.value.replace(",", ".")));
      }
    }
  }

  var picker = document.querySelector("[data-picker]");
  if (picker && latInput && "geolocation" in navigator) {
    picker.hidden = false;
    var status = picker.querySelector(".sd-locate-status");
    picker.querySelector(".sd-locate").addEventListener("click", function () {
      status.textContent = picker.dataset.waiting || "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        setPoint(pos.coords.latitude, pos.coords.longitude);
        if (map) { map.setView([pos.coords.latitude, pos.coords.longitude], 17); }
        status.textContent = picker.dataset.found || "✓";
      }, function () {
        status.textContent = picker.dataset.failed || "✗";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
})();
