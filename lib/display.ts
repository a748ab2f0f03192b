/**
 * Rich display of arrays in notebooks. `deno jupyter` calls an object's
 * `[Symbol.for("Jupyter.display")]()` and shows the richest MIME type it
 * returns; NDArray's delegates to {@link displayBundle}.
 *
 * @module
 */

import type { NDArray } from "./array.ts";
import { fmtShape } from "./errors.ts";
import { formatRepr, formatScalar } from "./format.ts";

/** A Jupyter MIME bundle: MIME type -> content. */
export type MimeBundle = Record<string, string>;

/** Arrays with more elements than this are summarised instead of tabulated. */
export const DISPLAY_MAX_ELEMENTS = 1000;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Whether `x` is a tracer (a stand-in inside a transformation), without reading it. */
function isTracer(x: NDArray): boolean {
  return typeof (x as unknown as { concreteValue?: unknown }).concreteValue === "function";
}

function caption(x: NDArray): string {
  const weak = x.weakType ? ", weak_type=True" : "";
  return `<caption>Array ${escapeHtml(x.dtype)}${escapeHtml(fmtShape(x.shape))}${weak}</caption>`;
}

/**
 * The notebook display of an array: `text/plain` is JAX's repr; `text/html`
 * is a table (0-d: one cell; 1-d: one row; 2-d: a table with row and column
 * indices) or, for arrays with more than two dimensions, more than
 * {@link DISPLAY_MAX_ELEMENTS} elements or no elements, a one-line summary
 * and the repr in a `<pre>`. A tracer is not read (it may have no value): its
 * bundle is its text only.
 *
 * @param x the array
 * @returns a MIME bundle
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * import { displayBundle } from "./display.ts";
 * const b = displayBundle(jnp.array([1, 2]));
 * b["text/plain"]; // "Array([1., 2.], dtype=float32)"
 * b["text/html"]; // "<table class=\"jaxd-array\"><caption>Array float32(2,)</caption><tr><td>1.0</td><td>2.0</td></tr></table>"
 * ```
 */
export function displayBundle(x: NDArray): MimeBundle {
  if (isTracer(x)) return { "text/plain": x.repr() };
  let data;
  try {
    data = x.dataSync();
  } catch (e) {
    // E.g. a disposed array: show what it is and why there are no values.
    const msg = e instanceof Error ? e.message : String(e);
    return { "text/plain": `<${x.dtype}${fmtShape(x.shape)} array: ${msg}>` };
  }
  const shape = x.shape;
  const repr = formatRepr(data, shape, x.dtype, x.weakType);
  const cell = (i: number) => `<td>${escapeHtml(formatScalar(Number(data[i]), x.dtype))}</td>`;
  let html: string;
  if (shape.length > 2 || x.size > DISPLAY_MAX_ELEMENTS || x.size === 0) {
    const summary = `Array of shape ${fmtShape(shape)}, dtype ${x.dtype}, ${x.size} element${x.size === 1 ? "" : "s"}`;
    html = `<div class="jaxd-array"><p>${escapeHtml(summary)}</p><pre>${escapeHtml(repr)}</pre></div>`;
  } else if (shape.length === 0) {
    html = `<table class="jaxd-array">${caption(x)}<tr>${cell(0)}</tr></table>`;
  } else if (shape.length === 1) {
    const cells = Array.from({ length: shape[0] }, (_, i) => cell(i)).join("");
    html = `<table class="jaxd-array">${caption(x)}<tr>${cells}</tr></table>`;
  } else {
    const [rows, cols] = shape;
    const head = `<tr><th></th>${Array.from({ length: cols }, (_, j) => `<th>${j}</th>`).join("")}</tr>`;
    const body = Array.from({ length: rows }, (_, i) => {
      const cells = Array.from({ length: cols }, (_, j) => cell(i * cols + j)).join("");
      return `<tr><th>${i}</th>${cells}</tr>`;
    }).join("");
    html = `<table class="jaxd-array">${caption(x)}${head}${body}</table>`;
  }
  return { "text/plain": repr, "text/html": html };
}
