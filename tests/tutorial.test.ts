/**
 * Tutorial parity: every cell of ../shared/seed/jax-tutorial.md (plus the
 * extra cells of tutorial_reference.py: grad, jacrev, jax.hessian and the
 * Poisson exercise) run on tests/fixtures data and compared with real JAX's
 * results in tests/fixtures/expected.json, once in float32 (the default) and
 * once in float64 (`jax_enable_x64`).
 *
 * Tolerances, `|got - want| <= atol + rtol * |want|`:
 * - float32: rtol 1e-5, atol 1e-6. The json holds exact float32 values, but
 *   summation order differs between XLA and our kernels, so the last bits
 *   differ (JAX's own jacfwd and grad disagree by ~1e-6 relative). The atol is
 *   for values at zero: JAX's float32 `gammaln(1.0)` is 4.77e-7, ours is 0.
 * - float64: rtol 1e-10, atol 1e-12.
 *
 * The tutorial functions are written the way a user translates the Python:
 * `Partial(f, x=x)` binds a keyword argument, which a JS function cannot
 * take, so the partial applications are closures `(theta) => f(theta, x)`.
 *
 * The last test runs `deno task tutorial` (scripts/tutorial.ts) as a
 * subprocess and checks the numbers it prints.
 */

import { equal, ok } from "node:assert/strict";
import { jax, jnp, lax, np } from "@jaxd/jaxd";
import type { NDArray } from "@jaxd/jaxd";

const fixtures = new URL("./fixtures/", import.meta.url);
const repoRoot = new URL("../", import.meta.url);

/** Reads a one-column CSV with header `x` as float64 JS numbers. */
function readColumn(name: string): number[] {
  const [header, ...rows] = Deno.readTextFileSync(new URL(name, fixtures)).trim().split("\n");
  same(header.trim(), "x", `${name}: unexpected header`);
  return rows.map(Number);
}

// deno-lint-ignore no-explicit-any
const expected: any = JSON.parse(Deno.readTextFileSync(new URL("expected.json", fixtures)));
const normal100 = readColumn("normal100.csv");
const poisson1000 = readColumn("poisson1000.csv");

/** Strict equality whose message shows both values. */
function same<T>(got: T, want: T, what: string) {
  equal(got, want, `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

type Mode = "float32" | "float64";
const TOL: Record<Mode, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-10, atol: 1e-12 },
};

type Nested = number | boolean | Nested[];

/** numpy's allclose over nested lists, with a message naming the first bad element. */
function assertClose(got: Nested, want: Nested, tol: { rtol: number; atol: number }, what: string, path = "") {
  if (Array.isArray(want)) {
    ok(Array.isArray(got), `${what}${path}: expected a list of ${want.length}, got ${JSON.stringify(got)}`);
    same(got.length, want.length, `${what}${path}: length`);
    want.forEach((w, i) => assertClose(got[i], w, tol, what, `${path}[${i}]`));
    return;
  }
  const g = Number(got), w = Number(want);
  const err = Math.abs(g - w);
  ok(
    err <= tol.atol + tol.rtol * Math.abs(w),
    `${what}${path}: got ${g}, want ${w} (abs err ${err.toExponential(2)}, rel ${
      (err / Math.abs(w)).toExponential(2)
    })`,
  );
}

// ---------------------------------------------------------------------------
// The tutorial, translated.
// ---------------------------------------------------------------------------

/** Negative log-likelihood of a normal sample, theta = [mu, log variance]. */
function f(theta: NDArray, x: NDArray): NDArray {
  const mu = theta.get(0);
  const variance = jnp.exp(theta.get(1));
  const n = x.shape[0];
  const log_likelihood = jnp.sum(x.sub(mu).pow(2)).neg().div(variance.mul(2.0))
    .sub(jnp.log(variance.mul(2 * jnp.pi)).mul(0.5 * n));
  return log_likelihood.neg();
}

/** The same for one data point. */
function f_single(theta: NDArray, x_single: NDArray): NDArray {
  const mu = theta.get(0);
  const variance = jnp.exp(theta.get(1));
  const log_likelihood = x_single.sub(mu).pow(2).neg().div(variance.mul(2.0))
    .sub(jnp.log(variance.mul(2 * jnp.pi)).mul(0.5));
  return log_likelihood.neg();
}

function f_vmap(theta: NDArray, x: NDArray): NDArray {
  return jnp.sum(jax.vmap(f_single, { inAxes: [null, 0] })(theta, x));
}

/** Positive Poisson log-likelihood: sum(-lambda - log(x!) + x log(lambda)). */
function poisson_loglik(lam: NDArray, x: NDArray): NDArray {
  const gammaln = jax.scipy.special.gammaln;
  return jnp.sum(lam.neg().sub(gammaln(x.add(1.0))).add(x.mul(jnp.log(lam))));
}

// ---------------------------------------------------------------------------
// jaxpr text: a small parser of JAX's printed format, for structural checks.
// ---------------------------------------------------------------------------

interface Eqn {
  prim: string;
  /** Output types, e.g. ["f32[100]"]. */
  outTypes: string[];
  /** `key=value` pairs of the params. */
  params: Map<string, string>;
  /** Arguments: literals as printed (`2.0:f32[]`), variables as `_`. */
  args: string[];
}

interface ParsedJaxpr {
  constTypes: string[];
  inTypes: string[];
  outTypes: string[];
  eqns: Eqn[];
}

/** Splits `a=1 b=(2, 3) c=None` at top-level spaces. */
function parseParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0, start = 0;
  const flush = (end: number) => {
    const kv = text.slice(start, end).trim();
    if (kv) {
      const eq = kv.indexOf("=");
      out.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === " " && depth === 0) {
      flush(i);
      start = i + 1;
    }
  }
  flush(text.length);
  return out;
}

/** Parses a flat (no nested jaxprs) printed jaxpr. */
function parseJaxpr(text: string): ParsedJaxpr {
  const lines = text.trim().split("\n");
  const head = /^\{ lambda (.*?); (.*?)\. let$/.exec(lines[0].trim());
  ok(head, `jaxpr header not understood: ${lines[0]}`);
  const typesOf = (s: string) => s.trim() ? s.trim().split(/\s+/).map((b) => b.split(":")[1]) : [];
  const types = new Map<string, string>();
  for (const b of `${head[1]} ${head[2]}`.trim().split(/\s+/)) types.set(b.split(":")[0], b.split(":")[1]);
  const eqns: Eqn[] = [];
  let outTypes: string[] = [];
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    const tail = /^in \((.*)\) \}$/.exec(line);
    if (tail) {
      outTypes = tail[1].split(",").map((s) => s.trim()).filter((s) => s).map((v) => {
        if (v.includes(":")) return v.split(":")[1];
        ok(types.has(v), `jaxpr output ${v} is not defined`);
        return types.get(v)!;
      });
      continue;
    }
    const m = /^(.*?) = ([a-z_0-9]+)(?:\[(.*)\])?(?: (.*))?$/.exec(line);
    ok(m, `jaxpr equation not understood: ${line}`);
    const binders = m[1].split(/\s+/);
    binders.forEach((b) => types.set(b.split(":")[0], b.split(":")[1]));
    eqns.push({
      prim: m[2],
      outTypes: binders.map((b) => b.split(":")[1]),
      params: parseParams(m[3] ?? ""),
      args: (m[4] ?? "").trim().split(/\s+/).filter((a) => a).map((a) => (a.includes(":") ? a : "_")).sort(),
    });
  }
  return { constTypes: typesOf(head[1]), inTypes: typesOf(head[2]), outTypes, eqns };
}

/**
 * Params JAX prints that jaxd leaves out: sharding annotations, which have no
 * meaning on a single device. Everything else must be spelled the same.
 */
const JAX_ONLY_PARAMS = new Set(["out_sharding", "sharding"]);

function countPrims(j: ParsedJaxpr): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of j.eqns) m.set(e.prim, (m.get(e.prim) ?? 0) + 1);
  return m;
}

// ---------------------------------------------------------------------------
// The cells, in float32 and float64.
// ---------------------------------------------------------------------------

/** Whether arrays can be made on `platform` here (webgpu needs an adapter). */
function platformAvailable(platform: string): boolean {
  jax.config.update("jax_platforms", platform);
  try {
    return jax.devices()[0].platform === platform;
  } catch {
    return false;
  } finally {
    jax.config.update("jax_platforms", "");
  }
}

// float64 is a cpu-backend feature; the float32 cells also run on webgpu where
// there is an adapter (reported as ignored where there is none).
const RUNS: { mode: Mode; platform: string }[] = [
  { mode: "float32", platform: "cpu" },
  { mode: "float32", platform: "webgpu" },
  { mode: "float64", platform: "cpu" },
];

for (const { mode, platform } of RUNS) {
  Deno.test({
    name: `tutorial cells match real JAX (${mode}, ${platform})`,
    ignore: platform !== "cpu" && !platformAvailable(platform),
  }, async (t) => {
    jax.config.update("jax_platforms", platform);
    jax.config.update("jax_enable_x64", mode === "float64");
    try {
      same(jax.devices()[0].platform, platform, "platform");
      // deno-lint-ignore no-explicit-any
      const want: any = expected[mode];
      const tol = TOL[mode];
      const close = (got: NDArray | Nested, w: Nested, what: string) =>
        assertClose(typeof got === "object" && !Array.isArray(got) ? got.tolist() : got, w, tol, what);

      const x = jnp.array(normal100);
      same(x.dtype, mode, "dtype of the data");
      const f_x = (theta: NDArray) => f(theta, x);
      const theta_eval = jnp.array(want.theta_eval);
      const df_x = jax.jacfwd(f_x);
      const ddf_x = jax.jacfwd(jax.jacfwd(f_x));

      await t.step("f_x([3, 2])", () => {
        const v = f_x(theta_eval);
        same(v.dtype, mode, "dtype of f_x");
        same(v.ndim, 0, "rank of f_x");
        close(v, want.f_x, "f_x");
      });
      await t.step("gradient: jacfwd, grad, jacrev", () => {
        close(df_x(theta_eval), want.jacfwd, "jacfwd");
        close(jax.grad(f_x)(theta_eval), want.grad, "grad");
        close(jax.jacrev(f_x)(theta_eval), want.jacrev, "jacrev");
      });
      await t.step("Hessian: jacfwd(jacfwd) and jax.hessian", () => {
        close(ddf_x(theta_eval), want.hessian_jacfwd_jacfwd, "jacfwd(jacfwd)");
        close(jax.hessian(f_x)(theta_eval), want.hessian_jax_hessian, "jax.hessian");
      });

      await t.step("gradient descent, host loop (whole trajectory)", () => {
        const w = want.gd_host_loop;
        let theta = jnp.array(w.init);
        const trajectory = [theta.tolist()];
        for (let i = 0; i < w.steps; i++) {
          const df_x_theta = df_x(theta);
          theta = theta.sub(df_x_theta.mul(w.step_size));
          trajectory.push(theta.tolist());
        }
        close(trajectory as Nested, w.trajectory, "gd trajectory");
        close(jnp.exp(theta.get(1)), w.variance, "gd variance");
      });

      await t.step("Newton with jnp.linalg.solve (whole trajectory)", () => {
        // float32 Newton alternates between two adjacent floats near the optimum,
        // well inside the tolerance.
        const w = want.newton;
        let theta = jnp.array(w.init);
        const trajectory = [theta.tolist()];
        for (let i = 0; i < w.steps; i++) {
          const df_x_theta = df_x(theta);
          const ddf_x_theta = ddf_x(theta);
          const delta_theta = jnp.linalg.solve(ddf_x_theta, df_x_theta);
          theta = theta.sub(delta_theta);
          trajectory.push(theta.tolist());
        }
        close(trajectory as Nested, w.trajectory, "newton trajectory");
        close(jnp.exp(theta.get(1)), w.variance, "newton variance");
        assertClose(theta.get(0).item(), expected.closed_form.normal_mean, tol, "newton mu vs mean(x)");
      });

      const f_vmap_x = (theta: NDArray) => f_vmap(theta, x);
      const df_vmap_x = jax.jacfwd(f_vmap_x);

      await t.step("vmap: f_vmap and jacfwd(f_vmap)", () => {
        const v = f_vmap(theta_eval, x);
        same(v.ndim, 0, "rank of f_vmap");
        close(v, want.f_vmap, "f_vmap");
        close(df_vmap_x(theta_eval), want.jacfwd_f_vmap, "jacfwd(f_vmap)");
        // vmap with a mapped first argument and unmapped data agrees with a loop.
        const thetas = jnp.array([[3.0, 2.0], [0.5, 0.5]]);
        const batched = jax.vmap(f_x)(thetas).tolist() as number[];
        assertClose(batched, [f_x(thetas.get(0)).item(), f_x(thetas.get(1)).item()], tol, "vmap(f_x)");
      });

      await t.step("jit + lax.scan gradient descent", () => {
        const w = want.scan_gd;
        const gradient_descent = jax.jit(() => {
          const theta = jnp.array(w.init);
          const steps = w.steps;
          const step_size = w.step_size;
          const step = (theta: NDArray, _: null): [NDArray, null] => {
            const df_vmap_x_theta = df_vmap_x(theta);
            return [theta.sub(df_vmap_x_theta.mul(step_size)), _];
          };
          const [thetaOut] = lax.scan(step, theta, null, { length: steps });
          return thetaOut;
        });
        const theta = gradient_descent();
        same(theta.dtype, mode, "dtype of scan theta");
        close(theta, w.theta, "scan theta");
        close(jnp.exp(theta.get(1)), w.variance, "scan variance");
        // A second call hits the jit cache and gives the same bits.
        same(JSON.stringify(gradient_descent().tolist()), JSON.stringify(theta.tolist()), "second jit call");
      });

      await t.step("make_jaxpr(f_vmap_x): same equations as JAX", () => {
        const file = mode === "float32" ? "jaxpr_f_vmap.txt" : "jaxpr_f_vmap_x64.txt";
        const theirs = parseJaxpr(Deno.readTextFileSync(new URL(file, fixtures)));
        const text = jax.make_jaxpr(f_vmap_x)(theta_eval).toString();
        const ours = parseJaxpr(text);
        same(ours.constTypes.join(" "), theirs.constTypes.join(" "), "constvars (the data)");
        same(ours.inTypes.join(" "), theirs.inTypes.join(" "), "invars");
        same(ours.outTypes.join(" "), theirs.outTypes.join(" "), "outvars");
        same(ours.eqns.map((e) => e.prim).join(" "), theirs.eqns.map((e) => e.prim).join(" "), "primitive sequence");
        ours.eqns.forEach((e, i) => {
          const o = theirs.eqns[i];
          const where = `equation ${i} (${e.prim})`;
          same(e.outTypes.join(" "), o.outTypes.join(" "), `${where}: output types`);
          // Operand order may differ (`variance.mul(2.0)` vs Python's `2.0 * variance`);
          // the literals must be printed as JAX prints them.
          same(e.args.join(" "), o.args.join(" "), `${where}: operands`);
          for (const [k, v] of o.params) {
            if (JAX_ONLY_PARAMS.has(k)) continue;
            same(e.params.get(k), v, `${where}: param ${k}`);
          }
          for (const k of e.params.keys()) ok(o.params.has(k), `${where}: param ${k} is not in JAX's jaxpr`);
        });
        // console.log / String() print the same text.
        same(String(jax.make_jaxpr(f_vmap_x)(theta_eval)), text, "String(jaxpr)");
      });

      await t.step("make_jaxpr(jacfwd(f_vmap_x)): equivalent to JAX's", () => {
        // jaxd's jacfwd differs from JAX in bookkeeping, not in the math:
        // - the basis: JAX builds eye(2) as `iota + 0 == iota` (an extra `add`)
        //   and splits it per input with `split` (+1 convert_element_type);
        //   jaxd slices it with `slice` + `reshape`, and slices the output
        //   likewise instead of JAX's final `split`;
        // - batching of broadcasts: jaxd inserts unit axes with `reshape` where
        //   JAX uses `broadcast_in_dim`;
        // - the jvp of `sub` with two nonzero tangents: JAX emits `sub`, jaxd
        //   `add_any(t1, neg(t2))` (one more `neg` and `add_any`, one less `sub`).
        // So: the arithmetic primitives must match in number, the sub/neg/add_any
        // trade must balance, and layout primitives are not counted.
        const file = mode === "float32" ? "jaxpr_df_vmap.txt" : "jaxpr_df_vmap_x64.txt";
        const theirs = parseJaxpr(Deno.readTextFileSync(new URL(file, fixtures)));
        const ours = parseJaxpr(jax.make_jaxpr(df_vmap_x)(theta_eval).toString());
        same(ours.constTypes.join(" "), theirs.constTypes.join(" "), "constvars (the data)");
        same(ours.inTypes.join(" "), theirs.inTypes.join(" "), "invars");
        same(ours.outTypes.join(" "), theirs.outTypes.join(" "), "outvars");
        const a = countPrims(ours), b = countPrims(theirs);
        const n = (m: Map<string, number>, p: string) => m.get(p) ?? 0;
        for (const p of ["iota", "eq", "exp", "log", "integer_pow", "mul", "div", "squeeze", "reduce_sum"]) {
          same(n(a, p), n(b, p), `number of ${p} equations`);
        }
        const subsReplaced = n(b, "sub") - n(a, "sub");
        ok(subsReplaced >= 0, "jaxd has more sub equations than JAX");
        same(n(a, "neg"), n(b, "neg") + subsReplaced, "neg equations (JAX's, plus one per sub-jvp)");
        same(n(a, "add_any"), n(b, "add_any") + subsReplaced, "add_any equations (JAX's, plus one per sub-jvp)");
        const layout = new Set(["add", "split", "slice", "reshape", "broadcast_in_dim", "convert_element_type"]);
        const counted = new Set([
          ...["iota", "eq", "exp", "log", "integer_pow", "mul", "div", "squeeze", "reduce_sum"],
          ...["sub", "neg", "add_any"],
        ]);
        for (const p of a.keys()) ok(counted.has(p) || layout.has(p), `unexpected primitive ${p} in jaxd's jaxpr`);
        // The float literals (2.0, 2π, 0.5) are the same values, printed as JAX prints them.
        // (JAX's basis also adds an integer 0; in x64 its iota is int64 where jaxd's is int32.)
        const lits = (j: ParsedJaxpr) =>
          [...new Set(j.eqns.flatMap((e) => e.args.filter((a) => /:f(32|64)\[/.test(a))))].sort();
        same(lits(ours).join(" "), lits(theirs).join(" "), "float literals");
      });

      // --- The Poisson exercise -------------------------------------------------
      const xp = jnp.array(poisson1000);
      const p = want.poisson;
      const loglik_eta = (eta: NDArray) => poisson_loglik(jnp.exp(eta), xp);
      const dl_eta = jax.grad(loglik_eta);
      const d2l_eta = jax.grad(jax.grad(loglik_eta));

      await t.step("Poisson: log-likelihood, its gradient, sum gammaln(x + 1)", () => {
        const lam_true = jnp.asarray(3.5, { dtype: x.dtype });
        close(poisson_loglik(lam_true, xp), p.loglik_at_true_rate, "loglik at 3.5");
        close(jax.grad(poisson_loglik)(lam_true, xp), p.dloglik_dlambda_at_true_rate, "dloglik/dlambda at 3.5");
        close(jnp.sum(jax.scipy.special.gammaln(xp.add(1.0))), p.sum_gammaln_x_plus_1, "sum gammaln(x + 1)");
      });

      await t.step("Poisson: jit + scan gradient ascent on eta = log lambda", () => {
        const w = p.gradient_ascent;
        const poisson_gradient_ascent = jax.jit(() => {
          const step = (eta: NDArray, _: null): [NDArray, null] => [eta.add(dl_eta(eta).mul(w.step_size)), null];
          const [eta] = lax.scan(step, jnp.asarray(w.eta0, { dtype: x.dtype }), null, { length: w.steps });
          return eta;
        });
        const eta_ga = poisson_gradient_ascent();
        same(eta_ga.dtype, mode, "dtype of eta");
        close(eta_ga, w.eta, "eta");
        close(jnp.exp(eta_ga), w.lambda_hat, "lambda_hat");
      });

      await t.step("Poisson: Newton with grad(grad) (whole trajectory)", () => {
        const w = p.newton;
        let eta = jnp.asarray(w.eta0, { dtype: x.dtype });
        const trajectory = [eta.item()];
        for (let i = 0; i < w.steps; i++) {
          eta = eta.sub(dl_eta(eta).div(d2l_eta(eta)));
          trajectory.push(eta.item());
        }
        close(trajectory, w.eta_trajectory, "eta trajectory");
        close(jnp.exp(eta), w.lambda_hat, "lambda_hat");
        close(loglik_eta(eta), p.loglik_at_lambda_hat, "loglik at lambda_hat");
        assertClose(jnp.exp(eta).item(), np.mean(xp).item(), tol, "lambda_hat vs mean(x)");
      });

      await t.step("gammaln values and vmap(grad(gammaln)) = digamma", () => {
        const g = want.gammaln;
        const pts = jnp.asarray(g.x);
        close(jax.scipy.special.gammaln(pts), g.value, "gammaln");
        close(jax.vmap(jax.grad(jax.scipy.special.gammaln))(pts), g.digamma_via_grad, "vmap(grad(gammaln))");
      });
    } finally {
      jax.config.update("jax_enable_x64", false);
      jax.config.update("jax_platforms", "");
    }
  });
}

// ---------------------------------------------------------------------------
// scripts/tutorial.ts, run the way the README says.
// ---------------------------------------------------------------------------

/** Runs `deno task tutorial [args]` from the repository root; returns stdout. */
async function runTutorialTask(...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "tutorial", ...args],
    cwd: repoRoot,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  equal(out.code, 0, `deno task tutorial ${args.join(" ")} failed:\n${stdout}\n${stderr}`);
  return stdout;
}

/** The numbers of every `label: A (B)` line, e.g. `Optimal mu: 0.61468804 (0.61468804)`. */
function printed(stdout: string, label: string): number[][] {
  const re = new RegExp(`^${label}: (\\S+)(?: \\((\\S+)\\))?$`, "gm");
  return [...stdout.matchAll(re)].map((m) => m.slice(1).filter((s) => s !== undefined).map(Number));
}

for (const mode of ["float32", "float64"] as const) {
  Deno.test(`deno task tutorial${mode === "float64" ? " --x64" : ""} prints JAX's results`, async () => {
    const stdout = await runTutorialTask(...(mode === "float64" ? ["--x64"] : []));
    // deno-lint-ignore no-explicit-any
    const want: any = expected[mode];
    const cf = expected.closed_form;
    // Scalars print with numpy's shortest round-trip digits, so the full tolerance applies.
    const tol = TOL[mode];
    const mus = printed(stdout, "Optimal mu");
    const variances = printed(stdout, "Optimal variance");
    equal(mus.length, 3, `three 'Optimal mu' lines (gradient descent, Newton, scan):\n${stdout}`);
    equal(variances.length, 3, `three 'Optimal variance' lines:\n${stdout}`);
    ["gd_host_loop", "newton", "scan_gd"].forEach((cell, i) => {
      assertClose(mus[i][0], want[cell].theta[0], tol, `${cell}: printed mu`);
      assertClose(mus[i][1], cf.normal_mean, tol, `${cell}: printed np.mean(x)`);
      assertClose(variances[i][0], want[cell].variance, tol, `${cell}: printed variance`);
      assertClose(variances[i][1], cf.normal_var, tol, `${cell}: printed np.var(x)`);
    });
    assertClose(
      printed(stdout, "lambda_hat \\(gradient ascent\\)")[0],
      [want.poisson.gradient_ascent.lambda_hat],
      tol,
      "GA",
    );
    assertClose(printed(stdout, "lambda_hat \\(Newton\\)")[0], [want.poisson.newton.lambda_hat], tol, "Newton");
    assertClose(printed(stdout, "sample mean")[0], [cf.poisson_mean], tol, "sample mean");
    ok(stdout.includes("{ lambda a:") && stdout.includes("reduce_sum"), "the jaxprs are printed");
  });
}
