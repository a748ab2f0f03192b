/**
 * Control flow (lax.scan, fori_loop, while_loop, cond, switch, map) under
 * every transformation, and the errors users meet around tracing: carry
 * mismatches, non-scalar or integer grads, concretization inside jit, and
 * escaped tracers — each followed by a check that the runtime still works.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  ConcretizationError,
  DTypeError,
  EscapedTracerError,
  jax,
  lax,
  type NDArray,
  ShapeError,
  TreeError,
  ValueError,
} from "../mod.ts";
import { ConcreteArray } from "../lib/array.ts";
import { type Jaxpr, typecheckJaxpr } from "../lib/trace/jaxpr.ts";
import { arr, assertClose, check_grads, enableX64, normal, Rng, uniform } from "./check_grads.ts";

enableX64();

// deno-lint-ignore no-explicit-any
type Any = any;

const f64 = (v: number[], shape = [v.length]) => arr(v, shape);
const s64 = (v: number) => arr([v], []);
const i32 = (v: number) => arr([v], [], "int32");
const sum = (x: NDArray) => lax.reduce_sum(x, [...Array(x.ndim).keys()]);
const tol = { atol: 1e-12, rtol: 1e-12 };

function primitivesOf(j: Jaxpr): string[] {
  return j.eqns.map((e) => e.primitive);
}

/** The runtime works: eager, jit, grad and vmap give the right numbers, and eager ops are not staged. */
function assertRuntimeWorks() {
  const x = f64([1, 2, 3]);
  const y = lax.mul(x, 2);
  assert.ok(y instanceof ConcreteArray, "eager ops run eagerly after the error");
  assertClose(y, f64([2, 4, 6]));
  assertClose(jax.jit((v: NDArray) => lax.add(v, 1))(x), f64([2, 3, 4]));
  assertClose(jax.grad((v: NDArray) => sum(lax.mul(v, v)))(x), f64([2, 4, 6]));
  assertClose(jax.vmap((v: NDArray) => lax.neg(v))(x), f64([-1, -2, -3]));
}

// ---------------------------------------------------------------- scan

Deno.test("scan: carry and stacked ys (running sum)", () => {
  const [total, partial] = lax.scan((c: NDArray, x: NDArray) => [lax.add(c, x), c], s64(0), f64([1, 2, 3, 4]));
  assertClose(total, s64(10), tol);
  assertClose(partial, f64([0, 1, 3, 6]), tol);
});

Deno.test("scan: reverse iterates from the end; ys keep the input order", () => {
  const [total, partial] = lax.scan((c: NDArray, x: NDArray) => [lax.add(c, x), c], s64(0), f64([1, 2, 3, 4]), {
    reverse: true,
  });
  assertClose(total, s64(10), tol);
  assertClose(partial, f64([9, 7, 4, 0]), tol);
});

Deno.test("scan: xs and ys as pytrees, carry as a nested pytree", () => {
  const xs = { a: f64([1, 2, 3, 4, 5, 6], [3, 2]), b: f64([10, 20, 30]) };
  const init = [s64(0), { m: f64([1, 1]) }];
  const [[c, { m }], ys] = lax.scan(
    ([s, { m }]: Any, x: Any) => [[lax.add(s, x.b), { m: lax.mul(m, x.a) }], [sum(x.a), { neg: lax.neg(x.b) }]],
    init,
    xs,
  );
  assertClose(c, s64(60), tol);
  assertClose(m, f64([15, 48]), tol);
  assertClose(ys, [f64([3, 7, 11]), { neg: f64([-10, -20, -30]) }], tol);
});

Deno.test("scan: xs null with length", () => {
  const [c, ys] = lax.scan(
    (c: NDArray, x: null) => {
      assert.equal(x, null);
      return [lax.mul(c, 2), c];
    },
    s64(1),
    null,
    { length: 5 },
  );
  assertClose(c, s64(32), tol);
  assertClose(ys, f64([1, 2, 4, 8, 16]), tol);
});

Deno.test("scan: ys null and a JS-number (weakly typed) init", () => {
  const [c, ys] = lax.scan((c: NDArray, x: NDArray) => [lax.add(c, x), null], 0.5, f64([0.5, 1.5]));
  assert.equal(ys, null);
  assert.equal(c.dtype, "float64");
  assertClose(c, s64(2.5), tol);
});

Deno.test("scan: length 0 returns the init and empty ys", () => {
  const [c, ys] = lax.scan((c: NDArray, x: NDArray) => [lax.add(c, x), lax.mul(x, 2)], s64(3), f64([], [0]));
  assertClose(c, s64(3), tol);
  assert.deepEqual(ys.shape, [0]);
});

Deno.test("scan: xs of different lengths raise ShapeError", () => {
  assert.throws(() => lax.scan((c: NDArray, _x: Any) => [c, null], s64(0), [f64([1, 2]), f64([1, 2, 3])]), ShapeError);
  assert.throws(() => lax.scan((c: NDArray, _x: Any) => [c, null], s64(0), f64([1, 2]), { length: 3 }), ShapeError);
  assertRuntimeWorks();
});

Deno.test("scan: xs null without length raises ValueError", () => {
  assert.throws(() => lax.scan((c: NDArray) => [c, null], s64(0), null), ValueError);
});

/** A small RNN: h <- tanh(W h + x_t), loss = sum of the outputs. */
function rnnScan(W: NDArray, h0: NDArray, xs: NDArray): NDArray {
  const [, hs] = lax.scan(
    (h: NDArray, x: NDArray) => {
      const hNew = lax.tanh(lax.add(lax.dot_general(W, h, [[[1], [0]], [[], []]]), x));
      return [hNew, hNew];
    },
    h0,
    xs,
  );
  return sum(lax.mul(hs, hs));
}

function rnnUnrolled(W: NDArray, h0: NDArray, xs: NDArray): NDArray {
  let h = h0;
  let loss: NDArray = s64(0);
  for (let t = 0; t < xs.shape[0]; t++) {
    const x = lax.reshape(lax.slice_in_dim(xs, t, t + 1), [xs.shape[1]]);
    h = lax.tanh(lax.add(lax.dot_general(W, h, [[[1], [0]], [[], []]]), x));
    loss = lax.add(loss, sum(lax.mul(h, h)));
  }
  return loss;
}

const rnnArgs = () => {
  const r = new Rng(11);
  return [lax.mul(normal(r, [3, 3]), 0.5), normal(r, [3]), normal(r, [5, 3])] as const;
};

Deno.test("scan: grad of a loss computed with scan equals the unrolled loop's", () => {
  const [W, h0, xs] = rnnArgs();
  assertClose(rnnScan(W, h0, xs), rnnUnrolled(W, h0, xs), { atol: 1e-12, rtol: 1e-12 });
  const gs = jax.grad(rnnScan, { argnums: [0, 1, 2] })(W, h0, xs);
  const gu = jax.grad(rnnUnrolled, { argnums: [0, 1, 2] })(W, h0, xs);
  assertClose(gs, gu, { atol: 1e-12, rtol: 1e-10 });
});

Deno.test("scan: gradients match finite differences to second order", () => {
  const [W, h0, xs] = rnnArgs();
  check_grads(rnnScan, [W, h0, xs], 2);
});

Deno.test("scan: jvp equals the unrolled loop's", () => {
  const [W, h0, xs] = rnnArgs();
  const r = new Rng(12);
  const ts = [normal(r, [3, 3]), normal(r, [3]), normal(r, [5, 3])];
  const [ys, ts1] = jax.jvp(rnnScan, [W, h0, xs], ts);
  const [yu, tu] = jax.jvp(rnnUnrolled, [W, h0, xs], ts);
  assertClose([ys, ts1], [yu, tu], { atol: 1e-12, rtol: 1e-10 });
});

Deno.test("scan: jvp with a tangent on xs only (carry tangent starts at zero)", () => {
  const f = (xs: NDArray) => lax.scan((c: NDArray, x: NDArray) => [lax.mul(c, x), c], s64(1), xs)[0];
  const [y, t] = jax.jvp(f, [f64([2, 3, 4])], [f64([1, 0, 0])]);
  assertClose([y, t], [s64(24), s64(12)], tol);
});

Deno.test("scan: hessian through scan", () => {
  const f = (x: NDArray) =>
    lax.scan((c: NDArray, xi: NDArray) => [lax.add(c, lax.integer_pow(xi, 3)), null], s64(0), x)[0];
  const h = jax.hessian(f)(f64([1, 2]));
  assertClose(h, f64([6, 0, 0, 12], [2, 2]), tol);
});

const cumprodScan = (c0: NDArray, xs: NDArray) =>
  lax.scan(
    (c: NDArray, x: NDArray) => {
      const n = lax.mul(c, x);
      return [n, lax.add(n, c)];
    },
    c0,
    xs,
  );

function loopStack(f: (...a: NDArray[]) => Any, args: NDArray[][], n: number): Any {
  const outs = [...Array(n).keys()].map((b) => f(...args.map((a) => a[b] ?? a[0])));
  return jax.tree_util.tree_map(
    (...ls: NDArray[]) => lax.concatenate(ls.map((l) => lax.expand_dims(l, [0])), 0),
    outs[0],
    ...outs.slice(1),
  );
}

Deno.test("scan: vmap with batched carry and batched xs equals a loop", () => {
  const r = new Rng(13);
  const c0 = normal(r, [3, 2]), xs = normal(r, [3, 4, 2]);
  const rows = (a: NDArray) => [0, 1, 2].map((b) => lax.squeeze(lax.slice_in_dim(a, b, b + 1), [0]));
  const expected = loopStack(cumprodScan, [rows(c0), rows(xs)], 3);
  assertClose(jax.vmap(cumprodScan)(c0, xs), expected, tol);
});

Deno.test("scan: vmap with only the carry batched, and with only xs batched", () => {
  const r = new Rng(14);
  const c0 = normal(r, [3, 2]), xs = normal(r, [4, 2]);
  const rows = (a: NDArray) => [0, 1, 2].map((b) => lax.squeeze(lax.slice_in_dim(a, b, b + 1), [0]));
  assertClose(jax.vmap(cumprodScan, { inAxes: [0, null] })(c0, xs), loopStack(cumprodScan, [rows(c0), [xs]], 3), tol);
  const c1 = normal(r, [2]), xsB = normal(r, [4, 3, 2]); // xs batched on axis 1
  const cols = [0, 1, 2].map((b) => lax.squeeze(lax.slice_in_dim(xsB, b, b + 1, 1, 1), [1]));
  assertClose(jax.vmap(cumprodScan, { inAxes: [null, 1] })(c1, xsB), loopStack(cumprodScan, [[c1], cols], 3), tol);
});

Deno.test("scan: vmap of grad through scan equals per-example grads", () => {
  const f = (w: NDArray, xs: NDArray) =>
    lax.scan((c: NDArray, x: NDArray) => [lax.add(lax.mul(c, w), x), null], s64(0), xs)[0];
  const ws = f64([0.5, 1.5, -1]);
  const xs = f64([1, 2, 3]);
  const got = jax.vmap(jax.grad(f), { inAxes: [0, null] })(ws, xs);
  const want = [0.5, 1.5, -1].map((w) => jax.grad(f)(s64(w), xs).dataSync()[0]);
  assertClose(got, f64(want), tol);
});

Deno.test("scan: inside jit stays one scan (not unrolled) and gives the eager result", () => {
  const [W, h0, xs] = rnnArgs();
  assertClose(jax.jit(rnnScan)(W, h0, xs), rnnScan(W, h0, xs), tol);
  const j = jax.make_jaxpr(rnnScan)(W, h0, xs);
  assert.equal(primitivesOf(j.jaxpr).filter((p) => p === "scan").length, 1);
  assert.equal(primitivesOf(j.jaxpr).filter((p) => p === "tanh").length, 0, "the body is not inlined");
  typecheckJaxpr(j.jaxpr);
});

Deno.test("lax.map applies a function over the leading axis", () => {
  assertClose(lax.map((x: NDArray) => lax.mul(x, x), f64([1, 2, 3])), f64([1, 4, 9]), tol);
});

// ---------------------------------------------------------------- fori_loop

Deno.test("fori_loop: static bounds", () => {
  const out = lax.fori_loop(
    0,
    5,
    (i: NDArray, x: NDArray) => lax.add(x, lax.convert_element_type(i, "float64")),
    s64(0),
  );
  assertClose(out, s64(10), tol);
  const j = jax.make_jaxpr((x: NDArray) => lax.fori_loop(0, 3, (_i: NDArray, v: NDArray) => lax.sin(v), x))(s64(1));
  assert.ok(primitivesOf(j.jaxpr).includes("scan"), "static bounds become a scan");
});

Deno.test("fori_loop: traced bounds become a while loop", () => {
  const f = jax.jit((n: NDArray, x: NDArray) => lax.fori_loop(0, n, (_i: NDArray, v: NDArray) => lax.mul(v, 2), x));
  assertClose(f(i32(4), s64(1)), s64(16), tol);
  assertClose(f(i32(0), s64(1)), s64(1), tol);
  const j = jax.make_jaxpr((n: NDArray, x: NDArray) => lax.fori_loop(1, n, (_i: NDArray, v: NDArray) => v, x))(
    i32(2),
    s64(1),
  );
  assert.ok(primitivesOf(j.jaxpr).includes("while"));
});

Deno.test("fori_loop: pytree carry", () => {
  const [a, { b }] = lax.fori_loop(0, 3, (i: NDArray, [a, { b }]: Any) => [lax.add(a, i), { b: lax.mul(b, 3) }], [
    i32(0),
    { b: s64(1) },
  ]);
  assertClose([a, b], [i32(3), s64(27)], tol);
});

Deno.test("fori_loop: grad with static bounds (reverse mode through scan)", () => {
  const f = (x: NDArray) => lax.fori_loop(0, 3, (_i: NDArray, v: NDArray) => lax.mul(v, v), x); // x^8
  assertClose(jax.grad(f)(s64(1.1)), s64(8 * 1.1 ** 7), { atol: 1e-12, rtol: 1e-12 });
});

Deno.test("fori_loop: jvp with traced bounds (forward mode through while)", () => {
  const f = (x: NDArray, n: NDArray) => lax.fori_loop(0, n, (_i: NDArray, v: NDArray) => lax.mul(v, v), x);
  const [y, t] = jax.jvp((x: NDArray) => f(x, i32(3)), [s64(1.1)], [s64(1)]);
  assertClose([y, t], [s64(1.1 ** 8), s64(8 * 1.1 ** 7)], { atol: 1e-12, rtol: 1e-12 });
});

// ---------------------------------------------------------------- while_loop

Deno.test("while_loop: plain", () => {
  assertClose(lax.while_loop((x: NDArray) => lax.lt(x, 10), (x: NDArray) => lax.mul(x, 2), s64(1)), s64(16), tol);
});

Deno.test("while_loop: zero iterations returns the init", () => {
  assertClose(lax.while_loop((x: NDArray) => lax.lt(x, 0), (x: NDArray) => lax.mul(x, 2), s64(1)), s64(1), tol);
});

Deno.test("while_loop: pytree carry and closed-over values", () => {
  const step = f64([0.5, 0.25]);
  const [i, { v }] = lax.while_loop(
    ([i]: Any) => lax.lt(i, 4),
    ([i, { v }]: Any) => [lax.add(i, 1), { v: lax.add(v, step) }],
    [i32(0), { v: f64([0, 0]) }],
  );
  assertClose([i, v], [i32(4), f64([2, 1])], tol);
});

Deno.test("while_loop: jvp", () => {
  // Newton iteration for sqrt(a): the tangent of the fixed point is 1 / (2 sqrt(a)).
  const sqrtNewton = (a: NDArray) =>
    lax.while_loop(
      ([i]: Any) => lax.lt(i, 30),
      ([i, x]: Any) => [lax.add(i, 1), lax.mul(lax.add(x, lax.div(a, x)), 0.5)],
      [i32(0), s64(1)],
    )[1];
  const [y, t] = jax.jvp(sqrtNewton, [s64(2)], [s64(1)]);
  assertClose([y, t], [s64(Math.SQRT2), s64(1 / (2 * Math.SQRT2))], { atol: 1e-12, rtol: 1e-12 });
});

Deno.test("while_loop: jvp matches finite differences to second order", () => {
  const f = (x: NDArray) =>
    lax.while_loop(([i]: Any) => lax.lt(i, 3), ([i, y]: Any) => [lax.add(i, 1), lax.sin(lax.mul(y, y))], [
      i32(0),
      x,
    ])[1];
  check_grads(f, [uniform(new Rng(21), [3], 0.2, 1)], 2, { modes: ["fwd"] });
});

Deno.test("while_loop: linearize works; grad raises a clear error", () => {
  const f = (x: NDArray) =>
    lax.while_loop(([i]: Any) => lax.lt(i, 3), ([i, y]: Any) => [lax.add(i, 1), lax.mul(y, y)], [i32(0), x])[1];
  const [y, fJvp] = jax.linearize(f, s64(1.1));
  assertClose([y, fJvp(s64(1))], [s64(1.1 ** 8), s64(8 * 1.1 ** 7)], { atol: 1e-12, rtol: 1e-12 });
  assert.throws(() => jax.grad(f)(s64(1.1)), (e: Error) => e instanceof ValueError && /while_loop/.test(e.message));
  assertRuntimeWorks();
});

Deno.test("while_loop: vmap with a batched predicate (different trip counts)", () => {
  const collatzSteps = (n: NDArray) =>
    lax.while_loop(
      ([m]: Any) => lax.gt(m, 1),
      ([m, k]: Any) => [lax.select(lax.eq(lax.rem(m, 2), 0), lax.div(m, 2), lax.add(lax.mul(m, 3), 1)), lax.add(k, 1)],
      [n, i32(0)],
    )[1];
  const ns = arr([1, 6, 7, 27], [4], "int32");
  assertClose(jax.vmap(collatzSteps)(ns), arr([0, 8, 16, 111], [4], "int32"));
  const j = jax.make_jaxpr(jax.vmap(collatzSteps))(ns);
  typecheckJaxpr(j.jaxpr);
});

Deno.test("while_loop: vmap with a batched carry but an unbatched predicate", () => {
  const f = (x: NDArray) =>
    lax.while_loop(([i]: Any) => lax.lt(i, 3), ([i, y]: Any) => [lax.add(i, 1), lax.mul(y, 2)], [i32(0), x])[1];
  assertClose(jax.vmap(f)(f64([1, 2, 3])), f64([8, 16, 24]), tol);
});

Deno.test("while_loop: vmap with a batched bound closed over by cond", () => {
  const f = (x: NDArray, n: NDArray) =>
    lax.while_loop(([i]: Any) => lax.lt(i, n), ([i, y]: Any) => [lax.add(i, 1), lax.add(y, x)], [i32(0), s64(0)])[1];
  assertClose(jax.vmap(f)(f64([1, 2, 3]), arr([3, 0, 2], [3], "int32")), f64([3, 0, 6]), tol);
});

Deno.test("while_loop: inside jit", () => {
  const f = jax.jit((x: NDArray) =>
    lax.while_loop((v: NDArray) => lax.lt(sum(v), 100), (v: NDArray) => lax.mul(v, 3), x)
  );
  assertClose(f(f64([1, 2])), f64([81, 162]), tol);
});

Deno.test("while_loop: cond_fun must return a bool scalar", () => {
  assert.throws(() => lax.while_loop((x: NDArray) => x, (x: NDArray) => x, s64(1)), DTypeError);
  assert.throws(() => lax.while_loop((x: NDArray) => lax.lt(x, 1), (x: NDArray) => x, f64([1, 2])), DTypeError);
  assertRuntimeWorks();
});

// ---------------------------------------------------------------- cond / switch

const negOrSquare = (p: Any, x: NDArray) => lax.cond(p, (v: NDArray) => lax.neg(v), (v: NDArray) => lax.mul(v, v), x);

Deno.test("cond: both branches, with array and JS boolean predicates", () => {
  const x = f64([3]);
  assertClose(negOrSquare(arr([1], [], "bool"), x), f64([-3]), tol);
  assertClose(negOrSquare(arr([0], [], "bool"), x), f64([9]), tol);
  assertClose(negOrSquare(true, x), f64([-3]), tol);
  assertClose(negOrSquare(false, x), f64([9]), tol);
});

Deno.test("cond: a numeric predicate is true when nonzero", () => {
  assertClose(negOrSquare(i32(-2), f64([3])), f64([-3]), tol);
  assertClose(negOrSquare(s64(0), f64([3])), f64([9]), tol);
});

Deno.test("cond: pytree operands and outputs; branches close over values", () => {
  const c = f64([10, 20]);
  const out = lax.cond(
    arr([1], [], "bool"),
    (p: Any, q: NDArray) => ({ s: lax.add(p.a, c), t: [q] }),
    (p: Any, q: NDArray) => ({ s: p.a, t: [lax.neg(q)] }),
    { a: f64([1, 2]) },
    s64(5),
  );
  assertClose(out, { s: f64([11, 22]), t: [s64(5)] }, tol);
});

Deno.test("cond: grad through both branches", () => {
  const f = (x: NDArray) =>
    lax.cond(lax.gt(x, 0), (v: NDArray) => lax.sin(v), (v: NDArray) => lax.integer_pow(v, 3), x);
  assertClose(jax.grad(f)(s64(0.5)), s64(Math.cos(0.5)), tol);
  assertClose(jax.grad(f)(s64(-0.5)), s64(0.75), tol);
  check_grads(f, [s64(0.7)], 2);
  check_grads(f, [s64(-0.7)], 2);
});

Deno.test("cond: jvp", () => {
  const [y, t] = jax.jvp((x: NDArray) => negOrSquare(lax.lt(x, 0), x), [s64(3)], [s64(1)]);
  assertClose([y, t], [s64(9), s64(6)], tol);
});

Deno.test("cond: vmap with a batched predicate becomes a select", () => {
  const f = (x: NDArray) => negOrSquare(lax.gt(x, 0), x);
  const xs = f64([-2, 3, 0.5]);
  assertClose(jax.vmap(f)(xs), f64([4, -3, -0.5]), tol);
  const prims = primitivesOf(jax.make_jaxpr(jax.vmap(f))(xs).jaxpr);
  assert.ok(!prims.includes("cond") && prims.includes("select_n"), prims.join(" "));
});

Deno.test("cond: vmap with an unbatched predicate stays a cond", () => {
  const f = (p: NDArray, x: NDArray) => negOrSquare(p, x);
  const xs = f64([-2, 3]);
  assertClose(jax.vmap(f, { inAxes: [null, 0] })(arr([0], [], "bool"), xs), f64([4, 9]), tol);
  const prims = primitivesOf(jax.make_jaxpr(jax.vmap(f, { inAxes: [null, 0] }))(arr([0], [], "bool"), xs).jaxpr);
  assert.ok(prims.includes("cond"));
});

Deno.test("cond: vmap of grad through cond", () => {
  const f = (x: NDArray) => lax.cond(lax.gt(x, 0), (v: NDArray) => lax.mul(v, v), (v: NDArray) => lax.neg(v), x);
  assertClose(jax.vmap(jax.grad(f))(f64([-1, 2, 3])), f64([-1, 4, 6]), tol);
});

Deno.test("cond: inside jit with a traced predicate", () => {
  const f = jax.jit((p: NDArray, x: NDArray) => negOrSquare(p, x));
  assertClose(f(arr([1], [], "bool"), f64([2])), f64([-2]), tol);
  assertClose(f(arr([0], [], "bool"), f64([2])), f64([4]), tol);
});

const branches = [
  (x: NDArray) => lax.add(x, 1),
  (x: NDArray) => lax.mul(x, 10),
  (x: NDArray) => lax.neg(x),
];

Deno.test("switch: picks the branch by index", () => {
  [0, 1, 2].forEach((i) => assertClose(lax.switch(i, branches, f64([2])), branches[i](f64([2])), tol));
  assertClose(lax.switch(i32(1), branches, f64([2])), f64([20]), tol);
});

Deno.test("switch: out-of-range indices are clamped", () => {
  assertClose(lax.switch(-5, branches, f64([2])), f64([3]), tol);
  assertClose(lax.switch(i32(10), branches, f64([2])), f64([-2]), tol);
  const f = jax.jit((i: NDArray, x: NDArray) => lax.switch(i, branches, x));
  assertClose(f(i32(-1), f64([2])), f64([3]), tol);
  assertClose(f(i32(7), f64([2])), f64([-2]), tol);
});

Deno.test("switch: vmap over the index clamps too", () => {
  const got = jax.vmap((i: NDArray, x: NDArray) => lax.switch(i, branches, x))(
    arr([-1, 0, 1, 2, 3], [5], "int32"),
    f64([1, 2, 3, 4, 5]),
  );
  assertClose(got, f64([2, 3, 30, -4, -5]), tol);
});

Deno.test("switch: grad through a 3-way switch", () => {
  const f = (i: NDArray, x: NDArray) => sum(lax.switch(i, [lax.sin, lax.cos, lax.exp], x));
  const x = f64([0.3, 0.4]);
  assertClose(jax.grad(f, { argnums: 1 })(i32(0), x), lax.cos(x), tol);
  assertClose(jax.grad(f, { argnums: 1 })(i32(1), x), lax.neg(lax.sin(x)), tol);
  assertClose(jax.grad(f, { argnums: 1 })(i32(2), x), lax.exp(x), tol);
});

Deno.test("cond/switch: branches returning different types raise TreeError", () => {
  assert.throws(() => lax.cond(true, (x: NDArray) => x, (x: NDArray) => [x, x], s64(1)), TreeError);
  assert.throws(() => lax.cond(true, (x: NDArray) => x, (x: NDArray) => lax.reshape(x, [1]), s64(1)), TreeError);
  assert.throws(
    () => lax.cond(true, (x: NDArray) => x, (x: NDArray) => lax.convert_element_type(x, "int32"), s64(1)),
    TreeError,
  );
  assertRuntimeWorks();
});

Deno.test("cond: a non-scalar predicate raises ShapeError", () => {
  assert.throws(() => negOrSquare(arr([1, 0], [2], "bool"), f64([1])), ShapeError);
  assertRuntimeWorks();
});

// ---------------------------------------------------------------- errors

Deno.test("errors: scan carry structure mismatch raises TreeError", () => {
  assert.throws(() => lax.scan((c: NDArray, x: NDArray) => [[c, x], null], s64(0), f64([1, 2])), TreeError);
  assertRuntimeWorks();
});

Deno.test("errors: scan carry dtype mismatch raises TreeError", () => {
  assert.throws(
    () =>
      lax.scan(
        (c: NDArray, x: NDArray) => [lax.add(lax.convert_element_type(c, "float64"), x), null],
        i32(0),
        f64([1, 2]),
      ),
    TreeError,
  );
  assertRuntimeWorks();
});

Deno.test("errors: scan carry shape mismatch raises TreeError", () => {
  assert.throws(
    () => lax.scan((c: NDArray, x: NDArray) => [lax.broadcast_in_dim(c, [2], []), x], s64(0), f64([1, 2])),
    TreeError,
  );
  assertRuntimeWorks();
});

Deno.test("errors: while_loop body changing the carry raises TreeError", () => {
  assert.throws(() => lax.while_loop((x: NDArray) => lax.lt(x, 3), (x: NDArray) => [x, x], s64(0)), TreeError);
  assert.throws(
    () => lax.while_loop((x: NDArray) => lax.lt(x, 3), (x: NDArray) => lax.convert_element_type(x, "int32"), s64(0)),
    TreeError,
  );
  assertRuntimeWorks();
});

Deno.test("errors: grad of a non-scalar output raises ShapeError", () => {
  assert.throws(() => jax.grad((x: NDArray) => lax.mul(x, 2))(f64([1, 2])), ShapeError);
  assert.throws(() => jax.grad((x: NDArray) => [sum(x)])(f64([1, 2])), ShapeError);
  assertRuntimeWorks();
});

Deno.test("errors: grad with respect to an integer input raises DTypeError", () => {
  assert.throws(
    () => jax.grad((x: NDArray) => sum(lax.convert_element_type(x, "float64")))(arr([1], [1], "int32")),
    DTypeError,
  );
  assertRuntimeWorks();
});

const concretization = (e: Error) => e instanceof ConcretizationError && /lax\.cond/.test(e.message);

Deno.test("errors: .item() on a tracer inside jit raises ConcretizationError mentioning lax.cond", () => {
  assert.throws(() => jax.jit((x: NDArray) => (x.item() > 0 ? x : lax.neg(x)))(s64(1)), concretization);
  assertRuntimeWorks();
});

Deno.test("errors: Number(t) and +t on a tracer inside jit raise ConcretizationError", () => {
  assert.throws(() => jax.jit((x: NDArray) => lax.mul(x, Number(x)))(s64(1)), concretization);
  assert.throws(() => jax.jit((x: NDArray) => lax.mul(x, +x))(s64(1)), concretization);
  assertRuntimeWorks();
});

Deno.test("errors: `${t}` on a tracer inside jit raises ConcretizationError", () => {
  assert.throws(() => jax.jit((x: NDArray) => (console.debug(`${x}`), x))(s64(1)), concretization);
  assertRuntimeWorks();
});

Deno.test("errors: a JS comparison on a tracer inside jit raises ConcretizationError", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => jax.jit((x: any) => (x > 0 ? x : lax.neg(x)))(s64(1)), concretization);
  assertRuntimeWorks();
});

Deno.test("errors: reading a traced value under vmap or make_jaxpr raises ConcretizationError", () => {
  assert.throws(() => jax.vmap((x: NDArray) => s64(x.item()))(f64([1, 2])), concretization);
  assert.throws(() => jax.make_jaxpr((x: NDArray) => x.tolist())(s64(1)), concretization);
  assertRuntimeWorks();
});

Deno.test("errors: concrete values stay readable under grad and jvp (as in JAX)", () => {
  const f = (x: NDArray) => (x.item() > 0 ? lax.mul(x, 2) : lax.neg(x));
  assertClose(jax.grad(f)(s64(1)), s64(2), tol);
  assertClose(jax.grad(f)(s64(-1)), s64(-1), tol);
});

Deno.test("errors: a tracer leaked out of jit and used later raises EscapedTracerError", () => {
  let leaked: NDArray | undefined;
  jax.jit((x: NDArray) => {
    leaked = lax.mul(x, 2);
    return x;
  })(s64(1));
  assert.throws(() => lax.add(leaked!, 1), EscapedTracerError);
  assert.throws(() => jax.jit((y: NDArray) => lax.add(y, leaked!))(s64(1)), EscapedTracerError);
  assertRuntimeWorks();
});

Deno.test("errors: a tracer leaked out of grad and used later raises EscapedTracerError", () => {
  let leaked: NDArray | undefined;
  jax.grad((x: NDArray) => {
    leaked = lax.sin(x);
    return x;
  })(s64(1));
  assert.throws(() => lax.mul(leaked!, 2), EscapedTracerError);
  assert.throws(() => jax.grad((y: NDArray) => lax.mul(y, leaked!))(s64(1)), EscapedTracerError);
  assertRuntimeWorks();
});

Deno.test("errors: a tracer leaked out of vmap and scan raises EscapedTracerError", () => {
  let fromVmap: NDArray | undefined, fromScan: NDArray | undefined;
  jax.vmap((x: NDArray) => (fromVmap = lax.neg(x)))(f64([1, 2]));
  lax.scan(
    (c: NDArray, x: NDArray) => {
      fromScan = lax.add(c, x);
      return [c, null];
    },
    s64(0),
    f64([1]),
  );
  assert.throws(() => lax.neg(fromVmap!), EscapedTracerError);
  assert.throws(() => lax.neg(fromScan!), EscapedTracerError);
  assertRuntimeWorks();
});

Deno.test("errors: an exception thrown inside a traced function leaves the trace stack clean", () => {
  assert.throws(() =>
    jax.jit((x: NDArray) => {
      lax.sin(x);
      throw new RangeError("user error");
    })(s64(1)), RangeError);
  assert.throws(() =>
    jax.grad(() =>
      lax.while_loop(
        () => {
          throw new RangeError("in cond");
        },
        (x: NDArray) => x,
        s64(0),
      )
    )(s64(1)), RangeError);
  assertRuntimeWorks();
});

// ---------------------------------------------------------------- compositions

Deno.test("compositions: hessian through cond", () => {
  const f = (x: NDArray) =>
    lax.cond(lax.gt(sum(x), 0), (v: NDArray) => sum(lax.integer_pow(v, 3)), (v: NDArray) => sum(lax.sin(v)), x);
  assertClose(jax.hessian(f)(f64([1, 2])), f64([6, 0, 0, 12], [2, 2]), tol);
});

Deno.test("compositions: jacfwd of while_loop", () => {
  const f = (x: NDArray) =>
    lax.while_loop(([i]: Any) => lax.lt(i, 2), ([i, y]: Any) => [lax.add(i, 1), lax.mul(y, y)], [i32(0), x])[1];
  assertClose(jax.jacfwd(f)(f64([1, 2])), f64([4, 0, 0, 32], [2, 2]), tol);
});

Deno.test("compositions: vmap of jvp of while_loop with a batched trip count", () => {
  const f = (x: NDArray, n: NDArray) =>
    lax.while_loop(([i]: Any) => lax.lt(i, n), ([i, y]: Any) => [lax.add(i, 1), lax.mul(y, y)], [i32(0), x])[1];
  const tangent = (x: NDArray, n: NDArray) => jax.jvp((v: NDArray) => f(v, n), [x], [s64(1)])[1];
  assertClose(jax.vmap(tangent)(f64([1.5, 1.5]), arr([1, 2], [2], "int32")), f64([3, 4 * 1.5 ** 3]), tol);
});

Deno.test("compositions: grad of vmap of cond", () => {
  const f = (x: NDArray) => sum(jax.vmap((v: NDArray) => lax.cond(lax.gt(v, 0), lax.sin, lax.cos, v))(x));
  assertClose(jax.grad(f)(f64([-1, 2])), f64([Math.sin(1), Math.cos(2)]), tol);
});

Deno.test("compositions: jacrev of scan equals jacfwd", () => {
  const f = (x: NDArray) => lax.scan((c: NDArray, xi: NDArray) => [lax.mul(c, xi), c], s64(1), x)[1];
  const x = f64([2, 3, 4]);
  assertClose(jax.jacrev(f)(x), jax.jacfwd(f)(x), tol);
});

Deno.test("compositions: scan with an integer carry, differentiated to second order", () => {
  const f = (x: NDArray) =>
    lax.scan(
      ([i, c]: Any, xi: NDArray) => [
        [lax.add(i, 1), lax.mul(c, lax.sin(xi))],
        lax.mul(c, lax.convert_element_type(i, "float64")),
      ],
      [i32(0), s64(1)],
      x,
    );
  check_grads(f, [uniform(new Rng(31), [3])], 2);
});

Deno.test("compositions: grad through cond with an integer output", () => {
  const f = (x: NDArray) => {
    const [a, b] = lax.cond(
      lax.gt(x, 0),
      (v: NDArray) => [v, i32(1)],
      (v: NDArray) => [lax.neg(v), i32(2)],
      x,
    );
    return lax.mul(a, lax.convert_element_type(b, "float64"));
  };
  assertClose(jax.grad(f)(s64(2)), s64(1), tol);
  assertClose(jax.grad(f)(s64(-2)), s64(-2), tol);
});

Deno.test("compositions: vmap of vmap of scan", () => {
  const f = (c: NDArray, xs: NDArray) => lax.scan((c: NDArray, x: NDArray) => [lax.add(c, x), c], c, xs)[0];
  const g = jax.vmap(jax.vmap(f, { inAxes: [0, null] }), { inAxes: [null, 0] });
  assertClose(g(f64([1, 2]), f64([1, 2, 3, 4, 5, 6], [2, 3])), f64([7, 8, 16, 17], [2, 2]), tol);
});

Deno.test("compositions: grad of vmap of scan with respect to a closed-over operand", () => {
  const xs = f64([1, 2, 3]);
  const f = (w: NDArray) =>
    sum(
      jax.vmap((wi: NDArray) =>
        lax.scan((c: NDArray, xi: NDArray) => [lax.add(lax.mul(c, wi), xi), null], s64(0), xs)[0]
      )(w),
    );
  check_grads(f, [f64([0.5, 1.5])], 2);
});

Deno.test("compositions: custom_jvp and stop_gradient inside scan", () => {
  const sp = jax.custom_jvp((x: NDArray) => lax.log1p(lax.exp(x)));
  sp.defjvp(([x]: NDArray[], [t]: NDArray[]) => [sp(x), lax.mul(t, lax.logistic(x))]);
  const f = (x: NDArray) => lax.scan((c: NDArray, xi: NDArray) => [sp(lax.add(c, xi)), null], s64(0), x)[0];
  check_grads(f, [uniform(new Rng(32), [3])], 2);
  const g = (x: NDArray) =>
    lax.scan((c: NDArray, xi: NDArray) => [lax.add(c, lax.stop_gradient(lax.mul(xi, xi))), null], s64(0), x)[0];
  assertClose(jax.grad(g)(f64([1, 2])), f64([0, 0]), tol);
});

Deno.test("compositions: switch whose branches close over different arrays, under grad and vmap", () => {
  const a = f64([1, 2]), b = f64([3, 4]);
  const f = (i: NDArray, x: NDArray) =>
    sum(lax.switch(i, [(v: NDArray) => lax.mul(v, a), (v: NDArray) => lax.mul(v, b), (v: NDArray) => v], x));
  assertClose(jax.grad(f, { argnums: 1 })(i32(1), f64([1, 1])), b, tol);
  assertClose(jax.vmap(f, { inAxes: [0, null] })(arr([0, 1, 2], [3], "int32"), f64([1, 1])), f64([3, 7, 2]), tol);
});

Deno.test("compositions: a length-0 scan under vmap and grad", () => {
  const f = (c: NDArray) => lax.scan((c: NDArray, x: NDArray) => [lax.add(c, x), c], c, f64([], [0]))[0];
  assertClose(jax.vmap(f)(f64([1, 2])), f64([1, 2]), tol);
  assertClose(jax.grad(f)(s64(1)), s64(1), tol);
});

Deno.test("compositions: jit of grad of scan closing over a constant array", () => {
  const w = f64([2, 3]);
  const f = (x: NDArray) =>
    sum(lax.scan((c: NDArray, xi: NDArray) => [lax.add(lax.mul(c, w), xi), null], x, f64([1, 1, 1], [3, 1]))[0]);
  assertClose(jax.jit(jax.grad(f))(f64([1, 1])), jax.grad(f)(f64([1, 1])), tol);
  assertClose(jax.grad(f)(f64([1, 1])), f64([8, 27]), tol);
});

Deno.test("jit: an output that is an input or a captured constant is an array of its own", () => {
  const c = arr([1, 2, 3], [3]);
  const f = jax.jit(() => c);
  const g = jax.jit((x: NDArray) => x);
  const x = arr([4, 5], [2]);
  const y = f(), z = g(x);
  assert.notEqual(y, c);
  assert.notEqual(z, x);
  y.dispose(); // must not dispose the constant the next call returns
  z.dispose();
  assert.deepEqual([f().tolist(), c.tolist(), x.tolist()], [[1, 2, 3], [1, 2, 3], [4, 5]]);
});
