/**
 * The jaxd REPL prelude. `deno task repl` runs
 * `deno repl --allow-all --eval-file=./repl.ts`, which evaluates this file
 * first: it puts `jnp`, `jax`, `lax`, `np`, `plot` and `help` on `globalThis` and
 * prints one banner line. Arrays display as JAX shows them:
 *
 * ```
 * > jnp.arange(4).mul(2)
 * Array([0, 2, 4, 6], dtype=int32)
 * > help(jax.grad)
 * jax.grad(f, { argnums, hasAux }) -> function
 *   the gradient of a scalar-valued function (reverse mode)
 * ```
 *
 * `deno task` runs tasks in the directory of deno.json, so the prelude moves
 * the REPL back to the directory the task was started from (`INIT_CWD`), and
 * relative paths in the session mean what the user expects.
 *
 * @module
 */

import { jax, jnp, lax, np, plot } from "@jaxd/jaxd";
import denoJson from "./deno.json" with { type: "json" };

/** One row of the help table: a dotted name, its call signature, and what it does. */
type HelpRow = [name: string, signature: string, summary: string];

/**
 * Short help for the functions a JAX user reaches for first. Names that the
 * library does not (yet) export are skipped when the table is looked up.
 */
const HELP_TABLE: HelpRow[] = [
  ["jnp.array", "jnp.array(data, { dtype }) -> NDArray", "an array from a number or nested JS arrays"],
  ["jnp.asarray", "jnp.asarray(data, { dtype }) -> NDArray", "like array; keeps an NDArray that already fits"],
  ["jnp.zeros", "jnp.zeros(shape, { dtype }) -> NDArray", "an array of zeros (shape: number or number[])"],
  ["jnp.ones", "jnp.ones(shape, { dtype }) -> NDArray", "an array of ones"],
  ["jnp.full", "jnp.full(shape, value, { dtype }) -> NDArray", "an array filled with value"],
  ["jnp.arange", "jnp.arange([start,] stop[, step], { dtype }) -> NDArray", "evenly spaced values, stop excluded"],
  ["jnp.linspace", "jnp.linspace(start, stop, num = 50, { endpoint, dtype }) -> NDArray", "num values start..stop"],
  ["jnp.eye", "jnp.eye(n, m?, { k, dtype }) -> NDArray", "the identity matrix"],
  ["jnp.sum", "jnp.sum(x, { axis, keepdims }) -> NDArray", "sum of elements (also x.sum())"],
  ["jnp.mean", "jnp.mean(x, { axis, keepdims }) -> NDArray", "mean of elements (also x.mean())"],
  ["jnp.var", "jnp.var(x, { axis, keepdims, ddof }) -> NDArray", "variance, ddof = 0 as numpy (also x.var())"],
  ["jnp.std", "jnp.std(x, { axis, keepdims, ddof }) -> NDArray", "standard deviation"],
  ["jnp.max", "jnp.max(x, { axis, keepdims }) -> NDArray", "maximum (jnp.maximum is elementwise)"],
  ["jnp.min", "jnp.min(x, { axis, keepdims }) -> NDArray", "minimum"],
  ["jnp.argmax", "jnp.argmax(x, { axis, keepdims }) -> NDArray", "index of the maximum"],
  ["jnp.exp", "jnp.exp(x) -> NDArray", "e to the x, elementwise"],
  ["jnp.log", "jnp.log(x) -> NDArray", "natural logarithm, elementwise"],
  ["jnp.sqrt", "jnp.sqrt(x) -> NDArray", "square root, elementwise"],
  ["jnp.add", "jnp.add(x, y) -> NDArray", "x + y with numpy broadcasting (also x.add(y))"],
  ["jnp.subtract", "jnp.subtract(x, y) -> NDArray", "x - y (also x.sub(y))"],
  ["jnp.multiply", "jnp.multiply(x, y) -> NDArray", "x * y (also x.mul(y))"],
  ["jnp.divide", "jnp.divide(x, y) -> NDArray", "x / y, true division (also x.div(y))"],
  ["jnp.power", "jnp.power(x, y) -> NDArray", "x ** y (also x.pow(y))"],
  ["jnp.where", "jnp.where(cond, x, y) -> NDArray", "x where cond is true, else y"],
  ["jnp.sort", "jnp.sort(x, { axis = -1, descending }) -> NDArray", "sorted copy, NaNs last (stable)"],
  ["jnp.argsort", "jnp.argsort(x, { axis = -1, descending }) -> NDArray", "indices that sort x (int32, stable)"],
  ["jnp.median", "jnp.median(x, { axis, keepdims }) -> NDArray", "median (nanmedian ignores NaNs)"],
  ["jnp.quantile", "jnp.quantile(x, q, { axis, method, keepdims }) -> NDArray", "q-th quantiles, q in [0, 1]"],
  ["jnp.searchsorted", "jnp.searchsorted(a, v, { side }) -> NDArray", "insertion indices into sorted a"],
  ["jnp.histogram", "jnp.histogram(x, { bins, range, weights, density }) -> [hist, edges]", "histogram counts"],
  ["jnp.isclose", "jnp.isclose(a, b, { rtol, atol, equal_nan }) -> NDArray", "elementwise closeness (allclose: all)"],
  ["jnp.unique", "jnp.unique(x, { size, fill_value, return_counts, ... }) -> NDArray", "sorted unique values"],
  ["jnp.pad", "jnp.pad(x, pad_width, { mode, constant_values }) -> NDArray", "pad with constant/edge/wrap/reflect"],
  ["jnp.meshgrid", "jnp.meshgrid([x, y], { indexing }) -> NDArray[]", "coordinate grids from 1-d arrays"],
  ["jnp.dot", "jnp.dot(x, y) -> NDArray", "inner product / matrix product"],
  ["jnp.matmul", "jnp.matmul(x, y) -> NDArray", "x @ y (also x.matmul(y))"],
  ["jnp.einsum", "jnp.einsum(subscripts, ...operands) -> NDArray", "Einstein summation"],
  ["jnp.reshape", "jnp.reshape(x, shape) -> NDArray", "a new shape, one entry may be -1 (also x.reshape(...))"],
  ["jnp.transpose", "jnp.transpose(x, axes?) -> NDArray", "permute axes (also x.T)"],
  ["jnp.concatenate", "jnp.concatenate(xs, { axis }) -> NDArray", "join arrays along an existing axis"],
  ["jnp.stack", "jnp.stack(xs, { axis }) -> NDArray", "join arrays along a new axis"],
  ["jnp.linalg.solve", "jnp.linalg.solve(A, b) -> NDArray", "x with A x = b"],
  ["jnp.linalg.inv", "jnp.linalg.inv(A) -> NDArray", "the matrix inverse"],
  ["jnp.linalg.norm", "jnp.linalg.norm(x, { ord, axis, keepdims }) -> NDArray", "vector or matrix norm"],
  ["jax.grad", "jax.grad(f, { argnums, hasAux }) -> function", "the gradient of a scalar-valued function"],
  ["jax.value_and_grad", "jax.value_and_grad(f, { argnums, hasAux }) -> function", "returns [f(x), grad f(x)]"],
  ["jax.jacfwd", "jax.jacfwd(f, { argnums }) -> function", "the Jacobian by forward mode"],
  ["jax.jacrev", "jax.jacrev(f, { argnums }) -> function", "the Jacobian by reverse mode"],
  ["jax.hessian", "jax.hessian(f, { argnums }) -> function", "the Hessian, jacfwd(jacrev(f))"],
  ["jax.jvp", "jax.jvp(f, primals, tangents) -> [out, tangentOut]", "forward-mode derivative along tangents"],
  ["jax.vjp", "jax.vjp(f, ...primals) -> [out, pullback]", "reverse mode; pullback(ct) returns the cotangents"],
  ["jax.vmap", "jax.vmap(f, { inAxes, outAxes, axisSize }) -> function", "vectorise f over an axis (null: unmapped)"],
  ["jax.jit", "jax.jit(f, { staticArgnums }) -> function", "trace once per input shapes/dtypes, run as one program"],
  ["jax.make_jaxpr", "jax.make_jaxpr(f)(...args) -> ClosedJaxpr", "the jaxpr of f; console.log prints JAX's text"],
  ["jax.custom_jvp", "jax.custom_jvp(f) -> f with .defjvp(rule)", "give f its own derivative rule"],
  ["jax.stop_gradient", "jax.stop_gradient(x) -> x", "no gradient flows through x"],
  [
    "jax.tree_util.Partial",
    "jax.tree_util.Partial(f, ...leadingArgs) -> function",
    "bind leading arguments (a pytree)",
  ],
  ["jax.tree_util.tree_map", "jax.tree_util.tree_map(f, tree, ...rest) -> tree", "apply f to every leaf"],
  ["jax.devices", "jax.devices() -> Device[]", "the devices of the default backend"],
  ["jax.device_put", "jax.device_put(tree, device?) -> tree", "the leaves as arrays on the (default) device"],
  ["jax.block_until_ready", "jax.block_until_ready(tree) -> tree", "wait until the arrays are computed (timing)"],
  ["jax.config.update", 'jax.config.update("jax_enable_x64", true)', "set an option (x64: float64 by default)"],
  ["jax.scipy.special.gammaln", "jax.scipy.special.gammaln(x) -> NDArray", "log|Gamma(x)|; its grad is digamma"],
  ["jax.scipy.special.digamma", "jax.scipy.special.digamma(x) -> NDArray", "d/dx log Gamma(x)"],
  [
    "jax.scipy.special.logsumexp",
    "jax.scipy.special.logsumexp(a, { axis, keepdims, b }) -> NDArray",
    "stable log-sum-exp",
  ],
  ["jax.scipy.special.erf", "jax.scipy.special.erf(x) -> NDArray", "the error function"],
  ["lax.scan", "lax.scan(f, init, xs, { length, reverse }) -> [carry, ys]", "loop f(carry, x) -> [carry, y] over xs"],
  [
    "lax.fori_loop",
    "lax.fori_loop(lower, upper, body, init) -> carry",
    "carry = body(i, carry) for i in [lower, upper)",
  ],
  ["lax.while_loop", "lax.while_loop(cond, body, init) -> carry", "while cond(carry): carry = body(carry)"],
  ["lax.cond", "lax.cond(pred, trueFn, falseFn, ...operands) -> out", "branch on a traced predicate (a JS if can't)"],
  ["lax.switch", "lax.switch(index, branches, ...operands) -> out", "pick branches[index]"],
  ["lax.map", "lax.map(f, xs) -> ys", "f over the leading axis of xs, as a loop"],
  [
    "np.random.normal",
    "np.random.normal(loc = 0, scale = 1, size?) -> NDArray",
    "normal samples (seed: np.random.seed)",
  ],
  ["np.random.uniform", "np.random.uniform(low = 0, high = 1, size?) -> NDArray", "uniform samples in [low, high)"],
  ["np.random.poisson", "np.random.poisson(lam = 1, size?) -> NDArray", "Poisson samples"],
  ["np.random.default_rng", "np.random.default_rng(seed) -> Generator", "a seeded generator (.normal, .uniform, ...)"],
  [
    "plot.line",
    "plot.line(x, y?, { title, xlabel, ylabel, label, ... }) -> Figure",
    'line plot; await fig.save("a.svg")',
  ],
  ["plot.scatter", "plot.scatter(x, y, { size, label, ... }) -> Figure", "scatter plot (SVG)"],
  ["plot.hist", "plot.hist(x, { bins, range, density, ... }) -> Figure", "histogram (SVG)"],
  ["plot.figure", "plot.figure({ title, width, height, ... }) -> Figure", "an empty figure; add .line/.scatter/.hist"],
];

const ROOTS: Record<string, unknown> = { jnp, jax, lax, np, plot };

/** Resolves a dotted name like "jax.scipy.special.gammaln" (undefined if absent). */
function resolve(name: string): unknown {
  const [root, ...rest] = name.split(".");
  let v: unknown = ROOTS[root];
  for (const k of rest) {
    if (v === null || (typeof v !== "object" && typeof v !== "function")) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Finds where `target` lives in the namespaces (breadth first, so short names win). */
function findName(target: unknown): string | undefined {
  const queue: [string, unknown][] = Object.entries(ROOTS);
  const seen = new Set<unknown>();
  while (queue.length) {
    const [name, v] = queue.shift()!;
    if (v === target) return name;
    if (v === null || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    for (const [k, child] of Object.entries(v)) queue.push([`${name}.${k}`, child]);
  }
  return undefined;
}

/** The parameter list of a function from its source: `(x, o = {})`. */
function paramsOf(fn: (...args: never[]) => unknown): string {
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf("(");
  if (open < 0) return "(...)";
  // A one-parameter arrow without parentheses: `x => ...`.
  const arrow = src.indexOf("=>");
  if (arrow >= 0 && arrow < open) return `(${src.slice(0, arrow).trim()})`;
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if ("([{".includes(src[i])) depth++;
    else if (")]}".includes(src[i]) && --depth === 0) return src.slice(open, i + 1).replace(/\s+/g, " ");
  }
  return "(...)";
}

/** Help text; the REPL shows it as is, and `String(help(f))` gives the text. */
class HelpText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  [Symbol.for("Deno.customInspect")](): string {
    return this.text;
  }
}

const OVERVIEW =
  `jaxd ${denoJson.version}: JAX in TypeScript. Loaded: jnp (numpy), jax (transformations), lax, np, plot.
  help(fn) or help("jnp.sum") shows a function's signature; help("all") lists the table.
  Python kwargs are a trailing options object: jnp.sum(x, { axis: 0 }), jax.vmap(f, { inAxes: [null, 0] }).
  Operators are methods: x.add(y), x.mul(2), x.pow(2), x.neg(), x.gt(0); theta.get(0); A.slice(":, 0").
  A JS if (x.gt(0)) is always taken (any object is truthy): use lax.cond / jnp.where.
  Exit with close() or ctrl+d.`;

/**
 * Short help for a function (or a dotted name): its signature and one line
 * on what it does; for an array, its shape and dtype.
 */
function help(target?: unknown): HelpText {
  if (target === undefined) return new HelpText(OVERVIEW);
  if (target === "all") {
    const rows = HELP_TABLE.filter(([name]) => resolve(name) !== undefined);
    const width = Math.max(...rows.map(([, sig]) => sig.length));
    return new HelpText(rows.map(([, sig, what]) => `${sig.padEnd(width)}  ${what}`).join("\n"));
  }
  const fn = typeof target === "string" ? resolve(target) : target;
  if (fn === undefined) return new HelpText(`help: no function named ${target}; try help("all")`);
  const row = HELP_TABLE.find(([name]) => resolve(name) === fn);
  if (row) return new HelpText(`${row[1]}\n  ${row[2]}`);
  if (fn instanceof Object && "shape" in fn && "dtype" in fn) {
    const a = fn as { shape: number[]; dtype: string };
    return new HelpText(
      `an array of shape (${a.shape.join(", ")}${a.shape.length === 1 ? "," : ""}) and dtype ${a.dtype}; ` +
        `methods: add sub mul div pow neg gt lt get slice at sum mean reshape T astype tolist item ...`,
    );
  }
  if (typeof fn === "function") {
    const name = (typeof target === "string" ? target : findName(fn)) ?? (fn.name || "function");
    return new HelpText(`${name}${paramsOf(fn as (...args: never[]) => unknown)}`);
  }
  return new HelpText(`help: ${String(target)} is a ${typeof fn}, not a function`);
}

const initCwd = Deno.env.get("INIT_CWD");
if (initCwd && initCwd !== Deno.cwd()) {
  try {
    Deno.chdir(initCwd);
  } catch {
    // The directory is gone or not readable: stay where deno task started us.
  }
}

Object.assign(globalThis, { jnp, jax, lax, np, plot, help });

const device = jax.devices()[0];
const deviceText = device.device_kind && device.device_kind !== device.platform
  ? `${device.platform} (${device.device_kind})`
  : device.platform;
console.log(
  `jaxd ${denoJson.version} on ${deviceText}: jnp, jax, lax, np, plot loaded; help() or help(fn) for help, close() to exit`,
);
