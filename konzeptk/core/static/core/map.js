/* The map component (konzeptk/core/maps.py): Leaflet takes the place of the server-rendered SVG.
   Base map from the city profile (outline, districts), no tiles unless configured; features as
   markers in clusters; a picker fills latitude/longitude fields. The list beside the map stays. */
(function () {
  "use strict";
  if (!window.L) { return; }

  var pinIcon = L.divIcon({ className: "kk-map__pin", iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10] });

  // A pin with a short text on it: the number of the feature in the list beside the map.
  function markIcon(mark) {
    var text = document.createElement("span");
    text.textContent = String(mark);
    return L.divIcon({ className: "kk-map__pin kk-map__pin--mark", html: text, iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12] });
  }

  function featureLayer(data) {
    var group = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 }) : L.featureGroup();
    L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var props = feature.properties || {};
        return L.marker(latlng, { icon: props.mark ? markIcon(props.mark) : pinIcon, title: props.name || "" });
      },
      style: function () { return { color: "#1d4b8f", weight: 3, fillOpacity: 0.25 }; },
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        if (!props.name) { return; }
        var content = document.createElement(props.url ? "a" : "span");
        content.textContent = props.name;
        if (props.url) { content.href = props.url; }
        layer.bindPopup(content);
      }
    }).eachLayer(function (layer) { group.addLayer(layer); });
    return group;
  }

  function picker(figure, map) {
    var latInput = document.getElementById(figure.dataset.pickerLat || "");
    var lonInput = document.getElementById(figure.dataset.pickerLon || "");
    if (!latInput || !lonInput) { return; }
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { icon: pinIcon, keyboard: false }).addTo(map); }
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
    }
    function fromInputs(zoom) {
      var lat = parseFloat(String(latInput.value).replace(",", "."));
      var lon = parseFloat(String(lonInput.value).replace(",", "."));
      if (isFinite(lat) && isFinite(lon)) {
        place(L.latLng(lat, lon));
        if (zoom) { map.setView([lat, lon], 16); }
      }
    }
    fromInputs(false);
    latInput.addEventListener("change", function () { fromInputs(true); });
    lonInput.addEventListener("change", function () { fromInputs(true); });
    map.on("click", function (event) { place(event.latlng); });
  }

  function build(figure) {
    var source = document.getElementById(figure.dataset.kkMap);
    if (!source || figure.dataset.kkMapReady) { return; }
    figure.dataset.kkMapReady = "1";
    var data = JSON.parse(source.textContent);
    var fallback = figure.querySelector(".kk-map__fallback");
    var caption = figure.querySelector("figcaption");
    var container = document.createElement("div");
    container.className = "kk-map__leaflet";
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", caption ? caption.textContent.trim() : "");
    figure.insertBefore(container, fallback);
    if (fallback) { fallback.hidden = true; }
    if (figure.dataset.icons) { L.Icon.Default.imagePath = figure.dataset.icons; }
    var map = L.map(container, { scrollWheelZoom: false, minZoom: 9, maxZoom: 19 });
    if (figure.dataset.tileUrl) {
      L.tileLayer(figure.dataset.tileUrl, { attribution: figure.dataset.tileAttribution || "" }).addTo(map);
    }
    var outline = L.geoJSON(data.outline, { interactive: false, style: { color: "#1b1b1f", weight: 2, fillColor: "#eef2f7", fillOpacity: figure.dataset.tileUrl ? 0 : 1 } }).addTo(map);
    if (data.districts) {
      L.geoJSON(data.districts, {
        interactive: false,
        style: { color: "#3c4c66", weight: 1, fillColor: "#c3d6ee", fillOpacity: figure.dataset.tileUrl ? 0 : 0.5 },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "kk-map__tooltip" });
        }
      }).addTo(map);
    }
    var features = data.features || { type: "FeatureCollection", features: [] };
    var cityBounds = outline.getBounds();
    function fit() {
      var b = L.geoJSON(features).getBounds();
      if (figure.classList.contains("kk-map--small") && b.isValid()) { map.setView(b.getCenter(), 15); }
      else if (cityBounds.isValid()) { map.fitBounds(cityBounds); }
      else if (b.isValid()) { map.fitBounds(b); }
      else { map.setView([0, 0], 2); }
    }
    fit();
    // A picker shows the chosen place with its own marker (from the latitude/longitude fields).
    var points = featureLayer(figure.dataset.pickerLat ? { type: "FeatureCollection", features: [] } : features).addTo(map);
    picker(figure, map);
    if (figure.dataset.url && window.fetch) {
      fetch(figure.dataset.url, { headers: { Accept: "application/geo+json, application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (geojson) {
          if (!geojson) { return; }
          points.clearLayers();
          featureLayer(geojson).eachLayer(function (layer) { points.addLayer(layer); });
        })
        .catch(function () { /* the inline features stay */ });
    }
  }

  document.querySelectorAll("figure.kk-map[data-kk-map]").forEach(build);
})();
