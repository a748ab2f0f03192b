/**
 * The user-facing transformations over pytrees: grad, value_and_grad, jvp,
 * vjp, linearize, jacfwd, jacrev, hessian, vmap, jit, custom_jvp,
 * stop_gradient, and jax.tree_util, alone and composed. Expected values are
 * analytic or come from real JAX.
 *
 * @module
 */

import assert from "node:assert/strict";
import { AxisError, DTypeError, jax, jnp, lax, type NDArray, ShapeError, TreeError, ValueError } from "../mod.ts";
import { arr, assertClose, check_grads, enableX64, normal, Rng, uniform } from "./check_grads.ts";

enableX64();

// deno-lint-ignore no-explicit-any
type Any = any;

const f64 = (v: number[], shape = [v.length]) => arr(v, shape);
const sum = (x: NDArray) => lax.reduce_sum(x, [...Array(x.ndim).keys()]);
const tol = { atol: 1e-12, rtol: 1e-12 };

// ---------------------------------------------------------------- grad

Deno.test("grad: of sum(sin(x)) is cos(x)", () => {
  const x = f64([0.1, -0.7, 2]);
  assertClose(jax.grad((v: NDArray) => sum(lax.sin(v)))(x), lax.cos(x), tol);
});

Deno.test("grad: a scalar input gives a scalar gradient", () => {
  const g = jax.grad((v: NDArray) => lax.mul(v, lax.mul(v, v)))(arr([2], []));
  assertClose(g, arr([12], []), tol);
});

Deno.test("grad: argnums as a number picks one argument", () => {
  const f = (a: NDArray, b: NDArray) => sum(lax.mul(a, lax.exp(b)));
  const a = f64([1, 2]), b = f64([0.5, -0.5]);
  assertClose(jax.grad(f, { argnums: 1 })(a, b), lax.mul(a, lax.exp(b)), tol);
});

Deno.test("grad: argnums as a list returns a list of gradients", () => {
  const f = (a: NDArray, b: NDArray, c: NDArray) => sum(lax.mul(lax.mul(a, b), c));
  const a = f64([1, 2]), b = f64([3, 4]), c = f64([5, 6]);
  const [ga, gc] = jax.grad(f, { argnums: [0, 2] })(a, b, c);
  assertClose(ga, lax.mul(b, c), tol);
  assertClose(gc, lax.mul(a, b), tol);
  const single = jax.grad(f, { argnums: [1] })(a, b, c);
  assert.ok(Array.isArray(single) && single.length === 1, "argnums [1] gives a one-element list, as JAX's (1,)");
});

Deno.test("grad: argnums out of range raises AxisError", () => {
  assert.throws(() => jax.grad((a: NDArray) => sum(a), { argnums: 2 })(f64([1])), AxisError);
});

Deno.test("grad: hasAux returns [grad, aux] with aux untouched", () => {
  const f = (x: NDArray) => [sum(lax.mul(x, x)), { norm: lax.sqrt(sum(lax.mul(x, x))), tag: [x] }];
  const x = f64([3, 4]);
  const [g, aux] = jax.grad(f, { hasAux: true })(x);
  assertClose(g, f64([6, 8]), tol);
  assertClose(aux.norm, arr([5], []), tol);
  assertClose(aux.tag[0], x, tol);
});

Deno.test("grad: on a pytree of parameters returns the same structure", () => {
  const params = { w: f64([1, 2, 3]), b: arr([0.5], []), extra: [f64([2]), null] };
  const x = f64([0.1, 0.2, 0.3]);
  const loss = (p: Any) => {
    const y = lax.add(sum(lax.mul(p.w, x)), p.b);
    return lax.add(lax.mul(y, y), sum(lax.mul(p.extra[0], p.extra[0])));
  };
  const g = jax.grad(loss)(params);
  const y = 0.1 + 0.4 + 0.9 + 0.5;
  assertClose(g, { w: lax.mul(x, 2 * y), b: arr([2 * y], []), extra: [f64([4]), null] }, tol);
});

Deno.test("grad: nested JS arrays as inputs", () => {
  const f = ([[a, b], c]: NDArray[][] | Any) => sum(lax.mul(lax.mul(a, b), c));
  const [[ga, gb], gc] = jax.grad(f)([[f64([2]), f64([3])], f64([4])]);
  assertClose([ga, gb, gc], [f64([12]), f64([8]), f64([6])], tol);
});

Deno.test("grad: non-scalar output raises ShapeError", () => {
  assert.throws(() => jax.grad((x: NDArray) => lax.sin(x))(f64([1, 2])), ShapeError);
});

Deno.test("grad: integer input raises DTypeError", () => {
  assert.throws(() => jax.grad((x: NDArray) => sum(x))(arr([1, 2], [2], "int32")), DTypeError);
});

Deno.test("value_and_grad: value and gradient together", () => {
  const x = f64([1, 2, 3]);
  const [v, g] = jax.value_and_grad((a: NDArray) => sum(lax.integer_pow(a, 3)))(x);
  assertClose(v, arr([36], []), tol);
  assertClose(g, f64([3, 12, 27]), tol);
});

Deno.test("value_and_grad: hasAux returns [[value, aux], grad]", () => {
  const [[v, aux], g] = jax.value_and_grad((a: NDArray) => [sum(a), lax.mul(a, 2)], { hasAux: true })(f64([1, 2]));
  assertClose(v, arr([3], []), tol);
  assertClose(aux, f64([2, 4]), tol);
  assertClose(g, f64([1, 1]), tol);
});

Deno.test("value_and_grad: argnums list", () => {
  const [v, [ga, gb]] = jax.value_and_grad((a: NDArray, b: NDArray) => sum(lax.mul(a, b)), { argnums: [0, 1] })(
    f64([1, 2]),
    f64([3, 4]),
  );
  assertClose([v, ga, gb], [arr([11], []), f64([3, 4]), f64([1, 2])], tol);
});

Deno.test("grad of grad: second derivative of sin is -sin", () => {
  const d2 = jax.grad(jax.grad((x: NDArray) => lax.sin(x)));
  const x = arr([0.7], []);
  assertClose(d2(x), lax.neg(lax.sin(x)), tol);
});

Deno.test("grad of grad of grad: third derivative of x^4 is 24x", () => {
  const d3 = jax.grad(jax.grad(jax.grad((x: NDArray) => lax.integer_pow(x, 4))));
  assertClose(d3(arr([1.5], [])), arr([36], []), tol);
});

Deno.test("grad inside jit equals grad", () => {
  const f = (x: NDArray) => sum(lax.mul(lax.exp(x), lax.sin(x)));
  const x = f64([0.3, -1.2, 2]);
  assertClose(jax.jit(jax.grad(f))(x), jax.grad(f)(x), tol);
});

Deno.test("jit inside grad equals grad", () => {
  const inner = jax.jit((x: NDArray) => lax.mul(lax.exp(x), lax.sin(x)));
  const x = f64([0.3, -1.2, 2]);
  assertClose(
    jax.grad((v: NDArray) => sum(inner(v)))(x),
    jax.grad((v: NDArray) => sum(lax.mul(lax.exp(v), lax.sin(v))))(x),
    tol,
  );
});

Deno.test("vmap of grad: per-example gradients", () => {
  const w = f64([0.5, -1]);
  const loss = (w: NDArray, x: NDArray) => lax.integer_pow(sum(lax.mul(w, x)), 2);
  const xs = f64([1, 2, 3, 4, 5, 6], [3, 2]);
  const per = jax.vmap(jax.grad(loss), { inAxes: [null, 0] })(w, xs);
  const rows = [[1, 2], [3, 4], [5, 6]].map((r) => {
    const d = 0.5 * r[0] - r[1];
    return [2 * d * r[0], 2 * d * r[1]];
  });
  assertClose(per, f64(rows.flat(), [3, 2]), tol);
});

Deno.test("grad of vmap: gradient of a batched loss", () => {
  const f = (x: NDArray) => sum(jax.vmap((r: NDArray) => sum(lax.sin(r)))(x));
  const x = normal(new Rng(3), [3, 2]);
  assertClose(jax.grad(f)(x), lax.cos(x), tol);
});

Deno.test("jit of vmap of grad", () => {
  const f = (x: NDArray) => lax.mul(lax.sin(x), x);
  const x = f64([0.1, 0.2, 0.3]);
  const g = jax.jit(jax.vmap(jax.grad(f)));
  assertClose(g(x), lax.add(lax.mul(lax.cos(x), x), lax.sin(x)), tol);
});

// ---------------------------------------------------------------- jvp / vjp / linearize

Deno.test("jvp: primal and tangent of a scalar function", () => {
  const [y, t] = jax.jvp((x: NDArray) => lax.mul(x, x), [arr([3], [])], [arr([1], [])]);
  assertClose([y, t], [arr([9], []), arr([6], [])], tol);
});

Deno.test("jvp: pytree primals and outputs (objects, nested arrays, null)", () => {
  const f = (p: Any, [q, r]: Any) => ({ s: lax.mul(p.a, q), t: [lax.sin(r), null] });
  const primals = [{ a: f64([1, 2]), skip: null }, [f64([3, 4]), f64([0.5])]];
  const tangents = [{ a: f64([1, 0]), skip: null }, [f64([0, 1]), f64([2])]];
  const [y, t] = jax.jvp(f, primals, tangents);
  assertClose(y, { s: f64([3, 8]), t: [lax.sin(f64([0.5])), null] }, tol);
  assertClose(t, { s: f64([3, 2]), t: [lax.mul(lax.cos(f64([0.5])), 2), null] }, tol);
});

Deno.test("jvp: primals and tangents of different structure raise TreeError", () => {
  assert.throws(() => jax.jvp((a: NDArray) => a, [[f64([1]), f64([2])]], [[f64([1])]]), TreeError);
});

Deno.test("jvp: primal and tangent shapes must match", () => {
  assert.throws(() => jax.jvp((a: NDArray) => a, [f64([1, 2])], [f64([1])]), ShapeError);
});

Deno.test("jvp: output that does not depend on the input has a zero tangent", () => {
  const [, t] = jax.jvp((_x: NDArray) => f64([1, 2]), [f64([3])], [f64([1])]);
  assertClose(t, f64([0, 0]), tol);
});

Deno.test("vjp: pytree output and cotangent", () => {
  const f = (x: NDArray, y: NDArray) => ({ p: lax.mul(x, y), q: [sum(x)] });
  const x = f64([1, 2]), y = f64([3, 4]);
  const [out, pullback] = jax.vjp(f, x, y);
  assertClose(out, { p: f64([3, 8]), q: [arr([3], [])] }, tol);
  const [gx, gy] = pullback({ p: f64([1, 10]), q: [arr([2], [])] });
  assertClose(gx, f64([3 + 2, 40 + 2]), tol);
  assertClose(gy, f64([1, 20]), tol);
});

Deno.test("vjp: pytree input", () => {
  const [, pullback] = jax.vjp((p: Any) => lax.mul(p.a, p.b[0]), { a: f64([2]), b: [f64([5])] });
  const [g] = pullback(f64([1]));
  assertClose(g, { a: f64([5]), b: [f64([2])] }, tol);
});

Deno.test("vjp: hasAux returns [out, pullback, aux]", () => {
  const [out, pullback, aux] = jax.vjp((x: NDArray) => [lax.sin(x), lax.cos(x)], f64([0.5]), { hasAux: true });
  assertClose(out, lax.sin(f64([0.5])), tol);
  assertClose(aux, lax.cos(f64([0.5])), tol);
  assertClose(pullback(f64([2]))[0], lax.mul(lax.cos(f64([0.5])), 2), tol);
});

Deno.test("vjp: a cotangent of the wrong structure raises TreeError", () => {
  const [, pullback] = jax.vjp((x: NDArray) => [x, x], f64([1]));
  assert.throws(() => pullback(f64([1])), TreeError);
});

Deno.test("vjp: a cotangent of the wrong shape raises ShapeError", () => {
  const [, pullback] = jax.vjp((x: NDArray) => lax.sin(x), f64([1, 2]));
  assert.throws(() => pullback(f64([1])), ShapeError);
});

Deno.test("linearize: the linear map agrees with jvp, for several tangents", () => {
  const f = (x: NDArray) => lax.mul(lax.sin(x), lax.exp(x));
  const x = f64([0.2, -0.4]);
  const [y, fJvp] = jax.linearize(f, x);
  assertClose(y, f(x), tol);
  for (const t of [f64([1, 0]), f64([0.5, -3])]) assertClose(fJvp(t), jax.jvp(f, [x], [t])[1], tol);
});

Deno.test("linearize: pytree inputs and outputs", () => {
  const f = (p: Any) => [lax.mul(p.a, p.b), lax.sin(p.a)];
  const p = { a: f64([1, 2]), b: f64([3, 4]) };
  const [y, fJvp] = jax.linearize(f, p);
  assertClose(y, f(p), tol);
  const t = { a: f64([1, 1]), b: f64([0, 2]) };
  assertClose(fJvp(t), jax.jvp(f, [p], [t])[1], tol);
});

Deno.test("linearize: the linear map is a jaxpr evaluation, not a re-trace of f", () => {
  let calls = 0;
  const f = (x: NDArray) => {
    calls++;
    return lax.sin(x);
  };
  const [, fJvp] = jax.linearize(f, f64([1]));
  const before = calls;
  fJvp(f64([1]));
  fJvp(f64([2]));
  assert.equal(calls, before);
});

// ---------------------------------------------------------------- jacobians

const J = (rows: number[][]) => f64(rows.flat(), [rows.length, rows[0].length]);

Deno.test("jacfwd: elementwise square gives diag(2x)", () => {
  assertClose(jax.jacfwd((x: NDArray) => lax.mul(x, x))(f64([1, 2])), J([[2, 0], [0, 4]]), tol);
});

Deno.test("jacrev equals jacfwd on R^3 -> R^2", () => {
  const f = (x: NDArray) => lax.concatenate([lax.reshape(sum(lax.sin(x)), [1]), lax.slice(lax.mul(x, x), [1], [2])], 0);
  const x = f64([0.1, 0.2, 0.3]);
  const jf = jax.jacfwd(f)(x), jr = jax.jacrev(f)(x);
  assert.deepEqual(jf.shape, [2, 3]);
  assertClose(jr, jf, tol);
  const c = lax.cos(x).dataSync();
  assertClose(jf, J([[c[0], c[1], c[2]], [0, 0.4, 0]]), tol);
});

Deno.test("jacfwd and jacrev: matrix input and output have out.shape ++ in.shape", () => {
  const A = normal(new Rng(1), [2, 3]);
  const f = (x: NDArray) => lax.dot_general(A, x, [[[1], [0]], [[], []]]); // [2,3] @ [3,4]
  const x = normal(new Rng(2), [3, 4]);
  const jf = jax.jacfwd(f)(x), jr = jax.jacrev(f)(x);
  assert.deepEqual(jf.shape, [2, 4, 3, 4]);
  assertClose(jr, jf, tol);
  // d out[i,j] / d x[k,l] = A[i,k] * (j == l)
  const a = A.dataSync(), v = jf.dataSync();
  assert.equal(v[((1 * 4 + 2) * 3 + 1) * 4 + 2], a[1 * 3 + 1]);
  assert.equal(v[((1 * 4 + 2) * 3 + 1) * 4 + 3], 0);
});

Deno.test("jacfwd and jacrev: pytree input gives a pytree of blocks", () => {
  const f = (p: Any) => lax.mul(p.a, sum(p.b));
  const p = { a: f64([1, 2]), b: f64([3, 4, 5]) };
  for (const jac of [jax.jacfwd, jax.jacrev]) {
    const j = jac(f)(p);
    assertClose(j, { a: J([[12, 0], [0, 12]]), b: J([[1, 1, 1], [2, 2, 2]]) }, tol);
  }
});

Deno.test("jacfwd and jacrev: pytree output gives one jacobian per output leaf", () => {
  const f = (x: NDArray) => [lax.mul(x, 2), { s: sum(x) }];
  for (const jac of [jax.jacfwd, jax.jacrev]) {
    const [j1, { s }] = jac(f)(f64([1, 2]));
    assertClose(j1, J([[2, 0], [0, 2]]), tol);
    assertClose(s, f64([1, 1]), tol);
  }
});

Deno.test("jacfwd and jacrev: argnums list", () => {
  const f = (x: NDArray, y: NDArray) => lax.mul(x, y);
  for (const jac of [jax.jacfwd, jax.jacrev]) {
    const [jx, jy] = jac(f, { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
    assertClose([jx, jy], [J([[3, 0], [0, 4]]), J([[1, 0], [0, 2]])], tol);
  }
});

Deno.test("hessian: of sum(x^3) is diag(6x)", () => {
  assertClose(jax.hessian((x: NDArray) => sum(lax.integer_pow(x, 3)))(f64([1, 2])), J([[6, 0], [0, 12]]), tol);
});

Deno.test("hessian: of a quadratic form x^T A x is A + A^T", () => {
  const A = J([[1, 2], [3, 4]]);
  const f = (x: NDArray) => sum(lax.mul(x, lax.dot_general(A, x, [[[1], [0]], [[], []]])));
  assertClose(jax.hessian(f)(f64([0.3, -0.1])), J([[2, 5], [5, 8]]), tol);
});

Deno.test("hessian: argnums list gives the nested blocks [[Hxx, Hxy], [Hyx, Hyy]]", () => {
  const f = (x: NDArray, y: NDArray) => sum(lax.mul(lax.mul(x, x), y));
  const [[hxx, hxy], [hyx, hyy]] = jax.hessian(f, { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
  assertClose(hxx, J([[6, 0], [0, 8]]), tol);
  assertClose(hxy, J([[2, 0], [0, 4]]), tol);
  assertClose(hyx, J([[2, 0], [0, 4]]), tol);
  assertClose(hyy, J([[0, 0], [0, 0]]), tol);
});

Deno.test("hessian: on a pytree input", () => {
  const f = (p: Any) => lax.mul(sum(p.a), sum(p.b));
  const h = jax.hessian(f)({ a: f64([1]), b: f64([2, 3]) });
  assertClose(h, {
    a: { a: J([[0]]), b: J([[1, 1]]) },
    b: { a: J([[1], [1]]), b: J([[0, 0], [0, 0]]) },
  }, tol);
});

// ---------------------------------------------------------------- vmap

Deno.test("vmap: default maps axis 0 of every argument", () => {
  const x = normal(new Rng(1), [3, 2]), y = normal(new Rng(2), [3, 2]);
  assertClose(jax.vmap((a: NDArray, b: NDArray) => sum(lax.mul(a, b)))(x, y), lax.reduce_sum(lax.mul(x, y), [1]), tol);
});

Deno.test("vmap: inAxes as one number maps that axis of every argument", () => {
  const x = normal(new Rng(1), [2, 3]);
  assertClose(jax.vmap((a: NDArray) => sum(a), { inAxes: 1 })(x), lax.reduce_sum(x, [0]), tol);
});

Deno.test("vmap: inAxes list with null broadcasts the unmapped argument", () => {
  const w = f64([1, 2]), xs = f64([1, 2, 3, 4, 5, 6], [3, 2]);
  assertClose(
    jax.vmap((a: NDArray, b: NDArray) => sum(lax.mul(a, b)), { inAxes: [null, 0] })(w, xs),
    f64([5, 11, 17]),
    tol,
  );
});

Deno.test("vmap: negative inAxes count from the end", () => {
  const x = normal(new Rng(4), [2, 3]);
  assertClose(jax.vmap((a: NDArray) => lax.mul(a, 2), { inAxes: -1 })(x), lax.mul(lax.transpose(x, [1, 0]), 2), tol);
});

Deno.test("vmap: nested inAxes for a pytree argument", () => {
  const f = (p: Any, x: NDArray) => lax.add(lax.mul(p.w, x), p.b);
  const p = { w: f64([1, 2, 3]), b: f64([10]) };
  const out = jax.vmap(f, { inAxes: [{ w: 0, b: null }, 0] })(p, f64([1, 1, 2]));
  assertClose(out, f64([11, 12, 16], [3, 1]), tol);
});

Deno.test("vmap: inAxes list inside nested JS arrays", () => {
  const f = ([a, b]: NDArray[]) => lax.sub(a, b);
  const out = jax.vmap(f, { inAxes: [[1, null]] })([f64([1, 2, 3, 4], [1, 4]), f64([1])]);
  assertClose(out, f64([0, 1, 2, 3], [4, 1]), tol);
});

Deno.test("vmap: outAxes puts the batch axis where asked (1 and -1)", () => {
  const x = normal(new Rng(5), [4, 2, 3]);
  const f = (a: NDArray) => lax.mul(a, 3);
  const expected = lax.transpose(lax.mul(x, 3), [1, 0, 2]);
  assertClose(jax.vmap(f, { outAxes: 1 })(x), expected, tol);
  assertClose(jax.vmap(f, { outAxes: -1 })(x), lax.transpose(lax.mul(x, 3), [1, 2, 0]), tol);
});

Deno.test("vmap: outAxes per output, including null for an unbatched output", () => {
  const x = normal(new Rng(6), [3, 2]);
  const c = f64([7]);
  const [a, b] = jax.vmap((v: NDArray) => [lax.neg(v), c], { outAxes: [1, null] })(x);
  assertClose(a, lax.transpose(lax.neg(x), [1, 0]), tol);
  assertClose(b, c, tol);
});

Deno.test("vmap: outAxes null on a batched output raises", () => {
  assert.throws(() => jax.vmap((v: NDArray) => v, { outAxes: null })(f64([1, 2])), ValueError);
});

Deno.test("vmap: nested vmap computes a matrix product", () => {
  const A = normal(new Rng(7), [2, 3]), B = normal(new Rng(8), [3, 4]);
  const dot = (a: NDArray, b: NDArray) => sum(lax.mul(a, b));
  const mm = jax.vmap(jax.vmap(dot, { inAxes: [null, 1] }), { inAxes: [0, null] });
  assertClose(mm(A, B), lax.dot_general(A, B, [[[1], [0]], [[], []]]), { atol: 1e-12, rtol: 1e-12 });
});

Deno.test("vmap: axisSize with no mapped input broadcasts the output", () => {
  const out = jax.vmap((a: NDArray) => lax.mul(a, 2), { inAxes: null, axisSize: 3 })(f64([1, 2]));
  assertClose(out, f64([2, 4, 2, 4, 2, 4], [3, 2]), tol);
});

Deno.test("vmap: no mapped input and no axisSize raises ValueError", () => {
  assert.throws(() => jax.vmap((a: NDArray) => a, { inAxes: null })(f64([1])), ValueError);
});

Deno.test("vmap: inconsistent mapped sizes raise ValueError", () => {
  assert.throws(() => jax.vmap((a: NDArray, b: NDArray) => lax.add(a, b))(f64([1, 2]), f64([1, 2, 3])), ValueError);
});

Deno.test("vmap: an inAxes beyond the rank raises AxisError", () => {
  assert.throws(() => jax.vmap((a: NDArray) => a, { inAxes: 1 })(f64([1, 2])), AxisError);
});

Deno.test("vmap: pytree outputs keep their structure", () => {
  const out = jax.vmap((x: NDArray) => ({ d: lax.mul(x, 2), s: [lax.sin(x)] }))(f64([0, 1]));
  assertClose(out, { d: f64([0, 2]), s: [lax.sin(f64([0, 1]))] }, tol);
});

Deno.test("vmap: works with jnp composites (mean, matmul, where)", () => {
  const xs = normal(new Rng(9), [4, 3]);
  const f = (x: NDArray) => jnp.where(x.gt(0), x.sub(x.mean()), jnp.zeros([3], { dtype: "float64" }));
  const loop = [0, 1, 2, 3].map((i) => f(xs.get(i)));
  assertClose(jax.vmap(f)(xs), jnp.stack(loop), tol);
});

// ---------------------------------------------------------------- jit

Deno.test("jit: same result as eager on a pytree in and out", () => {
  const f = (p: Any) => ({ y: lax.mul(lax.sin(p.x), p.s[0]), n: [sum(p.x)] });
  const p = { x: f64([0.1, 0.2]), s: [arr([3], [])] };
  assertClose(jax.jit(f)(p), f(p), tol);
});

Deno.test("jit: the cache reuses the trace for the same shapes and dtypes", () => {
  let traces = 0;
  const f = jax.jit((x: NDArray) => {
    traces++;
    return lax.mul(x, 2);
  });
  f(f64([1, 2]));
  f(f64([3, 4]));
  f(f64([5, 6]));
  assert.equal(traces, 1);
});

Deno.test("jit: a new shape or dtype retraces", () => {
  let traces = 0;
  const f = jax.jit((x: NDArray) => {
    traces++;
    return lax.add(x, x);
  });
  f(f64([1, 2]));
  f(f64([1, 2, 3]));
  assert.equal(traces, 2);
  assertClose(f(arr([1, 2], [2], "int32")), arr([2, 4], [2], "int32"));
  assert.equal(traces, 3);
  f(arr([5, 6], [2], "int32"));
  assert.equal(traces, 3);
  f(arr([1, 2], [2], "float32"));
  assert.equal(traces, 4);
});

Deno.test("jit: staticArgnums makes an argument a compile-time constant", () => {
  let traces = 0;
  const f = jax.jit((x: NDArray, n: number) => {
    traces++;
    let y = x;
    for (let i = 0; i < n; i++) y = lax.mul(y, 2); // JS control flow on a static value
    return y;
  }, { staticArgnums: [1] });
  assertClose(f(f64([1]), 3), f64([8]), tol);
  assertClose(f(f64([2]), 3), f64([16]), tol);
  assert.equal(traces, 1);
  assertClose(f(f64([1]), 4), f64([16]), tol);
  assert.equal(traces, 2);
});

Deno.test("jit: staticArgnums as a number", () => {
  const f = jax.jit((s: string, x: NDArray) => (s === "neg" ? lax.neg(x) : x), { staticArgnums: 0 });
  assertClose(f("neg", f64([1])), f64([-1]), tol);
  assertClose(f("id", f64([1])), f64([1]), tol);
});

Deno.test("jit: closed-over arrays become constants", () => {
  const c = f64([1, 2, 3]);
  const f = jax.jit((x: NDArray) => lax.mul(x, c));
  assertClose(f(f64([2, 2, 2])), f64([2, 4, 6]), tol);
});

Deno.test("jit: JS numbers as arguments are weakly typed leaves", () => {
  const f = jax.jit((x: NDArray, s: Any) => x.mul(s)); // lax.mul would reject the mixed dtypes, as in JAX
  const y = f(f64([1, 2]), 3);
  assert.equal(y.dtype, "float64");
  assertClose(y, f64([3, 6]), tol);
});

Deno.test("jit: nested jit", () => {
  const inner = jax.jit((x: NDArray) => lax.exp(x));
  const outer = jax.jit((x: NDArray) => lax.add(inner(x), inner(lax.neg(x))));
  const x = f64([0.5]);
  assertClose(outer(x), lax.mul(lax.cosh(x), 2), tol);
});

Deno.test("jit: jvp and vmap of a jitted function", () => {
  const f = jax.jit((x: NDArray) => lax.mul(lax.sin(x), x));
  const x = f64([0.3, 0.6]);
  const [, t] = jax.jvp(f, [x], [f64([1, 1])]);
  assertClose(t, lax.add(lax.mul(lax.cos(x), x), lax.sin(x)), tol);
  assertClose(jax.vmap(f)(x), f(x), tol);
});

Deno.test("jit: gradients of a jitted function match finite differences", () => {
  const f = jax.jit((x: NDArray, y: NDArray) => lax.div(lax.sin(lax.mul(x, y)), lax.add(lax.mul(y, y), 1)));
  check_grads(f, [uniform(new Rng(1), [3]), uniform(new Rng(2), [3])], 2);
});

// ---------------------------------------------------------------- custom_jvp and stop_gradient

Deno.test("custom_jvp: jvp and grad use the rule, not the function's own derivative", () => {
  const f = jax.custom_jvp((x: NDArray) => lax.sin(x));
  f.defjvp(([x]: NDArray[], [t]: NDArray[]) => [f(x), lax.mul(t, 100)]);
  const x = f64([0.5]);
  assertClose(f(x), lax.sin(x), tol);
  assertClose(jax.jvp(f, [x], [f64([1])])[1], f64([100]), tol);
  assertClose(jax.grad((v: NDArray) => sum(f(v)))(x), f64([100]), tol);
});

Deno.test("custom_jvp: a numerically stable rule (log1pexp at large x)", () => {
  const log1pexp = jax.custom_jvp((x: NDArray) => lax.log1p(lax.exp(x)));
  log1pexp.defjvp(([x]: NDArray[], [t]: NDArray[]) => [
    log1pexp(x),
    lax.mul(t, lax.sub(1, lax.div(1, lax.add(1, lax.exp(x))))),
  ]);
  const g = jax.grad((v: NDArray) => sum(log1pexp(v)))(f64([100, 0]));
  assertClose(g, f64([1, 0.5]), tol);
  // Without the rule the derivative is exp(x)/(1+exp(x)) = inf/inf = nan at x = 100.
  const plain = jax.grad((v: NDArray) => sum(lax.log1p(lax.exp(v))))(f64([1000]));
  assert.ok(Number.isNaN(plain.dataSync()[0]));
});

Deno.test("custom_jvp: under vmap and jit", () => {
  const f = jax.custom_jvp((x: NDArray) => lax.mul(x, x));
  f.defjvp(([x]: NDArray[], [t]: NDArray[]) => [f(x), lax.mul(lax.mul(t, x), 2)]);
  const xs = f64([1, 2, 3]);
  assertClose(jax.vmap(f)(xs), lax.mul(xs, xs), tol);
  assertClose(jax.jit(f)(xs), lax.mul(xs, xs), tol);
  assertClose(jax.vmap(jax.grad(f))(xs), lax.mul(xs, 2), tol);
  assertClose(jax.jit(jax.grad((v: NDArray) => sum(f(v))))(xs), lax.mul(xs, 2), tol);
});

Deno.test("custom_jvp: pytree inputs and outputs", () => {
  const f = jax.custom_jvp((p: Any) => ({ y: lax.mul(p.a, p.b) }));
  f.defjvp(([p]: Any[], [t]: Any[]) => [f(p), { y: lax.add(lax.mul(t.a, p.b), lax.mul(p.a, t.b)) }]);
  const g = jax.grad((p: Any) => sum(f(p).y))({ a: f64([2]), b: f64([5]) });
  assertClose(g, { a: f64([5]), b: f64([2]) }, tol);
});

Deno.test("custom_jvp: calling before defjvp raises", () => {
  const f = jax.custom_jvp((x: NDArray) => x);
  assert.throws(() => f(f64([1])), ValueError);
});

Deno.test("stop_gradient: on a pytree blocks every leaf", () => {
  const f = (p: Any) => {
    const s = jax.stop_gradient(p);
    return lax.add(sum(lax.mul(s.a, p.a)), sum(lax.mul(s.b[0], p.b[0])));
  };
  const p = { a: f64([1, 2]), b: [f64([3])] };
  assertClose(jax.grad(f)(p), p, tol);
});

// ---------------------------------------------------------------- tree_util

const tu = jax.tree_util;

Deno.test("tree_util: tree_flatten and tree_unflatten round-trip; object keys are sorted", () => {
  const tree = { b: [1, { d: 2, c: 3 }], a: null, e: [] };
  const [leaves, def] = tu.tree_flatten(tree);
  assert.deepEqual(leaves, [1, 3, 2]);
  assert.deepEqual(tu.tree_unflatten(def, [10, 30, 20]), { a: null, b: [10, { c: 30, d: 20 }], e: [] });
  assert.equal(def.numLeaves, 3);
  assert.equal(String(def), "PyTreeDef({'a': None, 'b': [*, {'c': *, 'd': *}], 'e': []})");
});

Deno.test("tree_util: tree_leaves skips null and keeps arrays as leaves", () => {
  const x = f64([1, 2]);
  const leaves = tu.tree_leaves([null, x, [undefined, 3]]);
  assert.equal(leaves.length, 2);
  assert.equal(leaves[0], x);
  assert.equal(leaves[1], 3);
});

Deno.test("tree_util: tree_unflatten with the wrong leaf count raises TreeError", () => {
  const [, def] = tu.tree_flatten([1, 2]);
  assert.throws(() => tu.tree_unflatten(def, [1]), TreeError);
});

Deno.test("tree_util: tree_map over one and several trees", () => {
  assert.deepEqual(tu.tree_map((a: number) => a * 2, { x: [1, 2], y: 3 }), { x: [2, 4], y: 6 });
  assert.deepEqual(tu.tree_map((a: number, b: number) => a + b, [1, { x: 2 }], [10, { x: 20 }]), [11, { x: 22 }]);
  const t = tu.tree_map((a: NDArray, b: NDArray) => lax.add(a, b), { p: f64([1]) }, { p: f64([2]) });
  assertClose(t, { p: f64([3]) }, tol);
});

Deno.test("tree_util: tree_map with mismatched structures raises TreeError", () => {
  assert.throws(() => tu.tree_map((a: number, b: number) => a + b, [1, 2], [1]), TreeError);
  assert.throws(() => tu.tree_map((a: number, b: number) => a + b, { a: 1 }, { b: 1 }), TreeError);
});

Deno.test("tree_util: Partial binds leading arguments and is a pytree", () => {
  const f = (a: NDArray, b: NDArray, c: NDArray) => lax.add(lax.mul(a, b), c);
  const p = tu.Partial(f, f64([2]));
  assertClose(p(f64([3]), f64([1])), f64([7]), tol);
  const pp = tu.Partial(p, f64([4]));
  assert.equal(pp.func, f);
  assert.equal(pp.args.length, 2);
  assertClose(pp(f64([1])), f64([9]), tol);
  const [leaves, def] = tu.tree_flatten(pp);
  assert.equal(leaves.length, 2);
  const rebuilt = tu.tree_unflatten(def, [f64([1]), f64([1])]);
  assertClose(rebuilt(f64([5])), f64([6]), tol);
});

Deno.test("tree_util: a Partial passes through jit and grad as an argument", () => {
  const model = (w: NDArray, x: NDArray) => sum(lax.mul(w, x));
  const apply = jax.jit((fn: Any, x: NDArray) => fn(x));
  const p = tu.Partial(model, f64([1, 2]));
  assertClose(apply(p, f64([3, 4])), arr([11], []), tol);
  const g = jax.grad((fn: Any) => fn(f64([3, 4])))(p);
  assertClose(g.args[0], f64([3, 4]), tol);
});

// An eager transformation call releases the arrays its rules made (trace/core.ts's
// releasingIntermediates); every array the user can reach must stay usable.
Deno.test("eager transformations release only what the user cannot reach", () => {
  const x = jnp.array([0.5, -1.0, 2.0]);
  const kept: NDArray[] = [];
  const made: NDArray[] = [];
  const f = (t: NDArray) => {
    const y = jnp.sum(jnp.sin(t).mul(t));
    kept.push(lax.stop_gradient(y)); // a zero-tangent value lowered to a concrete array
    made.push(jnp.array([1, 2, 3])); // the user's own array, made inside f
    made.push(jax.grad((u: NDArray) => u.mul(u).sum())(jnp.array([3.0]))); // a nested eager call's result
    return y;
  };
  const g = jax.grad(f)(x);
  const [[v, aux], g2] = jax.value_and_grad((t: NDArray) => [f(t), jnp.cos(t)], { hasAux: true })(x) as [
    [NDArray, NDArray],
    NDArray,
  ];
  const step = jax.jit((t: NDArray) => jnp.sum(t.mul(t)));
  const gj = jax.grad((t: NDArray) => step(t).mul(f(t)))(x);
  const [po, to] = jax.jvp((t: NDArray) => t, [x], [jnp.ones([3])]);
  for (const a of [g, v, aux, g2, gj, po, to, x, ...kept, ...made]) assert.ok(a.tolist() !== undefined);
  assert.equal(kept.length, 3);
  for (let i = 0; i < made.length; i += 2) {
    assert.deepEqual(made[i].tolist(), [1, 2, 3]);
    assert.deepEqual(made[i + 1].tolist(), [6]);
  }
  // Under vmap (jacfwd, hessian) what f keeps are tracers (reading them later is an error, as in
  // JAX); the results stay.
  const h = jax.hessian(f)(x);
  const jf = jax.jacfwd((t: NDArray) => jnp.exp(t).mul(f(t)))(x);
  assert.deepEqual([h.shape, jf.shape], [[3, 3], [3, 3]]);
  assert.ok(h.tolist() && jf.tolist());
  const vm = jax.vmap((t: NDArray) => jax.grad(f)(t))(jnp.stack([x, x.mul(2)]));
  assertClose(vm.get(0), g, { rtol: 1e-6, atol: 1e-6 });
  assertClose(g, g2, { rtol: 1e-6, atol: 1e-6 });
  assert.equal(po, x);
  assert.equal(step(x).item(), 5.25); // the jit cache's jaxpr (traced inside grad) still runs
});
