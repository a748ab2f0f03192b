/**
 * The kernel IR: the backend-neutral form of one kernel, a fused elementwise
 * expression over input buffers, optionally reduced along a loop.
 *
 * A kernel writes `size` outputs. Output element `idx` is `expr` evaluated with
 * `idx` bound, or, when the kernel reduces, the reduction of `expr` over
 * `ridx = 0 .. reduce.size-1`. Inputs are read with `load`, each at an index
 * expression computed from `idx` and `ridx`. Broadcasting, transposes, slices,
 * reshapes and matmul's contraction are all index expressions, so fusing a
 * producer into a consumer is substitution: replace the consumer's `load` by
 * the producer's expression with `idx` replaced by the load's index.
 *
 * This module imports only dtypes: the frontend (tracer, primitives) builds
 * kernels, the backends (cpu, gpu) consume them, and neither sees the other.
 *
 * @module
 */

import type { DType } from "../dtype.ts";

/** Elementwise unary operations. */
export type UnaryOp =
  | "neg"
  | "abs"
  | "sign"
  | "floor"
  | "ceil"
  | "round"
  | "exp"
  | "exp2"
  | "log"
  | "log1p"
  | "expm1"
  | "sqrt"
  | "rsqrt"
  | "cbrt"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "sinh"
  | "cosh"
  | "tanh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "lgamma"
  | "digamma"
  | "erf"
  | "erfc"
  | "erf_inv"
  // XLA:CPU's float32 algorithms, bit for bit (the `accuracy: "highest"` forms of log, log1p, erf, erf_inv).
  | "log_exact"
  | "log1p_exact"
  | "erf_exact"
  | "erf_inv_exact"
  | "logistic"
  | "is_finite"
  | "not";

/** Elementwise binary operations. Comparisons produce bool. */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "rem"
  | "pow"
  | "max"
  | "min"
  | "atan2"
  | "and"
  | "or"
  | "xor"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "igamma"
  | "igammac"
  | "polygamma"
  | "shift_left"
  | "shift_right_logical"
  | "shift_right_arithmetic";

/**
 * Elementwise operations of more operands: word 0 or 1 of the Threefry-2x32
 * block cipher (20 rounds) of the counter `(x0, x1)` under the key `(k0, k1)`,
 * as JAX's `threefry2x32_p` (operands `[k0, k1, x0, x1]`, uint32).
 */
export type NaryOp = "threefry2x32_0" | "threefry2x32_1";

/** Reductions a kernel can apply along its `ridx` loop. */
export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/** One node of a kernel expression. */
export type Expr =
  | { op: "const"; value: number; dtype: DType }
  | { op: "idx" }
  | { op: "ridx" }
  | { op: "load"; input: number; index: Expr; dtype: DType }
  | { op: "unary"; fn: UnaryOp; x: Expr; dtype: DType }
  | { op: "binary"; fn: BinaryOp; x: Expr; y: Expr; dtype: DType }
  | { op: "select"; cond: Expr; t: Expr; f: Expr; dtype: DType }
  | { op: "nary"; fn: NaryOp; args: Expr[]; dtype: DType }
  | { op: "cast"; x: Expr; dtype: DType };

/**
 * Where operand element (batch, row, col) of a matmul lives in its input
 * buffer: `offset + batch * strides[0] + row * strides[1] + col * strides[2]`.
 */
export interface MatmulOperand {
  /** Which kernel input holds the operand. */
  input: number;
  /** The input's dtype. */
  dtype: DType;
  /** Element offset of (0, 0, 0). */
  offset: number;
  /** Element strides of batch, row and column. */
  strides: [number, number, number];
}

/**
 * A (batched) matrix product `out[b, m, n] = sum_k a[b, m, k] * b[b, k, n]`,
 * with the output row-major over `[batch, m, n]`. Operand layouts are free
 * (strides), so transposed operands need no copy. It describes the same
 * values as the kernel's `expr` summed over `ridx`: a backend that has no
 * matmul template may ignore it.
 */
export interface MatmulSpec {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** The left operand, strides over (batch, m, k). */
  a: MatmulOperand;
  /** The right operand, strides over (batch, k, n). */
  b: MatmulOperand;
}

/** A kernel: `size` outputs of `dtype`, each `expr` (reduced when `reduce` is set). */
export interface Kernel {
  /** Number of output elements. */
  size: number;
  /** Output dtype (int32 for argmax/argmin). */
  dtype: DType;
  /** Value per output element, or per (output, ridx) pair when reducing. */
  expr: Expr;
  /** The reduction along `ridx`, if any. */
  reduce?: { op: ReduceOp; size: number };
  /** Set when the kernel is a matrix product (`expr` and `reduce` then say the same as a sum of products). */
  matmul?: MatmulSpec;
  /**
   * For a reducing kernel: what each output is, computed from the reduced
   * value after the loop (read as a `load` of input -1, at `idx`) and the
   * kernel's other inputs. A backend that fuses a reduction into its
   * elementwise consumer sets it; frontends never do.
   */
  epilogue?: Expr;
}

/** The dtype an expression evaluates to. Index expressions are int32. */
export function exprDType(e: Expr): DType {
  return e.op === "idx" || e.op === "ridx" ? "int32" : e.dtype;
}

// ---- constructors, with the little algebra that keeps index math short ----

/** The output index. */
export const IDX: Expr = { op: "idx" };
/** The reduction index. */
export const RIDX: Expr = { op: "ridx" };

/** A constant. */
export function constant(value: number, dtype: DType = "int32"): Expr {
  return { op: "const", value, dtype };
}

function isConst(e: Expr, v?: number): e is Extract<Expr, { op: "const" }> {
  return e.op === "const" && (v === undefined || e.value === v);
}

/** Integer index arithmetic: `a + b`, folding constants. */
export function iadd(a: Expr, b: Expr): Expr {
  if (isConst(a) && isConst(b)) return constant(a.value + b.value);
  if (isConst(a, 0)) return b;
  if (isConst(b, 0)) return a;
  return { op: "binary", fn: "add", x: a, y: b, dtype: "int32" };
}

/** Integer index arithmetic: `a * b`, folding constants. */
export function imul(a: Expr, b: Expr): Expr {
  if (isConst(a) && isConst(b)) return constant(a.value * b.value);
  if (isConst(a, 0) || isConst(b, 0)) return constant(0);
  if (isConst(a, 1)) return b;
  if (isConst(b, 1)) return a;
  return { op: "binary", fn: "mul", x: a, y: b, dtype: "int32" };
}

/** Integer index arithmetic: `floor(a / b)` for non-negative `a`. */
export function idiv(a: Expr, b: number): Expr {
  if (b === 1) return a;
  if (isConst(a)) return constant(Math.floor(a.value / b));
  return { op: "binary", fn: "div", x: a, y: constant(b), dtype: "int32" };
}

/** Integer index arithmetic: `a mod b` for non-negative `a`. */
export function imod(a: Expr, b: number): Expr {
  if (b === 1) return constant(0);
  if (isConst(a)) return constant(a.value % b);
  return { op: "binary", fn: "rem", x: a, y: constant(b), dtype: "int32" };
}

/** Reads input buffer `input` (holding `dtype`) at `index`. */
export function load(input: number, index: Expr, dtype: DType): Expr {
  return { op: "load", input, index, dtype };
}

/**
 * Splits a flat row-major index over `shape` into one coordinate expression
 * per dimension.
 */
export function unravel(flat: Expr, shape: readonly number[]): Expr[] {
  const coords = new Array<Expr>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = shape[d] === 1 ? constant(0) : imod(idiv(flat, stride), shape[d]);
    stride *= shape[d];
  }
  // The outermost coordinate needs no modulus: the flat index is in range.
  if (shape.length > 0 && shape[0] !== 1) coords[0] = idiv(flat, stride / shape[0]);
  return coords;
}

/** Combines per-dimension coordinates into a flat index with the given strides. */
export function ravel(coords: readonly Expr[], strides: readonly number[], offset = 0): Expr {
  let e: Expr = constant(offset);
  for (let d = 0; d < coords.length; d++) e = iadd(e, imul(coords[d], constant(strides[d])));
  return e;
}

const names = new Map<string, number>();
/** A small integer per name (an op, a dtype), for hashing. */
export const nameCode = (s: string): number => {
  let c = names.get(s);
  if (c === undefined) names.set(s, c = names.size + 1);
  return c;
};
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** One FNV-1a step: mixes `v` into the hash `h`. */
export const hashMix = (h: number, v: number): number => Math.imul(h ^ v, 16777619) >>> 0;
const mix = hashMix;

/** A numeric hash of an expression's structure, mixed into `h` (equal for expressions sameExpr calls equal). */
export function hashExpr(e: Expr, h: number = 2166136261): number {
  h = mix(h, nameCode(e.op));
  switch (e.op) {
    case "idx":
    case "ridx":
      return h;
    case "const":
      f64[0] = e.value;
      return mix(mix(mix(h, nameCode(e.dtype)), u32[0]), u32[1]);
    case "load":
      return hashExpr(e.index, mix(mix(h, e.input), nameCode(e.dtype)));
    case "unary":
      return hashExpr(e.x, mix(mix(h, nameCode(e.fn)), nameCode(e.dtype)));
    case "cast":
      return hashExpr(e.x, mix(h, nameCode(e.dtype)));
    case "binary":
      return hashExpr(e.y, hashExpr(e.x, mix(mix(h, nameCode(e.fn)), nameCode(e.dtype))));
    case "select":
      return hashExpr(e.f, hashExpr(e.t, hashExpr(e.cond, mix(h, nameCode(e.dtype)))));
    case "nary":
      return e.args.reduce((g, a) => hashExpr(a, g), mix(mix(h, nameCode(e.fn)), nameCode(e.dtype)));
  }
}

/** Whether two expressions are the same structure (constants compared with Object.is). */
export function sameExpr(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.op !== b.op) return false;
  switch (a.op) {
    case "idx":
    case "ridx":
      return true;
    case "const": {
      const o = b as typeof a;
      return a.dtype === o.dtype && Object.is(a.value, o.value);
    }
    case "load": {
      const o = b as typeof a;
      return a.input === o.input && a.dtype === o.dtype && sameExpr(a.index, o.index);
    }
    case "unary": {
      const o = b as typeof a;
      return a.fn === o.fn && a.dtype === o.dtype && sameExpr(a.x, o.x);
    }
    case "cast": {
      const o = b as typeof a;
      return a.dtype === o.dtype && sameExpr(a.x, o.x);
    }
    case "binary": {
      const o = b as typeof a;
      return a.fn === o.fn && a.dtype === o.dtype && sameExpr(a.x, o.x) && sameExpr(a.y, o.y);
    }
    case "select": {
      const o = b as typeof a;
      return a.dtype === o.dtype && sameExpr(a.cond, o.cond) && sameExpr(a.t, o.t) && sameExpr(a.f, o.f);
    }
    case "nary": {
      const o = b as typeof a;
      return a.fn === o.fn && a.dtype === o.dtype && a.args.length === o.args.length &&
        a.args.every((x, i) => sameExpr(x, o.args[i]));
    }
  }
}

/** Whether two kernels without a matmul spec are the same (size, dtype, reduction, expressions). */
export function sameKernel(a: Kernel, b: Kernel): boolean {
  return a.size === b.size && a.dtype === b.dtype && a.reduce?.op === b.reduce?.op &&
    a.reduce?.size === b.reduce?.size && !a.matmul && !b.matmul && sameExpr(a.expr, b.expr) &&
    (a.epilogue === b.epilogue || (!!a.epilogue && !!b.epilogue && sameExpr(a.epilogue, b.epilogue)));
}

/** A numeric hash of a kernel without a matmul spec (equal for kernels sameKernel calls equal). */
export function hashKernel(k: Kernel): number {
  let h = hashMix(hashMix(2166136261, k.size), nameCode(k.dtype));
  if (k.reduce) h = hashMix(hashMix(h, nameCode(k.reduce.op)), k.reduce.size);
  return hashExpr(k.expr, k.epilogue ? hashExpr(k.epilogue, hashMix(h, 7)) : h);
}

/** A stable text key of an expression, used to cache compiled kernels. */
export function exprKey(e: Expr): string {
  switch (e.op) {
    case "const":
      return `${e.dtype}:${Object.is(e.value, -0) ? "-0" : e.value}`;
    case "idx":
      return "i";
    case "ridx":
      return "r";
    case "load":
      return `L${e.input}:${e.dtype}[${exprKey(e.index)}]`;
    case "unary":
      return `${e.fn}:${e.dtype}(${exprKey(e.x)})`;
    case "binary":
      return `${e.fn}:${e.dtype}(${exprKey(e.x)},${exprKey(e.y)})`;
    case "select":
      return `?:${e.dtype}(${exprKey(e.cond)},${exprKey(e.t)},${exprKey(e.f)})`;
    case "nary":
      return `${e.fn}:${e.dtype}(${e.args.map(exprKey).join(",")})`;
    case "cast":
      return `cast:${e.dtype}(${exprKey(e.x)})`;
  }
}

/** A stable text key of a kernel. */
export function kernelKey(k: Kernel): string {
  const red = k.reduce ? `${k.reduce.op}${k.reduce.size}` : "";
  const mm = k.matmul ? `|mm${matmulKey(k.matmul)}` : "";
  return `${k.size}|${k.dtype}|${red}|${exprKey(k.expr)}${mm}`;
}

/** A stable text key of a matmul spec. */
export function matmulKey(m: MatmulSpec): string {
  const op = (o: MatmulOperand) => `${o.input}:${o.dtype}@${o.offset}/${o.strides.join(",")}`;
  return `${m.batch}x${m.m}x${m.n}x${m.k}[${op(m.a)};${op(m.b)}]`;
}

/** Replaces every `load` of the expression by `f(load)`. */
export function mapLoads(
  e: Expr,
  f: (l: Extract<Expr, { op: "load" }>) => Expr,
): Expr {
  switch (e.op) {
    case "const":
    case "idx":
    case "ridx":
      return e;
    case "load":
      return f({ ...e, index: mapLoads(e.index, f) });
    case "unary":
      return { ...e, x: mapLoads(e.x, f) };
    case "binary":
      return { ...e, x: mapLoads(e.x, f), y: mapLoads(e.y, f) };
    case "select":
      return { ...e, cond: mapLoads(e.cond, f), t: mapLoads(e.t, f), f: mapLoads(e.f, f) };
    case "nary":
      return { ...e, args: e.args.map((a) => mapLoads(a, f)) };
    case "cast":
      return { ...e, x: mapLoads(e.x, f) };
  }
}

/** Replaces `idx` (and optionally `ridx`) by expressions. */
export function substIndex(e: Expr, idx: Expr, ridx: Expr = RIDX): Expr {
  switch (e.op) {
    case "const":
      return e;
    case "idx":
      return idx;
    case "ridx":
      return ridx;
    case "load":
      return { ...e, index: substIndex(e.index, idx, ridx) };
    case "unary":
      return { ...e, x: substIndex(e.x, idx, ridx) };
    case "binary":
      return { ...e, x: substIndex(e.x, idx, ridx), y: substIndex(e.y, idx, ridx) };
    case "select":
      return {
        ...e,
        cond: substIndex(e.cond, idx, ridx),
        t: substIndex(e.t, idx, ridx),
        f: substIndex(e.f, idx, ridx),
      };
    case "nary":
      return { ...e, args: e.args.map((a) => substIndex(a, idx, ridx)) };
    case "cast":
      return { ...e, x: substIndex(e.x, idx, ridx) };
  }
}

/** Calls `f` on every load in `e`, outermost first. */
export function eachLoad(e: Expr, f: (l: Extract<Expr, { op: "load" }>) => void): void {
  switch (e.op) {
    case "const":
    case "idx":
    case "ridx":
      return;
    case "load":
      f(e);
      return eachLoad(e.index, f);
    case "unary":
    case "cast":
      return eachLoad(e.x, f);
    case "binary":
      eachLoad(e.x, f);
      return eachLoad(e.y, f);
    case "select":
      eachLoad(e.cond, f);
      eachLoad(e.t, f);
      return eachLoad(e.f, f);
    case "nary":
      for (const a of e.args) eachLoad(a, f);
      return;
  }
}

/** The number of nodes in `e` (a measure of the work per element). */
export function countNodes(e: Expr): number {
  switch (e.op) {
    case "const":
    case "idx":
    case "ridx":
      return 1;
    case "load":
      return 1 + countNodes(e.index);
    case "unary":
      return (e.fn.endsWith("_exact") ? EXACT_NODES : 1) + countNodes(e.x);
    case "cast":
      return 1 + countNodes(e.x);
    case "binary":
      return 1 + countNodes(e.x) + countNodes(e.y);
    case "select":
      return 1 + countNodes(e.cond) + countNodes(e.t) + countNodes(e.f);
    case "nary":
      return EXACT_NODES + e.args.reduce((n, a) => n + countNodes(a), 0);
  }
}

/**
 * What an `_exact` op (or a threefry) counts as in countNodes: it is a long function (an
 * emulated multiply-add per polynomial step), so fusion should not copy it
 * into dozens of consumers (a shader ~40 times its size took ~15 s to compile).
 */
const EXACT_NODES = 40;

/** Whether `e` reads the reduction index (so varies along a reduction). */
export function usesRidx(e: Expr): boolean {
  switch (e.op) {
    case "ridx":
      return true;
    case "const":
    case "idx":
      return false;
    case "load":
      return usesRidx(e.index);
    case "unary":
    case "cast":
      return usesRidx(e.x);
    case "binary":
      return usesRidx(e.x) || usesRidx(e.y);
    case "select":
      return usesRidx(e.cond) || usesRidx(e.t) || usesRidx(e.f);
    case "nary":
      return e.args.some(usesRidx);
  }
}
