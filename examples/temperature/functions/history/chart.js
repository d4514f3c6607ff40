// The page `GET /` serves: each device's recent temperatures as lines on one SVG chart, redrawn
// every few seconds from this same API (`/devices`, `/devices/{id}/temperature`). Self-contained:
// no CDN, no library, so it works on an offline machine.
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Temperatures</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #222; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
  #status { color: #666; margin-bottom: 1rem; }
  svg { width: 100%; max-width: 1000px; height: 420px; border: 1px solid #ddd; background: #fcfcfc; }
  .axis { stroke: #999; stroke-width: 1; }
  .grid { stroke: #eee; stroke-width: 1; }
  .label { fill: #666; font-size: 11px; }
  #legend span { display: inline-block; margin-right: 1.2rem; }
  #legend i { display: inline-block; width: 14px; height: 4px; margin-right: .35rem; vertical-align: middle; }
</style>
</head>
<body>
<h1>Temperature by device</h1>
<div id="status">loading…</div>
<svg id="chart" viewBox="0 0 1000 420" role="img" aria-label="temperature history"></svg>
<div id="legend"></div>
<script>
const colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const W = 1000, H = 420, L = 50, R = 15, T = 15, B = 35;
const svgNS = "http://www.w3.org/2000/svg";
function el(name, attrs, text) {
  const e = document.createElementNS(svgNS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
async function getJson(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}
async function draw() {
  const base = location.pathname.replace(/\\/$/, "");
  const { devices } = await getJson(base + "/devices");
  const series = await Promise.all(devices.slice(0, colours.length).map(async (id) => {
    const { readings } = await getJson(base + "/devices/" + encodeURIComponent(id) + "/temperature?limit=300");
    return { id, readings: readings.slice().reverse() };
  }));
  const all = series.flatMap((s) => s.readings);
  const svg = document.getElementById("chart");
  svg.replaceChildren();
  if (all.length === 0) {
    document.getElementById("status").textContent = "no readings yet";
    return;
  }
  const t0 = Math.min(...all.map((r) => r.ts)), t1 = Math.max(...all.map((r) => r.ts));
  let v0 = Math.min(...all.map((r) => r.temperature)), v1 = Math.max(...all.map((r) => r.temperature));
  if (v0 === v1) { v0 -= 1; v1 += 1; }
  const x = (t) => L + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - (v - v0) / (v1 - v0)) * (H - T - B);
  for (let i = 0; i <= 5; i++) {
    const v = v0 + (v1 - v0) * i / 5;
    svg.append(el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(el("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", class: "label" }, v.toFixed(1) + "°"));
  }
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (t1 - t0) * i / 4;
    svg.append(el("text", { x: x(t), y: H - 12, "text-anchor": "middle", class: "label" },
                  new Date(t).toLocaleTimeString()));
  }
  svg.append(el("line", { x1: L, x2: L, y1: T, y2: H - B, class: "axis" }));
  svg.append(el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }));
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  series.forEach((s, i) => {
    const points = s.readings.map((r) => x(r.ts).toFixed(1) + "," + y(r.temperature).toFixed(1)).join(" ");
    svg.append(el("polyline", { points, fill: "none", stroke: colours[i], "stroke-width": 1.6 }));
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = colours[i];
    item.append(swatch, s.id + " (" + s.readings.length + ")");
    legend.append(item);
  });
  document.getElementById("status").textContent =
    devices.length + " device(s), " + all.length + " readings shown, updated " + new Date().toLocaleTimeString();
}
function tick() {
  draw().catch((e) => { document.getElementById("status").textContent = "error: " + e.message; })
        .finally(() => setTimeout(tick, 3000));
}
tick();
</script>
</body>
</html>
`;

exports.chartPage = () => page;
