// Derivatives of jax.scipy.special: jvp and vjp of every function against
// central finite differences in float64 (tests/check_grads.ts), to second
// order where the function is smooth there, and the custom rules at the
// points they exist for (xlogy at x = 0, log_ndtr and ndtri in the tails).

import assert from "node:assert/strict";
import { jax, jnp, type NDArray } from "../mod.ts";
import { arr, check_grads, enableX64 } from "./check_grads.ts";

enableX64();
const S = jax.scipy.special;
const v = (xs: number[]) => arr(xs, [xs.length]);
const TOL = { atol: 1e-6, rtol: 1e-6 };
const f64 = (x: number) => arr([x], []);

const unary: [string, (x: NDArray) => NDArray, number[]][] = [
  ["gammaln", S.gammaln, [0.3, 2.5, 15, 170.5, -1.5, -3.7]],
  ["digamma", S.digamma, [0.3, 2.5, 15, -1.5]],
  ["erf", S.erf, [-2, -0.3, 0.4, 3]],
  ["erfc", S.erfc, [-2, -0.3, 0.4, 3, 6]],
  ["erfinv", S.erfinv, [-0.9, -0.2, 0.3, 0.7, 0.99]],
  ["ndtr", S.ndtr, [-12, -6, -3, -0.2, 0.5, 2, 4]],
  ["ndtri", S.ndtri, [1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999]],
  ["log_ndtr", S.log_ndtr, [-40, -25, -12, -3, 0, 3, 7, 9]],
  ["expit", S.expit, [-30, -2, 0, 0.5, 4]],
  ["logit", S.logit, [1e-3, 0.1, 0.5, 0.8, 0.99]],
];
// ndtri and logit are steep near 0 (derivatives ~1/p): a smaller step keeps
// the central difference's truncation error below the tolerance.
const steep = new Set(["ndtri", "logit"]);
for (const [name, f, xs] of unary) {
  Deno.test(`${name}: jvp and vjp match finite differences (order 2)`, () => {
    check_grads(f, [v(xs)], 2, { ...TOL, eps: steep.has(name) ? 1e-8 : 1e-6 }, name);
  });
}

Deno.test("polygamma: derivative in x (order 2)", () => {
  for (const n of [0, 1, 2, 3]) {
    check_grads((x: NDArray) => S.polygamma(n, x), [v([0.4, 1.7, 6.5, -1.3])], 2, TOL, `polygamma(${n})`);
  }
});

Deno.test("gammainc / gammaincc: derivatives in a and x (order 1)", () => {
  // Both branches of the a-derivative: series (x < a + 1) and continued fraction.
  const a = v([0.5, 0.5, 2.5, 2.5, 10, 10, 30, 30, 100, 1000]);
  const x = v([0.2, 3, 1, 4, 5, 12, 25, 40, 95, 1010]);
  check_grads(S.gammainc, [a, x], 1, TOL, "gammainc");
  check_grads(S.gammaincc, [a, x], 1, TOL, "gammaincc");
  // P is flat in a at x = 0 and x = inf; nan for a <= 0.
  const da = jax.grad((aa: NDArray) => jnp.sum(S.gammainc(aa, v([0, Infinity, 2]))));
  assert.ok(Number.isNaN((da(f64(-1)) as NDArray).item()));
  const g = jax.vmap(jax.grad((aa: NDArray, xx: NDArray) => S.gammainc(aa, xx)))(v([2, 2]), v([0, Infinity]));
  assert.deepEqual((g as NDArray).tolist(), [0, 0]);
});

Deno.test("betaln: derivatives in a and b, both branches (order 2)", () => {
  // b < 8 (lgamma sum) and b >= 8 (algdiv), a < b and a > b.
  check_grads(S.betaln, [v([0.5, 2, 3, 30, 1e3]), v([3, 0.7, 20, 40, 5])], 2, TOL, "betaln");
});

Deno.test("xlogy / xlog1py: derivatives, including the custom rule at x = 0", () => {
  check_grads(S.xlogy, [v([0.5, -1.5, 3]), v([2, 0.3, 7])], 2, TOL, "xlogy");
  check_grads(S.xlog1py, [v([0.5, -1.5, 3]), v([2, -0.3, 1e-3])], 2, TOL, "xlog1py");
  // At x = 0 the value is 0 by convention and d/dx = log(y) (JAX's rule), not 0.
  const [gx, gy] = jax.grad(S.xlogy, { argnums: [0, 1] })(f64(0), f64(2)) as NDArray[];
  assert.equal(gx.item(), Math.log(2));
  assert.equal(gy.item(), 0);
  const [hx] = jax.grad(S.xlog1py, { argnums: [0, 1] })(f64(0), f64(1)) as NDArray[];
  assert.equal(hx.item(), Math.log1p(1));
  // Finite derivative at (0, 0) in x's direction: log(0) = -inf, as JAX.
  assert.equal((jax.grad(S.xlogy)(f64(0), f64(0)) as NDArray).item(), -Infinity);
});

Deno.test("logsumexp: derivatives in a and b, over axes", () => {
  const a = arr([0.3, -1.2, 2.5, 0.7, 1.1, -0.4], [2, 3]);
  const b = arr([1, 0.5, 2, 0.3, 1.5, 0.8], [2, 3]);
  check_grads((x: NDArray) => S.logsumexp(x), [a], 2, TOL, "logsumexp all");
  check_grads((x: NDArray) => S.logsumexp(x, { axis: 1 }), [a], 2, TOL, "logsumexp axis 1");
  check_grads((x: NDArray, w: NDArray) => S.logsumexp(x, { axis: 0, b: w }), [a, b], 2, TOL, "logsumexp b");
  // The gradient is the softmax, also with a -inf entry (whose weight is 0).
  const g = jax.grad((x: NDArray) => S.logsumexp(x))(jnp.array([0, Math.log(3), -Infinity])) as NDArray;
  assert.deepEqual(g.tolist(), [0.25, 0.75, 0]);
});

Deno.test("tail derivatives stay finite and accurate (custom rules)", () => {
  // d log Φ(x) / dx = φ(x) / Φ(x) ≈ -x for x << 0; a naive chain rule gives 0/0 there.
  const g = (jax.grad(S.log_ndtr)(f64(-40)) as NDArray).item();
  assert.ok(Math.abs(g - 40.02498) < 1e-4, `log_ndtr'(-40) = ${g}`);
  // d ndtri / dp = 1 / φ(ndtri(p)).
  const p = 1e-10;
  const x = S.ndtri(p).item();
  const d = (jax.grad(S.ndtri)(f64(p)) as NDArray).item();
  const expected = Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  assert.ok(Math.abs(d - expected) <= 1e-12 * expected, `ndtri'(${p}) = ${d}, expected ${expected}`);
  // logit' = 1 / (p (1 - p)), exact at 1/2.
  assert.equal((jax.grad(S.logit)(f64(0.5)) as NDArray).item(), 4);
});

Deno.test("float64 values of the new composites against known values", () => {
  assert.ok(Math.abs(S.ndtri(0.975).item() - 1.959963984540054) < 1e-15 * 2);
  assert.equal(S.ndtri(0).item(), -Infinity);
  assert.equal(S.ndtri(1).item(), Infinity);
  assert.ok(Number.isNaN(S.ndtri(1.5).item()));
  // SciPy's values; the lgamma-sum formula loses ~7 digits at these sizes, algdiv does not.
  assert.ok(Math.abs(S.betaln(1e5, 1e5).item() - -138633.9270613487) < 1e-12 * 138634);
  assert.ok(Math.abs(S.betaln(3, 1e7).item() - -47.661140072314986) < 1e-13 * 48);
  assert.ok(Math.abs(S.log_ndtr(-40).item() - -804.6084420137539) < 1e-12 * 805);
  assert.ok(Number.isNaN(S.xlogy(0, NaN).item()), "xlogy(0, nan) is nan, as SciPy");
  assert.equal(S.xlogy(0, 0).item(), 0);
  const [lse, sgn] = S.logsumexp(jnp.array([0, 1]), { b: jnp.array([1, -1]), return_sign: true });
  assert.ok(Math.abs(lse.item() - Math.log(Math.E - 1)) < 1e-15);
  assert.equal(sgn.item(), -1);
  assert.ok(Number.isNaN(S.logsumexp(jnp.array([0, 1]), { b: jnp.array([1, -1]) }).item()));
});

Deno.test("jax.scipy.special exports the issue's list, each traceable and differentiable under jit and vmap", () => {
  const names = [
    "gammaln",
    "digamma",
    "polygamma",
    "erf",
    "erfc",
    "erfinv",
    "ndtr",
    "ndtri",
    "log_ndtr",
    "logsumexp",
    "xlogy",
    "xlog1py",
    "expit",
    "logit",
    "betaln",
    "gammainc",
  ];
  const exported = S as unknown as Record<string, unknown>;
  for (const n of names) assert.equal(typeof exported[n], "function", n);
  // Custom-jvp functions compose with jit and vmap like the primitives do.
  const p = v([0.01, 0.3, 0.8]);
  const eager = (jax.vmap(jax.grad(S.ndtri))(p) as NDArray).tolist() as number[];
  const jitted = (jax.jit(jax.vmap(jax.grad(S.ndtri)))(p) as NDArray).tolist() as number[];
  assert.deepEqual(jitted, eager);
  eager.forEach((d, i) => {
    const x = S.ndtri((p.tolist() as number[])[i]).item();
    assert.ok(Math.abs(d - Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x)) < 1e-12 * d);
  });
  const lg = jax.jit(jax.vmap(jax.grad((x: NDArray) => S.log_ndtr(x).add(S.logit(S.expit(x))))))(v([-30, 0, 2]));
  const expectLg = [-30, 0, 2].map((x) =>
    Math.exp(-0.5 * x * x - 0.5 * Math.log(2 * Math.PI) - S.log_ndtr(x).item()) + 1
  );
  ((lg as NDArray).tolist() as number[]).forEach((g, i) =>
    assert.ok(Math.abs(g - expectLg[i]) < 1e-9 * Math.abs(expectLg[i]))
  );
});
