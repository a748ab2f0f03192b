/**
 * Shared by the golden tests: decodes the cases of tests/fixtures/jnp_golden.json
 * (written by scripts/gen_jnp_golden.py from real JAX), calls the jaxd
 * function a case names, and compares shape, dtype, weak type and values.
 *
 * @module
 */

import assert from "node:assert/strict";
import { jax, jnp, NDArray } from "../mod.ts";
import { AxisError, DTypeError, IndexError, JaxdError, ShapeError, ValueError } from "../lib/errors.ts";
// A static JSON import needs no --allow-read.
import goldenJson from "./fixtures/jnp_golden.json" with { type: "json" };

/** A flat float value as written by the generator: a number, or nan/inf as strings. */
export type Num = number | "nan" | "inf" | "-inf";

/** An array in the fixture. Outputs also carry JAX's weak_type flag. */
export interface EncodedArray {
  shape: number[];
  dtype: string;
  data: Num[];
  weak?: boolean;
}

/** One golden case: `jnp[fn](...args, opts)` gives `out`, or JAX raised `error`. */
export interface GoldenCase {
  id: string;
  fn: string;
  args: unknown[];
  opts: Record<string, unknown>;
  out?: EncodedArray | EncodedArray[] | Num;
  error?: string;
  tol?: [number, number];
}

/** One entry of the promote_types table. */
export interface PromoteCase {
  id: string;
  kind: "promote_types";
  a: string;
  b: string;
  promote_types: string;
  add_dtype: string;
}

/** The fixture's sections. */
export const golden = goldenJson as unknown as {
  jax_version: string;
  jnp: GoldenCase[];
  methods: GoldenCase[];
  shapes: GoldenCase[];
  promotion: (GoldenCase | PromoteCase)[];
};

const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity };

function num(v: Num): number {
  return typeof v === "string" ? SPECIAL[v] : v;
}

function isEncodedArray(v: unknown): v is EncodedArray {
  return typeof v === "object" && v !== null && "dtype" in v && "shape" in v && "data" in v;
}

/** Builds a strongly typed array from its encoding. */
export function decodeArray(e: EncodedArray): NDArray {
  return jnp.array(e.data.map(num), { dtype: e.dtype }).reshape(e.shape);
}

/**
 * Decodes an argument: arrays become NDArrays, `{weakf: v}` a weak float
 * scalar (JS cannot tell 2.0 from 2), "nan"/"inf"/"-inf" numbers, lists
 * element by element.
 */
export function decodeArg(v: unknown): unknown {
  if (typeof v === "string") return v in SPECIAL ? SPECIAL[v] : v;
  if (Array.isArray(v)) return v.map(decodeArg);
  if (isEncodedArray(v)) return decodeArray(v);
  if (typeof v === "object" && v !== null && "weakf" in v) return jnp.array((v as { weakf: number }).weakf);
  return v;
}

type Fn = (...args: unknown[]) => unknown;
type Opts = Record<string, unknown> | undefined;

/**
 * NDArray methods: how each `x.<name>` case calls the method. The index of
 * `get`/`slice`/`at` is a list of IndexSpec entries, spread into the call.
 */
const METHODS: Record<string, (x: NDArray, args: unknown[], o: Opts) => unknown> = {
  "x.add": (x, [y]) => x.add(y as NDArray),
  "x.sub": (x, [y]) => x.sub(y as NDArray),
  "x.mul": (x, [y]) => x.mul(y as NDArray),
  "x.div": (x, [y]) => x.div(y as NDArray),
  "x.floordiv": (x, [y]) => x.floordiv(y as NDArray),
  "x.mod": (x, [y]) => x.mod(y as NDArray),
  "x.pow": (x, [y]) => x.pow(y as NDArray),
  "x.neg": (x) => x.neg(),
  "x.abs": (x) => x.abs(),
  "x.lt": (x, [y]) => x.lt(y as NDArray),
  "x.le": (x, [y]) => x.le(y as NDArray),
  "x.gt": (x, [y]) => x.gt(y as NDArray),
  "x.ge": (x, [y]) => x.ge(y as NDArray),
  "x.eq": (x, [y]) => x.eq(y as NDArray),
  "x.ne": (x, [y]) => x.ne(y as NDArray),
  "x.matmul": (x, [y]) => x.matmul(y as NDArray),
  "x.T": (x) => x.T,
  "x.reshape": (x, s) => x.reshape(...(s as number[])),
  "x.transpose": (x, p) => x.transpose(...(p as number[])),
  "x.ravel": (x) => x.ravel(),
  "x.flatten": (x) => x.flatten(),
  "x.squeeze": (x, [a]) => x.squeeze(a as number | undefined),
  "x.astype": (x, [d]) => x.astype(d as jnp.DType),
  "x.get": (x, [i]) => x.get(...(i as never[])),
  "x.slice": (x, [i]) => x.slice(...(i as never[])),
  "x.at.set": (x, [i, v]) => x.at(...(i as never[])).set(v as NDArray),
  "x.at.add": (x, [i, v]) => x.at(...(i as never[])).add(v as NDArray),
  "x.at.multiply": (x, [i, v]) => x.at(...(i as never[])).multiply(v as NDArray),
  "x.at.min": (x, [i, v]) => x.at(...(i as never[])).min(v as NDArray),
  "x.at.max": (x, [i, v]) => x.at(...(i as never[])).max(v as NDArray),
  "x.at.get": (x, [i]) => x.at(...(i as never[])).get(),
  "x.sum": (x, _, o) => x.sum(o),
  "x.mean": (x, _, o) => x.mean(o),
  "x.max": (x, _, o) => x.max(o),
  "x.min": (x, _, o) => x.min(o),
  "x.prod": (x, _, o) => x.prod(o),
  "x.var": (x, _, o) => x.var(o),
  "x.std": (x, _, o) => x.std(o),
  "x.argmax": (x, _, o) => x.argmax(o),
  "x.cumsum": (x, _, o) => x.cumsum(o),
  "x.any": (x, _, o) => x.any(o),
  "x.all": (x, _, o) => x.all(o),
};

/** Looks up `jnp.<path>` (e.g. "linalg.norm"). */
function lookup(path: string): unknown {
  let obj: unknown = jnp;
  for (const part of path.split(".")) obj = (obj as Record<string, unknown>)[part];
  return obj;
}

/**
 * Calls the jaxd function of a case: positional args stay positional and the
 * options object comes last (left out when empty, so optional positional
 * parameters such as linspace's `num` keep their defaults).
 */
export function callCase(c: GoldenCase, o: { jit?: boolean } = {}): unknown {
  const args = c.args.map(decodeArg);
  const opts = Object.keys(c.opts).length
    ? Object.fromEntries(Object.entries(c.opts).map(([k, v]) => [k, decodeArg(v)]))
    : undefined;
  if (!o.jit) return invoke(c.fn, args, opts);
  // Under jit the top-level array arguments are traced; the rest stay static.
  const slots = args.flatMap((a, i) => (a instanceof NDArray ? [i] : []));
  const f = jax.jit((...xs: NDArray[]) => {
    const full = [...args];
    slots.forEach((s, k) => (full[s] = xs[k]));
    return invoke(c.fn, full, opts) as NDArray;
  });
  return f(...slots.map((s) => args[s] as NDArray));
}

function invoke(fn: string, args: unknown[], opts: Opts): unknown {
  const method = METHODS[fn];
  if (method) return method(args[0] as NDArray, args.slice(1), opts);
  const target = lookup(fn);
  if (typeof target === "number") return target;
  if (typeof target !== "function") throw new Error(`golden: jnp.${fn} does not exist`);
  return (target as Fn)(...args, ...(opts ? [opts] : []));
}

/** jaxd's error classes that stand for the exception JAX raised. */
const ERROR_MAP: Record<string, (new (...a: never[]) => Error)[]> = {
  TypeError: [ShapeError, DTypeError, ValueError, AxisError],
  ValueError: [ShapeError, ValueError, AxisError, DTypeError],
  IndexError: [IndexError, AxisError],
  AxisError: [AxisError],
  ZeroDivisionError: [ShapeError, ValueError],
};

function fmtShape(s: readonly number[]): string {
  return `(${s.join(", ")}${s.length === 1 ? "," : ""})`;
}

function close(got: number, want: number, [rtol, atol]: [number, number]): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

/** Options of checkArray. */
export interface CheckOptions {
  /** [rtol, atol] for floats. */
  tol?: [number, number];
  /** Also compare the weak-type flag. */
  weak?: boolean;
}

/** Asserts that `got` has the shape, dtype, (weak type) and values of `want`. */
export function checkArray(got: unknown, want: EncodedArray, o: CheckOptions = {}, where = "result"): void {
  assert.ok(got instanceof NDArray, `${where}: expected an NDArray, got ${String(got)}`);
  const g = got as NDArray;
  assert.equal(fmtShape(g.shape), fmtShape(want.shape), `${where}: shape`);
  assert.equal(g.dtype, want.dtype, `${where}: dtype`);
  if (o.weak && want.weak !== undefined) assert.equal(g.weakType, want.weak, `${where}: weak_type`);
  const data = Array.from(g.dataSync(), Number);
  const expected = want.data.map(num);
  assert.equal(data.length, expected.length, `${where}: number of values`);
  const float = want.dtype.startsWith("float");
  const tol = o.tol ?? [1e-6, 1e-6];
  const bad: string[] = [];
  expected.forEach((w, i) => {
    const ok = float ? close(data[i], w, tol) : data[i] === w;
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${data[i]}, want ${w}`);
  });
  assert.deepEqual(bad, [], `${where}: values differ (tol ${tol})`);
}

/** How a case is run and checked. */
export interface RunOptions {
  /** Compare weak-type flags too. */
  weak?: boolean;
  /** Run under jax.jit (array arguments traced, the rest static). */
  jit?: boolean;
}

/** Runs one case and checks it against JAX's answer. */
export function checkCase(c: GoldenCase, o: RunOptions = {}): void {
  if (c.error !== undefined) {
    const allowed = ERROR_MAP[c.error] ?? [JaxdError];
    let thrown: unknown;
    try {
      callCase(c, o);
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown !== undefined, `JAX raised ${c.error}, jaxd returned a value`);
    assert.ok(thrown instanceof JaxdError, `expected a jaxd error class, got ${thrown}`);
    assert.ok(
      allowed.some((cls) => thrown instanceof cls),
      `JAX raised ${c.error}; jaxd raised ${(thrown as Error).name}: ${(thrown as Error).message}`,
    );
    return;
  }
  const got = callCase(c, o);
  const want = c.out!;
  const opts = { tol: c.tol, weak: o.weak };
  if (typeof want === "number" || typeof want === "string") {
    assert.equal(typeof got, "number");
    assert.ok(Object.is(got, num(want)), `got ${got}, want ${want}`);
  } else if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), "expected a list of arrays");
    assert.equal((got as unknown[]).length, want.length, "number of results");
    want.forEach((w, i) => checkArray((got as unknown[])[i], w, opts, `result ${i}`));
  } else {
    checkArray(got, want, opts);
  }
}

/**
 * Registers one Deno.test per case. `knownBugs` maps a case id to the reason
 * it is ignored (a bug outside the files this suite may fix).
 */
export function registerCases(
  prefix: string,
  cases: GoldenCase[],
  knownBugs: Record<string, string> = {},
  o: RunOptions = {},
): void {
  for (const c of cases) {
    Deno.test({
      name: `${prefix}: ${c.id}`,
      ignore: c.id in knownBugs,
      fn: () => checkCase(c, o),
    });
  }
}
