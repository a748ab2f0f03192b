/**
 * Dtypes and JAX's type promotion, weak types included.
 *
 * A weak type is the type of a JS number mixed into an array expression: it
 * takes the dtype of the array it meets, so `x.mul(2)` stays float32 for a
 * float32 `x` and int32 for an int32 `x`, as `x * 2` does in JAX.
 *
 * @module
 */

import { config } from "./config.ts";
import { DTypeError } from "./errors.ts";

/**
 * The dtypes jaxd supports.
 *
 * @example
 * ```ts
 * import { jnp, type DType } from "@jaxd/jaxd";
 * const d: DType = "int32";
 * jnp.ones([2], { dtype: d }); // Array([1, 1], dtype=int32)
 * ```
 */
export type DType = "float32" | "int32" | "uint32" | "bool" | "float16" | "float64";

/** All supported dtypes, in a fixed order. */
export const DTYPES: readonly DType[] = ["bool", "int32", "uint32", "float16", "float32", "float64"];

/** Short names used when printing jaxprs (`f32[3]`). */
export const SHORT_NAME: Record<DType, string> = {
  bool: "bool",
  int32: "i32",
  uint32: "u32",
  float16: "f16",
  float32: "f32",
  float64: "f64",
};

/** Bytes per element. */
export const ITEMSIZE: Record<DType, number> = {
  bool: 1,
  int32: 4,
  uint32: 4,
  float16: 2,
  float32: 4,
  float64: 8,
};

/** True for float16, float32 and float64. */
export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64" || d === "float16";
}

/** True for int32 and uint32. */
export function isInteger(d: DType): boolean {
  return d === "int32" || d === "uint32";
}

/** The float dtype that `jnp.array([1.5])` gets: float32, or float64 under x64. */
export function defaultFloat(): DType {
  return config.x64 ? "float64" : "float32";
}

/** Validates a dtype name given by a user; accepts numpy aliases like `"f4"`. */
export function parseDType(name: unknown, op = "dtype"): DType {
  if (typeof name === "string") {
    const alias = ALIASES[name] ?? name;
    if ((DTYPES as readonly string[]).includes(alias)) {
      const d = alias as DType;
      if (d === "float64" && !config.x64) return "float32";
      return d;
    }
  }
  throw new DTypeError(
    `${op}: unknown dtype ${JSON.stringify(name)}; use one of ${DTYPES.join(", ")}`,
  );
}

const ALIASES: Record<string, string> = {
  f4: "float32",
  f8: "float64",
  f2: "float16",
  i4: "int32",
  u4: "uint32",
  bool_: "bool",
  float: "float32",
  int: "int32",
};

// JAX's promotion lattice restricted to the dtypes we have. "i*" and "f*" are
// the weak int and weak float types. i64/u64 stand for the joins that JAX
// canonicalises back to 32 bits.
type Node = "b1" | "i*" | "u32" | "i32" | "u64" | "i64" | "f*" | "f16" | "f32" | "f64";
const UP: Record<Node, Node[]> = {
  "b1": ["i*"],
  "i*": ["u32", "i32"],
  "u32": ["u64", "i64"],
  "i32": ["i64"],
  "u64": ["f*"],
  "i64": ["f*"],
  "f*": ["f16"],
  "f16": ["f32"],
  "f32": ["f64"],
  "f64": [],
};

function upperSet(n: Node): Set<Node> {
  const seen = new Set<Node>([n]);
  const stack = [n];
  while (stack.length) {
    for (const m of UP[stack.pop()!]) {
      if (!seen.has(m)) {
        seen.add(m);
        stack.push(m);
      }
    }
  }
  return seen;
}
const UPPER = Object.fromEntries(
  (Object.keys(UP) as Node[]).map((n) => [n, upperSet(n)]),
) as Record<Node, Set<Node>>;

const STRONG = { bool: "b1", int32: "i32", uint32: "u32", float16: "f16", float32: "f32", float64: "f64" } as const;

function toNode(d: DType, weak: boolean): Node {
  if (weak) {
    if (d === "bool") return "b1";
    return isFloat(d) ? "f*" : "i*";
  }
  return STRONG[d];
}

/** Joins already computed (promotion runs for every operation). */
const joins = new Map<Node, Map<Node, Node>>();

function join(a: Node, b: Node): Node {
  const known = joins.get(a)?.get(b);
  if (known) return known;
  const common = [...UPPER[a]].filter((n) => UPPER[b].has(n));
  // The least upper bound: the common node every other common node is above.
  const lub = common.find((n) => common.every((m) => UPPER[n].has(m)));
  if (!lub) throw new DTypeError(`internal: no promotion for ${a}, ${b}`);
  if (!joins.has(a)) joins.set(a, new Map());
  joins.get(a)!.set(b, lub);
  return lub;
}

function fromNode(n: Node): { dtype: DType; weak: boolean } {
  switch (n) {
    case "b1":
      return { dtype: "bool", weak: false };
    case "i*":
      return { dtype: "int32", weak: true };
    case "f*":
      return { dtype: defaultFloat(), weak: true };
    case "u32":
      return { dtype: "uint32", weak: false };
    case "i32":
    case "i64":
      return { dtype: "int32", weak: false };
    case "u64":
      return { dtype: "uint32", weak: false };
    case "f16":
      return { dtype: "float16", weak: false };
    case "f32":
      return { dtype: "float32", weak: false };
    case "f64":
      return { dtype: config.x64 ? "float64" : "float32", weak: false };
  }
}

/** A dtype plus JAX's weak-type flag. */
export interface TypeInfo {
  dtype: DType;
  weak: boolean;
}

/**
 * The result type of combining values of the given types, as `jnp.result_type`.
 *
 * @example
 * ```ts
 * import { resultType } from "./dtype.ts";
 * resultType({ dtype: "float32", weak: false }, { dtype: "int32", weak: true }); // float32
 * ```
 */
export function resultType(...types: TypeInfo[]): TypeInfo {
  if (types.length === 0) return { dtype: defaultFloat(), weak: false };
  let n = toNode(types[0].dtype, types[0].weak);
  for (let i = 1; i < types.length; i++) n = join(n, toNode(types[i].dtype, types[i].weak));
  return fromNode(n);
}

/** `jnp.promote_types`: the promotion of two (strong) dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  return resultType({ dtype: a, weak: false }, { dtype: b, weak: false }).dtype;
}

/**
 * The typed-array constructor that stores a dtype on the host.
 *
 * @example
 * ```ts
 * import { jnp, type HostArray } from "@jaxd/jaxd";
 * const h: HostArray = jnp.array([1, 2]).dataSync();
 * h; // Float32Array(2) [ 1, 2 ]
 * ```
 */
export type HostArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Float16Array;

/** Allocates a host typed array for `size` elements of `dtype`. */
export function hostArray(dtype: DType, size: number): HostArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
    case "uint32":
      return new Uint32Array(size);
    case "bool":
      return new Uint8Array(size);
    case "float16":
      return new Float16Array(size);
  }
}

/** Rounds a JS number to what `dtype` can hold (as storing it would). */
export function castScalar(value: number | boolean, dtype: DType): number {
  const v = Number(value);
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "float64":
      return v;
    case "float16":
      return Math.f16round(v);
    case "int32":
      return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
    case "uint32":
      return Number.isFinite(v) ? Math.trunc(v) >>> 0 : 0;
    case "bool":
      return v !== 0 ? 1 : 0;
  }
}
