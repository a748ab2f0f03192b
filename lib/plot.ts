/**
 * Small plots as SVG: `plot.line`, `plot.scatter` and `plot.hist` take
 * NDArrays or JS arrays and return a {@link Figure}. A figure shows itself
 * inline in `deno jupyter` (its `[Symbol.for("Jupyter.display")]()` bundle has
 * `image/svg+xml`), `fig.svg()` gives the SVG text and `await fig.save(path)`
 * writes an `.svg` file from a script. Figures take several series (chain
 * `.line(...)`, `.scatter(...)`, `.hist(...)` on one figure, or pass a list of
 * series), a title, axis labels, ticks and a legend.
 *
 * lib/plot_svg.ts draws: scales and ticks from d3-scale, line paths from
 * d3-shape. Missing values — `NaN`, `±Infinity`, `null` in a JS array, and
 * values `<= 0` on a log axis — are not drawn: a line breaks at them, a
 * scatter and a histogram skip them.
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

import { NDArray } from "./array.ts";
import { fmtShape, ShapeError, ValueError } from "./errors.ts";
import { histogram, type Kind, PALETTE, renderSvg, type Series } from "./plot_svg.ts";

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

function checkSize(what: string, v: number | undefined, min: number): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= min)) {
    throw new ValueError(`${what} must be a number >= ${min}, got ${v}`);
  }
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
    return renderSvg(this.#options, this.#series, `jaxd-plot-${this.#id}`);
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
