/* The directory's maps (Leaflet, served by the app). Reads its settings from the #map element:
 * data-tiles (empty: a blank background, nothing fetched), data-attribution, data-pick (the
 * finder: a tap searches near that point, saying so with data-message-picked), and JSON from
 * #map-markers, #map-point, #map-extent (where to open with nothing to show: the city) and
 * #map-boundaries (staff map). The finder's 「ちかくを さがす」 button searches near the phone's
 * position, with or without a map on the page. */
(function () {
  "use strict";

  var COLOURS = ["#d9480f", "#1971c2", "#2f9e44", "#9c36b5", "#e67700", "#0c8599", "#c2255c",
    "#5c940d", "#364fc7", "#862e9c"];

  function json(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function setPoint(form, latlng) {
    form.elements.lat.value = latlng.lat.toFixed(6);
    form.elements.lon.value = latlng.lng.toFixed(6);
  }

  // Search near a point at once; ``how`` (map, here) tells the page how it was chosen.
  function searchNear(form, latlng, how) {
    setPoint(form, latlng);
    var near = form.querySelector("input[name=near]");
    if (!near) {
      near = document.createElement("input");
      near.type = "hidden";
      near.name = "near";
      form.appendChild(near);
    }
    near.value = how;
    form.submit();
  }

  function status(text) {
    var line = document.getElementById("near-status");
    if (line) { line.textContent = text; }
  }

  function initNearMe(form) {
    var button = document.getElementById("near-me");
    if (!form || !button) { return; }
    button.addEventListener("click", function () {
      if (!navigator.geolocation) {
        status(button.dataset.messageDenied);
        return;
      }
      navigator.geolocation.getCurrentPosition(function (position) {
        searchNear(form, { lat: position.coords.latitude, lng: position.coords.longitude }, "here");
      }, function () {
        status(button.dataset.messageDenied);
      }, { timeout: 10000 });
    });
  }

  function initMap() {
    var element = document.getElementById("map");
    if (!element || !window.L) { return; }
    var map = L.map(element, { scrollWheelZoom: false });
    element.tsunaguMap = map;
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        attribution: element.dataset.attribution, maxZoom: 18
      }).addTo(map);
    } else {
      element.classList.add("map-blank");
    }
    var bounds = [];
    var markers = json("map-markers") || [];
    var layers = {};
    markers.forEach(function (marker) {
      var colour = COLOURS[(marker.group || 0) % COLOURS.length];
      var circle = L.circleMarker([marker.lat, marker.lon], {
        radius: 9, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9,
        bubblingMouseEvents: false  // a tap on a place opens it, and searches nowhere
      });
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.name;
      circle.bindPopup(link);
      var layerName = marker.layer || "";
      layers[layerName] = layers[layerName] || L.layerGroup().addTo(map);
      circle.addTo(layers[layerName]);
      bounds.push([marker.lat, marker.lon]);
    });
    var overlays = {};
    Object.keys(layers).forEach(function (name) { if (name) { overlays[name] = layers[name]; } });
    (json("map-boundaries") || []).forEach(function (group) {
      var layer = L.geoJSON(group.features, {
        style: { color: group.colour || "#495057", weight: 2, fillOpacity: 0.05 },
        onEachFeature: function (feature, shape) { shape.bindTooltip(feature.properties.name); }
      });
      overlays[group.name] = layer;
      layer.addTo(map);
      var extent = layer.getBounds();
      if (extent.isValid()) { bounds.push(extent.getSouthWest(), extent.getNorthEast()); }
    });
    if (Object.keys(overlays).length) { L.control.layers(null, overlays, { collapsed: false }).addTo(map); }
    var point = json("map-point");
    var chosen = null;
    if (point) {
      chosen = L.marker(point).addTo(map);
      bounds.push(point);
    }
    var extent = json("map-extent");
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    } else if (extent) {
      map.fitBounds(extent, { padding: [24, 24], maxZoom: 14 });
    } else {
      map.setView([36.2, 138.25], 5);
    }
    var form = document.getElementById("finder-form");
    if (form && element.dataset.pick) {
      map.on("click", function (event) {
        if (chosen) { map.removeLayer(chosen); }
        chosen = L.marker(event.latlng).addTo(map);
        status(element.dataset.messagePicked);
        var line = document.getElementById("near-line");
        if (line) { line.firstElementChild.textContent = element.dataset.messagePicked; }
        searchNear(form, event.latlng, "map");
      });
    }
  }

  function start() {
    initNearMe(document.getElementById("finder-form"));
    initMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
