/* Werk-met-werk maps: works coloured by owner, combinations and conflicts as links,
   a period slider, and a drawing tool that writes GeoJSON into the form's field.
   Data comes from a <script type="application/json" id="planning-data"> element. */
(function () {
  "use strict";

  var EDE = [52.0405, 5.665];

  function readData() {
    var el = document.getElementById("planning-data");
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function baseMap(el) {
    var map = L.map(el, { scrollWheelZoom: false }).setView(EDE, 15);
    var tiles = L.tileLayer(el.dataset.tileUrl, {
      maxZoom: 19,
      attribution: el.dataset.attribution
    });
    var notice = document.getElementById("planning-tile-notice");
    // The works are vector layers: they stay visible when the background cannot load.
    tiles.on("tileerror", function () {
      if (notice) notice.hidden = false;
    });
    tiles.addTo(map);
    return map;
  }

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) node.className = cls;
    return node;
  }

  function popup(props, labels) {
    var box = document.createElement("div");
    box.appendChild(text("strong", props.title));
    var list = document.createElement("dl");
    list.className = "planning-popup";
    [
      ["kind", labels.labelKind],
      ["owner", labels.labelOwner],
      ["contact", labels.labelContact],
      ["period", labels.labelPeriod],
      ["hindrance", labels.labelHindrance],
      ["status", labels.labelStatus]
    ].forEach(function (row) {
      if (!props[row[0]]) return;
      list.appendChild(text("dt", row[1]));
      list.appendChild(text("dd", props[row[0]]));
    });
    box.appendChild(list);
    if (props.url) {
      var link = text("a", labels.labelMore);
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function worksLayer(features, labels) {
    return L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        style: function (f) {
          return { color: f.properties.colour, weight: 6, opacity: 0.9, fillOpacity: 0.35 };
        },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {
            radius: 8,
            color: f.properties.colour,
            fillColor: f.properties.colour,
            fillOpacity: 0.8
          });
        },
        onEachFeature: function (f, layer) {
          layer.bindPopup(popup(f.properties, labels));
          // Leaflet puts a string tooltip in as HTML: member text goes in as a text node.
          layer.bindTooltip(text("span", f.properties.title));
        }
      }
    );
  }

  function centres(layer) {
    var out = {};
    layer.eachLayer(function (l) {
      var id = l.feature.id;
      out[id] = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
    });
    return out;
  }

  function linksLayer(data, layer, labels) {
    var group = L.layerGroup();
    var at = centres(layer);
    (data.combinations || []).forEach(function (c) {
      if (!at[c.a] || !at[c.b]) return;
      L.polyline([at[c.a], at[c.b]], { color: "#275937", weight: 4, dashArray: "8 6" })
        .bindTooltip(text("span", labels.labelCombination + " (" + c.score.toFixed(2) + ")"))
        .addTo(group);
    });
    (data.conflicts || []).forEach(function (c) {
      if (!at[c.a] || !at[c.b]) return;
      L.polyline([at[c.a], at[c.b]], { color: "#b00020", weight: c.severity === "zwaar" ? 6 : 3 })
        .bindTooltip(text("span", labels.labelConflict + ": " + c.severity))
        .addTo(group);
    });
    return group;
  }

  function monthsBetween(a, b) {
    return (b.getFullYear() - a.getFullYear()) * 12 + b.getMonth() - a.getMonth();
  }

  function periodSlider(map, data, labels, draw) {
    var wrap = document.getElementById("planning-slider");
    var input = document.getElementById("planning-period");
    var output = document.getElementById("planning-period-value");
    if (!wrap || !input) return function () { draw(data.works.features); };
    var formatter = new Intl.DateTimeFormat(document.documentElement.lang || "nl", {
      month: "long",
      year: "numeric"
    });
    var first = null;
    // The month chosen, kept when a map window brings other works (and another range).
    var chosen = null;
    function range() {
      var features = data.works.features;
      if (!features.length) {
        first = null;
        return;
      }
      var starts = features.map(function (f) { return new Date(f.properties.start); });
      var ends = features.map(function (f) { return new Date(f.properties.end); });
      first = new Date(Math.min.apply(null, starts));
      first = new Date(first.getFullYear(), first.getMonth(), 1);
      var last = new Date(Math.max.apply(null, ends));
      input.max = String(monthsBetween(first, last) + 1);
      input.value = chosen ? String(Math.min(Math.max(monthsBetween(first, chosen) + 1, 0), Number(input.max))) : "0";
    }
    function update() {
      var features = data.works.features;
      var step = Number(input.value);
      if (step === 0 || !first) {
        chosen = null;
        output.textContent = labels.labelAll;
        draw(features);
        return;
      }
      var from = new Date(first.getFullYear(), first.getMonth() + step - 1, 1);
      var to = new Date(first.getFullYear(), first.getMonth() + step, 0);
      chosen = from;
      output.textContent = formatter.format(from);
      draw(
        features.filter(function (f) {
          return new Date(f.properties.start) <= to && new Date(f.properties.end) >= from;
        })
      );
    }
    input.addEventListener("input", update);
    range();
    wrap.hidden = !first;
    // Called with new works: the range follows them, the chosen month stays.
    return function () {
      range();
      wrap.hidden = !first;
      update();
    };
  }

  function bboxText(bounds) {
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (n) { return n.toFixed(6); })
      .join(",");
  }

  /* The map's window: after each pan or zoom (debounced) the works in the window are
     fetched again from the page's feed, with the page's filters, and drawn; the notice
     (more works than the map draws), the summary and the pair lists come with them.
     The address keeps the window (?bbox=), so a reload or a link shows the same place. */
  function followWindow(map, el, data, refresh) {
    var feed = el.dataset.feed;
    var maxM = Number(el.dataset.bboxMaxM) || 0;
    var notice = document.getElementById("planning-window-notice");
    var field = document.querySelector("[data-planning-bbox]");
    var timer = null;
    var controller = null;
    var last = null;
    function wanted() {
      var b = map.getBounds();
      var c = b.getCenter();
      var wide = map.distance([c.lat, b.getWest()], [c.lat, b.getEast()]);
      var high = map.distance([b.getSouth(), c.lng], [b.getNorth(), c.lng]);
      // Wider than a box the feed takes: the overview (no window), as on first load.
      return maxM && Math.max(wide, high) > maxM * 0.95 ? "" : bboxText(b);
    }
    function swap(id, html) {
      var node = document.getElementById(id);
      if (node && typeof html === "string") node.innerHTML = html;
    }
    function remember(box) {
      var params = new URLSearchParams(window.location.search);
      if (box) params.set("bbox", box);
      else params.delete("bbox");
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      if (field) field.value = box;
    }
    function load() {
      var box = wanted();
      if (box === last) return;
      last = box;
      var params = new URLSearchParams(window.location.search);
      params.delete("bbox");
      params.delete("page");
      if (box) params.set("bbox", box);
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      el.setAttribute("aria-busy", "true");
      fetch(feed + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (answer) {
          el.setAttribute("aria-busy", "false");
          if (!answer.ok) {
            if (notice) {
              notice.textContent = "";
              notice.appendChild(text("p", String(answer.body.detail || el.dataset.labelFailed), "bp-message"));
            }
            return;
          }
          var body = answer.body;
          data.works = body.works;
          data.combinations = body.combinations || [];
          data.conflicts = body.conflicts || [];
          swap("planning-window-notice", body.notice);
          swap("planning-summary", body.summary);
          swap("planning-pairs", body.pairs);
          remember(box);
          refresh();
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          el.setAttribute("aria-busy", "false");
          last = null;
          if (notice) {
            notice.textContent = "";
            notice.appendChild(text("p", el.dataset.labelFailed, "bp-message"));
          }
        });
    }
    // The window the page was drawn for: no fetch until the person moves the map.
    last = el.dataset.bbox ? wanted() : "";
    if (el.dataset.bbox && last !== el.dataset.bbox) {
      // Fitted to the asked box, the map shows a little more: fetch what it shows.
      load();
    }
    el.setAttribute("aria-busy", "false");
    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 300);
    });
  }

  function boxBounds(text) {
    var n = String(text || "").split(",").map(Number);
    if (n.length !== 4 || n.some(isNaN)) return null;
    return L.latLngBounds([n[1], n[0]], [n[3], n[2]]);
  }

  function showWorks(el, data) {
    var labels = el.dataset;
    var map = baseMap(el);
    var current = null;
    var links = null;
    function draw(features) {
      if (current) map.removeLayer(current);
      if (links) map.removeLayer(links);
      current = worksLayer(features, labels).addTo(map);
      links = linksLayer(data, current, labels).addTo(map);
    }
    var box = boxBounds(el.dataset.bbox);
    if (box) {
      map.fitBounds(box);
    } else if (data.works.features.length) {
      map.fitBounds(L.geoJSON(data.works).getBounds(), { padding: [20, 20], maxZoom: 17 });
    }
    // The zoom level on the element: scripts and tests see when a zoom step has ended.
    el.dataset.zoom = String(map.getZoom());
    map.on("zoomend", function () {
      el.dataset.zoom = String(map.getZoom());
    });
    var refresh = periodSlider(map, data, labels, draw);
    refresh();
    // Every work the filters match is drawn already: nothing to fetch per window.
    if (el.dataset.feed && !("complete" in el.dataset)) followWindow(map, el, data, refresh);
    return map;
  }

  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      if (source[key] && typeof source[key] === "object" && target[key]) {
        merge(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    });
  }

  function drawingTool(el, data) {
    var labels = document.getElementById("planning-draw-labels");
    if (labels && L.drawLocal) merge(L.drawLocal, JSON.parse(labels.textContent));
    var form = document.querySelector("form.bp-form");
    var field = form && form.querySelector(".planning-geometry-field");
    var map = baseMap(el);
    if (data && data.works.features.length) {
      var others = worksLayer(data.works.features, el.dataset).addTo(map);
      map.fitBounds(others.getBounds(), { padding: [20, 20], maxZoom: 17 });
    }
    var drawn = new L.FeatureGroup().addTo(map);
    if (field && field.value.trim()) {
      try {
        var existing = L.geoJSON(JSON.parse(field.value));
        existing.eachLayer(function (l) { drawn.addLayer(l); });
        map.fitBounds(drawn.getBounds(), { padding: [40, 40], maxZoom: 18 });
      } catch (e) {
        /* The field holds text the server will explain; leave it as typed. */
      }
    }
    var onlyArea = form && form.dataset.draw === "polygon";
    var control = new L.Control.Draw({
      draw: {
        polyline: onlyArea ? false : { shapeOptions: { color: "#01689b", weight: 6 } },
        polygon: { allowIntersection: false, showArea: false },
        rectangle: {},
        circle: false,
        marker: false,
        circlemarker: onlyArea ? false : {}
      },
      edit: { featureGroup: drawn }
    });
    map.addControl(control);
    function write() {
      if (!field) return;
      var layers = drawn.getLayers();
      field.value = layers.length ? JSON.stringify(layers[0].toGeoJSON().geometry) : "";
    }
    map.on(L.Draw.Event.CREATED, function (event) {
      drawn.clearLayers();
      drawn.addLayer(event.layer);
      write();
    });
    map.on(L.Draw.Event.EDITED, write);
    map.on(L.Draw.Event.DELETED, write);
  }

  function start() {
    if (typeof L === "undefined") return;
    var data = readData();
    var drawEl = document.getElementById("planning-draw");
    if (drawEl && L.Control && L.Control.Draw) {
      drawingTool(drawEl, data);
      return;
    }
    var el = document.getElementById("planning-map");
    if (el && data) showWorks(el, data);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
