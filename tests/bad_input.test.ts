/**
 * The bad-input table: each case raises a named error class with a message
 * that says what went wrong, or (for NaN/Inf, 0-d and empty arrays, singular
 * matrices) gives the values numpy/JAX give. After every case the runtime
 * still computes. The table runs on cpu and, when an adapter exists, on webgpu
 * (reported as ignored without one).
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp, lax, NDArray, np } from "../mod.ts";
import {
  AxisError,
  BackendError,
  ConcretizationError,
  DTypeError,
  EscapedTracerError,
  IndexError,
  JaxdError,
  ShapeError,
  TreeError,
  ValueError,
} from "../lib/errors.ts";
import { hasBackend } from "../lib/runtime.ts";
import { onPlatform } from "./platform.ts";

type A = jnp.NDArray;
type ErrorClass = new (message: string) => Error;
type Platform = "cpu" | "webgpu";

const gpu = hasBackend("webgpu");
const BOTH: Platform[] = ["cpu", "webgpu"];

const on = <T>(platform: Platform, f: () => T): T => onPlatform(platform, f);

/** The runtime still computes after an error: eager, under jit, under grad, and a scan. */
function stillWorks(): void {
  assert.equal(jnp.arange(4).mul(2).sum().item(), 12);
  assert.deepEqual(jax.jit((x: A) => x.mul(x))(jnp.array([1, 2])).tolist(), [1, 4]);
  assert.deepEqual(jax.grad((x: A) => x.mul(x).sum())(jnp.array([1, 2])).tolist(), [2, 4]);
  const [c] = lax.scan((c: A, x: A) => [c.add(x), x], jnp.array(0), jnp.arange(5));
  assert.equal(c.item(), 10);
}

function register(name: string, platforms: Platform[], body: () => void): void {
  for (const p of platforms) {
    Deno.test({ name: `bad input [${p}]: ${name}`, ignore: p === "webgpu" && !gpu }, () =>
      on(p, () => {
        body();
        stillWorks();
      }));
  }
}

/** `f` throws `cls` with a message matching `message`; then the runtime works. */
function raises(name: string, f: () => unknown, cls: ErrorClass, message: RegExp, platforms = BOTH): void {
  register(name, platforms, () => {
    let thrown: unknown;
    try {
      const r = f();
      if (r instanceof NDArray) r.dataSync();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown !== undefined, "expected an error, got none");
    assert.ok(thrown instanceof cls, `expected ${cls.name}, got ${thrown}`);
    assert.equal(thrown.name, cls.name);
    assert.match(thrown.message, message);
  });
}

/** Exact comparison that treats NaN as equal to NaN (and, unlike ===, tells -0 from 0 only when asked). */
function sameValues(got: ArrayLike<number>, want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length ${got.length}, want ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]), w = want[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= 1e-6 * Math.max(1, Math.abs(w)) || g === w;
    assert.ok(ok, `${what}[${i}]: got ${g}, want ${w} (all: ${Array.from(got)})`);
  }
}

/** `f` gives an array of shape `shape` holding `want` (as numpy/JAX give); then the runtime works. */
function gives(name: string, f: () => A, shape: number[], want: number[], platforms = BOTH): void {
  register(name, platforms, () => {
    const y = f();
    assert.deepEqual(y.shape, shape, `${name}: shape`);
    sameValues(y.dataSync() as ArrayLike<number>, want, name);
  });
}

const f32 = (...shape: number[]) => jnp.ones(shape);
const i32 = (...shape: number[]) => jnp.ones(shape, { dtype: "int32" });
const NAN = NaN, INF = Infinity;

// ---- a shape mismatch in every op family ----
raises(
  "elementwise: add (3,) + (4,)",
  () => jnp.add(f32(3), f32(4)),
  ShapeError,
  /^add: shapes \(3,\) and \(4,\) cannot be broadcast \(dimensions must be equal or 1, aligned from the right\)$/,
);
raises(
  "elementwise under jit",
  () => jax.jit((a: A, b: A) => a.mul(b))(f32(2, 3), f32(3, 2)),
  ShapeError,
  /multiply: shapes \(2, 3\) and \(3, 2\)/,
);
raises(
  "reduction axis out of range",
  () => jnp.sum(f32(3), { axis: 1 }),
  AxisError,
  /^sum: axis 1 is out of bounds for an array of dimension 1/,
);
raises(
  "reduction axis under grad",
  () => jax.grad((x: A) => jnp.max(x, { axis: -3 }).sum())(f32(2, 2)),
  AxisError,
  /max: axis -3 is out of bounds.*valid axes are -2\.\.1/,
);
raises("cumsum axis", () => jnp.cumsum(f32(3), { axis: 2 }), AxisError, /cumsum: axis 2 is out of bounds/);
raises(
  "dot",
  () => jnp.dot(f32(2, 3), f32(4)),
  ShapeError,
  /^dot: shapes \(2, 3\) and \(4,\) are not aligned: 3 \(dim 1\) != 4 \(dim 0\)$/,
);
raises(
  "matmul",
  () => jnp.matmul(f32(3, 4), f32(3, 4)),
  ShapeError,
  /matmul: shapes \(3, 4\) and \(3, 4\) are not aligned/,
);
raises(
  "matmul batch dims",
  () => jnp.matmul(f32(2, 2, 3), f32(3, 3, 2)),
  ShapeError,
  /matmul: shapes \(2,\) and \(3,\) cannot be broadcast/,
);
raises(
  "dot_general contracting sizes",
  () => lax.dot_general(f32(2, 3), f32(4, 2), [[[1], [0]], [[], []]]),
  ShapeError,
  /dot_general: contracting dimensions differ in size \(shapes \(2, 3\) and \(4, 2\)/,
);
raises(
  "reshape",
  () => f32(6).reshape(5),
  ShapeError,
  /^reshape: cannot reshape an array of shape \(6,\) \(size 6\) into shape \(5,\)$/,
);
raises(
  "reshape under vmap",
  () => jax.vmap((x: A) => x.reshape(4))(f32(2, 3)),
  ShapeError,
  /^reshape: cannot reshape an array of shape \(3,\) \(size 3\) into shape \(4,\)$/,
);
raises(
  "concatenate",
  () => jnp.concatenate([f32(2, 3), f32(2, 4)]),
  ShapeError,
  /^concatenate: shapes \(2, 3\), \(2, 4\) differ outside axis 0/,
);
raises("concatenate axis", () => jnp.concatenate([f32(2), f32(2)], { axis: 1 }), AxisError, /concatenate: axis 1/);
raises(
  "lax.slice past the end",
  () => lax.slice(f32(3), [0], [5]),
  IndexError,
  /slice: start \[0\], limit \[5\].*shape \(3,\)/,
);
raises(
  "dynamic_slice bigger than the operand",
  () => lax.dynamic_slice(jnp.arange(3), [0], [5]),
  IndexError,
  /dynamic_slice: slice sizes \[5\] exceed shape \(3,\)/,
);
raises("index out of bounds", () => f32(3).get(3), IndexError, /^index 3 is out of bounds for axis 0 with size 3$/);
raises("too many indices", () => f32(3).get(0, 0), IndexError, /too many indices/);
raises(
  "broadcast_in_dim",
  () => lax.broadcast_in_dim(f32(3), [4], [0]),
  ShapeError,
  /broadcast_in_dim: cannot broadcast \(3,\) to \(4,\)/,
);
raises(
  "transpose permutation",
  () => lax.transpose(f32(2, 3), [0]),
  ShapeError,
  /transpose: permutation \[0\] is not a permutation of 2 axes/,
);
raises("where", () => jnp.where(f32(2).gt(0), f32(3), 1), ShapeError, /where: shapes \(2,\) and \(3,\) and \(\)/);
raises(
  "scan xs leading axes differ",
  () => lax.scan((c: A, x: A[]) => [c, x[0]], f32(), [f32(3), f32(4)]),
  ShapeError,
  /scan: xs leading axes and length disagree: 3, 4/,
);
raises(
  "scan xs vs length",
  () => lax.scan((c: A, x: A) => [c, x], f32(), f32(3), { length: 4 }),
  ShapeError,
  /scan: xs leading axes and length disagree: 3, 4/,
);
raises(
  "scan without xs or length",
  () => lax.scan((c: A) => [c, c], f32(), null),
  ValueError,
  /scan: give \{ length \} when xs is null/,
);

// ---- dtypes ----
raises(
  "lax.add float32 + int32",
  () => lax.add(f32(3), i32(3)),
  DTypeError,
  /^add: operands must have the same dtype, got float32 and int32; use jnp functions \(which promote\) or convert with astype$/,
);
raises("lax.exp of int32", () => lax.exp(i32(2)), DTypeError, /exp: needs a float operand, got int32/);
raises(
  "select_n with a float predicate",
  () => lax.select(f32(2), f32(2), f32(2)),
  DTypeError,
  /select_n: the predicate must be bool or int32, got float32/,
);
raises(
  "unknown dtype",
  () => f32(3).astype("int8" as jnp.DType),
  DTypeError,
  /unknown dtype "int8"; use one of bool, int32/,
);

// ---- pytrees and control flow ----
raises(
  "scan carry structure in != out",
  () => lax.scan((c: A, x: A) => [[c, c], x], f32(), f32(3)),
  TreeError,
  /scan: the body's carry output structure PyTreeDef\(\[\*, \*\]\) differs from the carry input PyTreeDef\(\*\)/,
);
raises(
  "scan carry shape in != out",
  () => lax.scan((c: A, x: A) => [c.reshape(1), x], f32(), f32(3)),
  TreeError,
  /carry 0 enters the body as f32\[\] but comes out as f32\[1\]/,
);
raises(
  "scan carry dtype in != out",
  () => lax.scan((c: A, x: A) => [c.astype("int32"), x], f32(), f32(3)),
  TreeError,
  /carry 0 enters the body as f32\[\] but comes out as i32\[\]/,
);
raises(
  "while_loop carry",
  () => lax.while_loop((c: A) => c.lt(3), (c: A) => c.add(1).reshape(1), jnp.array(0)),
  TreeError,
  /while_loop: carry 0 enters the body as .* but comes out as/,
);
raises(
  "cond branches",
  () => lax.cond(jnp.array(true), (x: A) => x, (x: A) => x.reshape(1, 1), f32(1)),
  TreeError,
  /cond\/switch: branch 1 output 0 is f32\[1\] but branch 0 gives f32\[1,1\]/,
);
raises(
  "tree_map structures",
  () => jax.tree_util.tree_map((a: A, b: A) => a.add(b), [f32(1)], [f32(1), f32(1)]),
  TreeError,
  /tree_map: argument 2 has structure/,
);

// ---- grad ----
raises(
  "grad of a non-scalar output",
  () => jax.grad((x: A) => x.mul(2))(f32(3)),
  ShapeError,
  /^grad requires a scalar output, got \(3,\); use jacrev or vjp/,
);
raises(
  "grad of an integer input",
  () => jax.grad((x: A) => x.sum())(i32(3)),
  DTypeError,
  /grad requires real-valued \(float\) inputs, but got int32.*astype\("float32"\)/,
);
raises(
  "grad of a bool output",
  () => jax.grad((x: A) => x.gt(0).sum())(f32(3)),
  DTypeError,
  /grad requires a real \(float\) output, got int32/,
);
raises(
  "grad argnums out of range",
  () => jax.grad((x: A) => x.sum(), { argnums: 3 })(f32(3)),
  AxisError,
  /grad: argnums 3 is out of range for 1 arguments/,
);
raises(
  "jvp tangent shape",
  () => jax.jvp((x: A) => x.mul(2), [f32(3)], [f32(4)]),
  ShapeError,
  /^jvp: primal and tangent 0 shapes differ: \(3,\) vs \(4,\)$/,
);
raises(
  "vjp cotangent shape",
  () => jax.vjp((x: A) => x.mul(2), f32(3))[1](f32(4)),
  ShapeError,
  /^vjp: cotangent 0 has shape \(4,\), the output has \(3,\)$/,
);

// ---- traced values ----
const CONCRETE =
  /this value is traced \(an abstract f32\[\] inside jit, vmap or make_jaxpr\).*lax\.cond.*staticArgnums/;
raises("Number(tracer) under jit", () => jax.jit((x: A) => jnp.array(Number(x)))(f32()), ConcretizationError, CONCRETE);
raises(
  "tracer > 0 under jit",
  () => jax.jit((x: A) => ((x as unknown as number) > 0 ? x : x.neg()))(f32()),
  ConcretizationError,
  CONCRETE,
);
raises(
  "tracer < 1 under vmap",
  () => jax.vmap((x: A) => ((x as unknown as number) < 1 ? x : x.neg()))(f32(2)),
  ConcretizationError,
  CONCRETE,
);
raises(
  "template string of a tracer",
  () => jax.jit((x: A) => jnp.array(`${x}`.length))(f32()),
  ConcretizationError,
  CONCRETE,
);
raises("item() under jit", () => jax.jit((x: A) => jnp.array(x.item()))(f32()), ConcretizationError, CONCRETE);
raises(
  "a traced shape (jnp.ones)",
  () => jax.jit((n: A) => jnp.ones([n as unknown as number]))(jnp.array(3)),
  ConcretizationError,
  /traced.*staticArgnums/,
);
raises(
  "a traced bound (jnp.arange)",
  () => jax.jit((n: A) => jnp.arange(n as unknown as number))(jnp.array(3)),
  ConcretizationError,
  /traced.*staticArgnums/,
);
const ESCAPED =
  /^a f32\[2\] tracer was used after the transformation that created it \(jit, grad, vmap, scan, \.\.\.\) returned/;
raises(
  "escaped tracer from jit",
  () => {
    let leak: A | null = null;
    jax.jit((x: A) => {
      leak = x;
      return x.mul(2);
    })(f32(2));
    return leak!.add(1);
  },
  EscapedTracerError,
  ESCAPED,
);
raises(
  "escaped tracer from grad",
  () => {
    let leak: A | null = null;
    jax.grad((x: A) => {
      leak = x;
      return x.sum();
    })(f32(2));
    return leak!.mul(3);
  },
  EscapedTracerError,
  ESCAPED,
);
raises(
  "escaped tracer from vmap",
  () => {
    let leak: A | null = null;
    jax.vmap((x: A) => {
      leak = x;
      return x;
    })(f32(3, 2));
    return leak!.sum();
  },
  EscapedTracerError,
  ESCAPED,
);

// ---- vmap ----
raises(
  "vmap inAxes length",
  () => jax.vmap((a: A, b: A) => a.add(b), { inAxes: [0] })(f32(2), f32(2)),
  ValueError,
  /^vmap in_axes: axes specification has 1 entries but there are 2 values$/,
);
raises(
  "vmap axis out of range",
  () => jax.vmap((a: A) => a, { inAxes: 2 })(f32(2)),
  AxisError,
  /vmap was requested to map its argument along axis 2.*rank should be at least 3, but is only 1 \(its shape is \(2,\)\)/,
);
raises(
  "vmap over a 0-d array",
  () => jax.vmap((a: A) => a)(jnp.array(3)),
  AxisError,
  /along axis 0.*its shape is \(\)/,
);
raises(
  "vmap sizes differ",
  () => jax.vmap((a: A, b: A) => a.add(b))(f32(2), f32(3)),
  ValueError,
  /vmap got inconsistent sizes for the array axes to be mapped: 2, 3/,
);

// ---- singular matrices: inf/nan as JAX gives, no throw ----
gives("solve of a singular matrix", () => jnp.linalg.solve(jnp.array([[1, 2], [2, 4]]), jnp.array([1, 1])), [2], [
  -INF,
  INF,
]);
gives("inv of a singular matrix", () => jnp.linalg.inv(jnp.array([[1, 2], [2, 4]])), [2, 2], [-INF, INF, INF, -INF]);
register("solve of the zero matrix is non-finite", BOTH, () => {
  // JAX gives [nan, inf]; jaxd's LU gives [nan, nan] (the zero pivot's multipliers are 0/0). Both non-finite.
  const x = jnp.linalg.solve(jnp.zeros([2, 2]), jnp.array([1, 1])).dataSync();
  assert.ok(Array.from(x).every((v) => !Number.isFinite(v)), `${Array.from(x)}`);
});

// ---- NaN and Inf: numpy's values ----
gives("sum with a NaN", () => jnp.sum(jnp.array([1, NAN])), [], [NAN]);
gives("max with a NaN", () => jnp.max(jnp.array([1, NAN, 3])), [], [NAN]);
gives("min with a NaN", () => jnp.min(jnp.array([1, NAN])), [], [NAN]);
gives("argmax picks the NaN", () => jnp.argmax(jnp.array([1, NAN, 3])), [], [1]);
gives("argmin picks the NaN", () => jnp.argmin(jnp.array([1, NAN, 3])), [], [1]);
gives("inf - inf", () => jnp.array([INF, 1]).sub(jnp.array([INF, -INF])), [2], [NAN, INF]);
gives("exp of inf, -inf, nan", () => jnp.exp(jnp.array([INF, -INF, NAN])), [3], [INF, 0, NAN]);
gives("log of 0 and -1", () => jnp.log(jnp.array([0, -1])), [2], [-INF, NAN]);
gives("sqrt of -1 and inf", () => jnp.sqrt(jnp.array([-1, INF])), [2], [NAN, INF]);
gives("divide by zero", () => jnp.array([1, 0, -1]).div(0), [3], [INF, NAN, -INF]);
gives("maximum propagates NaN", () => jnp.maximum(jnp.array([NAN, 1]), jnp.array([0, NAN])), [2], [NAN, NAN]);
gives("clip of NaN", () => jnp.clip(jnp.array([NAN, 2]), 0, 1), [2], [NAN, 1]);
gives("sign of NaN", () => jnp.sign(jnp.array([NAN, -2])), [2], [NAN, -1], ["cpu"]);
// WGSL's sign gave 0 for NaN (and 0 for -0) on webgpu.
Deno.test(
  { name: "bad input [webgpu]: sign of NaN is NaN, of -0 is -0", ignore: !gpu },
  () =>
    on("webgpu", () => {
      const s = jnp.sign(jnp.array([NAN, -2, 3, -0, 0])).dataSync();
      sameValues(s, [NAN, -1, 1, -0, 0], "sign");
      assert.ok(Object.is(s[3], -0) && Object.is(s[4], 0), `sign(-0), sign(0): ${s[3]}, ${s[4]}`);
    }),
);
gives("cumsum through a NaN", () => jnp.cumsum(jnp.array([1, NAN, 2])), [3], [1, NAN, NAN]);
gives("var with an inf", () => jnp.var(jnp.array([INF, 1])), [], [NAN]);
gives("norm of inf and nan", () => jnp.linalg.norm(jnp.array([INF, NAN])), [], [NAN]);
gives(
  "integer remainder by zero is 0 (numpy, JAX)",
  () => jnp.remainder(i32(3).mul(jnp.array([1, -1, 0], { dtype: "int32" })), 0),
  [3],
  [0, 0, 0],
);
gives(
  "integer fmod by zero is 0",
  () => jnp.fmod(jnp.array([5, -5], { dtype: "int32" }), jnp.array([0, 2], { dtype: "int32" })),
  [2],
  [0, -1],
);
gives(
  "integer floor_divide by zero as JAX",
  () => jnp.floor_divide(jnp.array([1, -1, 0], { dtype: "int32" }), 0),
  [3],
  [-2, -2, -1],
);
gives("float remainder by zero is nan", () => jnp.remainder(jnp.array([1, -1]), 0), [2], [NAN, NAN]);
gives("nan/inf to int32 as JAX", () => jnp.array([NAN, INF, -INF]).astype("int32"), [3], [0, 2147483647, -2147483648]);
gives("grad through log at 0", () => jax.grad((x: A) => jnp.log(x).sum())(jnp.array([0, 1])), [2], [INF, 1]);
gives("jit with NaN inputs", () => jax.jit((x: A) => x.mul(2).add(1))(jnp.array([NAN, INF])), [2], [NAN, INF]);

// ---- 0-d arrays ----
gives("sum of a 0-d array", () => jnp.sum(jnp.array(3)), [], [3]);
gives("exp of a 0-d array", () => jnp.exp(jnp.array(0)), [], [1]);
gives("transpose of a 0-d array", () => jnp.transpose(jnp.array(2)), [], [2]);
gives("reshape 0-d to (1, 1)", () => jnp.array(2).reshape(1, 1), [1, 1], [2]);
gives("std of a 0-d array", () => jnp.std(jnp.array(3)), [], [0]);
gives("dot of a 0-d and a vector", () => jnp.dot(jnp.array(2), jnp.array([3, 4])), [2], [6, 8]);
gives("cumsum of a 0-d array flattens", () => jnp.cumsum(jnp.array(2)), [1], [2]);
gives("grad at a 0-d input", () => jax.grad((x: A) => x.mul(x))(jnp.array(3)), [], [6]);
gives("0-d broadcast against (2, 2)", () => jnp.array(2).add(jnp.ones([2, 2])), [2, 2], [3, 3, 3, 3]);
raises(
  "matmul of 0-d arrays",
  () => jnp.matmul(jnp.array(2), jnp.array(3)),
  ShapeError,
  /matmul: operands must have at least one dimension; use multiply/,
);

// ---- empty arrays ----
gives("sum of an empty array", () => jnp.sum(f32(0)), [], [0]);
gives("mean of an empty array is nan", () => jnp.mean(f32(0)), [], [NAN]);
gives("sum over an empty axis", () => jnp.sum(f32(0, 3), { axis: 0 }), [3], [0, 0, 0]);
gives("prod over an empty axis", () => jnp.prod(f32(0, 3), { axis: 0 }), [3], [1, 1, 1]);
gives("max keeping an empty axis", () => jnp.max(f32(0, 3), { axis: 1 }), [0], []);
gives("matmul (2, 0) @ (0, 3)", () => jnp.matmul(f32(2, 0), f32(0, 3)), [2, 3], [0, 0, 0, 0, 0, 0]);
gives("exp of an empty array", () => jnp.exp(f32(0)), [0], []);
gives("cumsum of an empty array", () => jnp.cumsum(f32(0)), [0], []);
gives("concatenate with an empty array", () => jnp.concatenate([f32(0), jnp.array([1, 2])]), [2], [1, 2]);
gives("where over empty arrays", () => jnp.where(f32(0).gt(0), 1, 2), [0], []);
gives("dot of empty vectors", () => jnp.dot(f32(0), f32(0)), [], [0]);
gives("any / all of empty arrays", () => jnp.stack([jnp.any(f32(0)), jnp.all(f32(0))]), [2], [0, 1]);
gives("empty slice", () => jnp.arange(5).slice("3:1"), [0], []);
gives("slice clamps past the end (numpy)", () => jnp.arange(3).slice("1:9"), [2], [1, 2]);
gives("grad over an empty input", () => jax.grad((x: A) => x.mul(x).sum())(f32(0)), [0], []);
gives("jit over an empty input", () => jax.jit((x: A) => x.mul(2).sum())(f32(0)), [], [0]);
gives("vmap over an empty axis", () => jax.vmap((x: A) => x.sum())(f32(0, 3)), [0], []);
gives("scan over empty xs keeps the init", () => lax.scan((c: A, x: A) => [c.add(x), x], jnp.array(5), f32(0))[0], [], [
  5,
]);
raises("max of an empty array", () => jnp.max(f32(0)), ValueError, /zero-size array/);

// ---- CSV garbage ----
const dir = Deno.makeTempDirSync({ dir: "/tmp", prefix: "jaxd_bad_input_" });
const csv = (name: string, text: string) => {
  const path = `${dir}/${name}.csv`;
  Deno.writeTextFileSync(path, text);
  return path;
};
const nonNumeric = csv("nonnumeric", "a,b\n1,2\n3,abc\n");
const ragged = csv("ragged", "1,2\n3\n");
const quote = csv("quote", 'a,b\n"1,2\n');
const blank = csv("blank", "1,2\n3,\n");
const empty = csv("empty", "");
const semicolons = csv("semicolons", "1;2\n3;4\n");
raises(
  "load_csv: a non-numeric field",
  () => jnp.load_csv(nonNumeric),
  ValueError,
  /^load_csv: .*nonnumeric\.csv: non-numeric field "abc" at line 3, column b$/,
  ["cpu"],
);
raises(
  "loadtxt: a header line",
  () => np.loadtxt(nonNumeric, { delimiter: "," }),
  ValueError,
  /loadtxt: .*non-numeric field "a" at line 1, column 0/,
  ["cpu"],
);
raises(
  "loadtxt: ragged rows",
  () => np.loadtxt(ragged, { delimiter: "," }),
  ValueError,
  /ragged rows: line 2 has 1 field\(s\), expected 2 \(as on line 1\)/,
  ["cpu"],
);
raises(
  "loadtxt: an unclosed quote",
  () => np.loadtxt(quote, { delimiter: "," }),
  ValueError,
  /malformed CSV at line 2: Quote Not Closed/,
  ["cpu"],
);
raises("load_csv: an unclosed quote", () => jnp.load_csv(quote), ValueError, /load_csv: .*malformed CSV at line 2/, [
  "cpu",
]);
raises(
  "loadtxt: an empty field",
  () => np.loadtxt(blank, { delimiter: "," }),
  ValueError,
  /empty field at line 2, column 1/,
  ["cpu"],
);
raises("loadtxt: an empty file", () => np.loadtxt(empty), ValueError, /empty file, no data rows/, ["cpu"]);
raises(
  "loadtxt: the wrong delimiter",
  () => np.loadtxt(semicolons, { delimiter: "," }),
  ValueError,
  /non-numeric field "1;2" at line 1, column 0/,
  ["cpu"],
);
raises(
  "loadtxt: a missing file",
  () => np.loadtxt(`${dir}/nope.csv`),
  Deno.errors.NotFound,
  /loadtxt: file not found: .*nope\.csv/,
  ["cpu"],
);

// ---- invalid JAX_PLATFORMS: a named error on stderr, exit code 1 ----
Deno.test("bad input: an invalid JAX_PLATFORMS exits 1 with a BackendError naming the platforms", async () => {
  const code = `import { jnp } from "${
    new URL("../mod.ts", import.meta.url).href
  }"; console.log(jnp.ones([2]).sum().item());`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { JAX_PLATFORMS: "tpu", NO_COLOR: "1", XDG_RUNTIME_DIR: "/tmp" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 1, stderr);
  assert.equal(new TextDecoder().decode(out.stdout), "");
  assert.match(
    stderr,
    /BackendError: JAX_PLATFORMS=tpu: no usable platform \(tpu: unknown platform 'tpu'; available: cpu/,
  );
  assert.match(stderr, /use "cpu" or "webgpu"/);
});

Deno.test("bad input: jax.config with an invalid platform raises, then a valid one works", () => {
  jax.config.update("jax_platforms", "tpu");
  try {
    assert.throws(() => jnp.ones([2]).sum().item(), (e: unknown) => e instanceof BackendError && /tpu/.test(e.message));
  } finally {
    jax.config.update("jax_platforms", "");
  }
  stillWorks();
});

// ---- arrays bigger than the device's buffer binding limit (webgpu) ----
// llvmpipe: maxBufferSize 2 GiB, maxStorageBufferBindingSize 128 MiB. An array
// whose buffer exceeds the binding size must give a named error or be
// chunked; it used to read back as zeros, silently.
Deno.test({
  name: "bad input [webgpu]: an array past maxStorageBufferBindingSize is right or a BackendError",
  ignore: !gpu,
}, () =>
  on("webgpu", () => {
    const n = 40_000_000; // 160 MB of float32
    try {
      const y = jnp.arange(n).astype("float32").add(1).dataSync();
      assert.equal(y[0], 1);
      assert.equal(y[n - 1], n);
      assert.equal(y[34_000_000], 34_000_001);
    } catch (e) {
      assert.ok(e instanceof BackendError, `expected a BackendError, got ${e}`);
      assert.match(e.message, /buffer|binding|limit/i);
    }
    stillWorks();
  }));

// A reduction over such an array never materialises it (fused), and is exact.
Deno.test(
  { name: "bad input [webgpu]: a fused reduction over 40e6 elements is exact", ignore: !gpu },
  () =>
    on("webgpu", () => {
      assert.equal(jnp.sum(jnp.ones([40_000_000]).mul(2)).item(), 80_000_000);
      stillWorks();
    }),
);

Deno.test("bad input: every error class used here is a JaxdError", () => {
  for (const cls of [AxisError, BackendError, ConcretizationError, DTypeError, EscapedTracerError, IndexError]) {
    assert.ok(new cls("x") instanceof JaxdError);
  }
  for (const cls of [ShapeError, TreeError, ValueError]) assert.ok(new cls("x") instanceof JaxdError);
});
