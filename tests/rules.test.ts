/**
 * Every primitive's rules, checked numerically (DESIGN.md "Tests"):
 * - jvp and vjp against central finite differences in float64, orders 1 and 2
 *   (tests/check_grads.ts);
 * - vmap against a JS loop of the unbatched op, with the batch at axis 0, at
 *   the last axis, and with batched and unbatched operands mixed;
 * - jit against eager, and make_jaxpr's output typechecks and contains the
 *   primitive.
 *
 * The cases are keyed by primitive and the suite fails when a primitive of
 * `ruleTable` has no case, so a new primitive must come with its tests.
 *
 * @module
 */

import assert from "node:assert/strict";
import { jax, lax, type NDArray } from "../mod.ts";
import type { DType } from "../lib/dtype.ts";
import type { Primitive } from "../lib/ops/primitives.ts";
import { ruleTable } from "../lib/ops/rules.ts";
import { bind } from "../lib/trace/core.ts";
import { type Jaxpr, typecheckJaxpr } from "../lib/trace/jaxpr.ts";
import {
  arr,
  assertClose,
  awayFromZero,
  bools,
  check_grads,
  enableX64,
  ints,
  normal,
  Rng,
  uniform,
} from "./check_grads.ts";

enableX64();

// deno-lint-ignore no-explicit-any
type Fn = (...xs: any[]) => any;

/** One test case of one primitive. */
interface Case {
  /** The primitive this case exercises (must appear in its jaxpr). */
  prim: Primitive;
  /** Distinguishes several cases of one primitive. */
  label?: string;
  /** Fresh random operands in the primitive's domain. */
  args: (r: Rng) => NDArray[];
  /** Applies the primitive (params fixed) to the operands. */
  fn: Fn;
  /** "both" (default): jvp and vjp; "fwd": jvp only (not transposable); "none": integer/bool op. */
  grad?: "both" | "fwd" | "none";
  /** Operands to differentiate (default: all float64 operands). */
  diff?: number[];
  /** Derivative order checked (default 2). */
  order?: number;
  /** Finite-difference step and tolerances. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Operands that may be batched (default all). */
  batchable?: number[];
  /** Skips a check, with the reason (a known bug: see the report). */
  ignore?: { grad?: string; vmap?: string; jit?: string };
}

const lx = lax as unknown as Record<string, Fn>;
const shape23 = [2, 3];

/** Floats kept 0.1–0.4 away from integers (floor/ceil/round/sign are locally constant there). */
function offInteger(r: Rng, shape: number[]): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return arr(Array.from({ length: n }, () => r.int(-3, 3) + r.uniform(0.1, 0.4)), shape);
}

/** Floats with ties: small integers stored as float64. */
function smallIntFloats(r: Rng, shape: number[]): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return arr(Array.from({ length: n }, () => r.int(-2, 3)), shape);
}

/** Floats with inf, -inf and nan mixed in. */
function withNonFinite(r: Rng, shape: number[]): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const special = [Infinity, -Infinity, NaN];
  return arr(Array.from({ length: n }, () => (r.next() < 0.4 ? special[r.int(0, 3)] : r.normal())), shape);
}

/** A well-conditioned random square matrix (batched over `lead`). */
function wellConditioned(r: Rng, lead: number[], n: number): NDArray {
  const batch = lead.reduce((a, b) => a * b, 1);
  const v: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v.push(r.uniform(-0.5, 0.5) + (i === j ? 3 : 0));
  }
  return arr(v, [...lead, n, n]);
}

// ---------------------------------------------------------------- the cases

const UNARY_DOMAINS: [Primitive, (r: Rng) => NDArray][] = [
  ["neg", (r) => normal(r, shape23)],
  ["abs", (r) => awayFromZero(r, shape23)],
  ["sign", (r) => awayFromZero(r, shape23)],
  ["floor", (r) => offInteger(r, shape23)],
  ["ceil", (r) => offInteger(r, shape23)],
  ["round", (r) => offInteger(r, shape23)],
  ["exp", (r) => uniform(r, shape23, -2, 2)],
  ["exp2", (r) => uniform(r, shape23, -2, 2)],
  ["log", (r) => uniform(r, shape23, 0.5, 3)],
  ["log1p", (r) => uniform(r, shape23, -0.5, 2)],
  ["expm1", (r) => uniform(r, shape23, -2, 2)],
  ["sqrt", (r) => uniform(r, shape23, 0.5, 3)],
  ["rsqrt", (r) => uniform(r, shape23, 0.5, 3)],
  ["cbrt", (r) => awayFromZero(r, shape23, 0.5, 3)],
  ["sin", (r) => uniform(r, shape23, -3, 3)],
  ["cos", (r) => uniform(r, shape23, -3, 3)],
  ["tan", (r) => uniform(r, shape23, -1, 1)],
  ["asin", (r) => uniform(r, shape23, -0.8, 0.8)],
  ["acos", (r) => uniform(r, shape23, -0.8, 0.8)],
  ["atan", (r) => normal(r, shape23)],
  ["sinh", (r) => uniform(r, shape23, -2, 2)],
  ["cosh", (r) => uniform(r, shape23, -2, 2)],
  ["tanh", (r) => uniform(r, shape23, -2, 2)],
  ["asinh", (r) => normal(r, shape23)],
  ["acosh", (r) => uniform(r, shape23, 1.2, 3)],
  ["atanh", (r) => uniform(r, shape23, -0.8, 0.8)],
  ["lgamma", (r) => uniform(r, shape23, 0.5, 4)],
  ["digamma", (r) => uniform(r, shape23, 0.5, 4)],
  ["erf", (r) => uniform(r, shape23, -2, 2)],
  ["erfc", (r) => uniform(r, shape23, -2, 2)],
  ["erf_inv", (r) => uniform(r, shape23, -0.8, 0.8)],
  ["logistic", (r) => uniform(r, shape23, -3, 3)],
];

const unaryCases: Case[] = UNARY_DOMAINS.map(([prim, gen]) => ({
  prim,
  args: (r) => [gen(r)],
  fn: (x: NDArray) => lx[prim](x),
}));

const unaryIntCases: Case[] = (["neg", "abs", "sign"] as Primitive[]).map((prim) => ({
  prim,
  label: "int32",
  args: (r) => [ints(r, shape23, -5, 6)],
  fn: (x: NDArray) => lx[prim](x),
  grad: "none",
}));

const binaryFloat = (prim: Primitive, gx: (r: Rng) => NDArray, gy: (r: Rng) => NDArray, extra: Partial<Case> = {}) =>
  ({ prim, args: (r: Rng) => [gx(r), gy(r)], fn: (x: NDArray, y: NDArray) => lx[prim](x, y), ...extra }) as Case;

const binaryCases: Case[] = [
  binaryFloat("add", (r) => normal(r, shape23), (r) => normal(r, shape23)),
  binaryFloat("sub", (r) => normal(r, shape23), (r) => normal(r, shape23)),
  binaryFloat("mul", (r) => normal(r, shape23), (r) => normal(r, shape23)),
  binaryFloat("div", (r) => normal(r, shape23), (r) => awayFromZero(r, shape23, 0.5, 2)),
  binaryFloat("rem", (r) => uniform(r, shape23, -3, 3), (r) => awayFromZero(r, shape23, 0.7, 1.3)),
  binaryFloat("pow", (r) => uniform(r, shape23, 0.5, 2), (r) => uniform(r, shape23, -1.5, 1.5)),
  binaryFloat("max", (r) => normal(r, shape23), (r) => normal(r, shape23)),
  binaryFloat("min", (r) => normal(r, shape23), (r) => normal(r, shape23)),
  binaryFloat("atan2", (r) => awayFromZero(r, shape23), (r) => awayFromZero(r, shape23)),
  binaryFloat("add_any", (r) => normal(r, shape23), (r) => normal(r, shape23)),
  // igamma/igammac: jaxd does not differentiate with respect to `a` yet (JAX does), so only x is differentiated.
  binaryFloat("igamma", (r) => uniform(r, shape23, 0.5, 3), (r) => uniform(r, shape23, 0.3, 3), { diff: [1] }),
  binaryFloat("igammac", (r) => uniform(r, shape23, 0.5, 3), (r) => uniform(r, shape23, 0.3, 3), { diff: [1] }),
  binaryFloat(
    "polygamma",
    (r) => arr(Array.from({ length: 6 }, () => r.int(0, 3)), shape23),
    (r) => uniform(r, shape23, 0.5, 3),
    { diff: [1] },
  ),
  // A scalar operand broadcasts (and its cotangent sums back).
  binaryFloat("mul", (r) => uniform(r, [], -2, 2), (r) => normal(r, shape23), { label: "scalar-array" }),
  binaryFloat("add", (r) => normal(r, shape23), (r) => uniform(r, [], -2, 2), { label: "array-scalar" }),
  binaryFloat("sub", (r) => normal(r, [2, 1]), (r) => normal(r, shape23), { label: "size-1 broadcast" }),
  binaryFloat("div", (r) => normal(r, shape23), (r) => awayFromZero(r, [1, 3], 0.5, 2), { label: "size-1 broadcast" }),
];

const intBinary = (prim: Primitive, gx: (r: Rng) => NDArray, gy: (r: Rng) => NDArray, label: string): Case => ({
  prim,
  label,
  args: (r) => [gx(r), gy(r)],
  fn: (x: NDArray, y: NDArray) => lx[prim](x, y),
  grad: "none",
});

const intBinaryCases: Case[] = [
  ...(["add", "sub", "mul", "max", "min"] as Primitive[]).map((p) =>
    intBinary(p, (r) => ints(r, shape23, -9, 10), (r) => ints(r, shape23, -9, 10), "int32")
  ),
  intBinary("div", (r) => ints(r, shape23, -9, 10), (r) => ints(r, shape23, 1, 4), "int32"),
  intBinary("rem", (r) => ints(r, shape23, -9, 10), (r) => ints(r, shape23, 1, 4), "int32"),
  intBinary("and", (r) => bools(r, shape23), (r) => bools(r, shape23), "bool"),
  intBinary("or", (r) => bools(r, shape23), (r) => bools(r, shape23), "bool"),
  intBinary("xor", (r) => bools(r, shape23), (r) => bools(r, shape23), "bool"),
  intBinary("and", (r) => ints(r, shape23, -50, 50), (r) => ints(r, shape23, -50, 50), "int32"),
  intBinary("or", (r) => ints(r, shape23, -50, 50), (r) => ints(r, shape23, -50, 50), "int32"),
  intBinary("xor", (r) => ints(r, shape23, -50, 50), (r) => ints(r, shape23, -50, 50), "int32"),
  intBinary("shift_left", (r) => ints(r, shape23, -1000, 1000), (r) => ints(r, shape23, 0, 34), "int32"),
  intBinary("shift_right_logical", (r) => ints(r, shape23, -1000, 1000), (r) => ints(r, shape23, 0, 34), "int32"),
  intBinary("shift_right_arithmetic", (r) => ints(r, shape23, -1000, 1000), (r) => ints(r, shape23, 0, 34), "int32"),
  intBinary(
    "shift_right_logical",
    (r) => ints(r, shape23, 0, 4000000000, "uint32"),
    (r) => ints(r, shape23, 0, 34, "uint32"),
    "uint32",
  ),
];

const compareCases: Case[] = (["eq", "ne", "lt", "le", "gt", "ge"] as Primitive[]).flatMap((prim) => [
  intBinary(prim, (r) => smallIntFloats(r, shape23), (r) => smallIntFloats(r, shape23), "float64"),
  intBinary(prim, (r) => ints(r, shape23, -2, 3), (r) => ints(r, shape23, -2, 3), "int32"),
]);

const ct = (x: NDArray, dtype: DType, weak = false) => lax.convert_element_type(x, dtype, weak);

const u32s = (r: Rng, shape: number[]) => ints(r, shape, 0, 4294967295, "uint32");

const elementwiseMiscCases: Case[] = [
  {
    prim: "sort",
    label: "one operand, last axis",
    args: (r) => [normal(r, shape23)],
    fn: (x: NDArray) => lax.sort(x, { dimension: 1 }),
  },
  {
    prim: "sort",
    label: "keys and values, axis 0",
    args: (r) => [normal(r, shape23), normal(r, shape23)],
    fn: (k: NDArray, v: NDArray) => lax.sort([k, v], { dimension: 0 }),
  },
  {
    prim: "threefry2x32",
    args: (r) => [u32s(r, []), u32s(r, []), u32s(r, shape23), u32s(r, shape23)],
    fn: (k0: NDArray, k1: NDArray, x0: NDArray, x1: NDArray) => bind("threefry2x32", [k0, k1, x0, x1], {}),
    grad: "none",
  },
  { prim: "is_finite", args: (r) => [withNonFinite(r, shape23)], fn: (x: NDArray) => lax.is_finite(x), grad: "none" },
  { prim: "not", label: "bool", args: (r) => [bools(r, shape23)], fn: (x: NDArray) => lax.not(x), grad: "none" },
  {
    prim: "not",
    label: "int32",
    args: (r) => [ints(r, shape23, -50, 50)],
    fn: (x: NDArray) => lax.not(x),
    grad: "none",
  },
  { prim: "integer_pow", label: "y=3", args: (r) => [normal(r, shape23)], fn: (x: NDArray) => lax.integer_pow(x, 3) },
  {
    prim: "integer_pow",
    label: "y=-2",
    args: (r) => [awayFromZero(r, shape23, 0.5, 2)],
    fn: (x: NDArray) => lax.integer_pow(x, -2),
  },
  { prim: "integer_pow", label: "y=1", args: (r) => [normal(r, shape23)], fn: (x: NDArray) => lax.integer_pow(x, 1) },
  { prim: "integer_pow", label: "y=0", args: (r) => [normal(r, shape23)], fn: (x: NDArray) => lax.integer_pow(x, 0) },
  {
    prim: "integer_pow",
    label: "int32 y=3",
    args: (r) => [ints(r, shape23, -5, 6)],
    fn: (x: NDArray) => lax.integer_pow(x, 3),
    grad: "none",
  },
  {
    prim: "select_n",
    label: "bool predicate",
    args: (r) => [bools(r, shape23), normal(r, shape23), normal(r, shape23)],
    fn: (p: NDArray, a: NDArray, b: NDArray) => lax.select_n(p, a, b),
    diff: [1, 2],
  },
  {
    prim: "select_n",
    label: "int32 index, 3 cases",
    args: (r) => [ints(r, shape23, 0, 3), normal(r, shape23), normal(r, shape23), normal(r, shape23)],
    fn: (i: NDArray, a: NDArray, b: NDArray, c: NDArray) => lax.select_n(i, a, b, c),
    diff: [1, 2, 3],
  },
  {
    prim: "select_n",
    label: "scalar predicate",
    args: (r) => [bools(r, []), normal(r, shape23), normal(r, shape23)],
    fn: (p: NDArray, a: NDArray, b: NDArray) => lax.select_n(p, a, b),
    diff: [1, 2],
  },
  {
    // float64 -> float32 -> float64: rounding to float32 needs a larger step for finite differences.
    prim: "convert_element_type",
    label: "f64->f32->f64",
    args: (r) => [normal(r, shape23)],
    fn: (x: NDArray) => ct(ct(x, "float32"), "float64"),
    eps: 1e-2,
    atol: 1e-4,
    rtol: 1e-4,
  },
  {
    prim: "convert_element_type",
    label: "weak f64 -> f64",
    args: (r) => [normal(r, shape23)],
    fn: (x: NDArray) => lax.mul(ct(ct(x, "float64", true), "float64"), 2),
  },
  {
    prim: "convert_element_type",
    label: "f64->int32 (truncates)",
    args: (r) => [uniform(r, shape23, -5, 5)],
    fn: (x: NDArray) => ct(x, "int32"),
    grad: "none",
  },
  {
    prim: "convert_element_type",
    label: "int32->f64",
    args: (r) => [ints(r, shape23, -5, 6)],
    fn: (x: NDArray) => ct(x, "float64"),
    grad: "none",
  },
  {
    prim: "convert_element_type",
    label: "f64->bool",
    args: (r) => [smallIntFloats(r, shape23)],
    fn: (x: NDArray) => ct(x, "bool"),
    grad: "none",
  },
  {
    prim: "convert_element_type",
    label: "f64->uint32",
    args: (r) => [uniform(r, shape23, 0, 100)],
    fn: (x: NDArray) => ct(x, "uint32"),
    grad: "none",
  },
  {
    // Its derivative is zero by definition, unlike the finite differences: checked in its own test below.
    prim: "stop_gradient",
    args: (r) => [normal(r, shape23)],
    fn: (x: NDArray) => lax.stop_gradient(x),
    grad: "none",
  },
];

const shapeCases: Case[] = [
  {
    // iota has no operands: the function ignores its (batched) argument.
    prim: "iota",
    args: (r) => [normal(r, [2])],
    fn: (_x: NDArray) => lax.iota("int32", [2, 3], 1),
    grad: "none",
  },
  {
    prim: "iota",
    label: "float64 dimension 0",
    args: (r) => [normal(r, [2])],
    fn: (x: NDArray) => lax.mul(lax.iota("float64", [4, 2], 0), lax.broadcast_in_dim(x, [4, 2], [1])),
  },
  {
    prim: "broadcast_in_dim",
    label: "new axes",
    args: (r) => [normal(r, [3])],
    fn: (x: NDArray) => lax.broadcast_in_dim(x, [2, 3, 4], [1]),
  },
  {
    prim: "broadcast_in_dim",
    label: "size-1 axis",
    args: (r) => [normal(r, [1, 3])],
    fn: (x: NDArray) => lax.broadcast_in_dim(x, [2, 4, 3], [0, 2]),
  },
  {
    prim: "broadcast_in_dim",
    label: "scalar",
    args: (r) => [normal(r, [])],
    fn: (x: NDArray) => lax.broadcast_in_dim(x, [2, 3], []),
  },
  { prim: "reshape", args: (r) => [normal(r, [2, 3, 2])], fn: (x: NDArray) => lax.reshape(x, [3, 4]) },
  { prim: "reshape", label: "to scalar", args: (r) => [normal(r, [1, 1])], fn: (x: NDArray) => lax.reshape(x, []) },
  { prim: "transpose", args: (r) => [normal(r, [2, 3, 4])], fn: (x: NDArray) => lax.transpose(x, [2, 0, 1]) },
  { prim: "squeeze", args: (r) => [normal(r, [2, 1, 3, 1])], fn: (x: NDArray) => lax.squeeze(x, [1, 3]) },
  { prim: "rev", args: (r) => [normal(r, [2, 3, 4])], fn: (x: NDArray) => lax.rev(x, [0, 2]) },
  {
    prim: "slice",
    label: "unit strides",
    args: (r) => [normal(r, [5, 6])],
    fn: (x: NDArray) => lax.slice(x, [1, 2], [4, 5]),
  },
  {
    prim: "slice",
    label: "strides",
    args: (r) => [normal(r, [5, 6])],
    fn: (x: NDArray) => lax.slice(x, [0, 1], [5, 6], [2, 3]),
  },
  {
    // Start indices are clamped so the slice fits, as in JAX (some draws are out of bounds).
    prim: "dynamic_slice",
    args: (r) => [normal(r, [5, 4]), ints(r, [], -2, 7), ints(r, [], -2, 6)],
    fn: (x: NDArray, i: NDArray, j: NDArray) => lax.dynamic_slice(x, [i, j], [2, 3]),
    diff: [0],
  },
  {
    prim: "dynamic_update_slice",
    args: (r) => [normal(r, [5, 4]), normal(r, [2, 3]), ints(r, [], -2, 7), ints(r, [], -2, 6)],
    fn: (x: NDArray, u: NDArray, i: NDArray, j: NDArray) => lax.dynamic_update_slice(x, u, [i, j]),
    diff: [0, 1],
  },
  {
    prim: "concatenate",
    args: (r) => [normal(r, [2, 3]), normal(r, [2, 1]), normal(r, [2, 2])],
    fn: (a: NDArray, b: NDArray, c: NDArray) => lax.concatenate([a, b, c], 1),
  },
  {
    prim: "pad",
    label: "low/high/interior",
    args: (r) => [normal(r, [3, 4]), normal(r, [])],
    fn: (x: NDArray, v: NDArray) => lax.pad(x, v, [[1, 2, 0], [0, 1, 2]]),
  },
  {
    prim: "pad",
    label: "negative (cropping)",
    args: (r) => [normal(r, [3, 4]), normal(r, [])],
    fn: (x: NDArray, v: NDArray) => lax.pad(x, v, [[-1, 1, 1], [2, -2, 0]]),
  },
  {
    prim: "split",
    args: (r) => [normal(r, [5, 3])],
    fn: (x: NDArray) => lax.split(x, [2, 3], 0),
  },
  {
    prim: "split",
    label: "axis 1, three pieces",
    args: (r) => [normal(r, [2, 6])],
    fn: (x: NDArray) => lax.split(x, [1, 2, 3], 1),
  },
  {
    // Index arrays are clamped into bounds, as JAX's gather in "clip" mode.
    prim: "gather",
    label: "one axis",
    args: (r) => [normal(r, [5, 4]), ints(r, [3], -1, 6)],
    fn: (x: NDArray, i: NDArray) => lax.gather(x, [i], [0]),
    diff: [0],
  },
  {
    prim: "gather",
    label: "two axes, 2-d indices",
    args: (r) => [normal(r, [5, 2, 4]), ints(r, [2, 3], 0, 5), ints(r, [2, 3], 0, 4)],
    fn: (x: NDArray, i: NDArray, j: NDArray) => lax.gather(x, [i, j], [0, 2]),
    diff: [0],
  },
  {
    // Duplicate indices accumulate; out-of-bounds ones are dropped.
    prim: "scatter",
    label: "add",
    args: (r) => [normal(r, [5, 3]), normal(r, [4, 3]), ints(r, [4], -1, 6)],
    fn: (x: NDArray, u: NDArray, i: NDArray) => lax.scatter(x, [i], u, [0], "add"),
    diff: [0, 1],
  },
  {
    // Unique indices: with duplicates JAX leaves the winner unspecified.
    prim: "scatter",
    label: "set",
    args: (r) => [normal(r, [5, 3]), normal(r, [2, 3]), uniqueInts(r, 2, 5)],
    fn: (x: NDArray, u: NDArray, i: NDArray) => lax.scatter(x, [i], u, [0], "set"),
    diff: [0, 1],
  },
  ...(["mul", "min", "max"] as const).map((mode): Case => ({
    // jaxd does not differentiate scatter mul/min/max yet (JAX does).
    prim: "scatter",
    label: mode,
    args: (r) => [normal(r, [5, 3]), normal(r, [4, 3]), ints(r, [4], 0, 5)],
    fn: (x: NDArray, u: NDArray, i: NDArray) => lax.scatter(x, [i], u, [0], mode),
    grad: "none",
  })),
];

function uniqueInts(r: Rng, k: number, n: number): NDArray {
  const pool = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(0, i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return arr(pool.slice(0, k), [k], "int32");
}

const reduceCases: Case[] = [
  { prim: "reduce_sum", args: (r) => [normal(r, [2, 3, 4])], fn: (x: NDArray) => lax.reduce_sum(x, [0, 2]) },
  { prim: "reduce_sum", label: "all axes", args: (r) => [normal(r, [2, 3])], fn: (x) => lax.reduce_sum(x, [0, 1]) },
  {
    prim: "reduce_sum",
    label: "int32",
    args: (r) => [ints(r, [2, 3], -5, 5)],
    fn: (x: NDArray) => lax.reduce_sum(x, [1]),
    grad: "none",
  },
  { prim: "reduce_max", args: (r) => [normal(r, [2, 3, 4])], fn: (x: NDArray) => lax.reduce_max(x, [1]) },
  { prim: "reduce_min", args: (r) => [normal(r, [2, 3, 4])], fn: (x: NDArray) => lax.reduce_min(x, [0, 2]) },
  {
    prim: "reduce_max",
    label: "int32",
    args: (r) => [ints(r, [2, 3], -5, 5)],
    fn: (x: NDArray) => lax.reduce_max(x, [1]),
    grad: "none",
  },
  {
    prim: "reduce_prod",
    args: (r) => [uniform(r, [2, 3, 4], 0.5, 1.5)],
    fn: (x: NDArray) => lax.reduce_prod(x, [1, 2]),
  },
  {
    // A zero factor: the jvp must stay exact (products of the others), not divide by x.
    prim: "reduce_prod",
    label: "with a zero",
    args: (r) => {
      const v = Array.from(uniform(r, [3, 4], 0.5, 1.5).dataSync() as Float64Array);
      v[r.int(0, 12)] = 0;
      return [arr(v, [3, 4])];
    },
    fn: (x: NDArray) => lax.reduce_prod(x, [1]),
  },
  {
    prim: "argmax",
    args: (r) => [smallIntFloats(r, [3, 4])],
    fn: (x: NDArray) => lax.argmax(x, 1),
    grad: "none",
  },
  {
    prim: "argmin",
    args: (r) => [smallIntFloats(r, [3, 4])],
    fn: (x: NDArray) => lax.argmin(x, 0),
    grad: "none",
  },
  ...(["cumsum", "cumprod", "cummax", "cummin"] as const).flatMap((p): Case[] => [
    {
      prim: p,
      args: (r) => [p === "cumprod" ? uniform(r, [3, 5], 0.5, 1.5) : normal(r, [3, 5])],
      fn: (x: NDArray) => lx[p](x, 1, false),
    },
    {
      prim: p,
      label: "reverse, axis 0",
      args: (r) => [p === "cumprod" ? uniform(r, [5, 2], 0.5, 1.5) : normal(r, [5, 2])],
      fn: (x: NDArray) => lx[p](x, 0, true),
    },
    {
      prim: p,
      label: "int32",
      args: (r) => [ints(r, [3, 5], -3, 4)],
      fn: (x: NDArray) => lx[p](x, 1, false),
      grad: "none",
    },
  ]),
  {
    prim: "dot_general",
    label: "matmul",
    args: (r) => [normal(r, [2, 3]), normal(r, [3, 4])],
    fn: (x: NDArray, y: NDArray) => lax.dot_general(x, y, [[[1], [0]], [[], []]]),
  },
  {
    prim: "dot_general",
    label: "batched",
    args: (r) => [normal(r, [2, 3, 4]), normal(r, [2, 4, 5])],
    fn: (x: NDArray, y: NDArray) => lax.dot_general(x, y, [[[2], [1]], [[0], [0]]]),
  },
  {
    prim: "dot_general",
    label: "leading contraction, batch not first",
    args: (r) => [normal(r, [3, 2, 4]), normal(r, [4, 3, 2])],
    fn: (x: NDArray, y: NDArray) => lax.dot_general(x, y, [[[0], [1]], [[2], [0]]]),
  },
  {
    prim: "dot_general",
    label: "vector dot",
    args: (r) => [normal(r, [4]), normal(r, [4])],
    fn: (x: NDArray, y: NDArray) => lax.dot_general(x, y, [[[0], [0]], [[], []]]),
  },
  {
    prim: "dot_general",
    label: "int32",
    args: (r) => [ints(r, [2, 3], -3, 4), ints(r, [3, 2], -3, 4)],
    fn: (x: NDArray, y: NDArray) => lax.dot_general(x, y, [[[1], [0]], [[], []]]),
    grad: "none",
  },
  {
    prim: "solve",
    args: (r) => [wellConditioned(r, [], 3), normal(r, [3, 2])],
    fn: (a: NDArray, b: NDArray) => lax.linalg_solve(a, b),
  },
  {
    prim: "solve",
    label: "batched",
    args: (r) => [wellConditioned(r, [2], 3), normal(r, [2, 3, 1])],
    fn: (a: NDArray, b: NDArray) => lax.linalg_solve(a, b),
  },
  {
    prim: "triangular_solve",
    label: "left lower",
    args: (r) => [wellConditioned(r, [], 3), normal(r, [3, 2])],
    fn: (a: NDArray, b: NDArray) => lax.linalg_triangular_solve(a, b, { leftSide: true, lower: true }),
  },
  {
    prim: "triangular_solve",
    label: "right upper transposed unit-diagonal",
    args: (r) => [wellConditioned(r, [], 3), normal(r, [2, 3])],
    fn: (a: NDArray, b: NDArray) => lax.linalg_triangular_solve(a, b, { transposeA: true, unitDiagonal: true }),
  },
  {
    prim: "cholesky",
    args: (r) => [wellConditioned(r, [], 3)],
    fn: (a: NDArray) => lax.linalg_cholesky(a),
  },
  {
    prim: "lu",
    args: (r) => [wellConditioned(r, [], 3)],
    fn: (a: NDArray) => lax.linalg_lu(a)[0],
  },
  {
    prim: "lu",
    label: "wide",
    args: (r) => [lax.concatenate([wellConditioned(r, [], 2), normal(r, [2, 1])], 1)],
    fn: (a: NDArray) => lax.linalg_lu(a)[0],
  },
  {
    prim: "qr",
    label: "tall complete",
    args: (r) => [normal(r, [3, 2])],
    fn: (a: NDArray) => lax.linalg_qr(a),
  },
  {
    prim: "eigh",
    args: (r) => [lax.add(normal(r, [3, 3]), arr([0, 0, 0, 0, 4, 0, 0, 0, 8], [3, 3]))],
    fn: (a: NDArray) => lax.linalg_eigh(a),
  },
  {
    prim: "qr",
    label: "tall reduced",
    args: (r) => [normal(r, [3, 2])],
    fn: (a: NDArray) => lax.linalg_qr(a, { fullMatrices: false }),
  },
  {
    prim: "qr",
    label: "wide",
    args: (r) => [lax.concatenate([wellConditioned(r, [], 2), normal(r, [2, 1])], 1)],
    fn: (a: NDArray) => lax.linalg_qr(a, { fullMatrices: false }),
  },
  {
    prim: "svd",
    label: "tall",
    args: (r) => [lax.add(normal(r, [3, 2]), arr([3, 0, 0, 1, 0, 0], [3, 2]))],
    fn: (a: NDArray) => lax.linalg_svd(a, { fullMatrices: false }),
  },
  {
    prim: "svd",
    label: "wide, values only",
    args: (r) => [lax.add(normal(r, [2, 3]), arr([3, 0, 0, 0, 1, 0], [2, 3]))],
    fn: (a: NDArray) => lax.linalg_svd(a, { computeUv: false }),
  },
];

// Higher-order primitives. Bodies close over an operand (`w`) so the hoisted-constant paths are exercised.
const jitted = jax.jit((x: NDArray, y: NDArray) => lax.mul(lax.sin(x), y));
const softplus = jax.custom_jvp((x: NDArray) => lax.log1p(lax.exp(x)));
softplus.defjvp(([x]: NDArray[], [t]: NDArray[]) => [softplus(x), lax.mul(t, lax.logistic(x))]);
const twoOut = jax.custom_jvp((x: NDArray, y: NDArray) => [lax.mul(x, y), lax.sin(x)]);
twoOut.defjvp(([x, y]: NDArray[], [tx, ty]: NDArray[]) => [
  twoOut(x, y),
  [lax.add(lax.mul(tx, y), lax.mul(x, ty)), lax.mul(tx, lax.cos(x))],
]);

const controlCases: Case[] = [
  { prim: "pjit", args: (r) => [normal(r, shape23), normal(r, shape23)], fn: (x, y) => jitted(x, y) },
  {
    prim: "pjit",
    label: "closes over an operand",
    args: (r) => [normal(r, [3]), normal(r, [3])],
    fn: (x: NDArray, w: NDArray) => jax.jit((v: NDArray) => lax.mul(lax.exp(v), w))(x),
  },
  { prim: "custom_jvp_call", args: (r) => [normal(r, shape23)], fn: (x: NDArray) => softplus(x) },
  {
    prim: "custom_jvp_call",
    label: "two inputs, two outputs",
    args: (r) => [normal(r, [3]), normal(r, [3])],
    fn: (x: NDArray, y: NDArray) => twoOut(x, y),
  },
  {
    prim: "scan",
    args: (r) => [normal(r, [2]), normal(r, [4, 2]), normal(r, [2])],
    fn: (c0: NDArray, xs: NDArray, w: NDArray) =>
      lax.scan(
        (c: NDArray, x: NDArray) => [lax.add(lax.mul(c, lax.sin(x)), w), lax.mul(lax.mul(c, x), w)],
        c0,
        xs,
      ),
  },
  {
    prim: "scan",
    label: "reverse, two carries",
    args: (r) => [normal(r, []), normal(r, [3]), normal(r, [5, 3])],
    fn: (a0: NDArray, b0: NDArray, xs: NDArray) =>
      lax.scan(
        (
          [a, b]: NDArray[],
          x: NDArray,
        ) => [[lax.add(a, lax.reduce_sum(lax.mul(b, x), [0])), lax.cos(b)], lax.mul(a, x)],
        [a0, b0],
        xs,
        { reverse: true },
      ),
  },
  {
    // No transpose rule: reverse mode is not defined for while loops (as in JAX).
    prim: "while",
    args: (r) => [normal(r, [2]), uniform(r, [2], 0.5, 1)],
    fn: (x: NDArray, w: NDArray) =>
      lax.while_loop(
        ([i]: NDArray[]) => lax.lt(i, 3),
        ([i, y]: NDArray[]) => [lax.add(i, 1), lax.add(lax.mul(y, w), lax.sin(y))],
        [lax.full([], 0, "int32"), x],
      ),
    grad: "fwd",
  },
  {
    // The trip count depends on an operand: batching it batches the predicate.
    prim: "while",
    label: "operand-dependent trip count",
    args: (r) => [normal(r, [2]), ints(r, [], 0, 4)],
    fn: (x: NDArray, n: NDArray) =>
      lax.while_loop(
        ([i]: NDArray[]) => lax.lt(i, n),
        ([i, y]: NDArray[]) => [lax.add(i, 1), lax.sin(lax.mul(y, 1.5))],
        [lax.full([], 0, "int32"), x],
      ),
    diff: [0],
    grad: "fwd",
  },
  {
    prim: "cond",
    args: (r) => [bools(r, []), normal(r, shape23), normal(r, shape23)],
    fn: (p: NDArray, x: NDArray, w: NDArray) =>
      lax.cond(p, (v: NDArray) => lax.mul(lax.sin(v), w), (v: NDArray) => lax.cos(v), x),
    diff: [1, 2],
  },
  {
    // Out-of-range indices are clamped into [0, 2].
    prim: "cond",
    label: "switch, 3 branches",
    args: (r) => [ints(r, [], -1, 4), normal(r, [3]), normal(r, [3])],
    fn: (i: NDArray, x: NDArray, y: NDArray) =>
      lax.switch(
        i,
        [
          (a: NDArray, b: NDArray) => lax.mul(a, b),
          (a: NDArray, b: NDArray) => lax.sub(lax.exp(a), b),
          (a: NDArray, _b: NDArray) => lax.integer_pow(a, 3),
        ],
        x,
        y,
      ),
    diff: [1, 2],
  },
];

const cases: Case[] = [
  ...unaryCases,
  ...unaryIntCases,
  ...binaryCases,
  ...intBinaryCases,
  ...compareCases,
  ...elementwiseMiscCases,
  ...shapeCases,
  ...reduceCases,
  ...controlCases,
];

const caseName = (c: Case) => (c.label ? `${c.prim} (${c.label})` : c.prim);

// ---------------------------------------------------------------- helpers

/** Stacks same-shaped arrays along a new axis `axis`, on the host. */
function stackAt(xs: NDArray[], axis: number): NDArray {
  const shape = xs[0].shape;
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const post = shape.slice(axis).reduce((a, b) => a * b, 1);
  const B = xs.length;
  const data = xs.map((x) => x.dataSync());
  const out = new Array<number>(pre * B * post);
  for (let p = 0; p < pre; p++) {
    for (let b = 0; b < B; b++) {
      for (let q = 0; q < post; q++) out[(p * B + b) * post + q] = Number(data[b][p * post + q]);
    }
  }
  return arr(out, [...shape.slice(0, axis), B, ...shape.slice(axis)], xs[0].dtype);
}

const BATCH = 3;

/**
 * vmap of `c.fn` with operand i batched at `axes[i]` (null: unbatched) equals
 * the loop over batch elements, stacked at output axis 0.
 */
function checkVmap(c: Case, axes: (a: NDArray, i: number) => number | null, seed: number) {
  const r = new Rng(seed);
  const shared = c.args(r);
  const inAxes = shared.map((a, i) => ((c.batchable ?? shared.map((_, k) => k)).includes(i) ? axes(a, i) : null));
  if (inAxes.every((a) => a === null)) return;
  const perBatch = Array.from({ length: BATCH }, () => c.args(r));
  const batched = shared.map((a, i) => (inAxes[i] === null ? a : stackAt(perBatch.map((s) => s[i]), inAxes[i]!)));
  const expectedEach = perBatch.map((s) => c.fn(...s.map((a, i) => (inAxes[i] === null ? shared[i] : a))));
  const expected = jax.tree_util.tree_map(
    (...ls: NDArray[]) => stackAt(ls, 0),
    expectedEach[0],
    ...expectedEach.slice(1),
  );
  const got = jax.vmap(c.fn, { inAxes })(...batched);
  assertClose(got, expected, { atol: 1e-12, rtol: 1e-10 }, `vmap inAxes=${JSON.stringify(inAxes)}`);
}

/** All primitives used in a jaxpr, sub-jaxprs included. */
function primitivesOf(j: Jaxpr, acc = new Set<string>()): Set<string> {
  for (const e of j.eqns) {
    acc.add(e.primitive);
    for (const v of Object.values(e.params as Record<string, unknown>)) {
      const subs = Array.isArray(v) ? v : [v];
      for (const s of subs) if (s && typeof s === "object" && "jaxpr" in s && "consts" in s) primitivesOf(s.jaxpr, acc);
    }
  }
  return acc;
}

function typecheckAll(j: Jaxpr): void {
  typecheckJaxpr(j);
  for (const e of j.eqns) {
    for (const v of Object.values(e.params as Record<string, unknown>)) {
      const subs = Array.isArray(v) ? v : [v];
      for (const s of subs) if (s && typeof s === "object" && "jaxpr" in s && "consts" in s) typecheckAll(s.jaxpr);
    }
  }
}

// ---------------------------------------------------------------- the tests

Deno.test("rules: every primitive of ruleTable has a test case", () => {
  const covered = new Set(cases.map((c) => c.prim));
  const missing = Object.keys(ruleTable).filter((p) => !covered.has(p as Primitive));
  assert.deepEqual(missing, [], `primitives without a case in tests/rules.test.ts: ${missing.join(", ")}`);
});

Deno.test("rules: every differentiable primitive has a gradient-checked case", () => {
  const intOnly = new Set<string>([
    "and",
    "or",
    "xor",
    "not",
    "shift_left",
    "shift_right_logical",
    "shift_right_arithmetic",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "is_finite",
    "argmax",
    "argmin",
    "stop_gradient",
    "threefry2x32",
  ]);
  const checked = new Set(cases.filter((c) => c.grad !== "none").map((c) => c.prim));
  const missing = Object.keys(ruleTable).filter((p) => !intOnly.has(p) && !checked.has(p as Primitive));
  assert.deepEqual(missing, []);
});

const seen = new Map<string, number>();
cases.forEach((c, k) => {
  let name = caseName(c);
  const n = (seen.get(name) ?? 0) + 1;
  seen.set(name, n);
  if (n > 1) name = `${name} #${n}`;
  const seed = 1000 + k;

  if (c.grad !== "none") {
    Deno.test({
      name: `${name}: jvp${c.grad === "fwd" ? "" : " and vjp"} vs finite differences`,
      ignore: !!c.ignore?.grad,
      fn: () => {
        const args = c.args(new Rng(seed));
        const diff = c.diff ?? args.map((_, i) => i).filter((i) => args[i].dtype === "float64");
        const f = (...d: NDArray[]) => {
          const full = [...args];
          diff.forEach((i, k) => (full[i] = d[k]));
          return c.fn(...full);
        };
        check_grads(f, diff.map((i) => args[i]), c.order ?? 2, {
          modes: c.grad === "fwd" ? ["fwd"] : ["fwd", "rev"],
          eps: c.eps,
          atol: c.atol,
          rtol: c.rtol,
          seed,
        }, name);
      },
    });
  }

  Deno.test({
    name: `${name}: vmap at axis 0 == loop`,
    ignore: !!c.ignore?.vmap,
    fn: () => checkVmap(c, () => 0, seed),
  });
  Deno.test({
    name: `${name}: vmap at the last axis == loop`,
    ignore: !!c.ignore?.vmap,
    fn: () => checkVmap(c, (a) => a.ndim, seed + 1),
  });
  const nArgs = c.args(new Rng(seed)).length;
  if (nArgs > 1) {
    Deno.test({
      name: `${name}: vmap with batched and unbatched operands == loop`,
      ignore: !!c.ignore?.vmap,
      fn: () => {
        checkVmap(c, (_a, i) => (i === 0 ? 0 : null), seed + 2);
        checkVmap(c, (a, i) => (i === 0 ? null : a.ndim), seed + 3);
        checkVmap(c, (a, i) => (i % 2 === 1 ? null : Math.min(1, a.ndim)), seed + 4);
      },
    });
  }

  Deno.test({
    name: `${name}: jit == eager, and its jaxpr typechecks`,
    ignore: !!c.ignore?.jit,
    fn: () => {
      const args = c.args(new Rng(seed));
      assertClose(jax.jit(c.fn)(...args), c.fn(...args), { atol: 0, rtol: 1e-14 });
      const cj = jax.make_jaxpr(c.fn)(...args);
      typecheckAll(cj.jaxpr);
      assert.ok(primitivesOf(cj.jaxpr).has(c.prim), `${c.prim} not in\n${cj}`);
    },
  });
});

Deno.test("stop_gradient: value passes through, derivatives are zero", () => {
  const x = normal(new Rng(5), shape23);
  const f = (v: NDArray) => lax.reduce_sum(lax.mul(lax.stop_gradient(lax.mul(v, v)), v), [0, 1]);
  const g = jax.grad(f)(x) as NDArray;
  assertClose(g, lax.stop_gradient(lax.mul(x, x)));
  const [, t] = jax.jvp((v: NDArray) => lax.stop_gradient(lax.sin(v)), [x], [x]);
  assertClose(t, lax.full(shape23, 0, "float64"));
});

Deno.test("transpose rules exist exactly for the linear primitives", () => {
  const linear = Object.entries(ruleTable).filter(([, r]) => r.transpose !== null).map(([p]) => p).sort();
  assert.deepEqual(linear, [
    "add",
    "add_any",
    "broadcast_in_dim",
    "concatenate",
    "cond",
    "convert_element_type",
    "cumsum",
    "div",
    "dot_general",
    "dynamic_slice",
    "dynamic_update_slice",
    "gather",
    "mul",
    "neg",
    "pad",
    "pjit",
    "reduce_sum",
    "reshape",
    "rev",
    "scan",
    "scatter",
    "select_n",
    "slice",
    "solve",
    "split",
    "squeeze",
    "sub",
    "transpose",
    "triangular_solve",
  ]);
});

Deno.test("while: reverse mode raises a clear error", () => {
  const f = (x: NDArray) =>
    lax.reduce_sum(
      lax.while_loop(([i]: NDArray[]) => lax.lt(i, 2), ([i, y]: NDArray[]) => [lax.add(i, 1), lax.sin(y)], [
        lax.full([], 0, "int32"),
        x,
      ])[1] as NDArray,
      [0],
    );
  assert.throws(() => jax.grad(f)(normal(new Rng(1), [2])), /while_loop/);
});

// ---------------------------------------------------------------- values against real JAX

// Expected values printed by JAX 0.10.2 (jax_enable_x64) for the same lax calls, covering the corners where
// semantics are easy to get wrong: rounding, signs of remainders, shifts past the width, NaN propagation,
// argmax ties, clamped indices, special functions, float->int conversion.
const f64 = (v: number[]) => arr(v, [v.length]);
const i32 = (v: number[]) => arr(v, [v.length], "int32");
const u32 = (v: number[]) => arr(v, [v.length], "uint32");
const JAX_VALUES: [string, () => NDArray, number[]][] = [
  ["sign", () => lax.sign(f64([-2, -0, 0, 3, NaN])), [-1.0, -0.0, 0.0, 1.0, NaN]],
  ["rem", () => lax.rem(f64([5.5, -5.5, 5.5, -5.5]), f64([2, 2, -2, -2])), [1.5, -1.5, 1.5, -1.5]],
  ["rem_i", () => lax.rem(i32([7, -7, 7, -7]), i32([3, 3, -3, -3])), [1, -1, 1, -1]],
  ["div_i", () => lax.div(i32([7, -7, 7, -7]), i32([2, 2, -2, -2])), [3, -3, -3, 3]],
  ["shl", () => lax.shift_left(i32([1, -3, 5, 7, 1]), i32([3, 2, 31, 32, 40])), [8, -12, -2147483648, 0, 0]],
  ["shrl", () => lax.shift_right_logical(i32([-16, 16, -1, 5]), i32([2, 2, 32, 1])), [1073741820, 4, 0, 2]],
  ["shra", () => lax.shift_right_arithmetic(i32([-16, 16, -1, 5]), i32([2, 2, 33, 1])), [-4, 4, -1, 2]],
  ["shrl_u", () => lax.shift_right_logical(u32([4000000000, 16]), u32([3, 40])), [500000000, 0]],
  ["pow", () => lax.pow(f64([0, 0, 2, -8]), f64([0, -1, 0.5, 1 / 3])), [1.0, Infinity, 1.4142135623730951, NaN]],
  ["max_nan", () => lax.max(f64([1, NaN, 3]), f64([NaN, 2, 1])), [NaN, NaN, 3.0]],
  ["argmax_ties", () => lax.argmax(arr([1, 3, 3, 2, 2, 1], [2, 3]), 1), [1, 0]],
  ["argmin_ties", () => lax.argmin(arr([1, 1, 3, 2, 0, 0], [2, 3]), 1), [0, 1]],
  ["argmax_nan", () => lax.argmax(arr([1, NaN, 3], [1, 3]), 1), [1]],
  ["cummax_rev", () => lax.cummax(f64([1, 3, 2, 5, 4]), 0, true), [5.0, 5.0, 5.0, 5.0, 4.0]],
  ["cumprod", () => lax.cumprod(f64([1, 3, 2, 5, 4])), [1.0, 3.0, 6.0, 30.0, 120.0]],
  ["igamma", () => lax.igamma(f64([0.5, 1, 2.5, 3]), f64([0.3, 1, 2, 5])), [
    0.561421973919,
    0.6321205588285577,
    0.45058404864721957,
    0.8753479805169188,
  ]],
  ["igammac", () => lax.igammac(f64([0.5, 1, 2.5, 3]), f64([0.3, 1, 2, 5])), [
    0.43857802608100005,
    0.3678794411714423,
    0.5494159513527804,
    0.12465201948308124,
  ]],
  ["polygamma", () => lax.polygamma(f64([0, 1, 2, 3]), f64([0.5, 1.5, 2, 3.3])), [
    -1.9635100260214255,
    0.9348022005446794,
    -0.40411380631918803,
    0.08584966733688498,
  ]],
  ["lgamma", () => lax.lgamma(f64([0.5, -0.5, -1.5, 3, 10])), [
    0.5723649429247004,
    1.2655121234846451,
    0.8600470153764805,
    0.6931471805599441,
    12.801827480081473,
  ]],
  ["digamma", () => lax.digamma(f64([0.5, -0.5, 1, 3, 10])), [
    -1.9635100260214255,
    0.03648997397857731,
    -0.5772156649015334,
    0.9227843350984669,
    2.2517525890667214,
  ]],
  ["erf_inv", () => lax.erf_inv(f64([-0.9, -0.1, 0, 0.5, 0.999])), [
    -1.163087153676674,
    -0.08885599049425769,
    0.0,
    0.47693627620446977,
    2.3267537655135273,
  ]],
  ["atan2", () => lax.atan2(f64([1, -1, 0, -0]), f64([-1, -1, -1, -1])), [
    2.356194490192345,
    -2.356194490192345,
    3.141592653589793,
    -3.141592653589793,
  ]],
  ["convert_f_i", () => lax.convert_element_type(f64([-2.7, -0.5, 0.5, 2.7, 1e10]), "int32"), [
    -2,
    0,
    0,
    2,
    2147483647,
  ]],
  ["convert_f_u", () => lax.convert_element_type(f64([2.7, 0.5, 4e9]), "uint32"), [2, 0, 4000000000]],
  ["convert_f_b", () => lax.convert_element_type(f64([0, -0, 0.1, NaN]), "bool"), [0, 0, 1, 1]],
  ["ds_clamp", () => lax.dynamic_slice(f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), [8], [4]), [6.0, 7.0, 8.0, 9.0]],
  ["dus_clamp", () => lax.dynamic_update_slice(f64([0, 0, 0, 0, 0]), f64([1, 2]), [9]), [0.0, 0.0, 0.0, 1.0, 2.0]],
  ["pad", () => lax.pad(f64([1, 2, 3]), 0, [[-1, 2, 1]]), [0.0, 2.0, 0.0, 3.0, 0.0, 0.0]],
  ["cbrt", () => lax.cbrt(f64([-8, 27, -0.001])), [-2.0, 3.0000000000000004, -0.1]],
  ["integer_pow", () => lax.integer_pow(i32([-3, 2]), 3), [-27, 8]],
  ["is_finite", () => lax.is_finite(f64([Infinity, -Infinity, NaN, 1])), [0, 0, 0, 1]],
  ["not_i", () => lax.not(i32([0, 5, -1])), [-1, -6, 0]],
  ["logistic", () => lax.logistic(f64([-800, 0, 40])), [0.0, 0.5, 1.0]],
  ["expm1", () => lax.expm1(f64([1e-10, -1e-10])), [1.00000000005e-10, -9.999999999500001e-11]],
  ["log1p", () => lax.log1p(f64([1e-10, -0.5])), [9.999999999500001e-11, -0.6931471805599453]],
];

for (const [name, run, expected] of JAX_VALUES) {
  Deno.test(`values match JAX: ${name}`, () => {
    const got = Array.from(run().dataSync() as ArrayLike<number>, Number);
    assertClose(f64(got), f64(expected), { atol: 1e-300, rtol: 1e-13 }, name);
  });
}

Deno.test({
  // JAX's lax.round defaults to rounding_method=AWAY_FROM_ZERO (jnp.round passes TO_NEAREST_EVEN).
  name: "values match JAX: lax.round rounds half away from zero",
  fn: () => {
    const got = lax.round(f64([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]));
    assertClose(got, f64([-3, -2, -1, 1, 2, 3]));
  },
});

Deno.test({
  // JAX's lax.dynamic_slice wrapper maps a negative start i to i + n before clamping.
  name: "values match JAX: lax.dynamic_slice wraps negative start indices",
  fn: () => {
    const got = lax.dynamic_slice(f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), [-3], [4]);
    assertClose(got, f64([6, 7, 8, 9]));
  },
});
