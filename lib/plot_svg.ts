/**
 * The SVG renderer of lib/plot.ts: series to paths (one `<path>` per
 * series), axes with d3-scale's ticks, labels, legend; and the histogram
 * binning. lib/plot.ts holds the API (Figure, line, scatter, hist) and its
 * input checks.
 *
 * @module
 */

// Pinned npm: specifiers, not import-map names, so that jaxd resolves when it is
// imported from another project (see lib/io.ts).
// @deno-types="npm:@types/d3-scale@4.0.9"
import { scaleLinear, scaleLog } from "npm:d3-scale@4.0.3";
// @deno-types="npm:@types/d3-shape@3.2.0"
import { line as d3line } from "npm:d3-shape@3.2.1";
import { escapeHtml } from "./display.ts";
import { ValueError } from "./errors.ts";
import type { FigureOptions, HistOptions, Scale } from "./plot.ts";

/** The kinds of series. */
export type Kind = "line" | "scatter" | "hist";

/** One series as the renderer sees it. */
export interface Series {
  kind: Kind;
  x: Float64Array; // hist: the bin edges (n + 1)
  y: Float64Array; // hist: the bar heights (n)
  label?: string;
  color: string;
  width: number; // line width or marker radius
}

/** matplotlib's default colour cycle (tab10). */
export const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** Whether `v` can be drawn on an axis of this scale. */
export function finite(v: number, scale: Scale): boolean {
  return Number.isFinite(v) && (scale === "linear" || v > 0);
}

/** Equal-width bins as numpy.histogram; non-finite values are dropped. */
export function histogram(data: Float64Array, o: HistOptions): { edges: Float64Array; heights: Float64Array } {
  const values = data.filter(Number.isFinite);
  let edges: Float64Array;
  const bins = o.bins ?? 10;
  if (typeof bins === "number") {
    if (!Number.isInteger(bins) || bins < 1) {
      throw new ValueError(`plot.hist: bins must be a positive integer, got ${bins}`);
    }
    // Not Math.min(...values): spreading a million arguments overflows the stack.
    let [lo, hi] = o.range ??
      (values.length ? values.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]) : [0, 1]);
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
      throw new ValueError(`plot.hist: range must be finite with min <= max, got [${lo}, ${hi}]`);
    }
    if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5]; // numpy's choice
    edges = Float64Array.from({ length: bins + 1 }, (_, i) => lo + (hi - lo) * i / bins);
  } else {
    edges = Float64Array.from(bins);
    if (edges.length < 2 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges[i - 1]))) {
      throw new ValueError(
        `plot.hist: bin edges must be at least 2 finite, increasing numbers, got [${bins.join(", ")}]`,
      );
    }
  }
  const n = edges.length - 1;
  const counts = new Float64Array(n);
  const lo = edges[0], hi = edges[n];
  for (const v of values) {
    if (v < lo || v > hi) continue;
    // Bins are [e_i, e_{i+1}) but the last one is closed, as numpy.
    let k = 0, top = n; // binary search for the last edge <= v
    while (top - k > 1) {
      const mid = (k + top) >> 1;
      if (edges[mid] <= v) k = mid;
      else top = mid;
    }
    counts[k]++;
  }
  if (o.density) {
    const total = counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) counts[i] = total ? counts[i] / (total * (edges[i + 1] - edges[i])) : 0;
  }
  return { edges, heights: counts };
}

// ---- rendering helpers ----

const fmtNum = (v: number) => String(Math.round(v * 100) / 100);
const attr = (s: string) => escapeHtml(s);

function makeScale(kind: Scale, domain: [number, number], range: [number, number], explicit: boolean, count: number) {
  let [lo, hi] = domain;
  if (lo === hi) {
    const pad = kind === "log" ? lo * 0.5 : lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const s = kind === "log" ? scaleLog().domain([lo, hi]).range(range) : scaleLinear().domain([lo, hi]).range(range);
  return explicit ? s : s.nice(count);
}

/** Tick labels: d3's (fixed precision for the tick step); a log axis labels its decades in plain or e-notation. */
function tickFormat(
  s: ReturnType<typeof makeScale>,
  kind: Scale,
  ticks: number | readonly number[] | undefined,
  count: number,
): (t: number) => string {
  if (Array.isArray(ticks)) return (t) => String(Number(t.toPrecision(12))); // ticks the user chose
  return kind === "log" ? s.tickFormat(count, "~g") : s.tickFormat(count);
}

/**
 * The figure as a standalone `<svg>` element.
 *
 * @param o the figure's options
 * @param series its series, drawn in order
 * @param clip an id for the plot area's clip path, unique on the page
 */
export function renderSvg(o: FigureOptions, series: readonly Series[], clip: string): string {
  const W = o.width ?? 640, H = o.height ?? 400;
  const xscale = o.xscale ?? "linear", yscale = o.yscale ?? "linear";
  // Data ranges over the values that can be drawn.
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const s of series) {
    const n = s.kind === "hist" ? s.y.length : s.x.length;
    for (let i = 0; i < n; i++) {
      const xa = s.x[i], xb = s.kind === "hist" ? s.x[i + 1] : xa, y = s.y[i];
      if (!finite(xa, xscale) || !finite(xb, xscale) || !finite(y, yscale)) continue;
      [x0, x1, y0, y1] = [Math.min(x0, xa), Math.max(x1, xb), Math.min(y0, y), Math.max(y1, y)];
    }
    if (s.kind === "hist" && yscale === "linear") [y0, y1] = [Math.min(y0, 0), Math.max(y1, 0)];
  }
  const empty: [number, number] = [1, 10];
  const xdom: [number, number] = o.xlim ?? (x0 <= x1 ? [x0, x1] : xscale === "log" ? empty : [0, 1]);
  const ydom: [number, number] = o.ylim ?? (y0 <= y1 ? [y0, y1] : yscale === "log" ? empty : [0, 1]);
  for (const [k, scale, dom] of [["x", xscale, xdom], ["y", yscale, ydom]] as const) {
    if (scale === "log" && dom[0] <= 0) {
      throw new ValueError(`${k}lim must be positive on a log axis, got [${dom.join(", ")}]`);
    }
  }

  // y ticks first: the left margin fits their labels.
  const yTickCount = typeof o.yticks === "number" ? o.yticks : Math.max(2, Math.round(H / 70));
  const xTickCount = typeof o.xticks === "number" ? o.xticks : Math.max(2, Math.round(W / 90));
  const top = o.title === undefined ? 16 : 40;
  const bottom = 36 + (o.xlabel === undefined ? 0 : 20);
  const yProbe = makeScale(yscale, ydom, [H - bottom, top], o.ylim !== undefined, yTickCount);
  const yTicks = Array.isArray(o.yticks) ? [...o.yticks] : yProbe.ticks(yTickCount);
  const yFmt = tickFormat(yProbe, yscale, o.yticks, yTickCount);
  const yLabels = yTicks.map((t) => yFmt(t));
  const left = 14 + 7 * Math.max(1, ...yLabels.map((l) => l.length)) + (o.ylabel === undefined ? 0 : 22);
  const right = 20;
  const xs = makeScale(xscale, xdom, [left, W - right], o.xlim !== undefined, xTickCount);
  const ys = yProbe;
  const xTicks = Array.isArray(o.xticks) ? [...o.xticks] : xs.ticks(xTickCount);
  const xFmt = tickFormat(xs, xscale, o.xticks, xTickCount);
  const [px0, px1] = [left, W - right], [py0, py1] = [top, H - bottom];
  const inX = (t: number) => finite(t, xscale) && xs(t) >= px0 - 0.5 && xs(t) <= px1 + 0.5;
  const inY = (t: number) => finite(t, yscale) && ys(t) >= py0 - 0.5 && ys(t) <= py1 + 0.5;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
  );
  if (o.title !== undefined) out.push(`<title>${escapeHtml(o.title)}</title>`);
  out.push(
    `<defs><clipPath id="${clip}"><rect x="${px0}" y="${py0}" width="${px1 - px0}" height="${
      py1 - py0
    }"/></clipPath></defs>`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);

  // Axes: ticks, labels, optional grid, then the frame.
  const xAxis: string[] = [], yAxis: string[] = [];
  for (const t of xTicks.filter(inX)) {
    const px = fmtNum(xs(t)), label = xFmt(t), len = label ? 5 : 3; // unlabelled: a log axis's minor tick
    if (o.grid && label) {
      xAxis.push(`<line class="grid" x1="${px}" x2="${px}" y1="${py0}" y2="${py1}" stroke="#e0e0e0"/>`);
    }
    xAxis.push(
      `<g class="tick"><line x1="${px}" x2="${px}" y1="${py1}" y2="${py1 + len}" stroke="black"/>` +
        `<text x="${px}" y="${py1 + 18}" text-anchor="middle">${escapeHtml(label)}</text></g>`,
    );
  }
  yTicks.forEach((t, i) => {
    if (!inY(t)) return;
    const py = fmtNum(ys(t)), len = yLabels[i] ? 5 : 3;
    if (o.grid && yLabels[i]) {
      yAxis.push(`<line class="grid" x1="${px0}" x2="${px1}" y1="${py}" y2="${py}" stroke="#e0e0e0"/>`);
    }
    yAxis.push(
      `<g class="tick"><line x1="${px0 - len}" x2="${px0}" y1="${py}" y2="${py}" stroke="black"/>` +
        `<text x="${px0 - 8}" y="${py}" dy="0.32em" text-anchor="end">${escapeHtml(yLabels[i])}</text></g>`,
    );
  });
  out.push(`<g class="axis x-axis">${xAxis.join("")}</g>`);
  out.push(`<g class="axis y-axis">${yAxis.join("")}</g>`);

  // Series, clipped to the plot area: one <path> each.
  out.push(`<g class="series-list" clip-path="url(#${clip})">`);
  series.forEach((s, k) => {
    const cls = `series series-${k} ${s.kind}`;
    const color = attr(s.color);
    if (s.kind === "line") {
      const points = Array.from(s.x, (x, i) => [x, s.y[i]] as [number, number]);
      const d = d3line<[number, number]>()
        .defined(([x, y]) => finite(x, xscale) && finite(y, yscale))
        .x(([x]) => xs(x)).y(([, y]) => ys(y)).digits(2)(points) ?? "";
      out.push(
        `<path class="${cls}" d="${d}" fill="none" stroke="${color}" stroke-width="${s.width}" ` +
          `stroke-linejoin="round" stroke-linecap="round"/>`,
      );
    } else if (s.kind === "scatter") {
      const r = s.width, parts: string[] = [];
      for (let i = 0; i < s.x.length; i++) {
        if (!finite(s.x[i], xscale) || !finite(s.y[i], yscale)) continue;
        const cx = xs(s.x[i]), cy = ys(s.y[i]);
        // A circle as two arcs.
        parts.push(`M${fmtNum(cx - r)},${fmtNum(cy)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`);
      }
      out.push(`<path class="${cls}" d="${parts.join("")}" fill="${color}" fill-opacity="0.8" stroke="none"/>`);
    } else {
      const base = yscale === "log" ? py1 : ys(Math.max(ydom[0], Math.min(0, ydom[1])));
      const parts: string[] = [];
      for (let i = 0; i < s.y.length; i++) {
        if (!finite(s.y[i], yscale) || !finite(s.x[i], xscale) || !finite(s.x[i + 1], xscale)) continue;
        const xa = xs(s.x[i]), xb = xs(s.x[i + 1]), yt = ys(s.y[i]);
        parts.push(`M${fmtNum(xa)},${fmtNum(base)}V${fmtNum(yt)}H${fmtNum(xb)}V${fmtNum(base)}Z`);
      }
      const opacity = series.filter((t) => t.kind === "hist").length > 1 ? 0.5 : 0.85;
      out.push(
        `<path class="${cls}" d="${
          parts.join("")
        }" fill="${color}" fill-opacity="${opacity}" stroke="white" stroke-width="0.5"/>`,
      );
    }
  });
  out.push(`</g>`);
  out.push(
    `<rect class="frame" x="${px0}" y="${py0}" width="${px1 - px0}" height="${py1 - py0}" fill="none" stroke="black"/>`,
  );

  // Title and axis labels.
  if (o.title !== undefined) {
    out.push(
      `<text class="title" x="${fmtNum((px0 + px1) / 2)}" y="24" text-anchor="middle" font-size="15">${
        escapeHtml(o.title)
      }</text>`,
    );
  }
  if (o.xlabel !== undefined) {
    out.push(
      `<text class="xlabel" x="${fmtNum((px0 + px1) / 2)}" y="${H - 10}" text-anchor="middle">${
        escapeHtml(o.xlabel)
      }</text>`,
    );
  }
  if (o.ylabel !== undefined) {
    const cy = fmtNum((py0 + py1) / 2);
    out.push(
      `<text class="ylabel" x="16" y="${cy}" transform="rotate(-90 16 ${cy})" text-anchor="middle">${
        escapeHtml(o.ylabel)
      }</text>`,
    );
  }

  // Legend, top right, for the series that have labels.
  const labelled = series.filter((s) => s.label !== undefined);
  if (labelled.length) {
    const lw = 34 + 7 * Math.max(...labelled.map((s) => s.label!.length));
    const lx = px1 - lw - 8, ly = py0 + 8;
    const items = labelled.map((s, i) => {
      const cy = ly + 12 + 18 * i, color = attr(s.color);
      const mark = s.kind === "line"
        ? `<line x1="${lx + 6}" x2="${lx + 24}" y1="${cy}" y2="${cy}" stroke="${color}" stroke-width="${s.width}"/>`
        : s.kind === "scatter"
        ? `<circle cx="${lx + 15}" cy="${cy}" r="${Math.max(2, s.width)}" fill="${color}"/>`
        : `<rect x="${lx + 8}" y="${cy - 5}" width="14" height="10" fill="${color}" fill-opacity="0.7"/>`;
      return `${mark}<text x="${lx + 30}" y="${cy}" dy="0.32em">${escapeHtml(s.label!)}</text>`;
    });
    out.push(
      `<g class="legend"><rect x="${lx}" y="${ly}" width="${lw}" height="${18 * labelled.length + 6}" ` +
        `fill="white" fill-opacity="0.85" stroke="#bbbbbb"/>${items.join("")}</g>`,
    );
  }
  out.push(`</svg>`);
  return out.join("\n");
}
