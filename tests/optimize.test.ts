// lib/optimize.ts (jax.scipy.optimize.minimize, BFGS): results on standard
// problems against scipy.optimize.minimize(method="BFGS") in float64, and
// against jax.scipy.optimize.minimize where JAX's stops short (golden data in
// tests/fixtures/optimize_golden.json, written by scripts/gen_optimize_golden.py).

import assert from "node:assert/strict";
import { jax, jnp, type NDArray, ShapeError, ValueError } from "../mod.ts";
import golden from "./fixtures/optimize_golden.json" with { type: "json" };

const { minimize, line_search } = jax.scipy.optimize;

interface Run {
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  status: number;
  success: boolean;
  gnorm: number;
}
interface Problem {
  x0: number[];
  scipy: Run;
  jax64: Run;
  jax32: Run;
}
const problems = golden.problems as unknown as Record<string, Problem>;
const data = golden.data as unknown as {
  quadratic: { A: number[][]; b: number[] };
  logistic: { X: number[][]; y: number[] };
};
const normalX = Deno.readTextFileSync(new URL("./fixtures/normal100.csv", import.meta.url))
  .trim().split("\n").slice(1).map(Number);

// The objectives, as in scripts/gen_optimize_golden.py. Arrays are built at
// call time so they take the dtype in force (float32, or float64 with x64).
function objective(name: string): (x: NDArray) => NDArray {
  switch (name) {
    case "rosen2":
    case "rosen5":
      return (x) => {
        const a = x.slice([0, -1]), b = x.slice([1, null]);
        return jnp.sum(jnp.square(b.sub(a.mul(a))).mul(100).add(jnp.square(jnp.subtract(1, a))));
      };
    case "quadratic":
      return (x) => {
        const A = jnp.array(data.quadratic.A, { dtype: x.dtype });
        const b = jnp.array(data.quadratic.b, { dtype: x.dtype });
        return jnp.dot(x, jnp.dot(A, x)).mul(0.5).sub(jnp.dot(b, x));
      };
    case "himmelblau":
    case "himmelblau_neg":
      return (x) => {
        const [u, v] = [x.get(0), x.get(1)];
        return jnp.square(u.mul(u).add(v).sub(11)).add(jnp.square(u.add(v.mul(v)).sub(7)));
      };
    case "logistic":
      return (w) => {
        const X = jnp.array(data.logistic.X, { dtype: w.dtype });
        const y = jnp.array(data.logistic.y, { dtype: w.dtype });
        const z = jnp.dot(X, w);
        return jnp.sum(jnp.maximum(z, 0).add(jnp.log1p(jnp.exp(jnp.abs(z).neg()))).sub(y.mul(z)));
      };
    case "normal_nll":
      return (theta) => {
        const x = jnp.array(normalX, { dtype: theta.dtype });
        const mu = theta.get(0);
        const variance = jnp.exp(theta.get(1));
        const n = x.shape[0];
        const ll = jnp.sum(jnp.square(x.sub(mu))).neg().div(variance.mul(2))
          .sub(jnp.log(variance.mul(2 * Math.PI)).mul(0.5 * n));
        return ll.neg();
      };
  }
  throw new Error(`no objective ${name}`);
}

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

interface Summary {
  x: number[];
  fun: number;
  status: number;
  success: boolean;
  nit: number;
  nfev: number;
  njev: number;
  gnorm: number;
}
function summary(r: jax.scipy.optimize.OptimizeResults): Summary {
  return {
    x: r.x.tolist() as number[],
    fun: r.fun.item(),
    status: r.status.item(),
    success: Boolean(r.success.item()),
    nit: r.nit.item(),
    nfev: r.nfev.item(),
    njev: r.njev.item(),
    gnorm: jnp.max(jnp.abs(r.jac)).item(),
  };
}

function withX64<T>(f: () => T): T {
  jax.config.update("jax_enable_x64", true);
  try {
    return f();
  } finally {
    jax.config.update("jax_enable_x64", false);
  }
}

// How far x may be from SciPy's x: both stop at |∇f|∞ <= 1e-5, so they
// differ by up to ~1e-5 / (smallest Hessian eigenvalue) around the minimum.
const X_TOL: Record<string, number> = {
  rosen2: 5e-5,
  rosen5: 5e-5,
  quadratic: 1e-5,
  himmelblau: 1e-6,
  himmelblau_neg: 1e-6,
  logistic: 1e-5,
  normal_nll: 1e-6,
};

for (const [name, p] of Object.entries(problems)) {
  Deno.test(`BFGS float64 ${name} matches scipy.optimize.minimize`, () => {
    const r = withX64(() =>
      summary(minimize(objective(name), jnp.array(p.x0, { dtype: "float64" }), { method: "BFGS" }))
    );
    const s = p.scipy;
    assert.equal(s.status, 0, "scipy converged on this problem");
    assert.equal(r.status, 0, `status ${r.status}`);
    assert.equal(r.success, true);
    assert.ok(r.gnorm <= 1e-5, `|grad| ${r.gnorm}`);
    assert.ok(maxAbsDiff(r.x, s.x) <= X_TOL[name], `x ${r.x} vs scipy ${s.x}`);
    assert.ok(Math.abs(r.fun - s.fun) <= 1e-9 * Math.max(1, Math.abs(s.fun)), `f ${r.fun} vs scipy ${s.fun}`);
    // A comparable amount of work (the line searches differ: SciPy tries MINPACK's first).
    assert.ok(r.nit <= 1.5 * s.nit + 3, `nit ${r.nit} vs scipy ${s.nit}`);
    assert.ok(r.nfev <= 2 * s.nfev + 5, `nfev ${r.nfev} vs scipy ${s.nfev}`);
    assert.equal(r.njev, r.nfev);
  });

  Deno.test(`BFGS float32 ${name} converges (JAX's status ${p.jax32.status})`, () => {
    const r = summary(minimize(objective(name), jnp.array(p.x0), { method: "BFGS" }));
    assert.equal(r.status, 0, `status ${r.status}, |grad| ${r.gnorm}, x ${r.x}`);
    assert.ok(r.gnorm <= 1e-5);
    // float32 pins a minimum down to about sqrt(eps32) ≈ 3e-4 along a flat valley.
    const xtol = 3e-4;
    assert.ok(maxAbsDiff(r.x, p.scipy.x) <= xtol, `x ${r.x} vs scipy ${p.scipy.x}`);
    assert.ok(Math.abs(r.fun - p.scipy.fun) <= 1e-5 * Math.max(1, Math.abs(p.scipy.fun)), `f ${r.fun}`);
  });
}

Deno.test("BFGS converges where jax.scipy.optimize.minimize stops with status 3", () => {
  // The golden file records JAX's own runs: it gives up on Rosenbrock (2-d and
  // 5-d, float32 and float64) and on Himmelblau from the origin.
  const gaveUp = Object.entries(problems).filter(([, p]) => p.jax32.status === 3).map(([n]) => n);
  for (const n of ["rosen2", "rosen5", "himmelblau"]) {
    assert.ok(gaveUp.includes(n), `JAX float32 fails on ${n}`);
    assert.equal(problems[n].jax64.status, 3, `JAX float64 fails on ${n}`);
  }
  for (const n of gaveUp) {
    const r = summary(minimize(objective(n), jnp.array(problems[n].x0), { method: "BFGS" }));
    assert.equal(r.status, 0, n);
    const jf = problems[n].jax32.fun;
    assert.ok(r.fun <= jf + 1e-6 * Math.max(1, Math.abs(jf)), `${n}: f ${r.fun} vs JAX ${jf}`);
  }
  // Rosenbrock in float32 from the standard start reaches the minimum exactly.
  const r = summary(minimize(objective("rosen2"), jnp.array([-1.2, 1]), { method: "BFGS" }));
  assert.deepEqual(r.x, [1, 1]);
});

Deno.test("float32 Rosenbrock: where gtol is below the gradient's rounding noise, it stops at the floor", () => {
  // Near (1, 1) the float32 value of y - x² has an absolute error of ~6e-8, so
  // ∇f carries noise of ~2e-5 > gtol: from [-1, 1] BFGS gets within a few ulp
  // of the minimum and then no step decreases f, even along -∇f after the
  // restart. It reports that (status 3, not a success) rather than a success.
  const r = summary(minimize(objective("rosen2"), jnp.array([-1, 1]), { method: "BFGS" }));
  assert.ok(maxAbsDiff(r.x, [1, 1]) <= 1e-6, `x ${r.x}`);
  assert.ok(r.fun <= 1e-11, `f ${r.fun}`);
  if (r.status !== 0) {
    assert.deepEqual([r.status, r.success], [3, false]);
    assert.ok(r.gnorm > 1e-5);
  }
  // The same start in float64 converges normally.
  const r64 = withX64(() =>
    summary(minimize(objective("rosen2"), jnp.array([-1, 1], { dtype: "float64" }), { method: "BFGS" }))
  );
  assert.equal(r64.status, 0);
});

Deno.test("minimize under jax.jit gives the eager result, staged as one while loop", () => {
  const f = objective("rosen2");
  const solve = (x0: NDArray) => minimize(f, x0, { method: "BFGS" });
  const x0 = jnp.array([-1.2, 1]);
  const eager = summary(solve(x0));
  const jitted = summary(jax.jit(solve)(x0));
  assert.deepEqual(jitted, eager);
  const text = jax.make_jaxpr(solve)(x0).toString();
  assert.match(text, /while\[/);
  // Retracing is cached: a second start runs through the same compiled program.
  const again = summary(jax.jit(solve)(jnp.array([2, 2])));
  assert.equal(again.status, 0);
  assert.ok(maxAbsDiff(again.x, [1, 1]) <= 1e-3);
});

Deno.test("minimize under jax.vmap solves a batch of starts, each as if alone", () => {
  const f = objective("rosen2");
  const starts = [[-1.2, 1], [0, 0], [2, 2]];
  const solve = (x0: NDArray) => minimize(f, x0, { method: "BFGS" });
  const batched = jax.vmap(solve)(jnp.array(starts)) as jax.scipy.optimize.OptimizeResults;
  const xs = batched.x.tolist() as number[][];
  starts.forEach((x0, i) => {
    const one = summary(solve(jnp.array(x0)));
    assert.deepEqual(xs[i], one.x, `start ${x0}`);
    assert.equal((batched.nit.tolist() as number[])[i], one.nit);
    assert.equal((batched.status.tolist() as number[])[i], one.status);
  });
});

Deno.test("minimize: args, tol and maxiter", () => {
  const f = (x: NDArray, c: NDArray, scale: number) => jnp.sum(jnp.square(x.sub(c))).mul(scale);
  const c = jnp.array([1, -2, 3]);
  const r = summary(minimize(f, jnp.zeros([3]), { method: "bfgs", args: [c, 2] }));
  assert.equal(r.status, 0);
  assert.ok(maxAbsDiff(r.x, [1, -2, 3]) <= 1e-5);
  // tol sets gtol (as SciPy); a loose tol stops earlier on Rosenbrock.
  const loose = summary(minimize(objective("rosen2"), jnp.array([-1.2, 1]), { method: "BFGS", tol: 1e-1 }));
  const tight = summary(minimize(objective("rosen2"), jnp.array([-1.2, 1]), { method: "BFGS" }));
  assert.equal(loose.status, 0);
  assert.ok(loose.gnorm <= 1e-1 && loose.nit < tight.nit, `loose ${loose.nit} vs ${tight.nit}`);
  // maxiter reached: status 1, not a success, nit = maxiter.
  const capped = summary(
    minimize(objective("rosen2"), jnp.array([-1.2, 1]), { method: "BFGS", options: { maxiter: 5 } }),
  );
  assert.equal(capped.status, 1);
  assert.equal(capped.success, false);
  assert.equal(capped.nit, 5);
  // Already at the minimum: no iterations.
  const there = summary(minimize(objective("rosen2"), jnp.array([1, 1]), { method: "BFGS" }));
  assert.deepEqual([there.status, there.nit, there.nfev], [0, 0, 1]);
  // The 2-norm test.
  const two = summary(
    minimize(objective("quadratic"), jnp.zeros([4]), { method: "BFGS", options: { norm: 2, gtol: 1e-4 } }),
  );
  assert.equal(two.status, 0);
});

Deno.test("minimize restarts from H = I when -H∇f is not a descent direction", () => {
  // A negative-definite initial inverse Hessian points uphill; BFGS must notice and restart.
  const r = summary(minimize(objective("himmelblau_neg"), jnp.array([-1, -1]), {
    method: "BFGS",
    options: { hess_inv0: jnp.eye(2).mul(-1) },
  }));
  assert.equal(r.status, 0);
  assert.ok(r.fun < 1e-8);
});

Deno.test("minimize retries along -∇f after a failed line search, then reports status 3", () => {
  // A 'gradient' that points the wrong way (custom_jvp): no step decreases f.
  const f = jax.custom_jvp((x: NDArray) => jnp.sum(x.mul(x)));
  f.defjvp((primals: NDArray[], tangents: NDArray[]) => {
    const [x] = primals, [t] = tangents;
    return [jnp.sum(x.mul(x)), jnp.sum(x.mul(t)).mul(-2)];
  });
  const x0 = jnp.array([1, 2]);
  // From H0 = 2I the first search fails, the solver resets H to I and tries
  // along -∇f, which fails too: two full searches (30 trials each) and one
  // initial evaluation, and x is left where it was.
  const r = summary(
    minimize(f as (x: NDArray) => NDArray, x0, { method: "BFGS", options: { hess_inv0: jnp.eye(2).mul(2) } }),
  );
  assert.deepEqual([r.status, r.success, r.nit, r.nfev], [3, false, 0, 61]);
  assert.deepEqual(r.x, [1, 2]);
  // From H0 = I (already a fresh start) one failed search ends the run.
  const plain = summary(minimize(f as (x: NDArray) => NDArray, x0, { method: "BFGS" }));
  assert.deepEqual([plain.status, plain.nfev], [3, 31]);
});

Deno.test("line_search satisfies the strong Wolfe conditions", () => {
  const f = objective("rosen2");
  const x = jnp.array([-1.2, 1]);
  const g = jax.grad(f)(x) as NDArray;
  const p = g.neg();
  const r = line_search(f, x, p);
  assert.equal(r.status.item(), 0);
  assert.equal(Boolean(r.failed.item()), false);
  const a = r.a_k.item();
  const f0 = f(x).item(), d0 = jnp.dot(g, p).item();
  const xa = x.add(p.mul(a));
  assert.ok(r.f_k.item() <= f0 + 1e-4 * a * d0, "sufficient decrease");
  assert.ok(Math.abs(jnp.dot(r.g_k, p).item()) <= 0.9 * Math.abs(d0), "curvature");
  assert.ok(Math.abs(f(xa).item() - r.f_k.item()) <= 1e-6 * Math.abs(r.f_k.item()));
  // On a quadratic along the exact Newton direction the first trial (step 1) is accepted.
  const q = (v: NDArray) => jnp.sum(v.mul(v));
  const rq = line_search(q, jnp.array([1, 1]), jnp.array([-1, -1]));
  assert.deepEqual([rq.a_k.item(), rq.nfev.item()], [1, 2]);
  // An uphill direction: no step decreases f.
  const up = line_search(q, jnp.array([1, 1]), jnp.array([1, 1]));
  assert.deepEqual([up.status.item(), Boolean(up.failed.item())], [2, true]);
});

Deno.test("minimize: bad input gets named errors", () => {
  const f = objective("rosen2");
  assert.throws(() => minimize(f, jnp.array([0, 0]), { method: "Nelder-Mead" }), ValueError);
  assert.throws(() => minimize(f, jnp.array([0, 0]), undefined as never), /give the method/);
  assert.throws(() => minimize(f, jnp.zeros([2, 2]), { method: "BFGS" }), ShapeError);
  assert.throws(() => minimize((x: NDArray) => x.mul(2), jnp.zeros([2]), { method: "BFGS" }), ShapeError);
  assert.throws(() => minimize(f, jnp.zeros([2]), { method: "BFGS", options: { maxiter: -1 } }), ValueError);
  assert.throws(() => minimize(f, jnp.zeros([2]), { method: "BFGS", options: { norm: 0.5 } }), ValueError);
  assert.throws(() => minimize(f, jnp.zeros([2]), { method: "BFGS", options: { hess_inv0: jnp.eye(3) } }), ShapeError);
  // Integer starts are promoted to float.
  const r = summary(minimize(f, jnp.array([0, 0], { dtype: "int32" }), { method: "BFGS" }));
  assert.equal(r.status, 0);
  assert.ok(maxAbsDiff(r.x, [1, 1]) <= 1e-4);
});
