/**
 * Maximum-likelihood fit of the tutorial's models to a column of a CSV file.
 *
 * ```sh
 * deno run --allow-read --allow-env scripts/fit.ts --csv tests/fixtures/normal100.csv --model normal --method newton
 * deno run --allow-read --allow-env scripts/fit.ts --csv tests/fixtures/poisson1000.csv --model poisson --method gd --steps 500
 * deno run --allow-read --allow-env --allow-write scripts/fit.ts --csv tests/fixtures/normal100.csv --model normal --plot loss.svg
 * ```
 *
 * - `normal`: theta = [mu, log variance], negative log-likelihood as in the tutorial;
 * - `poisson`: theta = [eta], eta = log lambda, negative log-likelihood with gammaln.
 *
 * `gd` is gradient descent (jax.grad, the loop as jit + lax.scan); `newton` is
 * Newton's method (jax.hessian + jnp.linalg.solve, host loop). The estimates
 * are printed next to the closed-form MLE (sample mean and variance).
 * `--plot FILE` writes the loss curve (the negative log-likelihood at each
 * step) as an SVG with jaxd's `plot`.
 *
 * Exit codes: 0 success, 1 the fit did not give finite estimates, 2 bad
 * arguments or unreadable data.
 *
 * @module
 */

import { parseArgs } from "node:util";
import process from "node:process";
// @deno-types="npm:@types/cli-progress@3.11.6"
import cliProgress from "npm:cli-progress@3.12.0";
import { jax, jnp, lax, plot } from "../mod.ts";
import type { NDArray } from "../mod.ts";

const USAGE = `usage: deno run --allow-read --allow-env scripts/fit.ts --csv FILE --model normal|poisson [options]

Fits a model to one column of a CSV file (with a header row) by maximum likelihood.

options:
  --csv FILE          the data (required)
  --model NAME        normal (theta = [mu, log variance]) or poisson (eta = log lambda) (required)
  --method NAME       gd (gradient descent, jit + lax.scan) or newton (hessian + solve); default gd
  --steps N           number of iterations (positive integer); default 100
  --lr X              gradient-descent step size; default 0.01 (normal) or 1e-4 (poisson)
  --column NAME|INDEX the column to fit, by header name or 0-based index; default the first
  --x64               compute in float64 (cpu backend)
  --json              print the result as one JSON object
  --plot FILE         write the loss curve (negative log-likelihood per step) as SVG (needs --allow-write)
  -h, --help          show this help`;

/** Prints a usage error and exits with status 2. */
function usageError(message: string): never {
  console.error(`fit: ${message}\n(run with --help for usage)`);
  Deno.exit(2);
}

let flags;
try {
  flags = parseArgs({
    args: Deno.args,
    strict: true,
    allowPositionals: false,
    options: {
      csv: { type: "string" },
      model: { type: "string" },
      method: { type: "string", default: "gd" },
      steps: { type: "string", default: "100" },
      lr: { type: "string" },
      column: { type: "string" },
      x64: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      plot: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (e) {
  usageError((e as Error).message);
}

if (flags.help) {
  console.log(USAGE);
  Deno.exit(0);
}
if (flags.csv === undefined) usageError("missing --csv FILE");
if (flags.model === undefined) usageError("missing --model normal|poisson");
const model = flags.model;
if (model !== "normal" && model !== "poisson") usageError(`unknown model "${model}"; use normal or poisson`);
const method = flags.method;
if (method !== "gd" && method !== "newton") usageError(`unknown method "${method}"; use gd or newton`);

function positiveNumber(name: string, text: string, integer: boolean): number {
  const v = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    usageError(`bad number for --${name}: "${text}" (expected a positive ${integer ? "integer" : "number"})`);
  }
  return v;
}
const steps = positiveNumber("steps", flags.steps, true);
const plotPath: string | undefined = flags.plot;
const lr = flags.lr === undefined ? (model === "normal" ? 0.01 : 1e-4) : positiveNumber("lr", flags.lr, false);

if (flags.x64) {
  jax.config.update("jax_platforms", "cpu");
  jax.config.update("jax_enable_x64", true);
}

// ---- data ----

const column: string | number = flags.column === undefined
  ? 0
  : /^-?\d+$/.test(flags.column)
  ? Number(flags.column)
  : flags.column;

let x: NDArray;
try {
  x = typeof column === "string"
    ? jnp.load_csv(flags.csv, { columns: [column] })
    : jnp.load_csv(flags.csv, { columns: column });
} catch (e) {
  // A file that is missing or that does not parse is bad input: exit 2.
  usageError((e as Error).message);
}
const values = Array.from(x.dataSync(), Number);
const n = values.length;
if (model === "poisson" && values.some((v) => v < 0 || !Number.isInteger(v))) {
  usageError("the poisson model needs counts (non-negative integers)");
}

// ---- models: negative log-likelihoods to minimise ----

/** Normal, theta = [mu, log variance] (the tutorial's f). */
function normalNll(theta: NDArray): NDArray {
  const mu = theta.get(0);
  const variance = jnp.exp(theta.get(1));
  const log_likelihood = jnp.sum(x.sub(mu).pow(2)).neg().div(variance.mul(2.0))
    .sub(jnp.log(variance.mul(2 * jnp.pi)).mul(0.5 * n));
  return log_likelihood.neg();
}

const gammaln = jax.scipy.special.gammaln;
/** Poisson, theta = [eta], lambda = exp(eta): -sum(-lambda - log(x!) + x log(lambda)). */
function poissonNll(theta: NDArray): NDArray {
  const lam = jnp.exp(theta.get(0));
  return jnp.sum(lam.neg().sub(gammaln(x.add(1.0))).add(x.mul(jnp.log(lam)))).neg();
}

const nll = model === "normal" ? normalNll : poissonNll;
const theta0 = jnp.zeros([model === "normal" ? 2 : 1], { dtype: x.dtype });

// ---- optimisers ----

/** A progress reporter: a bar on a terminal for long runs, else nothing. */
function progress(total: number): { update(done: number): void; stop(): void } {
  if (total <= 1000 || !Deno.stderr.isTerminal()) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${method} {bar} {value}/{total} steps | ETA {eta}s` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

const grad = jax.grad(nll);

/** `length` gradient steps as one jitted lax.scan; also the loss before each step. */
function gdLoop(length: number): (theta: NDArray) => [NDArray, NDArray] {
  return jax.jit((theta: NDArray) => {
    const step = (t: NDArray, _: null): [NDArray, NDArray] => {
      const [loss, g] = jax.value_and_grad(nll)(t);
      return [t.sub(g.mul(lr)), loss];
    };
    return lax.scan(step, theta, null, { length });
  });
}

/** The loss at each step (before the step), for --plot. */
const losses: number[] = [];

function gradientDescent(): NDArray {
  const bar = progress(steps);
  // With a progress bar, run the scan in chunks so the bar can move between them.
  const chunk = steps > 1000 && Deno.stderr.isTerminal() ? Math.ceil(steps / 100) : steps;
  const full = gdLoop(chunk);
  let theta = theta0;
  let done = 0;
  const record = (ls: NDArray) => {
    if (plotPath !== undefined) losses.push(...Array.from(ls.dataSync(), Number));
  };
  let ls: NDArray;
  while (done + chunk <= steps) {
    [theta, ls] = full(theta);
    record(ls);
    done += chunk;
    bar.update(done);
  }
  if (done < steps) {
    [theta, ls] = gdLoop(steps - done)(theta);
    record(ls);
  }
  bar.update(steps);
  bar.stop();
  return theta;
}

function newton(): NDArray {
  const hess = jax.hessian(nll);
  const bar = progress(steps);
  let theta = theta0;
  for (let i = 0; i < steps; i++) {
    if (plotPath !== undefined) losses.push(nll(theta).item());
    theta = theta.sub(jnp.linalg.solve(hess(theta), grad(theta)));
    bar.update(i + 1);
  }
  bar.stop();
  return theta;
}

const theta = method === "gd" ? gradientDescent() : newton();
const t = Array.from(theta.dataSync(), Number);

// ---- report ----

const mean = values.reduce((a, b) => a + b, 0) / n;
const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
const estimate: Record<string, number> = model === "normal"
  ? { mu: t[0], variance: Math.exp(t[1]) }
  : { lambda: Math.exp(t[0]) };
const closedForm: Record<string, number> = model === "normal" ? { mu: mean, variance } : { lambda: mean };
const finalNll = nll(theta).item();

if (flags.json) {
  console.log(JSON.stringify({
    model,
    method,
    steps,
    lr: method === "gd" ? lr : null,
    n,
    dtype: x.dtype,
    theta: t,
    estimate,
    closed_form: closedForm,
    nll: finalNll,
  }));
} else {
  const fmt = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} = ${v.toPrecision(8)}`).join(", ");
  const params = model === "normal" ? "theta = [mu, log variance]" : "theta = [eta], eta = log lambda";
  console.log(`model: ${model} (${params}), n = ${n}, ${x.dtype}`);
  console.log(`method: ${method === "gd" ? `gradient descent, lr = ${lr}` : "Newton"}, ${steps} steps`);
  console.log(`estimate:    ${fmt(estimate)}`);
  console.log(`closed form: ${fmt(closedForm)}   (sample mean${model === "normal" ? " and variance" : ""})`);
  console.log(`negative log-likelihood at the estimate: ${finalNll.toPrecision(8)}`);
}
if (plotPath !== undefined) {
  losses.push(finalNll);
  const fig = plot.line(losses, undefined, {
    title: `${model} fit by ${method === "gd" ? `gradient descent (lr = ${lr})` : "Newton's method"}`,
    xlabel: "step",
    ylabel: "negative log-likelihood",
    label: `${x.dtype}, n = ${n}`,
    grid: true,
  });
  try {
    await fig.save(plotPath);
  } catch (e) {
    console.error(`fit: cannot write ${plotPath}: ${(e as Error).message}`);
    Deno.exit(2);
  }
  if (!flags.json) console.log(`loss curve: ${plotPath}`);
}
if (!t.every(Number.isFinite)) {
  console.error("fit: the estimates are not finite; try a smaller --lr or the newton method");
  Deno.exit(1);
}
