/**
 * "Acceleration and differentiation with JAX" (the seed tutorial), cell by
 * cell, in jaxd: maximum likelihood for a normal sample with jacfwd, gradient
 * descent, Newton's method with the Hessian, vmap, jit + lax.scan and
 * make_jaxpr, then the Poisson exercise with gammaln, solved.
 *
 * The data are the reference data sets (tests/fixtures/normal100.csv and
 * poisson1000.csv) instead of fresh random samples, so the printed numbers
 * can be compared with real JAX's (tests/fixtures/expected.json).
 *
 * ```sh
 * deno task tutorial          # float32, as JAX by default
 * deno task tutorial --x64    # float64 (jax_enable_x64), on the cpu backend
 * JAX_PLATFORMS=cpu deno task tutorial   # choose the backend (cpu or webgpu)
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { jax, jnp, lax, np } from "@jaxd/jaxd";
import type { NDArray } from "@jaxd/jaxd";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { x64: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
});
if (flags.help) {
  console.log("usage: deno task tutorial [--x64]\n  runs the JAX tutorial in jaxd; --x64 enables float64");
  Deno.exit(0);
}
if (flags.x64) {
  // float64 is a feature of the cpu backend (GPUs here have no f64).
  jax.config.update("jax_platforms", "cpu");
  jax.config.update("jax_enable_x64", true);
}

/** Reads a one-column CSV (header `x`) from tests/fixtures. */
function loadColumn(name: string): NDArray {
  const url = new URL(`../tests/fixtures/${name}`, import.meta.url);
  const [, ...rows] = Deno.readTextFileSync(url).trim().split("\n");
  return jnp.array(rows.map(Number));
}

/** Prints a notebook cell's expression and its value. */
function show(expression: string, value: unknown) {
  console.log(`>>> ${expression}`);
  console.log(value);
}

function heading(title: string) {
  console.log(`\n## ${title}\n`);
}

const device = jax.devices()[0];
const deviceText = device.device_kind && device.device_kind !== device.platform
  ? `${device.platform} (${device.device_kind})`
  : device.platform;
console.log(`jaxd tutorial on ${deviceText}, ${flags.x64 ? "float64" : "float32"}`);

// ## The log-likelihood

heading("The log-likelihood");

function f(theta: NDArray, x: NDArray): NDArray {
  const mu = theta.get(0);
  const variance = jnp.exp(theta.get(1));
  const n = x.shape[0];
  const log_likelihood = jnp.sum(x.sub(mu).pow(2)).neg().div(variance.mul(2.0))
    .sub(jnp.log(variance.mul(2 * jnp.pi)).mul(0.5 * n));
  return log_likelihood.neg();
}

// Python draws x = np.random.normal(loc=0.5, scale=sqrt(2), size=100); we read
// the reference sample drawn that way.
const x = loadColumn("normal100.csv");

// Partial(f, x=x): a closure fixes the data.
const f_x = (theta: NDArray) => f(theta, x);
show("f_x(jnp.array([3.0, 2.0]))", f_x(jnp.array([3.0, 2.0])));

// ## Taking the gradient

heading("Taking the gradient");

const df_x = jax.jacfwd(f_x);
show("df_x(jnp.array([3.0, 2.0]))", df_x(jnp.array([3.0, 2.0])));

// ### Optimising via gradient descent

heading("Optimising via gradient descent");
{
  let theta = jnp.array([0.0, 0.0]);
  const steps = 100;
  const step_size = 0.01;

  for (let i = 0; i < steps; i++) {
    const df_x_theta = df_x(theta);
    theta = theta.sub(df_x_theta.mul(step_size));
  }

  console.log(`Optimal mu: ${theta.get(0)} (${np.mean(x)})`);
  console.log(`Optimal variance: ${jnp.exp(theta.get(1))} (${np.var(x)})`);
}

// ### Optimising via Newton's method

heading("Optimising via Newton's method");

const ddf_x = jax.jacfwd(jax.jacfwd(f_x));
show("ddf_x(jnp.array([3.0, 2.0]))", ddf_x(jnp.array([3.0, 2.0])));
console.log();
{
  let theta = jnp.array([0.0, 0.0]);
  const steps = 10;

  for (let i = 0; i < steps; i++) {
    const df_x_theta = df_x(theta);
    const ddf_x_theta = ddf_x(theta);

    // Solve for the Newton step
    const delta_theta = np.linalg.solve(ddf_x_theta, df_x_theta);

    theta = theta.sub(delta_theta);
  }

  console.log(`Optimal mu: ${theta.get(0)} (${np.mean(x)})`);
  console.log(`Optimal variance: ${jnp.exp(theta.get(1))} (${np.var(x)})`);
}

// ## Parallelisation and JIT

heading("Parallelisation and JIT");

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

console.log(`${f_x(jnp.array([3.0, 2.0]))}`);
console.log(`${f_vmap(jnp.array([3.0, 2.0]), x)}`);

const f_vmap_x = (theta: NDArray) => f_vmap(theta, x);
const df_vmap_x = jax.jacfwd(f_vmap_x);

const gradient_descent = jax.jit(function gradient_descent() {
  const theta = jnp.array([1.0, 1.0]);
  const steps = 100;
  const step_size = 0.01;

  const step = (theta: NDArray, _: null): [NDArray, null] => {
    const df_vmap_x_theta = df_vmap_x(theta);
    return [theta.sub(df_vmap_x_theta.mul(step_size)), _];
  };

  const [thetaOut] = lax.scan(step, theta, null, { length: steps });
  return thetaOut;
});

console.log();
{
  const theta = gradient_descent();
  console.log(`Optimal mu: ${theta.get(0)} (${np.mean(x)})`);
  console.log(`Optimal variance: ${jnp.exp(theta.get(1))} (${np.var(x)})`);
}

console.log();
show("jax.make_jaxpr(f_vmap_x)(jnp.array([3.0, 2.0]))", `${jax.make_jaxpr(f_vmap_x)(jnp.array([3.0, 2.0]))}`);
console.log();
show("jax.make_jaxpr(df_vmap_x)(jnp.array([3.0, 2.0]))", `${jax.make_jaxpr(df_vmap_x)(jnp.array([3.0, 2.0]))}`);

// ### Exercise: the maximum-likelihood Poisson rate

heading("Exercise: the Poisson rate");

const gammaln = jax.scipy.special.gammaln;

/** Positive log-likelihood: sum(-lambda - log(x!) + x log(lambda)), log(x!) = gammaln(x + 1). */
function poisson_loglik(lam: NDArray, x: NDArray): NDArray {
  return jnp.sum(lam.neg().sub(gammaln(x.add(1.0))).add(x.mul(jnp.log(lam))));
}

// 1000 samples of Poisson(3.5) (the reference data set).
const xp = loadColumn("poisson1000.csv");

// Maximise over eta = log(lambda), so that lambda stays positive.
const loglik_eta = (eta: NDArray) => poisson_loglik(jnp.exp(eta), xp);
const dl_eta = jax.grad(loglik_eta);
const d2l_eta = jax.grad(jax.grad(loglik_eta));

console.log(`log-likelihood at lambda = 3.5: ${poisson_loglik(jnp.asarray(3.5, { dtype: xp.dtype }), xp)}`);

// Gradient ascent, entirely in JAX: 200 steps of size 1e-4 from lambda = 1.
const poisson_gradient_ascent = jax.jit(function poisson_gradient_ascent() {
  const step = (eta: NDArray, _: null): [NDArray, null] => [eta.add(dl_eta(eta).mul(1e-4)), _];
  const [eta] = lax.scan(step, jnp.asarray(0.0, { dtype: xp.dtype }), null, { length: 200 });
  return eta;
});
const eta_ga = poisson_gradient_ascent();
console.log(`lambda_hat (gradient ascent): ${jnp.exp(eta_ga)}`);

// Newton's method on eta with the second derivative from grad(grad), host loop.
let eta = jnp.asarray(0.0, { dtype: xp.dtype });
for (let i = 0; i < 10; i++) {
  eta = eta.sub(dl_eta(eta).div(d2l_eta(eta)));
}
console.log(`lambda_hat (Newton): ${jnp.exp(eta)}`);
console.log(`log-likelihood at lambda_hat: ${loglik_eta(eta)}`);
// The MLE of a Poisson rate is the sample mean.
console.log(`sample mean: ${np.mean(xp)}`);
