/**
 * `jax.random`: counter-based pseudo-random numbers whose streams are
 * bit-identical to JAX's (jax 0.10.2 on XLA:CPU, `jax_enable_x64` off, the
 * default `jax_threefry_partitionable = True`).
 *
 * Everything is built from lax primitives, so every sampler works under
 * `jit`, `vmap` (e.g. over `split` keys) and inside loops; nothing reads
 * values on the host (sizes such as `permutation(key, n)`'s `n` are static JS
 * numbers, as in JAX). Sorting (`permutation`, `choice`, top-k) is a bitonic
 * network with the position as tie-break, which is XLA's stable sort.
 *
 * Keys. A key is a uint32 array whose last axis holds the two threefry words,
 * for both `key(seed)` (JAX's new-style typed key) and `PRNGKey(seed)` (the
 * legacy raw key). Keys made by `key`, `split` and `fold_in` of such a key, or
 * `wrap_key_data`, are remembered as typed (`is_typed_key`), but the mark is
 * informational: a typed key's shape includes the trailing 2 (JAX's typed key
 * hides it), because jaxd's pytrees have no custom nodes, and a key must stay a
 * plain array to pass through `jit` and `vmap`.
 *
 * Floating point. Streams are bit-exact because the float32 arithmetic mirrors
 * what XLA:CPU compiles: the Cephes `log` it inlines, its `log1p`, `erf` and
 * `erf_inv` polynomials, `cumsum`'s tiled summation order, flush-to-zero of
 * subnormal results, and LLVM's contraction of a multiply feeding an add into
 * one fused multiply-add (`fma32`, emulated exactly through float64 on the cpu
 * backend). Samples are float32, also under x64 (float parameters are converted
 * to float32); asking for another float dtype raises DTypeError.
 *
 * Not bit-exact, by design or necessity (a last-bit difference, rare):
 * - `gamma` with `a < 1` uses `pow`; XLA calls glibc's `powf` (within 1 ulp,
 *   not correctly rounded), jaxd rounds a float64 `pow`: about 1 draw in 1000
 *   differs in the last bit.
 * - `gamma`'s `c = rsqrt(d) / 3` uses XLA's hardware-estimate rsqrt with
 *   Newton steps (1 step on AMD, 2 on Intel), so JAX itself differs across
 *   CPUs; jaxd uses the correctly rounded value. Where the two differ (about
 *   1 `a` in 5 on the AMD cpu the goldens come from) draws differ by a few
 *   ulp; everything else in `gamma` matches.
 * - `poisson` with `lam >= 10` compares against `lgamma`, computed in float64
 *   here but in float32 by XLA; a decision flips only on a last-bit tie.
 * - On webgpu (no float64) the same holds for everything but `gamma`: its
 *   `rsqrt` and `pow` are WGSL's, not correctly rounded (within 32 ulp of
 *   JAX, tested). `fma32` is emulated exactly in float32 there, and `log`,
 *   `log1p`, `erf` and `erf_inv` are the backend's own ops asked for with
 *   `accuracy: "highest"`, which it renders as XLA:CPU's algorithms.
 *
 * @module
 */

import { type ArrayLike, NDArray } from "./array.ts";
import { vmap } from "./api.ts";
import { config } from "./config.ts";
import { while_loop } from "./control.ts";
import { type DType, isFloat, isInteger, parseDType } from "./dtype.ts";
import { ConcretizationError, DTypeError, ShapeError, ValueError } from "./errors.ts";
import * as lax from "./lax.ts";
import { take } from "./numpy/indexing.ts";
import { moveaxis } from "./numpy/shape.ts";
import { asArray, broadcastTo } from "./numpy/util.ts";
import { defaultBackend } from "./runtime.ts";
import { broadcastShapes, checkShape, normAxis, prod } from "./shape.ts";
import { bind, Tracer } from "./trace/core.ts";

type Num = NDArray | number;

// ============================================================== keys

const TYPED = new WeakSet<NDArray>();
const typed = (k: NDArray): NDArray => (TYPED.add(k), k);

const U32 = 2 ** 32;

/** The two seed words: `[hi, lo]` of the 64-bit seed (hi is 0 unless x64 is on, as in JAX). */
function seedWords(op: string, seed: number | bigint | NDArray): NDArray {
  if (seed instanceof NDArray) {
    if (seed.ndim !== 0) {
      throw new ShapeError(
        `${op} accepts a scalar seed, but was given an array of shape (${seed.shape}); use jax.vmap`,
      );
    }
    if (!isInteger(seed.dtype)) throw new DTypeError(`${op}: PRNG key seed must be an integer, got ${seed.dtype}`);
    const lo = lax.reshape(lax.convert_element_type(seed, "uint32"), [1]);
    return lax.concatenate([lax.full([1], 0, "uint32"), lo], 0);
  }
  let hi: number, lo: number;
  if (typeof seed === "bigint") {
    lo = Number(BigInt.asUintN(32, seed));
    hi = config.x64 ? Number(BigInt.asUintN(32, seed >> 32n)) : 0;
  } else if (typeof seed === "number") {
    if (!Number.isInteger(seed)) throw new DTypeError(`${op}: PRNG key seed must be an integer, got ${seed}`);
    if (!Number.isSafeInteger(seed)) {
      throw new ValueError(`${op}: seed ${seed} is not a safe integer; pass it as a bigint (${op}(${seed}n))`);
    }
    lo = ((seed % U32) + U32) % U32;
    hi = config.x64 ? Math.floor(seed / U32) >>> 0 : 0;
  } else {
    throw new DTypeError(`${op}: PRNG key seed must be an integer, got ${typeof seed}`);
  }
  return asArray([hi, lo], "uint32");
}

/**
 * A new-style PRNG key from an integer seed (`jax.random.key`). See the module
 * notes for how keys are represented.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * const k = jax.random.key(42);
 * jax.random.key_data(k).tolist(); // [0, 42]
 * ```
 */
export function key(seed: number | bigint | NDArray): NDArray {
  return typed(seedWords("key", seed));
}

/**
 * A legacy raw PRNG key, a uint32 array of shape `[2]` (`jax.random.PRNGKey`).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.PRNGKey(0).tolist(); // [0, 0]
 * ```
 */
export function PRNGKey(seed: number | bigint | NDArray): NDArray {
  return seedWords("PRNGKey", seed);
}

/**
 * The uint32 words of a key or key array (the key itself: keys are stored as their data).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.key_data(jax.random.split(jax.random.key(0), 3)).shape; // [3, 2]
 * ```
 */
export function key_data(keys: NDArray): NDArray {
  return checkKeys("key_data", keys, true);
}

/**
 * Marks a uint32 array with trailing dimension 2 as (typed) key data.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const k = jax.random.wrap_key_data(jnp.array([0, 42], { dtype: "uint32" }));
 * jax.random.is_typed_key(k); // true
 * ```
 */
export function wrap_key_data(data: NDArray): NDArray {
  return typed(checkKeys("wrap_key_data", data, true));
}

/**
 * Whether `k` was made as a typed key (`key`, `wrap_key_data`, or split /
 * fold_in of one) outside of a transformation.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.is_typed_key(jax.random.PRNGKey(1)); // false
 * ```
 */
export function is_typed_key(k: NDArray): boolean {
  return TYPED.has(k);
}

function checkKeys(op: string, k: unknown, allowBatched: boolean): NDArray {
  if (!(k instanceof NDArray)) {
    throw new DTypeError(`${op}: expected a PRNG key (from jax.random.key or PRNGKey), got ${describe(k)}`);
  }
  if (k.dtype !== "uint32") {
    throw new DTypeError(`${op}: a PRNG key is a uint32 array, got ${k.dtype}; make keys with jax.random.key(seed)`);
  }
  if (k.ndim === 0 || k.shape[k.ndim - 1] !== 2) {
    throw new ShapeError(`${op}: a PRNG key has trailing dimension 2, got shape (${k.shape})`);
  }
  if (!allowBatched && k.ndim !== 1) {
    throw new ShapeError(
      `${op} accepts a single key, but was given a key array of shape (${k.shape.slice(0, -1)}) != (). ` +
        `Use jax.vmap for batching.`,
    );
  }
  return k;
}

const checkKey = (op: string, k: unknown): NDArray => checkKeys(op, k, false);

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}

// ============================================================== threefry2x32

/** The Threefry-2x32 block cipher, 20 rounds: JAX's `threefry2x32_p` (both words; operands broadcast). */
function threefry2x32(k1: NDArray, k2: NDArray, x1: NDArray, x2: NDArray): [NDArray, NDArray] {
  const [a, b] = bind("threefry2x32", [k1, k2, x1, x2], {});
  return [a, b];
}

function keyWords(k: NDArray): [NDArray, NDArray] {
  return [lax.reshape(lax.slice(k, [0], [1]), []), lax.reshape(lax.slice(k, [1], [2]), [])];
}

/** Threefry of the 64-bit counters 0, 1, ... laid out in `shape` (JAX's `iota_2x32_shape`). */
function hashCounters(k: NDArray, shape: number[]): [NDArray, NDArray] {
  const [k1, k2] = keyWords(k);
  const hi = lax.full([], 0, "uint32");
  const lo = shape.length === 0 ? hi : lax.reshape(lax.iota("uint32", [prod(shape)]), shape);
  const [b1, b2] = threefry2x32(k1, k2, hi, lo);
  return [broadcastTo(b1, shape), broadcastTo(b2, shape)];
}

function rawBits(k: NDArray, shape: number[]): NDArray {
  const [b1, b2] = hashCounters(k, shape);
  return lax.xor(b1, b2);
}

function rawSplit(k: NDArray, shape: number[]): NDArray {
  const [b1, b2] = hashCounters(k, shape);
  return lax.concatenate([lax.expand_dims(b1, [shape.length]), lax.expand_dims(b2, [shape.length])], shape.length);
}

/** `_split(key, n)` as a list of keys (a static count). */
function splitN(k: NDArray, n: number): NDArray[] {
  const ks = rawSplit(k, [n]);
  return [...Array(n).keys()].map((i) => lax.reshape(lax.slice(ks, [i, 0], [i + 1, 2]), [2]));
}

/**
 * Splits a key into `num` new keys (or a key array of shape `num`), stacked along new leading axes.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * const [k1, k2] = jax.random.split(jax.random.key(0)).tolist() as number[][];
 * ```
 */
export function split(k: NDArray, num: number | number[] = 2): NDArray {
  checkKey("split", k);
  const out = rawSplit(k, checkShape("split", num));
  return TYPED.has(k) ? typed(out) : out;
}

/**
 * Folds a 32-bit integer into a key, giving a new independent key.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * const step3 = jax.random.fold_in(jax.random.key(0), 3);
 * ```
 */
export function fold_in(k: NDArray, data: number | NDArray): NDArray {
  checkKey("fold_in", k);
  let d: NDArray;
  if (typeof data === "number") {
    if (!Number.isInteger(data)) throw new DTypeError(`fold_in: data must be an integer, got ${data}`);
    d = lax.full([], ((data % U32) + U32) % U32, "uint32");
  } else {
    if (!(data instanceof NDArray) || !isInteger(data.dtype)) {
      throw new DTypeError(
        `fold_in: data must be an integer scalar, got ${data instanceof NDArray ? data.dtype : describe(data)}`,
      );
    }
    if (data.ndim !== 0) {
      throw new ShapeError(`fold_in accepts a scalar, but was given an array of shape (${data.shape}); use jax.vmap`);
    }
    d = lax.convert_element_type(data, "uint32");
  }
  const [k1, k2] = keyWords(k);
  const [o1, o2] = threefry2x32(k1, k2, lax.full([], 0, "uint32"), d);
  const out = lax.concatenate([lax.reshape(o1, [1]), lax.reshape(o2, [1])], 0);
  return TYPED.has(k) ? typed(out) : out;
}

/**
 * Uniform random bits as unsigned integers.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.bits(jax.random.key(0), [3]).dtype; // "uint32"
 * ```
 */
export function bits(k: NDArray, shape: number[] = [], o: { dtype?: string } = {}): NDArray {
  checkKey("bits", k);
  const dtype = o.dtype === undefined ? "uint32" : parseDType(o.dtype, "bits");
  if (dtype !== "uint32") throw new DTypeError(`bits: dtype must be an unsigned int dtype (uint32), got ${dtype}`);
  return rawBits(k, checkShape("bits", shape));
}

// ============================================================== XLA:CPU float32 arithmetic

const f32 = Math.fround;
const F32_TINY = 2 ** -126;

/**
 * XLA:CPU's fused multiply-add rounding, `round(a * b + c)` once: exact via
 * float64 on the cpu backend, in float32 error-free arithmetic elsewhere
 * (`fma32Split`).
 */
function fma32(a: Num, b: Num, c: Num): NDArray {
  const A = as32(a), B = as32(b), C = as32(c);
  if (!hasFloat64()) return fma32Split(A, B, C);
  const w = (x: NDArray) => lax.convert_element_type(x, "float64");
  const p = lax.mul(w(A), w(B)); // exact: 24 x 24 bits
  const s = lax.add(p, w(C));
  // Error of s (TwoSum), then fix the double rounding float64 -> float32 at ties.
  const bp = lax.sub(s, p);
  const r = lax.add(lax.sub(p, lax.sub(s, bp)), lax.sub(w(C), bp));
  const y = lax.convert_element_type(s, "float32");
  const m = lax.sub(s, w(y));
  const z64 = lax.add(w(y), lax.add(m, m));
  const z = lax.convert_element_type(z64, "float32");
  const tie = lax.and(lax.ne(m, 0), lax.eq(w(z), z64));
  const fix = lax.and(tie, lax.and(lax.ne(r, 0), lax.eq(lax.sign(r), lax.sign(m))));
  return lax.select(fix, z, y);
}

/**
 * `round(a * b + c)` in float32 arithmetic alone, for backends without
 * float64 (WGSL's `fma` may be, and on llvmpipe is, a multiply and an add).
 * a * b = p + e exactly (Dekker's product over Veltkamp halves), then
 * p + c + e is summed error-free (TwoSum) into r + eps with the error delta
 * of the low part; r is the correctly rounded result except at a tie
 * (|eps| half an ulp of r) broken by delta, which moves it one ulp. Non-finite
 * results take the plain multiply-add (the same infinities and NaNs).
 */
function fma32Split(a: NDArray, b: NDArray, c: NDArray): NDArray {
  const half = (x: NDArray): [NDArray, NDArray] => {
    const t = lax.mul(x, 4097);
    const hi = lax.sub(t, lax.sub(t, x));
    return [hi, lax.sub(x, hi)];
  };
  const p = lax.mul(a, b);
  const [ah, al] = half(a), [bh, bl] = half(b);
  const e = lax.add(
    lax.add(lax.add(lax.sub(lax.mul(ah, bh), p), lax.mul(ah, bl)), lax.mul(al, bh)),
    lax.mul(al, bl),
  );
  const [s, t] = twoSum32(p, c);
  const [w, delta] = twoSum32(t, e);
  const [r, eps] = twoSum32(s, w);
  const z = lax.add(r, lax.add(eps, eps));
  const tie = lax.and(lax.ne(eps, 0), lax.eq(lax.sub(z, r), lax.add(eps, eps)));
  const fix = lax.and(tie, lax.and(lax.ne(delta, 0), lax.eq(lax.sign(delta), lax.sign(eps))));
  const plain = lax.add(p, c);
  return lax.select(lax.is_finite(plain), lax.select(fix, z, r), plain);
}

/**
 * `[s, err]` with `s = round(x + y)` and `s + err = x + y` exactly (Knuth's
 * TwoSum). `s` passes through `max(s, -inf)`, an identity Mesa's optimizer
 * cannot see through: it rewrites `(x + y) - x` to `y` (inexact float math
 * in its IR), which would make every error zero.
 */
function twoSum32(x: NDArray, y: NDArray): [NDArray, NDArray] {
  const s = lax.max(lax.add(x, y), -Infinity);
  const bp = lax.sub(s, x);
  return [s, lax.add(lax.sub(x, lax.sub(s, bp)), lax.sub(y, bp))];
}

/**
 * Whether the default backend computes float64 (cpu), so fma32 can use it
 * to round once; the webgpu backend has none (fma32Split).
 */
function hasFloat64(): boolean {
  return defaultBackend().name === "cpu";
}

function as32(x: Num): NDArray {
  return typeof x === "number" ? lax.full([], f32(x), "float32") : x;
}

/** Flushes float32 subnormals to zero, as XLA:CPU does (FTZ/DAZ). */
function ftz32(x: NDArray): NDArray {
  return lax.select(lax.lt(lax.abs(x), F32_TINY), lax.mul(x, 0), x);
}

/** `[y, e]` with `x = y * 2^e`, `y` in [1, 2), for normal positive float32 `x` (exact power-of-two scalings). */
function frexp32(x: NDArray): [NDArray, NDArray] {
  let y = x;
  let e: NDArray = lax.full([], 0, "float32");
  for (const k of [64, 32, 16, 8, 4, 2, 1]) {
    const c = lax.ge(y, 2 ** k);
    y = lax.select(c, lax.mul(y, 2 ** -k), y);
    e = lax.select(c, lax.add(e, k), e);
  }
  for (const k of [64, 32, 16, 8, 4, 2, 1]) {
    const c = lax.lt(y, 2 ** (1 - k));
    y = lax.select(c, lax.mul(y, 2 ** k), y);
    e = lax.select(c, lax.sub(e, k), e);
  }
  return [y, e];
}

/**
 * XLA:CPU's float32 log, log1p, erf_inv and erf, which the streams need bit
 * for bit: every backend computes them as the `accuracy: "highest"` ops
 * (lib/xla_f32.ts on the cpu, WGSL helpers on webgpu).
 */
const HIGHEST = { accuracy: "highest" } as const;
const log32 = (x: NDArray): NDArray => lax.log(x, HIGHEST);
const log1p32 = (x: NDArray): NDArray => lax.log1p(x, HIGHEST);
const erfinv32 = (x: NDArray): NDArray => lax.erf_inv(x, HIGHEST);
const erf32 = (x: NDArray): NDArray => lax.erf(x, HIGHEST);

/** `lax.nextafter(x, dir * inf)` for float32. */
function nextafter32(x: NDArray, dir: 1 | -1): NDArray {
  const ax = lax.abs(x);
  const [y, e] = frexp32(lax.max(ax, F32_TINY));
  const ulp = lax.exp2(lax.sub(lax.max(e, -126), 23));
  const towardZero = dir > 0 ? lax.lt(x, 0) : lax.gt(x, 0);
  const step = lax.select(lax.and(towardZero, lax.and(lax.eq(y, 1), lax.gt(ax, F32_TINY))), lax.mul(ulp, 0.5), ulp);
  let out = lax.add(x, lax.mul(step, dir));
  out = lax.select(lax.eq(x, 0), as32(dir * 2 ** -149), out);
  out = lax.select(lax.eq(x, -dir * Infinity), as32(-dir * 3.4028234663852886e38), out);
  return lax.select(lax.or(lax.ne(x, x), lax.eq(x, dir * Infinity)), x, out);
}

// ============================================================== samplers

/**
 * Options naming the dtype of a sample.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.normal(jax.random.key(0), [2], { dtype: "float32" }).dtype; // "float32"
 * ```
 */
export interface DTypeOption {
  /** Element type of the result. */
  dtype?: string;
}

function floatDType(op: string, d: string | undefined): DType {
  const dtype = d === undefined ? "float32" : parseDType(d, op);
  if (!isFloat(dtype)) throw new DTypeError(`dtype argument to \`${op}\` must be a float dtype, got ${dtype}`);
  if (dtype !== "float32") {
    throw new DTypeError(`${op}: only float32 sampling is implemented (bit-exact with JAX), got ${dtype}`);
  }
  return dtype;
}

function floatParam(op: string, name: string, x: ArrayLike): NDArray {
  const a = asArray(x);
  if (!(isFloat(a.dtype) || isInteger(a.dtype) || a.dtype === "bool")) {
    throw new DTypeError(`${op}: ${name} must be numeric, got ${a.dtype}`);
  }
  return a.dtype === "float32" ? a : lax.convert_element_type(a, "float32");
}

/** The shape a sampler returns: `shape` if given (params must broadcast into it), else the params' broadcast. */
function sampleShape(op: string, shape: number[] | null | undefined, ...params: NDArray[]): number[] {
  const ps = params.map((p) => p.shape);
  if (shape === null || shape === undefined) return broadcastShapes(op, ...ps);
  const s = checkShape(op, shape);
  const b = broadcastShapes(op, s, ...ps);
  if (b.join() !== s.join()) {
    throw new ShapeError(
      `${op} parameter shapes must be broadcast-compatible with shape argument, and the result of broadcasting ` +
        `the shapes must equal the shape argument, but got result (${b}) for shape argument (${s}).`,
    );
  }
  return s;
}

/** Uniform floats `m * 2^-23` in [0, 1) from the top 23 bits (JAX's mantissa trick, exact without a bitcast). */
function unitFloats(k: NDArray, shape: number[]): NDArray {
  const m = lax.shift_right_logical(rawBits(k, shape), 9);
  return lax.mul(lax.convert_element_type(m, "float32"), 2 ** -23);
}

/**
 * Options of uniform.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.uniform(jax.random.key(0), [3], { minval: -1, maxval: 1 }).shape; // [3]
 * ```
 */
export interface UniformOptions extends DTypeOption {
  /** Inclusive lower bound (default 0); broadcasts into `shape`. */
  minval?: ArrayLike;
  /** Exclusive upper bound (default 1); broadcasts into `shape`. */
  maxval?: ArrayLike;
}

/**
 * Uniform floats in `[minval, maxval)`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * const u = jax.random.uniform(jax.random.key(0), [3], { minval: -1, maxval: 1 });
 * ```
 */
export function uniform(k: NDArray, shape: number[] = [], o: UniformOptions = {}): NDArray {
  checkKey("uniform", k);
  floatDType("uniform", o.dtype);
  const s = checkShape("uniform", shape);
  const lo = floatParam("uniform", "minval", o.minval ?? 0);
  const hi = floatParam("uniform", "maxval", o.maxval ?? 1);
  sampleShape("uniform", s, lo, hi);
  return scaleUnit(unitFloats(k, s), lo, hi, o.minval === undefined && o.maxval === undefined);
}

/** `max(lo, u * (hi - lo) + lo)` with XLA's fused multiply-add. */
function scaleUnit(u: NDArray, lo: NDArray, hi: NDArray, unit = false): NDArray {
  if (unit) return u;
  const los = broadcastTo(lo, u.shape), his = broadcastTo(hi, u.shape);
  return lax.max(los, fma32(u, lax.sub(his, los), los));
}

/**
 * Standard normal floats: `sqrt(2) * erf_inv(u)` with `u` uniform in (-1, 1).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.normal(jax.random.key(0), [2, 2]).shape; // [2, 2]
 * ```
 */
export function normal(k: NDArray, shape: number[] = [], o: DTypeOption = {}): NDArray {
  checkKey("normal", k);
  floatDType("normal", o.dtype);
  return normal32(k, checkShape("normal", shape));
}

const NEXT_ABOVE_MINUS_ONE = f32(-1 + 2 ** -24);
const SQRT2_F32 = f32(Math.SQRT2);
const INV_SQRT2_F32 = f32(1 / SQRT2_F32);

function normal32(k: NDArray, shape: number[]): NDArray {
  // uniform(lo = nextafter(-1, 0), hi = 1): hi - lo rounds to 2, and u * 2 + lo is exact, so no fma is needed.
  const u = lax.max(lax.add(lax.mul(unitFloats(k, shape), 2), NEXT_ABOVE_MINUS_ONE), NEXT_ABOVE_MINUS_ONE);
  return lax.mul(erfinv32(u), SQRT2_F32);
}

/**
 * Options of truncated_normal.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.truncated_normal(jax.random.key(0), -1, 1, [3]).shape; // [3]
 * ```
 */
export type TruncatedNormalOptions = DTypeOption;

/**
 * Standard normal floats truncated to the open interval `(lower, upper)`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * const x = jax.random.truncated_normal(jax.random.key(0), -1, 1, [4]);
 * ```
 */
export function truncated_normal(
  k: NDArray,
  lower: ArrayLike,
  upper: ArrayLike,
  shape: number[] | null = null,
  o: TruncatedNormalOptions = {},
): NDArray {
  checkKey("truncated_normal", k);
  floatDType("truncated_normal", o.dtype);
  const lo = floatParam("truncated_normal", "lower", lower);
  const hi = floatParam("truncated_normal", "upper", upper);
  const s = sampleShape("truncated_normal", shape, lo, hi);
  // XLA rewrites division by the constant sqrt(2) into multiplication by its float32 reciprocal.
  const a = erf32(lax.mul(lo, INV_SQRT2_F32));
  const b = erf32(lax.mul(hi, INV_SQRT2_F32));
  const u = scaleUnit(unitFloats(k, s), a, b);
  const out = lax.mul(erfinv32(u), SQRT2_F32);
  const low = broadcastTo(nextafter32(lax.stop_gradient(lo), 1), s);
  const high = broadcastTo(nextafter32(lax.stop_gradient(hi), -1), s);
  return lax.min(lax.max(out, low), high);
}

/**
 * Options of bernoulli.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.bernoulli(jax.random.key(0), 0.5, [4]).dtype; // "bool"
 * ```
 */
export interface BernoulliOptions {
  /** "low" (default): one uniform per draw, as JAX's default. */
  mode?: "low";
}

/**
 * Booleans that are true with probability `p`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.bernoulli(jax.random.key(0), 0.3, [5]).dtype; // "bool"
 * ```
 */
export function bernoulli(
  k: NDArray,
  p: ArrayLike = 0.5,
  shape: number[] | null = null,
  o: BernoulliOptions = {},
): NDArray {
  checkKey("bernoulli", k);
  if (o.mode !== undefined && o.mode !== "low") throw new ValueError(`bernoulli: got mode=${o.mode}, expected 'low'`);
  const pa = asArray(p);
  if (!isFloat(pa.dtype)) {
    throw new DTypeError(`bernoulli probability \`p\` must have a floating dtype, got ${pa.dtype}`);
  }
  const s = sampleShape("bernoulli", shape, pa);
  return lax.lt(unitFloats(k, s), broadcastTo(floatParam("bernoulli", "p", pa), s));
}

/**
 * Integers uniform in `[minval, maxval)` (JAX's modulus method with 64 random bits per draw).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.randint(jax.random.key(0), [4], 0, 10).dtype; // "int32"
 * ```
 */
export function randint(
  k: NDArray,
  shape: number[],
  minval: ArrayLike,
  maxval: ArrayLike,
  o: DTypeOption = {},
): NDArray {
  checkKey("randint", k);
  const dtype = o.dtype === undefined ? "int32" : parseDType(o.dtype, "randint");
  if (!isInteger(dtype)) throw new DTypeError(`randint only accepts integer dtypes, got ${dtype}`);
  const s = checkShape("randint", shape);
  let lo = intParam("randint", "minval", minval);
  let hi = intParam("randint", "maxval", maxval);
  sampleShape("randint", s, lo, hi);
  const dmax = dtype === "int32" ? 2 ** 31 - 1 : U32 - 1;
  const hiOut = lax.gt(hi, clipInt(lax.full([], dmax, dtype), hi.dtype));
  lo = clipInt(lo, dtype);
  hi = clipInt(hi, dtype);
  const [k1, k2] = splitN(k, 2);
  const higher = rawBits(k1, s), lower = rawBits(k2, s);
  const los = broadcastTo(lo, s), his = broadcastTo(hi, s), out = broadcastTo(hiOut, s);
  let span = lax.convert_element_type(lax.sub(his, los), "uint32");
  span = lax.select(lax.le(his, los), lax.full(s, 1, "uint32"), span);
  span = lax.select(lax.and(out, lax.gt(his, los)), lax.add(span, 1), span);
  let mult = lax.rem(lax.full([], 2 ** 16, "uint32"), span);
  mult = lax.rem(lax.mul(mult, mult), span);
  let offset = lax.add(lax.mul(lax.rem(higher, span), mult), lax.rem(lower, span));
  offset = lax.rem(offset, span);
  return lax.add(los, lax.convert_element_type(offset, dtype));
}

function intParam(op: string, name: string, x: ArrayLike): NDArray {
  if (typeof x === "number" && Number.isInteger(x) && (x > 2 ** 31 - 1 || x < -(2 ** 31))) {
    throw new ValueError(`${op}: ${name}=${x} is out of range for int32; pass a uint32 array for larger bounds`);
  }
  const a = asArray(x);
  if (isInteger(a.dtype)) return a;
  if (isFloat(a.dtype) || a.dtype === "bool") return lax.convert_element_type(a, "int32");
  throw new DTypeError(`${op}: ${name} must be an integer, got ${a.dtype}`);
}

/** Converts an integer array to `dtype`, clipping to the range both types share (JAX's `_convert_and_clip_integer`). */
function clipInt(v: NDArray, dtype: DType): NDArray {
  const range = (d: DType) => (d === "int32" ? [-(2 ** 31), 2 ** 31 - 1] : [0, U32 - 1]);
  const [a0, a1] = range(dtype), [b0, b1] = range(v.dtype);
  const lo = Math.max(a0, b0), hi = Math.min(a1, b1);
  const c = lax.min(lax.max(v, lax.full([], lo, v.dtype)), lax.full([], hi, v.dtype));
  return lax.convert_element_type(c, dtype, false);
}

/**
 * Exponential(1) floats, `-log1p(-u)`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.exponential(jax.random.key(0), [3]).shape; // [3]
 * ```
 */
export function exponential(k: NDArray, shape: number[] = [], o: DTypeOption = {}): NDArray {
  checkKey("exponential", k);
  floatDType("exponential", o.dtype);
  return lax.neg(log1p32(lax.neg(unitFloats(k, checkShape("exponential", shape)))));
}

// ---------------------------------------------------------------- gumbel / categorical

/**
 * Standard Gumbel floats, `-log(-log(u))`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.gumbel(jax.random.key(0), [3]).shape; // [3]
 * ```
 */
export function gumbel(k: NDArray, shape: number[] = [], o: DTypeOption = {}): NDArray {
  checkKey("gumbel", k);
  floatDType("gumbel", o.dtype);
  return gumbel32(k, checkShape("gumbel", shape));
}

function gumbel32(k: NDArray, shape: number[]): NDArray {
  // uniform(minval = tiny, maxval = 1): u * 1 + tiny rounds to u except at 0.
  const u0 = unitFloats(k, shape);
  const u = lax.select(lax.eq(u0, 0), lax.full(shape, F32_TINY, "float32"), u0);
  return lax.neg(log32(lax.neg(log32(u))));
}

/**
 * Options of categorical.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.random.categorical(jax.random.key(0), jnp.log(jnp.array([0.2, 0.8])), { shape: [5] }).shape; // [5]
 * ```
 */
export interface CategoricalOptions {
  /** Axis of `logits` along which categories lie (default -1). */
  axis?: number;
  /** Result shape; must end with the batch shape of `logits` (default: that batch shape). */
  shape?: number[] | null;
  /** Sample with replacement (default true); otherwise the Gumbel top-k trick. */
  replace?: boolean;
}

/**
 * Category indices drawn with probabilities `softmax(logits)` (the Gumbel-max trick).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const logits = jnp.log(jnp.array([0.2, 0.8]));
 * jax.random.categorical(jax.random.key(0), logits, { shape: [5] }).shape; // [5]
 * ```
 */
export function categorical(k: NDArray, logits: ArrayLike, o: CategoricalOptions = {}): NDArray {
  checkKey("categorical", k);
  const lg0 = asArray(logits);
  if (!isFloat(lg0.dtype)) throw new DTypeError(`categorical: logits must be a float array, got ${lg0.dtype}`);
  const lg = floatParam("categorical", "logits", lg0);
  if (lg.ndim === 0) throw new ShapeError("categorical: logits must have at least one dimension");
  const axis = normAxis("categorical", o.axis ?? -1, lg.ndim);
  const batch = lg.shape.filter((_, i) => i !== axis);
  const shape = o.shape === undefined || o.shape === null ? batch : checkShape("categorical", o.shape);
  if (o.shape !== undefined && o.shape !== null) {
    const b = broadcastShapes("categorical", shape, batch);
    if (b.join() !== shape.join()) {
      throw new ShapeError(`categorical: shape (${shape}) is not broadcast-compatible with the batch shape (${batch})`);
    }
  }
  const prefix = shape.slice(0, shape.length - batch.length);
  if (o.replace ?? true) {
    const lshape = shape.slice(shape.length - batch.length);
    lshape.splice(axis, 0, lg.shape[axis]);
    const g = gumbel32(k, [...prefix, ...lshape]);
    const l = lax.broadcast_in_dim(lg, g.shape, lg.shape.map((_, i) => i + prefix.length));
    return lax.argmax(lax.add(g, l), prefix.length + axis);
  }
  const kk = prod(prefix);
  if (kk > lg.shape[axis]) {
    throw new ValueError(
      `Number of samples without replacement (${kk}) cannot exceed number of categories (${lg.shape[axis]}).`,
    );
  }
  const perturbed = moveaxis(lax.add(lg, gumbel32(k, lg.shape)), axis, -1);
  const idx = topKIndices(perturbed, kk); // batch + [kk]
  const perm = [idx.ndim - 1, ...[...Array(idx.ndim - 1).keys()]];
  return lax.reshape(lax.transpose(idx, perm), shape);
}

// ---------------------------------------------------------------- sorting (permutation, choice)

/**
 * Stable sort along the last axis by `keys` (lexicographic), carrying `values`:
 * a bitonic network of slices and selects, with each element's position as the
 * last key so equal keys keep their order (XLA's stable sort).
 */
function sortLast(keys: NDArray[], values: NDArray[]): NDArray[] {
  const shape = keys[0].shape;
  const n = shape[shape.length - 1];
  if (n <= 1) return values;
  const rows = prod(shape.slice(0, -1));
  let size = 1;
  while (size < n) size *= 2;
  const flat = (a: NDArray, fill: number | boolean = 0) => {
    const r = lax.reshape(a, [rows, n]);
    return size === n ? r : lax.pad(r, fill, [[0, 0, 0], [0, size - n, 0]]);
  };
  // Padding sorts last: its flag is the primary key.
  const isPad = flat(lax.full(shape, 0, "int32"), 1);
  const pos = lax.iota("int32", [rows, size], 1);
  const cmp = [isPad, ...keys.map((k) => flat(k)), pos];
  let arrs = [...cmp, ...values.map((v) => flat(v))];
  for (let blk = 2; blk <= size; blk *= 2) {
    for (let j = blk / 2; j >= 1; j /= 2) {
      const groups = size / (2 * j);
      const split = arrs.map((a) => {
        const r = lax.reshape(a, [rows, groups, 2, j]);
        return [lax.slice(r, [0, 0, 0, 0], [rows, groups, 1, j]), lax.slice(r, [0, 0, 1, 0], [rows, groups, 2, j])];
      });
      const lo = split.slice(0, cmp.length).map((p) => p[0]);
      const hi = split.slice(0, cmp.length).map((p) => p[1]);
      const ascending = [...Array(groups).keys()].map((g) => ((g * 2 * j) & blk) === 0);
      const asc = lax.broadcast_in_dim(asArray(ascending, "bool"), [rows, groups, 1, j], [1]);
      const swap = lax.select(asc, lexGreater(lo, hi), lexGreater(hi, lo));
      arrs = split.map(([a, b]) =>
        lax.reshape(lax.concatenate([lax.select(swap, b, a), lax.select(swap, a, b)], 2), [rows, size])
      );
    }
  }
  return arrs.slice(cmp.length).map((a) => lax.reshape(lax.slice(a, [0, 0], [rows, n]), shape));
}

function lexGreater(a: NDArray[], b: NDArray[]): NDArray {
  let gt = lax.gt(a[a.length - 1], b[b.length - 1]);
  for (let i = a.length - 2; i >= 0; i--) gt = lax.or(lax.gt(a[i], b[i]), lax.and(lax.eq(a[i], b[i]), gt));
  return gt;
}

/** Indices of the `k` largest entries along the last axis, largest first (ties: lower index first). */
function topKIndices(x: NDArray, k: number): NDArray {
  const idx = lax.broadcast_in_dim(lax.iota("int32", [x.shape[x.ndim - 1]]), x.shape, [x.ndim - 1]);
  const [sorted] = sortLast([lax.neg(x)], [idx]);
  const start = x.shape.map(() => 0);
  return lax.slice(sorted, start, [...x.shape.slice(0, -1), k]);
}

/** JAX's `_shuffle`: rounds of sorting by fresh random 32-bit keys along `axis`. */
function shuffle(k: NDArray, x: NDArray, axis: number): NDArray {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(U32 - 1));
  let key = k;
  let out = x;
  for (let i = 0; i < rounds; i++) {
    const [next, sub] = splitN(key, 2);
    key = next;
    const sortKeys = moveaxis(rawBits(sub, out.shape), axis, -1);
    out = moveaxis(sortLast([sortKeys], [moveaxis(out, axis, -1)])[0], -1, axis);
  }
  return out;
}

/**
 * Options of permutation.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.random.permutation(jax.random.key(0), jnp.arange(6).reshape([2, 3]), { axis: 1 }).shape; // [2, 3]
 * ```
 */
export interface PermutationOptions {
  /** The axis to shuffle along (default 0). */
  axis?: number;
  /** Shuffle each slice along `axis` independently (default false). */
  independent?: boolean;
}

/**
 * A random permutation of `arange(x)`, or of `x`'s entries along `axis`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * (jax.random.permutation(jax.random.key(0), 5).tolist() as number[]).sort(); // [0, 1, 2, 3, 4]
 * ```
 */
export function permutation(k: NDArray, x: number | ArrayLike, o: PermutationOptions = {}): NDArray {
  checkKey("permutation", k);
  const n = staticInt("permutation", x);
  if (n !== null) {
    normAxis("permutation", o.axis ?? 0, 1);
    return shuffle(k, lax.iota("int32", [n]), 0);
  }
  const a = asArray(x as ArrayLike);
  const axis = normAxis("permutation", o.axis ?? 0, a.ndim);
  if (o.independent || a.ndim === 1) return shuffle(k, a, axis);
  const ind = shuffle(k, lax.iota("int32", [a.shape[axis]]), 0);
  return take(a, ind, { axis });
}

/** A concrete integer from a JS number or 0-d integer array; null for arrays with dimensions. */
function staticInt(op: string, x: unknown): number | null {
  if (typeof x === "number") {
    if (!Number.isInteger(x)) throw new DTypeError(`${op}: x must be an integer or at least 1-dimensional, got ${x}`);
    return x;
  }
  if (x instanceof NDArray && x.ndim === 0) {
    if (!isInteger(x.dtype)) throw new DTypeError(`${op}: x must be an integer or at least 1-dimensional`);
    if (x instanceof Tracer && !x.concreteValue()) {
      throw new ConcretizationError(`${op}: the size argument is traced; pass a JS number`);
    }
    return x.item();
  }
  return null;
}

/**
 * Options of choice.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.random.choice(jax.random.key(0), jnp.arange(5), [3], { replace: false }).shape; // [3]
 * ```
 */
export interface ChoiceOptions {
  /** Draw with replacement (default true). */
  replace?: boolean;
  /** Probabilities of the entries of `a` (1-d, length `a.shape[axis]`). */
  p?: ArrayLike | null;
  /** The axis of `a` to draw along (default 0). */
  axis?: number;
}

/**
 * Random draws from `arange(a)` or from `a`'s entries along `axis`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.choice(jax.random.key(0), 10, [3], { replace: false }).shape; // [3]
 * ```
 */
export function choice(k: NDArray, a: number | ArrayLike, shape: number[] = [], o: ChoiceOptions = {}): NDArray {
  checkKey("choice", k);
  const s = checkShape("choice", shape);
  const n0 = staticInt("choice", a);
  const arr = n0 === null ? asArray(a as ArrayLike) : null;
  const axis = arr ? normAxis("choice", o.axis ?? 0, arr.ndim) : 0;
  const nInputs = arr ? arr.shape[axis] : n0!;
  const nDraws = prod(s);
  const replace = o.replace ?? true;
  if (nDraws === 0) return lax.full(s, 0, arr ? arr.dtype : "int32");
  if (nInputs <= 0) throw new ValueError("choice: a must be greater than 0 unless no samples are taken");
  if (!replace && nDraws > nInputs) {
    throw new ValueError(
      `choice: cannot take a larger sample (size ${nDraws}) than population (size ${nInputs}) when replace is false`,
    );
  }
  let result: NDArray;
  if (o.p === undefined || o.p === null) {
    if (replace) {
      const ind = randint(k, s, 0, nInputs);
      result = arr ? take(arr, ind, { axis }) : ind;
    } else {
      const perm = arr ? permutation(k, arr, { axis }) : permutation(k, nInputs);
      const lim = perm.shape.slice();
      lim[axis] = nDraws;
      result = lax.slice(perm, perm.shape.map(() => 0), lim);
    }
  } else {
    const p = floatParam("choice", "p", o.p);
    if (p.shape.join() !== `${nInputs}`) {
      throw new ShapeError(
        `choice: p must be None or a 1D vector with the same size as a.shape[axis]. ` +
          `p has shape (${p.shape}) and a.shape[axis] is ${nInputs}.`,
      );
    }
    let ind: NDArray;
    if (replace) {
      const cum = cumsumXla(p);
      const total = lax.reshape(lax.slice(cum, [nInputs - 1], [nInputs]), []);
      const r = lax.mul(total, lax.sub(1, unitFloats(k, s)));
      const less = lax.lt(lax.broadcast_in_dim(cum, [...s, nInputs], [s.length]), lax.expand_dims(r, [s.length]));
      ind = lax.reduce_sum(lax.convert_element_type(less, "int32"), [s.length]);
    } else {
      const g = lax.add(gumbel32(k, [nInputs]), log32(p));
      ind = topKIndices(g, nDraws);
    }
    result = arr ? take(arr, ind, { axis }) : ind;
  }
  const outShape = arr ? [...arr.shape.slice(0, axis), ...s, ...arr.shape.slice(axis + 1)] : s;
  return lax.reshape(result, outShape);
}

/**
 * `jnp.cumsum` of a 1-d float32 array in XLA:CPU's summation order: sequential
 * within tiles of 16, plus the (recursively scanned) tile totals.
 */
function cumsumXla(x: NDArray): NDArray {
  const n = x.shape[0];
  const tile = 16;
  const seq = (a: NDArray): NDArray => {
    const [rows, len] = a.shape;
    const cols: NDArray[] = [];
    for (let i = 0; i < len; i++) {
      const c = lax.slice(a, [0, i], [rows, i + 1]);
      cols.push(i === 0 ? c : lax.add(cols[i - 1], c));
    }
    return lax.concatenate(cols, 1);
  };
  if (n <= tile) return lax.reshape(seq(lax.reshape(x, [1, n])), [n]);
  const cols = Math.ceil(n / tile);
  const padded = lax.pad(x, 0, [[0, cols * tile - n, 0]]);
  const outer = seq(lax.reshape(padded, [cols, tile]));
  const totals = lax.reshape(lax.slice(outer, [0, tile - 1], [cols, tile]), [cols]);
  const inc = cumsumXla(totals);
  const exc = lax.concatenate([lax.full([1], 0, "float32"), lax.slice(inc, [0], [cols - 1])], 0);
  const sum = lax.add(outer, lax.broadcast_in_dim(exc, [cols, tile], [0]));
  return lax.slice(lax.reshape(sum, [cols * tile]), [0], [n]);
}

// ---------------------------------------------------------------- gamma

const ONE_THIRD = f32(1 / 3);

/** One Marsaglia–Tsang gamma draw (JAX's `_gamma_one`), for a key of shape [2] and a scalar alpha. */
function gammaOne(k: NDArray, alphaIn: NDArray): NDArray {
  const boost = lax.ge(alphaIn, 1);
  const alpha = lax.select(boost, alphaIn, lax.add(alphaIn, 1));
  const d = lax.sub(alpha, ONE_THIRD);
  // XLA rewrites a / sqrt(b) to a * rsqrt(b); its rsqrt is a hardware estimate refined by Newton steps,
  // which equals the correctly rounded value in most, not all, cases (platform-dependent: see the report).
  const c = lax.mul(lax.rsqrt(d), ONE_THIRD);
  const zero = as32(0);
  const cond = ([, X, V, U]: NDArray[]) =>
    lax.and(
      lax.ge(U, fma32(lax.mul(X, X), -f32(0.0331), 1)),
      lax.ge(log32(U), lax.add(lax.mul(X, 0.5), lax.mul(d, lax.add(lax.sub(1, V), log32(V))))),
    );
  const body = ([key]: NDArray[]) => {
    const [next, xKey, uKey] = splitN(key, 3);
    const [, x, v] = while_loop(
      ([, , vv]: NDArray[]) => lax.le(vv, 0),
      ([kk]: NDArray[]) => {
        const [kn, sub] = splitN(kk, 2);
        const xn = normal32(sub, []);
        return [kn, xn, fma32(xn, c, 1)];
      },
      [xKey, zero, as32(-1)],
    ) as NDArray[];
    return [next, lax.mul(x, x), lax.mul(lax.mul(v, v), v), unitFloats(uKey, [])];
  };
  const [key0, sub0] = splitN(k, 2);
  const [, , V] = while_loop(cond, body, [key0, zero, as32(1), as32(2)]) as NDArray[];
  const samples = lax.sub(1, unitFloats(sub0, []));
  const b = lax.select(boost, as32(1), ftz32(lax.pow(samples, lax.div(1, alphaIn))));
  return ftz32(lax.mul(ftz32(lax.mul(d, V)), b));
}

/**
 * Gamma(a, 1) floats (Marsaglia–Tsang rejection, one loop per element as in JAX).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.gamma(jax.random.key(0), 2.0, [3]).shape; // [3]
 * ```
 */
export function gamma(k: NDArray, a: ArrayLike, shape: number[] | null = null, o: DTypeOption = {}): NDArray {
  checkKey("gamma", k);
  floatDType("gamma", o.dtype);
  const alpha = floatParam("gamma", "a", a);
  const s = sampleShape("gamma", shape, alpha);
  const n = prod(s);
  if (n === 0) return lax.full(s, 0, "float32");
  const keys = rawSplit(k, [n]);
  const alphas = lax.reshape(broadcastTo(alpha, s), [n]);
  return lax.reshape(vmap(gammaOne)(keys, alphas) as NDArray, s);
}

// ---------------------------------------------------------------- poisson

const INT32_MAX = 2 ** 31 - 1;

function poissonKnuth(k: NDArray, lam: NDArray, shape: number[]): NDArray {
  const negLam = lax.neg(lam);
  const [, kOut] = while_loop(
    ([i, , , logProd]: NDArray[]) => lax.and(anyTrue(lax.gt(logProd, negLam)), lax.lt(i, INT32_MAX)),
    ([i, kk, rng, logProd]: NDArray[]) => {
      const [next, sub] = splitN(rng, 2);
      const kn = lax.select(lax.gt(logProd, negLam), lax.add(kk, 1), kk);
      const u = unitFloats(sub, shape);
      return [lax.add(i, 1), kn, next, lax.add(logProd, log32(u))];
    },
    [lax.full([], 0, "int32"), lax.full(shape, 0, "int32"), k, lax.full(shape, 0, "float32")],
  ) as NDArray[];
  return lax.sub(kOut, 1);
}

function poissonRejection(k: NDArray, lam: NDArray, shape: number[]): NDArray {
  const logLam = log32(lam);
  const b = fma32(lax.sqrt(lam), 2.53, 0.931);
  const a = fma32(b, 0.02483, -0.059);
  const invAlpha = lax.add(lax.div(1.1328, lax.sub(b, 3.4)), 1.1239);
  const vR = lax.sub(0.9277, lax.div(3.6224, lax.sub(b, 2)));
  const [, kOut] = while_loop(
    ([i, , accepted]: NDArray[]) => lax.and(anyTrue(lax.not(accepted)), lax.lt(i, INT32_MAX)),
    ([i, kPrev, accepted, key]: NDArray[]) => {
      const [next, k0, k1] = splitN(key, 3);
      const u = lax.sub(unitFloats(k0, shape), 0.5);
      const v = unitFloats(k1, shape);
      const us = lax.sub(0.5, lax.abs(u));
      const kk = lax.floor(lax.add(fma32(lax.add(lax.div(lax.mul(a, 2), us), b), u, lam), 0.43));
      const sv = log32(lax.div(lax.mul(v, invAlpha), lax.add(lax.div(a, lax.mul(us, us)), b)));
      const t = lax.sub(fma32(kk, logLam, lax.neg(lam)), lax.lgamma(lax.add(kk, 1)));
      const accept1 = lax.and(lax.ge(us, 0.07), lax.le(v, vR));
      const reject = lax.or(lax.lt(kk, 0), lax.and(lax.lt(us, 0.013), lax.gt(v, us)));
      const accept = lax.or(accept1, lax.and(lax.not(reject), lax.le(sv, t)));
      return [lax.add(i, 1), lax.select(accept, kk, kPrev), lax.or(accepted, accept), next];
    },
    [lax.full([], 0, "int32"), lax.full(shape, -1, "float32"), lax.full(shape, false, "bool"), k],
  ) as NDArray[];
  return lax.convert_element_type(kOut, "int32");
}

function anyTrue(x: NDArray): NDArray {
  return x.ndim === 0 ? x : lax.reduce_max(x, [...Array(x.ndim).keys()]);
}

/**
 * Poisson(lam) integers: Knuth's method for `lam < 10`, Hörmann's transformed
 * rejection otherwise, as JAX (both loops run over the whole array).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.random.poisson(jax.random.key(0), 3.0, [4]).dtype; // "int32"
 * ```
 */
export function poisson(k: NDArray, lam: ArrayLike, shape: number[] | null = null, o: DTypeOption = {}): NDArray {
  checkKey("poisson", k);
  const dtype = o.dtype === undefined ? "int32" : parseDType(o.dtype, "poisson");
  if (!isInteger(dtype)) throw new DTypeError(`poisson: dtype must be an integer dtype, got ${dtype}`);
  const l0 = floatParam("poisson", "lam", lam);
  const s = shape === null ? l0.shape : sampleShape("poisson", shape, l0);
  const l = broadcastTo(l0, s);
  const useKnuth = lax.or(lax.ne(l, l), lax.lt(l, 10));
  const lamKnuth = lax.select(useKnuth, l, lax.full(s, 0, "float32"));
  const lamRej = lax.select(useKnuth, lax.full(s, 1e5, "float32"), l);
  const result = lax.select(useKnuth, poissonKnuth(k, lamKnuth, s), poissonRejection(k, lamRej, s));
  const out = lax.select(lax.eq(l, 0), lax.full(s, 0, "int32"), result);
  return dtype === "int32" ? out : lax.convert_element_type(out, dtype);
}
