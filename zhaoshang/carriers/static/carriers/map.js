/* The investment map: parcels, buildings and projects from the GeoJSON endpoint.
   Only vendored Leaflet; no tile layer unless the site configures one (TILE_URL). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var t = JSON.parse(document.getElementById("map-l10n").textContent);
  var tiles = el.dataset.tiles;
  var map = L.map(el, { attributionControl: !!tiles, zoomSnap: 0.25, preferCanvas: false });
  if (map.attributionControl) { map.attributionControl.setPrefix(false); }
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  map.setView([30.0, 120.0], 11);

  var STATUS_STYLE = {
    reserve: { weight: 2, dashArray: "5 4", fillOpacity: 0.15, outline: "#495057" },
    listed: { weight: 2, dashArray: null, fillOpacity: 0.35, outline: "#495057" },
    sold: { weight: 3, dashArray: null, fillOpacity: 0.65, outline: "#212529" }
  };
  var layers = { parcel: L.featureGroup(), building: L.featureGroup(), project: L.featureGroup() };
  Object.keys(layers).forEach(function (k) { layers[k].addTo(map); });

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function row(label, value) { return "<div>" + esc(label) + "：" + esc(value) + "</div>"; }
  function link(url, text) { return "<a href=\"" + esc(url) + "\"><b>" + esc(text) + "</b></a>"; }

  function parcelStyle(p) {
    var s = STATUS_STYLE[p.status] || STATUS_STYLE.listed;
    return { color: s.outline, weight: s.weight, dashArray: s.dashArray,
             fillColor: p.colour, fillOpacity: s.fillOpacity };
  }
  function buildingRadius(vacant) {
    return Math.max(5, Math.min(28, 5 + Math.sqrt(vacant || 0) / 6));
  }

  function addFeature(f) {
    var p = f.properties;
    var ll = f.geometry.type === "Point"
      ? [f.geometry.coordinates[1], f.geometry.coordinates[0]] : null;
    if (p.layer === "parcel") {
      var popup = link(p.url, p.name) + row(t.land_use, p.land_use_label) +
        row(t.status, p.status_label) + row(t.area, p.area_mu);
      var shape = ll
        ? L.circleMarker(ll, Object.assign({ radius: 9 }, parcelStyle(p)))
        : L.geoJSON(f, { style: function () { return parcelStyle(p); } });
      shape.bindPopup(popup).addTo(layers.parcel);
    } else if (p.layer === "building") {
      L.circleMarker(ll, { radius: buildingRadius(p.vacant_floor_area), color: "#fff", weight: 2,
                           fillColor: p.colour, fillOpacity: 0.8 })
        .bindPopup(link(p.url, p.name) + row(t.total_floor_area, p.total_floor_area) +
          row(t.vacant_floor_area, p.vacant_floor_area) +
          row(t.occupancy_rate, p.occupancy_rate == null ? "—" : p.occupancy_rate + "%") +
          row(t.tenants, p.tenant_count))
        .addTo(layers.building);
    } else if (p.layer === "project") {
      L.circleMarker(ll, { radius: 6, color: "#fff", weight: 2, fillColor: p.colour, fillOpacity: 1 })
        .bindPopup("<b>" + esc(p.name) + "</b>" + row(t.stage, p.stage_label) +
          "<div>" + esc(t.parcel) + "：" + link(p.parcel_url, p.parcel) + "</div>")
        .addTo(layers.project);
    }
  }

  function applyLayerToggles() {
    document.querySelectorAll("[data-layer]").forEach(function (box) {
      var group = layers[box.dataset.layer];
      if (box.checked) { group.addTo(map); } else { map.removeLayer(group); }
    });
  }

  function load() {
    var form = document.getElementById("map-filters");
    var params = new URLSearchParams();
    var allUses = form.querySelectorAll("[name=land_use]");
    var allStatuses = form.querySelectorAll("[name=status]");
    form.querySelectorAll("[name=land_use]:checked").forEach(function (b) { params.append("land_use", b.value); });
    form.querySelectorAll("[name=status]:checked").forEach(function (b) { params.append("status", b.value); });
    // Nothing ticked in a group means nothing of it is wanted.
    if (!form.querySelector("[name=land_use]:checked") && allUses.length) { params.append("land_use", "-"); }
    if (!form.querySelector("[name=status]:checked") && allStatuses.length) { params.append("status", "-"); }
    fetch(el.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        Object.keys(layers).forEach(function (k) { layers[k].clearLayers(); });
        data.features.forEach(addFeature);
        var n = { parcel: 0, building: 0, project: 0 };
        data.features.forEach(function (f) { n[f.properties.layer] += 1; });
        document.getElementById("map-summary").textContent = data.features.length
          ? t.summary.replace("%(parcels)s", n.parcel).replace("%(buildings)s", n.building)
              .replace("%(projects)s", n.project)
          : t.empty;
        applyLayerToggles();
        var all = L.featureGroup([layers.parcel, layers.building, layers.project]);
        var bounds = all.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 }); }
        el.dataset.features = String(data.features.length);
      });
  }

  document.querySelectorAll("#map-filters [name]").forEach(function (b) { b.addEventListener("change", load); });
  document.querySelectorAll("#map-filters [data-layer]").forEach(function (b) { b.addEventListener("change", applyLayerToggles); });
  load();
})();
