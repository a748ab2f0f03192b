/**
 * plot: the SVG's structure (axes, ticks, one path per series, legend,
 * escaped text), missing values, bad input raising named errors, the Jupyter
 * bundle and save().
 */

import assert from "node:assert/strict";
import { jnp, plot, ShapeError, ValueError } from "../mod.ts";

const count = (s: string, sub: string | RegExp) => s.match(new RegExp(sub, "g"))?.length ?? 0;
/** The `d` attribute of each series path, in order. */
const paths = (svg: string) => [...svg.matchAll(/<path class="series series-\d+ (\w+)" d="([^"]*)"/g)];
const tickLabels = (svg: string, axis: "x" | "y") => {
  const g = svg.match(new RegExp(`<g class="axis ${axis}-axis">(.*?)</g>\\n`))![1];
  return [...g.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
};

Deno.test("line: a standalone svg with axes, ticks, labels and one path", () => {
  const svg = plot.line([0, 1, 2, 3], [0, 1, 4, 9], { title: "squares", xlabel: "n", ylabel: "n^2" }).svg();
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="400" viewBox="0 0 640 400"/);
  assert.match(svg, /<\/svg>$/);
  assert.equal(count(svg, '<g class="axis x-axis">'), 1);
  assert.equal(count(svg, '<g class="axis y-axis">'), 1);
  assert.deepEqual(tickLabels(svg, "x"), ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"]);
  assert.deepEqual(tickLabels(svg, "y"), ["0", "2", "4", "6", "8", "10"]);
  assert.match(svg, /<text class="title"[^>]*>squares<\/text>/);
  assert.match(svg, /<text class="xlabel"[^>]*>n<\/text>/);
  assert.match(svg, /<text class="ylabel"[^>]*>n\^2<\/text>/);
  const p = paths(svg);
  assert.equal(p.length, 1);
  assert.equal(p[0][1], "line");
  assert.equal(count(p[0][2], "M"), 1);
  assert.equal(count(p[0][2], "L"), 3);
  assert.equal(count(svg, '<g class="legend">'), 0, "no labels, no legend");
});

Deno.test("y alone is plotted against 0..n-1; NDArray and JS arrays give the same svg", () => {
  const a = plot.line(jnp.array([3, 1, 2])).svg();
  const b = plot.line([0, 1, 2], [3, 1, 2]).svg();
  const strip = (s: string) => s.replace(/jaxd-plot-\d+/g, "ID");
  assert.equal(strip(a), strip(b));
  assert.equal(strip(plot.line(new Float32Array([3, 1, 2])).svg()), strip(b));
});

Deno.test("several series: one path each, palette colours, a legend with the labels", () => {
  const x = jnp.linspace(0, 1, 11);
  const fig = plot.line(x, [x, x.pow(2)], { label: ["x", "x^2"] })
    .scatter(x, x.pow(3), { label: "x^3", color: "black" })
    .hist([0.1, 0.5, 0.5], { bins: 4, label: "h" });
  const svg = fig.svg();
  const p = paths(svg);
  assert.deepEqual(p.map((m) => m[1]), ["line", "line", "scatter", "hist"]);
  assert.match(svg, /class="series series-0 line"[^>]*stroke="#1f77b4"/);
  assert.match(svg, /class="series series-1 line"[^>]*stroke="#ff7f0e"/);
  assert.match(svg, /class="series series-2 scatter"[^>]*fill="black"/);
  assert.equal(count(p[2][2], "M"), 11, "one circle per point");
  assert.equal(count(p[3][2], "Z"), 4, "one bar per bin");
  const legend = svg.match(/<g class="legend">.*<\/g>/)![0];
  assert.deepEqual([...legend.matchAll(/<text[^>]*>([^<]*)</g)].map((m) => m[1]), ["x", "x^2", "x^3", "h"]);
  // A 2-d NDArray: its columns are the series, as matplotlib.
  const cols = plot.line(jnp.array([0, 1, 2]), jnp.array([[0, 1], [1, 2], [2, 3]])).svg();
  assert.equal(paths(cols).length, 2);
});

Deno.test("text is escaped: title, labels, legend, colours", () => {
  const svg = plot.line([1, 2], [1, 2], {
    title: `<script>alert("x")</script> & co`,
    xlabel: "a < b",
    ylabel: "'q'",
    label: "x > 0",
    color: 'red" onload="bad',
  }).svg();
  assert.ok(!svg.includes("<script>"));
  assert.ok(svg.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"));
  assert.ok(svg.includes(">a &lt; b<"));
  assert.ok(svg.includes(">&#39;q&#39;<"));
  assert.ok(svg.includes(">x &gt; 0<"));
  assert.ok(!svg.includes('onload="bad'));
  assert.ok(svg.includes("<title>&lt;script&gt;"), "the title is also the svg's <title>");
});

Deno.test("missing values: a line breaks, scatter and hist skip them, ranges ignore them", () => {
  const y = [1, 2, NaN, 4, 5, Infinity, 7];
  const svg = plot.line(y).svg();
  const d = paths(svg)[0][2];
  assert.equal(count(d, "M"), 3, "three pieces: [1,2], [4,5], [7]");
  assert.ok(!/NaN|Infinity/.test(svg));
  assert.deepEqual(tickLabels(svg, "y").at(-1), "7", "the y range is the finite data's");
  const withNull = plot.line([1, 2, null, 4]).svg();
  assert.equal(count(paths(withNull)[0][2], "M"), 2, "null is a missing value");
  const sc = plot.scatter([0, 1, 2, 3], [1, NaN, 3, -Infinity]).svg();
  assert.equal(count(paths(sc)[0][2], "M"), 2);
  const h = plot.hist([1, 2, NaN, 3], { bins: 2 }).svg();
  assert.equal(count(paths(h)[0][2], "Z"), 2);
  assert.ok(!/NaN/.test(h));
  // All missing: axes and an empty path, no NaN in the output.
  const none = plot.line([NaN, NaN]).svg();
  assert.equal(paths(none)[0][2], "");
  assert.ok(!/NaN/.test(none));
  // On a log axis values <= 0 are missing.
  const log = plot.line([1, 0, 10, 100], undefined, { yscale: "log" }).svg();
  assert.equal(count(paths(log)[0][2], "M"), 2);
  const decades = tickLabels(log, "y").filter((s) => ["1", "10", "100"].includes(s));
  assert.deepEqual(decades, ["1", "10", "100"]);
});

/** Pixel position of each labelled tick of an axis: label -> x (x axis) or y (y axis). */
const tickPos = (svg: string, axis: "x" | "y") => {
  const g = svg.match(new RegExp(`<g class="axis ${axis}-axis">(.*?)</g>\\n`))![1];
  const re = axis === "x"
    ? /<line x1="([\d.]+)"[^>]*\/><text[^>]*>([^<]*)</g
    : /<line [^>]*y1="([\d.]+)"[^>]*\/><text[^>]*>([^<]*)</g;
  return Object.fromEntries([...g.matchAll(re)].map((m) => [m[2], Number(m[1])]));
};
/** Each bar of a histogram path: [left x, top y, right x]. */
const bars = (d: string) => [...d.matchAll(/M([\d.]+),[\d.]+V([\d.]+)H([\d.]+)/g)].map((m) => m.slice(1).map(Number));

Deno.test("hist: numpy's bins (last one closed), explicit edges, density", () => {
  // Counts [1, 1, 1, 2]: the last bin [3, 4] holds 3 and 4.
  const svg = plot.hist([0, 1, 2, 3, 4], { bins: 4, yticks: [0, 1, 2], xticks: [0, 1, 2, 3, 4] }).svg();
  const [x, y] = [tickPos(svg, "x"), tickPos(svg, "y")];
  assert.deepEqual(bars(paths(svg)[0][2]), [[x[0], y[1], x[1]], [x[1], y[1], x[2]], [x[2], y[1], x[3]], [
    x[3],
    y[2],
    x[4],
  ]]);
  const edges = plot.hist([0, 1, 2, 3, 3.5, 9], { bins: [0, 2, 4], yticks: [2, 3] }).svg();
  const ye = tickPos(edges, "y");
  assert.deepEqual(bars(paths(edges)[0][2]).map((b) => b[1]), [ye[2], ye[3]], "9 is outside the edges");
  // One value: numpy widens the range to [v - 0.5, v + 0.5].
  const one = plot.hist([5], { bins: 1, xticks: [4.5, 5.5] }).svg();
  const xo = tickPos(one, "x");
  assert.deepEqual([bars(paths(one)[0][2])[0][0], bars(paths(one)[0][2])[0][2]], [xo["4.5"], xo["5.5"]]);
  // density: bars of height 1 over [0, 1] (area 1).
  const dens = plot.hist([0, 0, 1, 1], { bins: 2, density: true, yticks: [0, 1] }).svg();
  assert.deepEqual(bars(paths(dens)[0][2]).map((b) => b[1]), [tickPos(dens, "y")[1], tickPos(dens, "y")[1]]);
});

Deno.test("large inputs: a million values", () => {
  const n = 1_000_000;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * Math.sqrt(i));
  const svg = plot.hist(x, { bins: 50 }).svg();
  assert.equal(count(paths(svg)[0][2], "Z"), 50);
});

Deno.test("options: size, limits, explicit ticks, grid", () => {
  const svg = plot.line([0, 5, 10], [0, 1, 2], {
    width: 300,
    height: 200,
    xlim: [0, 20],
    yticks: [0, 1, 2],
    xticks: 3,
    grid: true,
  }).svg();
  assert.match(svg, /^<svg[^>]*width="300" height="200"/);
  assert.deepEqual(tickLabels(svg, "y"), ["0", "1", "2"]);
  assert.equal(tickLabels(svg, "x").at(-1), "20");
  assert.ok(count(svg, 'class="grid"') >= 6);
  // set() keeps earlier options.
  const fig = plot.line([1, 2], undefined, { title: "t" }).set({ xlabel: "x" });
  assert.match(fig.svg(), /class="title"[^>]*>t</);
  assert.match(fig.svg(), /class="xlabel"[^>]*>x</);
});

Deno.test("bad input raises named errors that say what is wrong", () => {
  assert.throws(
    () => plot.line([1, 2, 3], [1, 2]),
    (e) => e instanceof ShapeError && /x has 3 values but y has 2/.test(e.message),
  );
  assert.throws(
    () => plot.line(jnp.zeros([2, 2, 2])),
    (e) => e instanceof ShapeError && /1-d.*\(2, 2, 2\)/.test(e.message),
  );
  assert.throws(
    () => plot.line(["a", "b"] as unknown as number[]),
    (e) => e instanceof ValueError && /y\[0\] is "a"/.test(e.message),
  );
  assert.throws(() => plot.line("abc" as unknown as number[]), ValueError);
  assert.throws(() => plot.hist([1, 2], { bins: 0 }), (e) => e instanceof ValueError && /bins/.test(e.message));
  assert.throws(
    () => plot.hist([1, 2], { bins: [0, 2, 1] }),
    (e) => e instanceof ValueError && /increasing/.test(e.message),
  );
  assert.throws(
    () => plot.line([1, 2], undefined, { width: -5 }),
    (e) => e instanceof ValueError && /width/.test(e.message),
  );
  assert.throws(
    () => plot.line([1, 2], undefined, { xlim: [3, 1] }),
    (e) => e instanceof ValueError && /xlim/.test(e.message),
  );
  assert.throws(
    () => plot.line([1, 2], undefined, { yscale: "log", ylim: [-1, 1] }).svg(),
    (e) => e instanceof ValueError && /log/.test(e.message),
  );
  assert.throws(() => plot.line([[1, 2], [3, 4]], [[1, 2], [3, 4], [5, 6]]), ShapeError);
});

Deno.test("Jupyter bundle: image/svg+xml and text/plain; console text", () => {
  const fig = plot.scatter([1, 2], [3, 4], { title: "pts", label: "a" });
  const bundle = (fig as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/plain"]);
  assert.match(bundle["image/svg+xml"], /^<svg /);
  assert.equal(bundle["text/plain"], '<Figure "pts" 640x400, 1 series: scatter "a" (2 points)>');
  assert.equal(Deno.inspect(fig), bundle["text/plain"]);
  assert.equal(plot.figure().toString(), "<Figure 640x400, empty>");
  // Two figures on one page need different clip-path ids.
  const id = (s: string) => s.match(/clipPath id="([^"]+)"/)![1];
  assert.notEqual(id(plot.line([1]).svg()), id(plot.line([1]).svg()));
});

Deno.test("save writes the svg", async () => {
  const path = await Deno.makeTempFile({ suffix: ".svg" });
  try {
    const fig = plot.hist([1, 2, 2, 3]);
    await fig.save(path);
    assert.equal(await Deno.readTextFile(path), fig.svg());
  } finally {
    await Deno.remove(path);
  }
});
