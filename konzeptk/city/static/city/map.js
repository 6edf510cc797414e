/* Progressive enhancement: replace the server-rendered SVG map with a Leaflet map. */
(function () {
  "use strict";
  if (!window.L) { return; }
  document.querySelectorAll("figure.kk-map[data-geojson-id]").forEach(function (figure) {
    var source = document.getElementById(figure.dataset.geojsonId);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var container = document.createElement("div");
    container.className = "kk-map__leaflet";
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", figure.querySelector("figcaption").textContent);
    var svg = figure.querySelector("svg");
    figure.insertBefore(container, svg);
    svg.hidden = true;
    var map = L.map(container, { scrollWheelZoom: false });
    if (figure.dataset.tileUrl) {
      L.tileLayer(figure.dataset.tileUrl, { attribution: figure.dataset.tileAttribution || "" }).addTo(map);
    }
    var outline = L.geoJSON(data.outline, { style: { color: "#1b1b1f", weight: 2, fillColor: "#eef2f7", fillOpacity: 1 } }).addTo(map);
    L.geoJSON(data, {
      style: function (feature) { return { color: "#3c4c66", weight: 1, fillColor: "#c3d6ee", fillOpacity: 0.7 }; },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "kk-map__tooltip" });
      }
    }).addTo(map);
    map.fitBounds(outline.getBounds());
  });
})();
