/**
 * Small plots as SVG: `plot.line`, `plot.scatter` and `plot.hist` take
 * NDArrays or JS arrays and return a {@link Figure}. A figure shows itself
 * inline in `deno jupyter` (its `[Symbol.for("Jupyter.display")]()` bundle has
 * `image/svg+xml`), `fig.svg()` gives the SVG text and `await fig.save(path)`
 * writes an `.svg` file from a script. Figures take several series (chain
 * `.line(...)`, `.scatter(...)`, `.hist(...)` on one figure, or pass a list of
 * series), a title, axis labels, ticks and a legend.
 *
 * Scales and ticks come from d3-scale, line paths from d3-shape. Missing
 * values — `NaN`, `±Infinity`, `null` in a JS array, and values `<= 0` on a
 * log axis — are not drawn: a line breaks at them, a scatter and a histogram
 * skip them.
 *
 * @example
 * ```ts
 * import { jnp, plot } from "@jaxd/jaxd";
 * const x = jnp.linspace(0, 6.28, 50);
 * const fig = plot.line(x, jnp.sin(x), { title: "sin", xlabel: "x", label: "sin(x)" })
 *   .line(x, jnp.cos(x), { label: "cos(x)" });
 * fig.svg().startsWith("<svg"); // true
 * // await fig.save("/tmp/sin.svg"); in a script (needs --allow-write)
 * ```
 *
 * @module
 */

// Pinned npm: specifiers, not import-map names, so that jaxd resolves when it is
// imported from another project (see lib/io.ts).
// @deno-types="npm:@types/d3-scale@4.0.9"
import { scaleLinear, scaleLog } from "npm:d3-scale@4.0.3";
// @deno-types="npm:@types/d3-shape@3.2.0"
import { line as d3line } from "npm:d3-shape@3.2.1";
import { NDArray } from "./array.ts";
import { escapeHtml } from "./display.ts";
import { fmtShape, ShapeError, ValueError } from "./errors.ts";

/**
 * A series of values: a 1-d NDArray, a JS array of numbers (`null` is a missing value) or a typed array.
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * const v: plot.Values = [1, 2, null, 4]; // null: a missing value, the line breaks there
 * plot.line(v).toString(); // "<Figure 640x400, 1 series: line (4 points)>"
 * ```
 */
export type Values = NDArray | readonly (number | null)[] | Float32Array | Float64Array | Int32Array | Uint32Array;

/**
 * One series or several: a {@link Values}, a list of them, or a 2-d NDArray
 * whose columns are the series (as matplotlib's `plot(x, Y)`).
 *
 * @example
 * ```ts
 * import { jnp, plot } from "@jaxd/jaxd";
 * const x = jnp.linspace(0, 1, 5);
 * const ys: plot.SeriesInput = [x, x.pow(2)];
 * plot.line(x, ys).toString(); // "<Figure 640x400, 2 series: line (5 points), line (5 points)>"
 * ```
 */
export type SeriesInput = Values | readonly Values[];

/**
 * Axis scale.
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * const yscale: plot.Scale = "log";
 * plot.line([1, 10, 100], undefined, { yscale }).toString();
 * // "<Figure 640x400, 1 series: line (3 points)>"
 * ```
 */
export type Scale = "linear" | "log";

/**
 * Options of the whole figure; any plotting call may set them.
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * const o: plot.FigureOptions = { title: "t", xlabel: "x", xlim: [0, 10], yticks: 4, grid: true };
 * plot.figure(o).toString(); // "<Figure \"t\" 640x400, empty>"
 * ```
 */
export interface FigureOptions {
  /** Title above the plot. */
  title?: string;
  /** Label of the x axis. */
  xlabel?: string;
  /** Label of the y axis. */
  ylabel?: string;
  /** Width in pixels; default 640. */
  width?: number;
  /** Height in pixels; default 400. */
  height?: number;
  /** The x range shown, `[min, max]`; default the data's range, rounded out to nice ticks. */
  xlim?: [number, number];
  /** The y range shown, `[min, max]`. */
  ylim?: [number, number];
  /** x axis scale; default "linear". */
  xscale?: Scale;
  /** y axis scale; default "linear". */
  yscale?: Scale;
  /** x ticks: about how many (a number), or where (an array of values). */
  xticks?: number | readonly number[];
  /** y ticks: about how many (a number), or where (an array of values). */
  yticks?: number | readonly number[];
  /** Draw grid lines at the ticks; default false. */
  grid?: boolean;
}

/**
 * Options of the series a call adds (and of the figure, see {@link FigureOptions}).
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * plot.scatter([1, 2], [[1, 2], [2, 1]], { label: ["a", "b"], color: ["black", "red"] }).toString();
 * // "<Figure 640x400, 2 series: scatter \"a\" (2 points), scatter \"b\" (2 points)>"
 * ```
 */
export interface SeriesOptions extends FigureOptions {
  /** Legend label, one per series when several are given at once. */
  label?: string | readonly string[];
  /** Any SVG colour, one per series when several are given; default the tab10 palette in order. */
  color?: string | readonly string[];
}

/**
 * Options of {@link Figure.line}.
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * plot.line([1, 3, 2], undefined, { linewidth: 3, label: "thick" }).toString();
 * // "<Figure 640x400, 1 series: line \"thick\" (3 points)>"
 * ```
 */
export interface LineOptions extends SeriesOptions {
  /** Line width in pixels; default 1.5. */
  linewidth?: number;
}

/**
 * Options of {@link Figure.scatter}.
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * plot.scatter([1, 2, 3], [3, 1, 2], { size: 5 }).toString();
 * // "<Figure 640x400, 1 series: scatter (3 points)>"
 * ```
 */
export interface ScatterOptions extends SeriesOptions {
  /** Marker radius in pixels; default 3. */
  size?: number;
}

/**
 * Options of {@link Figure.hist}.
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * plot.hist([1, 2, 2, 3, 9], { bins: [0, 2, 4, 10], density: true }).toString();
 * // "<Figure 640x400, 1 series: hist (3 bins)>"
 * ```
 */
export interface HistOptions extends SeriesOptions {
  /** The number of equal-width bins (default 10), or the bin edges in increasing order (as numpy). */
  bins?: number | readonly number[];
  /** The range the bins cover when `bins` is a number; default the finite data's min and max. */
  range?: [number, number];
  /** Heights as a probability density (area 1) instead of counts; default false. */
  density?: boolean;
}

type Kind = "line" | "scatter" | "hist";

interface Series {
  kind: Kind;
  x: Float64Array; // hist: the bin edges (n + 1)
  y: Float64Array; // hist: the bar heights (n)
  label?: string;
  color: string;
  width: number; // line width or marker radius
}

/** matplotlib's default colour cycle (tab10). */
const PALETTE = [
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

/** Distinguishes the clip paths of several figures on one notebook page. */
let figureCount = 0;

// ---- input ----

function isValues(v: unknown): v is Values {
  return v instanceof NDArray || ArrayBuffer.isView(v) ||
    (Array.isArray(v) && v.every((e) => e === null || typeof e === "number"));
}

/** The values of one series as float64, with `null` as NaN. */
function toVector(v: unknown, what: string): Float64Array {
  if (v instanceof NDArray) {
    if (v.ndim !== 1) throw new ShapeError(`${what} must be 1-d, got an array of shape ${fmtShape(v.shape)}`);
    return Float64Array.from(v.dataSync(), Number);
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return Float64Array.from(v as unknown as ArrayLike<number>, Number);
  }
  if (Array.isArray(v)) {
    const out = new Float64Array(v.length);
    v.forEach((e, i) => {
      if (e !== null && typeof e !== "number") {
        throw new ValueError(
          `${what}[${i}] is ${typeof e === "object" ? "an array" : JSON.stringify(e)}, not a number`,
        );
      }
      out[i] = e === null ? NaN : e;
    });
    return out;
  }
  throw new ValueError(`${what} must be an NDArray or an array of numbers, got ${v === null ? "null" : typeof v}`);
}

/** One series or several (a list of series, or the columns of a 2-d NDArray). */
function toSeriesList(v: unknown, what: string): Float64Array[] {
  if (v instanceof NDArray && v.ndim === 2) {
    const [rows, cols] = v.shape;
    const data = v.dataSync();
    return Array.from(
      { length: cols },
      (_, j) => Float64Array.from({ length: rows }, (_, i) => Number(data[i * cols + j])),
    );
  }
  if (isValues(v)) return [toVector(v, what)];
  if (
    Array.isArray(v) && v.length > 0 &&
    v.every((e) => e instanceof NDArray || Array.isArray(e) || ArrayBuffer.isView(e))
  ) {
    return v.map((e, i) => toVector(e, `${what}[${i}]`));
  }
  return [toVector(v, what)]; // raises the error that says what is wrong
}

function perSeries(o: string | readonly string[] | undefined, i: number): string | undefined {
  return typeof o === "string" ? o : o?.[i];
}

function finite(v: number, scale: Scale): boolean {
  return Number.isFinite(v) && (scale === "linear" || v > 0);
}

function checkSize(what: string, v: number | undefined, min: number): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= min)) {
    throw new ValueError(`${what} must be a number >= ${min}, got ${v}`);
  }
}

/** Equal-width bins as numpy.histogram; non-finite values are dropped. */
function histogram(data: Float64Array, o: HistOptions): { edges: Float64Array; heights: Float64Array } {
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

/** The text of a figure's parts, for `text/plain` and the REPL. */
function describe(fig: { title?: string; width: number; height: number }, series: readonly Series[]): string {
  const parts = series.map((s) => {
    const n = s.kind === "hist" ? `${s.y.length} bins` : `${s.x.length} points`;
    return `${s.kind}${s.label === undefined ? "" : ` ${JSON.stringify(s.label)}`} (${n})`;
  });
  const title = fig.title === undefined ? "" : ` ${JSON.stringify(fig.title)}`;
  const what = series.length === 0 ? "empty" : `${series.length} series: ${parts.join(", ")}`;
  return `<Figure${title} ${fig.width}x${fig.height}, ${what}>`;
}

/**
 * A plot: series, axes and labels, drawn as SVG. Make one with
 * {@link line}, {@link scatter}, {@link hist} or {@link figure}; add series
 * with its methods of the same names, which return the figure so calls chain.
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * const fig = plot.figure({ title: "two series", xlabel: "step" })
 *   .line([3, 2, 1.5, 1.2], undefined, { label: "train" })
 *   .scatter([0, 1, 2, 3], [3.2, 2.4, 1.9, 1.7], { label: "test" });
 * fig.svg().includes("<title>two series</title>"); // true
 * ```
 */
export class Figure {
  #options: FigureOptions = {};
  #series: Series[] = [];
  #id = ++figureCount;

  /**
   * An empty figure; `plot.figure(options)` is the same.
   *
   * @param options title, labels, size, limits, scales and ticks of the figure
   */
  constructor(options: FigureOptions = {}) {
    this.set(options);
  }

  /**
   * Sets figure options (title, labels, size, limits, scales, ticks, grid);
   * options left out keep their values.
   *
   * @example
   * ```ts
   * import { plot } from "@jaxd/jaxd";
   * const fig = plot.line([1, 4, 9]).set({ title: "squares", yscale: "log" });
   * ```
   */
  set(options: FigureOptions): this {
    const o = options;
    checkSize("width", o.width, 50);
    checkSize("height", o.height, 50);
    for (const [k, lim] of [["xlim", o.xlim], ["ylim", o.ylim]] as const) {
      if (lim !== undefined && !(lim.length === 2 && lim.every(Number.isFinite) && lim[0] < lim[1])) {
        throw new ValueError(`${k} must be [min, max] with finite min < max, got [${lim.join(", ")}]`);
      }
    }
    for (
      const k of [
        "title",
        "xlabel",
        "ylabel",
        "width",
        "height",
        "xlim",
        "ylim",
        "xscale",
        "yscale",
        "xticks",
        "yticks",
        "grid",
      ] as const
    ) {
      if (o[k] !== undefined) (this.#options as Record<string, unknown>)[k] = o[k];
    }
    return this;
  }

  #add(kind: Kind, xs: Float64Array[], ys: Float64Array[], o: SeriesOptions, width: number, name: string): this {
    checkSize(`plot.${name}: ${kind === "line" ? "linewidth" : "size"}`, width, 0);
    this.set(o);
    ys.forEach((y, i) => {
      const x = xs.length === 1 ? xs[0] : xs[i];
      if (x.length !== y.length) {
        const which = ys.length > 1 ? `y[${i}]` : "y";
        throw new ShapeError(
          `plot.${name}: x has ${x.length} values but ${which} has ${y.length}; they must have the same length`,
        );
      }
      const color = perSeries(o.color, i) ?? PALETTE[this.#series.length % PALETTE.length];
      this.#series.push({ kind, x, y, label: perSeries(o.label, i), color, width });
    });
    return this;
  }

  #xy(x: SeriesInput, y: SeriesInput | undefined, name: string): [Float64Array[], Float64Array[]] {
    if (y === undefined) {
      const ys = toSeriesList(x, `plot.${name}: y`);
      return [ys.map((v) => Float64Array.from(v, (_, i) => i)), ys];
    }
    const xs = toSeriesList(x, `plot.${name}: x`);
    const ys = toSeriesList(y, `plot.${name}: y`);
    if (xs.length !== 1 && xs.length !== ys.length) {
      throw new ShapeError(`plot.${name}: ${xs.length} x series for ${ys.length} y series; give one x or one per y`);
    }
    return [xs, ys];
  }

  /**
   * Adds one line per series; with `y` left out, `x` is the y values and x is
   * 0, 1, 2, ... . A line breaks at missing values.
   *
   * @example
   * ```ts
   * import { jnp, plot } from "@jaxd/jaxd";
   * const x = jnp.linspace(-1, 1, 21);
   * const fig = plot.figure().line(x, [x.pow(2), x.pow(3)], { label: ["x^2", "x^3"] });
   * ```
   */
  line(x: SeriesInput, y?: SeriesInput, options: LineOptions = {}): this {
    const [xs, ys] = this.#xy(x, y, "line");
    return this.#add("line", xs, ys, options, options.linewidth ?? 1.5, "line");
  }

  /**
   * Adds one set of markers per series.
   *
   * @example
   * ```ts
   * import { np, plot } from "@jaxd/jaxd";
   * np.random.seed(0);
   * const fig = plot.figure().scatter(np.random.normal(0, 1, 100), np.random.normal(0, 1, 100), { size: 2 });
   * ```
   */
  scatter(x: SeriesInput, y: SeriesInput, options: ScatterOptions = {}): this {
    const [xs, ys] = this.#xy(x, y, "scatter");
    return this.#add("scatter", xs, ys, options, options.size ?? 3, "scatter");
  }

  /**
   * Adds a histogram per series (counts in equal-width bins, as
   * numpy.histogram; missing values are left out).
   *
   * @example
   * ```ts
   * import { np, plot } from "@jaxd/jaxd";
   * np.random.seed(0);
   * const fig = plot.figure().hist(np.random.normal(0, 1, 1000), { bins: 20, density: true });
   * ```
   */
  hist(x: SeriesInput, options: HistOptions = {}): this {
    const data = toSeriesList(x, "plot.hist: x");
    const edges: Float64Array[] = [], heights: Float64Array[] = [];
    for (const d of data) {
      const h = histogram(d, options);
      edges.push(h.edges);
      heights.push(h.heights);
    }
    this.set(options);
    data.forEach((_, i) => {
      const color = perSeries(options.color, i) ?? PALETTE[this.#series.length % PALETTE.length];
      this.#series.push({
        kind: "hist",
        x: edges[i],
        y: heights[i],
        label: perSeries(options.label, i),
        color,
        width: 0,
      });
    });
    return this;
  }

  /**
   * The figure as SVG text (a standalone `<svg>` element).
   *
   * @example
   * ```ts
   * import { plot } from "@jaxd/jaxd";
   * const svg = plot.line([1, 2, 4], undefined, { title: "a < b" }).svg();
   * svg.includes("a &lt; b"); // true
   * ```
   */
  svg(): string {
    const o = this.#options;
    const W = o.width ?? 640, H = o.height ?? 400;
    const xscale = o.xscale ?? "linear", yscale = o.yscale ?? "linear";
    // Data ranges over the values that can be drawn.
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const s of this.#series) {
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
    const clip = `jaxd-plot-${this.#id}`;
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
    this.#series.forEach((s, k) => {
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
        const opacity = this.#series.filter((t) => t.kind === "hist").length > 1 ? 0.5 : 0.85;
        out.push(
          `<path class="${cls}" d="${
            parts.join("")
          }" fill="${color}" fill-opacity="${opacity}" stroke="white" stroke-width="0.5"/>`,
        );
      }
    });
    out.push(`</g>`);
    out.push(
      `<rect class="frame" x="${px0}" y="${py0}" width="${px1 - px0}" height="${
        py1 - py0
      }" fill="none" stroke="black"/>`,
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
    const labelled = this.#series.filter((s) => s.label !== undefined);
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

  /**
   * Writes the SVG to a file (needs `--allow-write`).
   *
   * @param path where to write, e.g. `"loss.svg"`
   *
   * @example
   * ```ts
   * import { plot } from "@jaxd/jaxd";
   * const path = Deno.makeTempFileSync({ suffix: ".svg" });
   * await plot.hist([1, 2, 2, 3, 3, 3]).save(path);
   * ```
   */
  async save(path: string | URL): Promise<void> {
    await Deno.writeTextFile(path, this.svg());
  }

  /**
   * A one-line description of the figure.
   *
   * @example
   * ```ts
   * import { plot } from "@jaxd/jaxd";
   * plot.line([1, 2], undefined, { label: "a" }).toString(); // '<Figure 640x400, 1 series: line "a" (2 points)>'
   * ```
   */
  toString(): string {
    const o = this.#options;
    return describe({ title: o.title, width: o.width ?? 640, height: o.height ?? 400 }, this.#series);
  }

  /** Deno's console.log hook: the one-line description. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** The notebook display hook (`deno jupyter`): the SVG, and the description as text. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "image/svg+xml": this.svg(), "text/plain": this.toString() };
  }
}

/**
 * A figure with no series yet.
 *
 * @param options title, labels, size, limits, scales and ticks
 * @returns the figure
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * const fig = plot.figure({ title: "fit", width: 480, height: 300 });
 * fig.line([1, 2, 3], [2, 4, 5], { label: "data" }).line([1, 3], [2, 5.3], { label: "model" });
 * ```
 */
export function figure(options: FigureOptions = {}): Figure {
  return new Figure(options);
}

/**
 * A line plot, as matplotlib's `plt.plot(x, y)`: a new figure with one line
 * per series. With `y` left out, `x` holds the y values, plotted against 0, 1, 2, ... .
 *
 * @param x the x values (or the y values when `y` is left out)
 * @param y the y values: one series, a list of series, or a 2-d NDArray with one series per column
 * @param options figure and line options
 * @returns the figure
 *
 * @example
 * ```ts
 * import { jnp, plot } from "@jaxd/jaxd";
 * const loss = jnp.exp(jnp.linspace(0, -3, 100));
 * const fig = plot.line(loss, undefined, { title: "loss", xlabel: "step", yscale: "log" });
 * ```
 */
export function line(x: SeriesInput, y?: SeriesInput, options: LineOptions = {}): Figure {
  return new Figure().line(x, y, options);
}

/**
 * A scatter plot, as matplotlib's `plt.scatter(x, y)`.
 *
 * @param x the x values
 * @param y the y values: one series or several
 * @param options figure and marker options
 * @returns the figure
 *
 * @example
 * ```ts
 * import { plot } from "@jaxd/jaxd";
 * const fig = plot.scatter([1, 2, 3, 4], [1.1, 1.9, 3.2, 3.9], { xlabel: "x", ylabel: "y" });
 * ```
 */
export function scatter(x: SeriesInput, y: SeriesInput, options: ScatterOptions = {}): Figure {
  return new Figure().scatter(x, y, options);
}

/**
 * A histogram, as matplotlib's `plt.hist(x, bins=20)`: counts in equal-width
 * bins over the data's range (or `range`), or in bins with the given edges.
 *
 * @param x the values: one series or several (overlaid)
 * @param options `bins`, `range`, `density` and figure options
 * @returns the figure
 *
 * @example
 * ```ts
 * import { np, plot } from "@jaxd/jaxd";
 * np.random.seed(1);
 * const fig = plot.hist(np.random.normal(0.5, 1.4, 1000), { bins: 30, title: "normal sample" });
 * ```
 */
export function hist(x: SeriesInput, options: HistOptions = {}): Figure {
  return new Figure().hist(x, options);
}
