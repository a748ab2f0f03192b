/**
 * numpy indexing, `x[...]`, and functional updates, `x.at[...].set(v)`.
 *
 * Static integers and slices become slice/rev/squeeze (as in JAX's jaxprs), a
 * traced scalar index becomes dynamic_slice, and integer or boolean arrays
 * become a gather. Updates compute the flat positions an index selects and
 * scatter into them.
 *
 * @module
 */

import { type ArrayLike, type AtMode, type IndexSpec, NDArray } from "../array.ts";
import { isInteger } from "../dtype.ts";
import { fmtShape, IndexError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { Tracer } from "../trace/core.ts";
import { asArray, broadcastTo, toType } from "./util.ts";

type Entry =
  | { kind: "int"; v: number }
  | { kind: "slice"; start: number | null; stop: number | null; step: number | null }
  | { kind: "newaxis" }
  | { kind: "ellipsis" }
  | { kind: "array"; a: NDArray };

const FULL: Entry = { kind: "slice", start: null, stop: null, step: null };

function parseNum(s: string, what: string): number | null {
  const t = s.trim();
  if (t === "") return null;
  const v = Number(t);
  if (!Number.isInteger(v)) throw new IndexError(`index: '${what}' is not a valid slice or integer`);
  return v;
}

function parsePart(part: string): Entry {
  const p = part.trim();
  if (p === "..." || p === "Ellipsis") return { kind: "ellipsis" };
  if (p === "None" || p === "newaxis") return { kind: "newaxis" };
  if (p.includes(":")) {
    const bits = p.split(":");
    if (bits.length > 3) throw new IndexError(`index: '${p}' is not a valid slice`);
    return {
      kind: "slice",
      start: parseNum(bits[0], p),
      stop: parseNum(bits[1], p),
      step: bits[2] === undefined ? null : parseNum(bits[2], p),
    };
  }
  const v = parseNum(p, p);
  if (v === null) return FULL;
  return { kind: "int", v };
}

function parse(index: IndexSpec[]): Entry[] {
  const out: Entry[] = [];
  for (const s of index) {
    if (s === null) out.push(FULL);
    else if (typeof s === "number") {
      if (!Number.isInteger(s)) throw new IndexError(`index: ${s} is not an integer`);
      out.push({ kind: "int", v: s });
    } else if (typeof s === "string") out.push(...s.split(",").map(parsePart));
    else if (s instanceof NDArray) out.push({ kind: "array", a: s });
    else if (Array.isArray(s)) {
      const [start = null, stop = null, step = null] = s;
      out.push({ kind: "slice", start, stop, step });
    } else throw new IndexError(`index: unsupported index entry ${JSON.stringify(s)}`);
  }
  return out;
}

/** Python's slice.indices(n). */
function sliceIndices(e: Extract<Entry, { kind: "slice" }>, n: number): [number, number, number] {
  const step = e.step ?? 1;
  if (step === 0) throw new ValueError("index: slice step cannot be zero");
  const clampS = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number | null, def: number, lo: number, hi: number) =>
    v === null ? def : clampS(v < 0 ? v + n : v, lo, hi);
  if (step > 0) return [norm(e.start, 0, 0, n), norm(e.stop, n, 0, n), step];
  return [norm(e.start, n - 1, -1, n - 1), norm(e.stop, -1, -1, n - 1), step];
}

/** `x[index]` with numpy semantics. */
export function getitem(x: NDArray, index: IndexSpec[]): NDArray {
  if (index.length <= x.ndim && index.every((i) => Number.isInteger(i))) return intIndex(x, index as number[]);
  let entries = parse(index);
  // Boolean masks become integer index arrays (needs concrete values, as in JAX).
  entries = entries.flatMap((e): Entry[] => {
    if (e.kind !== "array" || e.a.dtype !== "bool") return [e];
    return nonzeroOf(e.a).map((a) => ({ kind: "array", a }));
  });
  const consuming = entries.filter((e) => e.kind !== "newaxis" && e.kind !== "ellipsis").length;
  if (consuming > x.ndim) {
    throw new IndexError(
      `index: too many indices for array: array is ${x.ndim}-dimensional, but ${consuming} were indexed`,
    );
  }
  const ell = entries.findIndex((e) => e.kind === "ellipsis");
  if (entries.filter((e) => e.kind === "ellipsis").length > 1) {
    throw new IndexError("index: an index can only have a single ellipsis ('...')");
  }
  const fill = Array(x.ndim - consuming).fill(FULL);
  entries = ell >= 0 ? [...entries.slice(0, ell), ...fill, ...entries.slice(ell + 1)] : [...entries, ...fill];
  // Insert new axes, then every entry consumes one axis.
  if (entries.some((e) => e.kind === "newaxis")) {
    const shape: number[] = [];
    let k = 0;
    for (const e of entries) shape.push(e.kind === "newaxis" ? 1 : x.shape[k++]);
    x = lax.reshape(x, shape);
    entries = entries.map((e) => (e.kind === "newaxis" ? FULL : e));
  }
  const scalarTracer = (e: Entry) => e.kind === "array" && e.a.ndim === 0 && isInteger(e.a.dtype);
  const hasArrays = entries.some((e) => e.kind === "array" && !scalarTracer(e));
  // Basic indexing: slices (with reversal for negative steps), static ints, dynamic scalars.
  const start: number[] = [], limit: number[] = [], strides: number[] = [], revDims: number[] = [];
  const squeezeDims: number[] = [];
  const dynamic: [number, NDArray][] = [];
  entries.forEach((e, d) => {
    const n = x.shape[d];
    if (e.kind === "slice") {
      let [s, t, st] = sliceIndices(e, n);
      if (st < 0) {
        revDims.push(d);
        [s, t, st] = [n - 1 - s, n - 1 - t, -st];
      }
      start.push(s);
      limit.push(Math.max(s, t));
      strides.push(st);
    } else if (e.kind === "int" && !hasArrays) {
      if (e.v < -n || e.v >= n) throw new IndexError(`index ${e.v} is out of bounds for axis ${d} with size ${n}`);
      const i = e.v < 0 ? e.v + n : e.v;
      start.push(i), limit.push(i + 1), strides.push(1), squeezeDims.push(d);
    } else if (scalarTracer(e) && !hasArrays) {
      start.push(0), limit.push(n), strides.push(1), squeezeDims.push(d);
      dynamic.push([d, (e as { a: NDArray }).a]);
    } else start.push(0), limit.push(n), strides.push(1);
  });
  if (revDims.length) x = lax.rev(x, revDims);
  const identity = start.every((s, i) => s === 0 && limit[i] === x.shape[i] && strides[i] === 1);
  if (!identity) x = lax.slice(x, start, limit, strides.every((s) => s === 1) ? null : strides);
  if (dynamic.length) {
    const starts: (NDArray | number)[] = x.shape.map(() => 0);
    const sizes = [...x.shape];
    for (const [d, i] of dynamic) {
      starts[d] = toType(i, "int32", false); // lax.dynamic_slice counts negative starts from the end
      sizes[d] = 1;
    }
    x = lax.dynamic_slice(x, starts, sizes);
  }
  if (!hasArrays) return squeezeDims.length ? lax.squeeze(x, squeezeDims) : x;
  // Advanced indexing: ints and arrays gather; the index shape goes where numpy puts it.
  const adv = entries.map((e, d) => (e.kind === "array" || e.kind === "int" ? d : -1)).filter((d) => d >= 0);
  const idxArrays = adv.map((d) => {
    const e = entries[d] as Extract<Entry, { kind: "int" | "array" }>;
    const a = e.kind === "int" ? asArray(e.v, "int32") : toType(e.a, "int32", false);
    const n = x.shape[d];
    return lax.select(lax.lt(a, 0), lax.add(a, n), a);
  });
  const shapes = idxArrays.map((a) => a.shape);
  const bshape = broadcastShapesOf(shapes);
  const idx = idxArrays.map((a) => broadcastTo(a, bshape, "index"));
  let out = lax.gather(x, idx, adv);
  const adjacent = adv.every((d, i) => i === 0 || d === adv[i - 1] + 1);
  if (adjacent && adv[0] > 0) {
    const ns = bshape.length;
    const rest = out.ndim - ns;
    const perm = [...Array(rest).keys()].map((i) => i + ns);
    perm.splice(adv[0], 0, ...[...Array(ns).keys()]);
    out = lax.transpose(out, perm);
  }
  return out;
}

/** `x[i, j, ...]` for integers (the common `theta.get(0)`): what getitem does for them, without its general parsing. */
function intIndex(x: NDArray, ints: number[]): NDArray {
  const start = x.shape.map(() => 0), limit = [...x.shape];
  ints.forEach((v, d) => {
    const n = x.shape[d];
    if (v < -n || v >= n) throw new IndexError(`index ${v} is out of bounds for axis ${d} with size ${n}`);
    start[d] = v < 0 ? v + n : v;
    limit[d] = start[d] + 1;
  });
  if (!ints.length) return x;
  return lax.squeeze(lax.slice(x, start, limit, null), ints.map((_, d) => d));
}

function broadcastShapesOf(shapes: number[][]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = Array(nd).fill(1);
  for (const s of shapes) {
    s.forEach((d, i) => {
      const j = nd - s.length + i;
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) {
        throw new IndexError(
          `index: shape mismatch: indexing arrays could not be broadcast together with shapes ${
            shapes.map(fmtShape).join(" ")
          }`,
        );
      }
    });
  }
  return out;
}

/** Integer index arrays of the true entries of a concrete boolean mask. */
function nonzeroOf(mask: NDArray): NDArray[] {
  if (mask instanceof Tracer && !mask.concreteValue()) {
    throw new IndexError(
      "index: a boolean mask needs concrete values, but this one is traced (inside jit/vmap); " +
        "use jnp.where(mask, x, other) instead",
    );
  }
  const data = mask.dataSync();
  const coords: number[][] = mask.shape.map(() => []);
  const strides = mask.shape.map((_, i) => mask.shape.slice(i + 1).reduce((p, d) => p * d, 1));
  data.forEach((v, flat) => {
    if (v) mask.shape.forEach((d, i) => coords[i].push(Math.floor(flat / strides[i]) % d));
  });
  return coords.map((c) => asArray(c, "int32"));
}

/** `x.at[index].set(v)` and friends: a new array with the selected elements updated. */
export function setitem(x: NDArray, index: IndexSpec[], v: ArrayLike, mode: AtMode): NDArray {
  const pos = lax.reshape(lax.iota("int32", [x.size]), x.shape);
  const sel = getitem(pos, index);
  const vals = broadcastTo(toType(v, x.dtype, false), sel.shape, "at[...]");
  const flatX = lax.reshape(x, [x.size]);
  const m = mode === "multiply" ? "mul" : mode;
  const out = lax.scatter(flatX, [lax.reshape(sel, [sel.size])], lax.reshape(vals, [vals.size]), [0], m);
  return lax.reshape(out, x.shape);
}

/** `jnp.take(x, indices, axis)`. */
export function take(x: ArrayLike, indices: ArrayLike, o?: { axis?: number | null }): NDArray {
  let a = asArray(x);
  if (o?.axis === undefined || o.axis === null) a = lax.reshape(a, [a.size]);
  const axis = o?.axis ?? 0;
  const ix: IndexSpec[] = a.shape.map(() => null);
  ix[axis < 0 ? axis + a.ndim : axis] = asArray(indices, "int32");
  return getitem(a, ix);
}
