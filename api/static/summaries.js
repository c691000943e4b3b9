/* The summaries page: stacked bars per State, a world map shaded by practices per State, and a timeline by year.
 *
 * Everything is drawn as SVG from the page's JSON block (#summaries-data); colours come from summaries.css classes
 * (cat-N for the categories, bin-N for the map's shades), so nothing is styled inline and the page runs under the
 * site's Content-Security-Policy. Every bar segment and every shaded State is a link to the practices it counts.
 * Each drawn chart marks its container with data-drawn="true".
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var source = document.getElementById("summaries-data");
  if (!source) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var categories = data.categories;

  function node(name, attributes, parent) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    if (parent) {
      parent.appendChild(element);
    }
    return element;
  }

  function label(name, attributes, text, parent) {
    var element = node(name, attributes, parent);
    element.textContent = text;
    return element;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  /* An SVG that scales with its container, named by a title and described by a desc (a text alternative);
     a group, not an image: its bars and States are links, and an image may not hold controls. */
  function chart(container, id, width, height, title, description) {
    var svg = node("svg", {
      viewBox: "0 0 " + width + " " + height,
      role: "group",
      "aria-labelledby": id + "-title " + id + "-desc",
      id: id + "-svg",
      preserveAspectRatio: "xMinYMin meet",
    });
    label("title", { id: id + "-title" }, title, svg);
    label("desc", { id: id + "-desc" }, description, svg);
    container.replaceChildren(svg);
    return svg;
  }

  function linked(parent, href, text) {
    var anchor = node("a", { href: href }, parent);
    label("title", {}, text, anchor);
    return anchor;
  }

  /* A round step for about `count` ticks up to `max`: 1, 2 or 5 times a power of ten. */
  function step(max, count) {
    var raw = Math.max(1, max / count);
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var multiple = [1, 2, 5, 10].find(function (m) {
      return m * power >= raw;
    });
    return Math.max(1, multiple * power);
  }

  function sum(cells) {
    return cells.reduce(function (total, cell) {
      return total + cell.n;
    }, 0);
  }

  function widthOf(container, fallback) {
    return Math.max(320, Math.round(container.clientWidth || fallback));
  }

  function leaders(rows, count) {
    return rows
      .slice(0, count)
      .map(function (row) {
        return row.label + " (" + row.total + ")";
      })
      .join(", ");
  }

  /* Horizontal stacked bars: one row per State, one segment per category. */
  function drawStateBars(container) {
    var rows = data.states;
    if (!rows.length) {
      container.textContent = "No State takes part in any practice.";
      return;
    }
    var width = widthOf(container, 1000);
    var left = Math.min(190, Math.round(width * 0.4));
    var right = 40;
    var top = 26;
    var rowHeight = 22;
    var height = top + rows.length * rowHeight + 8;
    var max = Math.max.apply(null, rows.map(function (row) { return sum(row.cells); }));
    var scale = (width - left - right) / max;
    var svg = chart(
      container,
      "state-bars",
      width,
      height,
      "Practices by State and category",
      rows.length + " States, most practices first. The most: " + leaders(rows, 5) + ". The table below gives every number."
    );
    var axis = node("g", { class: "axis", "aria-hidden": "true" }, svg);
    var tick = step(max, 8);
    for (var value = 0; value <= max; value += tick) {
      var x = left + value * scale;
      node("line", { class: "grid", x1: x, x2: x, y1: top - 4, y2: height - 8 }, axis);
      label("text", { x: x, y: top - 10, "text-anchor": "middle" }, String(value), axis);
    }
    rows.forEach(function (row, index) {
      var y = top + index * rowHeight;
      var group = node("g", { class: "bar" }, svg);
      var name = linked(group, row.href, row.label + ": " + plural(row.total, "practice", "practices"));
      label("text", { class: "label", x: left - 8, y: y + 15, "text-anchor": "end" }, row.label, name);
      var offset = left;
      row.cells.forEach(function (cell, position) {
        if (!cell.n) {
          return;
        }
        var segment = linked(group, cell.href, row.label + " · " + categories[position].label + ": " + cell.n);
        node("rect", { class: "seg cat-" + position, x: offset, y: y + 3, width: cell.n * scale, height: rowHeight - 6 }, segment);
        offset += cell.n * scale;
      });
      label("text", { class: "label value", x: offset + 5, y: y + 15 }, String(row.total), group);
    });
    container.dataset.drawn = "true";
  }

  /* The years to label: round ones at least 36 pixels apart, and the first and last where they do not crowd them. */
  function yearTicks(first, last, band) {
    var gap = 36;
    var every = [1, 2, 5, 10, 20, 50].find(function (k) { return k * band >= gap; }) || 100;
    var ticks = [];
    for (var year = Math.ceil(first / every) * every; year <= last; year += every) {
      ticks.push(year);
    }
    if (!ticks.length || (ticks[0] - first) * band >= gap) {
      ticks.unshift(first);
    }
    if ((last - ticks[ticks.length - 1]) * band >= gap) {
      ticks.push(last);
    }
    return ticks;
  }

  /* Vertical stacked bars: one slot per year from the first to the last, empty where no practice is dated. */
  function drawTimeline(container) {
    var rows = data.years;
    if (!rows.length) {
      container.textContent = "No practice has a date.";
      return;
    }
    var byYear = {};
    rows.forEach(function (row) {
      byYear[row.label] = row;
    });
    var first = Number(rows[0].label);
    var last = Number(rows[rows.length - 1].label);
    var slots = last - first + 1;
    var width = widthOf(container, 1000);
    var left = 40;
    var right = 12;
    var top = 22;
    var bottom = 34;
    var height = 300;
    var band = (width - left - right) / slots;
    var max = Math.max.apply(null, rows.map(function (row) { return sum(row.cells); }));
    var scale = (height - top - bottom) / max;
    var busiest = rows.slice().sort(function (a, b) { return b.total - a.total; });
    var svg = chart(
      container,
      "timeline",
      width,
      height,
      "Practices by year",
      "Dated practices from " + first + " to " + last + ". The busiest years: " + leaders(busiest, 5) + "."
    );
    var axis = node("g", { class: "axis", "aria-hidden": "true" }, svg);
    var tick = step(max, 5);
    for (var value = 0; value <= max; value += tick) {
      var y = height - bottom - value * scale;
      node("line", { class: "grid", x1: left, x2: width - right, y1: y, y2: y }, axis);
      label("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, String(value), axis);
    }
    yearTicks(first, last, band).forEach(function (year) {
      var middle = left + (year - first + 0.5) * band;
      label("text", { x: middle, y: height - bottom + 16, "text-anchor": "middle" }, String(year), axis);
    });
    node("line", { class: "baseline", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }, axis);
    var barWidth = Math.max(2, band * 0.78);
    rows.forEach(function (row) {
      var x = left + (Number(row.label) - first) * band + (band - barWidth) / 2;
      var base = height - bottom;
      var group = node("g", { class: "bar" }, svg);
      row.cells.forEach(function (cell, position) {
        if (!cell.n) {
          return;
        }
        var segment = linked(group, cell.href, row.label + " · " + categories[position].label + ": " + cell.n);
        base -= cell.n * scale;
        node("rect", { class: "seg cat-" + position, x: x, y: base, width: barWidth, height: cell.n * scale }, segment);
      });
      if (band >= 14) {
        label("text", { class: "label value", x: x + barWidth / 2, y: base - 4, "text-anchor": "middle" }, String(row.total), group);
      }
    });
    container.dataset.drawn = "true";
  }

  /* Shades: 1, 2–3, 4–7, 8–15, 16–31, 32 and more (doubling), as many as the largest count needs. */
  function bins(max) {
    var result = [];
    for (var low = 1, index = 0; low <= max && index < 6; low *= 2, index += 1) {
      var high = index === 5 ? Infinity : low * 2 - 1;
      result.push({ low: low, high: high, text: high === low ? String(low) : high === Infinity ? low + " or more" : low + "–" + high });
    }
    return result;
  }

  function binOf(shades, n) {
    return shades.findIndex(function (shade) { return n >= shade.low && n <= shade.high; });
  }

  function mapLegend(container, shades) {
    var list = document.createElement("ul");
    list.className = "legend map-legend";
    list.setAttribute("aria-label", "Shades of the map: practices per State");
    shades.concat([{ text: "none", none: true }]).forEach(function (shade, index) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch " + (shade.none ? "no-data" : "bin-" + index);
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, shade.text + (shade.none ? "" : index === 0 && shade.high === 1 ? " practice" : " practices"));
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  function drawMap(container, topology) {
    var byNumeric = {};
    data.states.forEach(function (state) {
      if (state.numeric) {
        byNumeric[state.numeric] = state;
      }
    });
    var countries = topojson.feature(topology, topology.objects.countries);
    countries.features = countries.features.filter(function (feature) { return feature.id !== "010"; }); // no Antarctica
    var width = widthOf(container, 1000);
    var height = Math.round(width * 0.47);
    var projection = d3.geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]], countries);
    var path = d3.geoPath(projection);
    var max = Math.max.apply(null, data.states.map(function (state) { return state.total; }).concat([1]));
    var shades = bins(max);
    var svg = chart(
      container,
      "state-map",
      width,
      height,
      "World map of practices by State",
      data.states.length + " States shaded by the number of practices involving them. The most: " + leaders(data.states, 5) + "."
    );
    var layer = node("g", { class: "countries" }, svg);
    var drawn = 0;
    countries.features.forEach(function (feature) {
      var state = byNumeric[feature.id];
      var outline = path(feature);
      if (!outline) {
        return;
      }
      if (!state) {
        var plain = node("path", { class: "country no-data", d: outline }, layer);
        label("title", {}, (feature.properties && feature.properties.name ? feature.properties.name + ": " : "") + "no practice recorded", plain);
        return;
      }
      var anchor = linked(layer, state.href, state.label + ": " + plural(state.total, "practice", "practices"));
      anchor.setAttribute("aria-label", state.label + ": " + plural(state.total, "practice", "practices"));
      node("path", { class: "country bin-" + binOf(shades, state.total), d: outline, "data-code": state.code }, anchor);
      drawn += 1;
    });
    mapLegend(container, shades);
    container.dataset.drawn = "true";
    container.dataset.states = String(drawn);
  }

  function startMap(container) {
    fetch(data.atlas, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("the map's borders could not be loaded (" + response.status + ")");
        }
        return response.json();
      })
      .then(function (topology) {
        drawMap(container, topology);
      })
      .catch(function (error) {
        container.textContent = "The map could not be drawn: " + error.message + ". The table above gives the same numbers.";
      });
  }

  var bars = document.getElementById("state-bars");
  var timeline = document.getElementById("timeline");
  var map = document.getElementById("state-map");
  if (bars) {
    drawStateBars(bars);
  }
  if (timeline) {
    drawTimeline(timeline);
  }
  if (map) {
    startMap(map);
  }
})();
