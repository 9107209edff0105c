// The pages' maps: the points the page embeds (#map-points, public coordinates only), as
// circles coloured by condition, clustered, each linking to its page. Tiles come from the
// MAP_TILE_URL setting; without them (offline) the markers still show on a blank map.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!box || !data || typeof L === "undefined") return;
  var points = JSON.parse(data.textContent);
  var map = L.map(box, { scrollWheelZoom: false });
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution }).addTo(map);
  }
  var severity = ["", "unknown", "none", "minor", "moderate", "severe", "destroyed"];
  var clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      // A cluster takes the colour of its worst place.
      var worst = null;
      cluster.getAllChildMarkers().forEach(function (marker) {
        var p = marker.options.point;
        if (!worst || severity.indexOf(p.condition) > severity.indexOf(worst.condition)) worst = p;
      });
      var count = cluster.getChildCount();
      return L.divIcon({
        html: '<span style="background:' + worst.colour + '">' + count + "</span>",
        className: "cluster",
        iconSize: L.point(36, 36),
      });
    },
  });
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 9, color: "#222", weight: 1, fillColor: p.colour, fillOpacity: 0.9, point: p,
    });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(p.label));
    marker.bindPopup(popup);
    // A node, never a string: Leaflet writes a string into the page as HTML.
    var tooltip = document.createElement("span");
    tooltip.textContent = p.name;
    marker.bindTooltip(tooltip);
    clusters.addLayer(marker);
    bounds.push([p.lat, p.lon]);
  });
  map.addLayer(clusters);
  if (bounds.length === 1) map.setView(bounds[0], 13);
  else map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
})();
