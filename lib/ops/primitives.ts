/**
 * The primitive set, JAX's lax level, and the typed parameters of each.
 * `jnp` and `jax` are composites over these; every primitive has exactly one
 * rule record in lib/ops/rules.ts, typed so a missing rule fails `deno check`.
 *
 * @module
 */

import type { DType } from "../dtype.ts";
import type { UnaryOp } from "../kernel/ir.ts";
import type { ClosedJaxpr } from "../trace/jaxpr.ts";

/** Elementwise unary primitives (same names as the kernel IR ops). */
export type UnaryPrimitive = Exclude<UnaryOp, "is_finite" | "not" | "round" | `${AccuratePrimitive}_exact`>;

/**
 * Unary primitives with JAX's `accuracy` parameter. `"highest"` asks for
 * XLA:CPU's own float32 algorithm, bit for bit, on every backend (what
 * jax.random's samplers need to give JAX's streams); the default is each
 * backend's fastest accurate one.
 */
export const ACCURATE_PRIMITIVES = ["log", "log1p", "erf", "erf_inv"] as const;
/** One of ACCURATE_PRIMITIVES. */
export type AccuratePrimitive = (typeof ACCURATE_PRIMITIVES)[number];

/** Parameters of the AccuratePrimitives. */
export interface AccuracyParams {
  accuracy?: "highest";
}

/** Parameter-less elementwise binary primitives. */
export type BinaryPrimitive =
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
  | "igamma"
  | "igammac"
  | "polygamma"
  | "shift_left"
  | "shift_right_logical"
  | "shift_right_arithmetic";

/** Comparisons (bool results). */
export type ComparePrimitive = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

type NoParams = Record<string, never>;

/** `[lhs_contracting, rhs_contracting], [lhs_batch, rhs_batch]` as in `lax.dot_general`. */
export type DotDimensionNumbers = [[number[], number[]], [number[], number[]]];

/** Parameters of every primitive, keyed by primitive name. */
export interface Params
  extends
    Record<Exclude<UnaryPrimitive, AccuratePrimitive>, NoParams>,
    Record<AccuratePrimitive, AccuracyParams>,
    Record<BinaryPrimitive, NoParams>,
    Record<ComparePrimitive, NoParams> {
  is_finite: NoParams;
  /** 0 = half away from zero (lax's default), 1 = half to even (jnp.round), as JAX's RoundingMethod. */
  round: { rounding_method: 0 | 1 };
  not: NoParams;
  add_any: NoParams;
  integer_pow: { y: number };
  select_n: NoParams;
  /** Both words of Threefry-2x32 of counters `(x0, x1)` under keys `(k0, k1)`: operands `[k0, k1, x0, x1]`. */
  threefry2x32: NoParams;
  convert_element_type: { new_dtype: DType; weak_type: boolean };
  stop_gradient: NoParams;
  iota: { dtype: DType; shape: number[]; dimension: number };
  broadcast_in_dim: { shape: number[]; broadcast_dimensions: number[] };
  reshape: { new_sizes: number[] };
  transpose: { permutation: number[] };
  squeeze: { dimensions: number[] };
  rev: { dimensions: number[] };
  slice: { start_indices: number[]; limit_indices: number[]; strides: number[] | null };
  dynamic_slice: { slice_sizes: number[] };
  dynamic_update_slice: NoParams;
  concatenate: { dimension: number };
  pad: { padding_config: [number, number, number][] };
  /** `operand[..., idx_0, ..., idx_k, ...]` along `axes` with broadcast integer index arrays. */
  gather: { axes: number[] };
  /** Writes `updates` into `operand` at index arrays along `axes`, combining by `mode`. */
  scatter: { axes: number[]; mode: ScatterMode };
  reduce_sum: { axes: number[] };
  reduce_max: { axes: number[] };
  reduce_min: { axes: number[] };
  reduce_prod: { axes: number[] };
  argmax: { axes: number[]; index_dtype: DType };
  argmin: { axes: number[]; index_dtype: DType };
  /** Sorts operands of one shape along `dimension` by the first `num_keys` (lexicographically); see ops/sort.ts. */
  sort: { dimension: number; is_stable: boolean; num_keys: number };
  cumsum: { axis: number; reverse: boolean };
  cumprod: { axis: number; reverse: boolean };
  cummax: { axis: number; reverse: boolean };
  cummin: { axis: number; reverse: boolean };
  dot_general: { dimension_numbers: DotDimensionNumbers; preferred_element_type: DType | null };
  split: { sizes: number[]; axis: number };
  solve: NoParams;
  /** `op(a) x = b` (left_side) or `x op(a) = b` with the lower/upper triangle of `a`, as `lax.linalg.triangular_solve`. */
  triangular_solve: {
    left_side: boolean;
    lower: boolean;
    transpose_a: boolean;
    conjugate_a: boolean;
    unit_diagonal: boolean;
  };
  cholesky: NoParams;
  lu: NoParams;
  eigh: { lower: boolean; sort_eigenvalues: boolean };
  qr: { full_matrices: boolean };
  svd: { full_matrices: boolean; compute_uv: boolean };
  pjit: { jaxpr: ClosedJaxpr; name: string };
  custom_jvp_call: {
    call_jaxpr: ClosedJaxpr;
    jvp: (primals: unknown[], tangents: unknown[]) => unknown;
    num_consts: number;
  };
  scan: {
    jaxpr: ClosedJaxpr;
    length: number;
    reverse: boolean;
    num_consts: number;
    num_carry: number;
  };
  while: { cond_jaxpr: ClosedJaxpr; body_jaxpr: ClosedJaxpr; cond_nconsts: number; body_nconsts: number };
  cond: { branches: ClosedJaxpr[] };
}

/** How scatter combines an update with the value already there. */
export type ScatterMode = "set" | "add" | "mul" | "min" | "max";

/** A primitive's name. */
export type Primitive = keyof Params;
