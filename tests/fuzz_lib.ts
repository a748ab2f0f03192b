/**
 * Differential fuzzing: random small programs (chains of jnp primitives over
 * random shapes and dtypes, under random compositions of jit, vmap, grad and
 * jvp) run on webgpu and on cpu must agree: same shape, same dtype, values
 * within a float32 tolerance, or the same error class on both.
 *
 * A program is generated from a seed alone (`generate(seed)`), and prints as
 * the TypeScript it runs (`programText`), so a failure is reproduced by its
 * seed and read as code.
 *
 * @module
 */

import { jax, jnp, lax } from "../mod.ts";
import { mulberry32 } from "./mulberry32.ts";

type A = jnp.NDArray;
type DType = "float32" | "int32" | "bool";

/** A value of the program: an input or a step's result. */
interface Val {
  shape: number[];
  dtype: DType;
}

/** One step: `v{n} = <code>` where `code` reads earlier values. */
export interface Step {
  /** TypeScript text of the step, reading `v0`, `v1`, ... */
  code: string;
  /** Runs the step on the values so far. */
  run: (vs: A[]) => A;
  out: Val;
}

/** A transformation wrapped around the program, innermost first. */
export type Transform = "jit" | "vmap" | "grad" | "jvp";

/** A generated program: inputs, steps, transformations and the input data. */
export interface Program {
  seed: number;
  /** Generated with long last axes (see Gen). */
  big: boolean;
  inputs: Val[];
  steps: Step[];
  transforms: Transform[];
  /** Host data of the inputs (with the vmap batch axes in front). */
  data: { values: number[]; shape: number[]; dtype: DType }[];
}

const BATCH = 2;
const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
const fmt = (s: number[]) => `[${s.join(", ")}]`;

class Gen {
  readonly rand: () => number;
  /** @param big whether shapes may have a long last axis (kernels of thousands of elements, the device's big layouts) */
  constructor(seed: number, readonly big = false) {
    this.rand = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)];
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  shape(): number[] {
    const rank = this.pick([0, 1, 1, 2, 2, 2, 3]);
    const s = Array.from({ length: rank }, () => this.int(1, 4));
    if (this.big && rank > 0 && this.chance(0.7)) s[rank - 1] = this.int(2000, 5000);
    return s;
  }
}

type Unary = [name: string, code: (x: string) => string, f: (x: A) => A];
const FLOAT_UNARY: Unary[] = [
  ["sin", (x) => `jnp.sin(${x})`, (x) => jnp.sin(x)],
  ["cos", (x) => `jnp.cos(${x})`, (x) => jnp.cos(x)],
  ["tanh", (x) => `jnp.tanh(${x})`, (x) => jnp.tanh(x)],
  ["exp", (x) => `jnp.exp(jnp.tanh(${x}))`, (x) => jnp.exp(jnp.tanh(x))],
  ["log", (x) => `jnp.log(jnp.abs(${x}).add(1))`, (x) => jnp.log(jnp.abs(x).add(1))],
  ["sqrt", (x) => `jnp.sqrt(jnp.abs(${x}).add(0.5))`, (x) => jnp.sqrt(jnp.abs(x).add(0.5))],
  ["abs", (x) => `jnp.abs(${x})`, (x) => jnp.abs(x)],
  ["neg", (x) => `jnp.negative(${x})`, (x) => jnp.negative(x)],
  ["square", (x) => `jnp.square(${x})`, (x) => jnp.square(x)],
  ["pow3", (x) => `${x}.pow(3)`, (x) => x.pow(3)],
  ["floor", (x) => `jnp.floor(${x})`, (x) => jnp.floor(x)],
  ["sign", (x) => `jnp.sign(${x})`, (x) => jnp.sign(x)],
  ["clip", (x) => `jnp.clip(${x}, -1, 1)`, (x) => jnp.clip(x, -1, 1)],
];
const INT_UNARY: Unary[] = [
  ["neg", (x) => `jnp.negative(${x})`, (x) => jnp.negative(x)],
  ["abs", (x) => `jnp.abs(${x})`, (x) => jnp.abs(x)],
  ["square", (x) => `jnp.square(${x})`, (x) => jnp.square(x)],
  ["sign", (x) => `jnp.sign(${x})`, (x) => jnp.sign(x)],
];
type Binary = [code: (x: string, y: string) => string, f: (x: A, y: A) => A];
const BINARY: Binary[] = [
  [(x, y) => `jnp.add(${x}, ${y})`, (x, y) => jnp.add(x, y)],
  [(x, y) => `jnp.subtract(${x}, ${y})`, (x, y) => jnp.subtract(x, y)],
  [(x, y) => `jnp.multiply(${x}, ${y})`, (x, y) => jnp.multiply(x, y)],
  [(x, y) => `jnp.maximum(${x}, ${y})`, (x, y) => jnp.maximum(x, y)],
  [(x, y) => `jnp.minimum(${x}, ${y})`, (x, y) => jnp.minimum(x, y)],
];
const FLOAT_BINARY: Binary[] = [
  ...BINARY,
  [(x, y) => `jnp.divide(${x}, jnp.abs(${y}).add(1))`, (x, y) => jnp.divide(x, jnp.abs(y).add(1))],
];

/** The steps that can follow, given the values so far; each returns null when it does not apply. */
function nextStep(g: Gen, vals: Val[], forGrad: boolean): Step | null {
  const i = vals.length - 1 - (g.chance(0.7) ? 0 : g.int(0, vals.length - 1));
  const x = vals[Math.max(0, i)];
  const xi = Math.max(0, i);
  const v = `v${xi}`;
  const nd = x.shape.length;
  const kind = g.pick([
    "unary",
    "unary",
    "binary",
    "binary",
    "reduce",
    "cumsum",
    "reshape",
    "transpose",
    "broadcast",
    "slice",
    "concat",
    "flip",
    "dot",
    "where",
    "astype",
    "scan",
    "cond",
    "gather",
    "scatter",
  ]);
  const isFloat = x.dtype === "float32";
  switch (kind) {
    case "unary": {
      if (x.dtype === "bool") return null;
      const [, code, f] = g.pick(isFloat ? FLOAT_UNARY : INT_UNARY);
      return { code: code(v), run: (vs) => f(vs[xi]), out: x };
    }
    case "binary": {
      if (x.dtype === "bool") return null;
      // A partner of the same dtype whose shape broadcasts with x (equal, scalar, or a suffix).
      const partners = vals.map((p, j) => [p, j] as const).filter(([p]) =>
        p.dtype === x.dtype &&
        (p.shape.length === 0 || fmt(p.shape) === fmt(x.shape) ||
          fmt(p.shape) === fmt(x.shape.slice(x.shape.length - p.shape.length)))
      );
      if (!partners.length) return null;
      const [, j] = g.pick(partners);
      const [code, f] = g.pick(isFloat ? FLOAT_BINARY : BINARY);
      const [a, b] = g.chance(0.5) ? [xi, j] : [j, xi];
      return { code: code(`v${a}`, `v${b}`), run: (vs) => f(vs[a], vs[b]), out: x };
    }
    case "reduce": {
      if (x.dtype === "bool") return null;
      const op = g.pick(isFloat ? ["sum", "max", "min", "mean", "argmax"] : ["sum", "max", "min", "argmax"]);
      if (forGrad && op === "argmax") return null;
      const axis = nd === 0 || g.chance(0.25) ? null : g.int(-nd, nd - 1);
      const keepdims = axis !== null && g.chance(0.3);
      if (op === "argmax" && axis === null && nd > 0) {
        return { code: `jnp.argmax(${v})`, run: (vs) => jnp.argmax(vs[xi]), out: { shape: [], dtype: "int32" } };
      }
      if (op === "argmax" && nd === 0) return null;
      const norm = axis === null ? -1 : (axis + nd) % nd;
      const shape = axis === null
        ? []
        : keepdims
        ? x.shape.map((d, k) => (k === norm ? 1 : d))
        : x.shape.filter((_, k) => k !== norm);
      const opts = axis === null ? "" : `, { axis: ${axis}${keepdims ? ", keepdims: true" : ""} }`;
      const o = axis === null ? undefined : { axis, keepdims };
      const dtype: DType = op === "argmax" ? "int32" : x.dtype;
      const fn = { sum: jnp.sum, max: jnp.max, min: jnp.min, mean: jnp.mean, argmax: jnp.argmax }[op]!;
      return {
        code: `jnp.${op}(${v}${op === "argmax" && axis !== null ? `, { axis: ${axis} }` : opts})`,
        run: (vs) => (op === "argmax" ? jnp.argmax(vs[xi], axis === null ? undefined : { axis }) : fn(vs[xi], o)),
        out: { shape: op === "argmax" ? x.shape.filter((_, k) => k !== norm) : shape, dtype },
      };
    }
    case "cumsum": {
      if (x.dtype === "bool" || nd === 0) return null;
      const axis = g.int(0, nd - 1);
      return { code: `jnp.cumsum(${v}, { axis: ${axis} })`, run: (vs) => jnp.cumsum(vs[xi], { axis }), out: x };
    }
    case "reshape": {
      const n = size(x.shape);
      const divisors = Array.from({ length: n }, (_, k) => k + 1).filter((d) => n % d === 0);
      const a = g.pick(divisors);
      const shape = g.chance(0.5) ? [a, n / a] : g.chance(0.5) ? [n] : [n / a, a, 1];
      return {
        code: `jnp.reshape(${v}, ${fmt(shape)})`,
        run: (vs) => jnp.reshape(vs[xi], shape),
        out: { ...x, shape },
      };
    }
    case "transpose": {
      if (nd < 2) return null;
      const perm = Array.from({ length: nd }, (_, k) => k);
      for (let k = nd - 1; k > 0; k--) {
        const j = g.int(0, k);
        [perm[k], perm[j]] = [perm[j], perm[k]];
      }
      return {
        code: `jnp.transpose(${v}, ${fmt(perm)})`,
        run: (vs) => jnp.transpose(vs[xi], perm),
        out: { ...x, shape: perm.map((p) => x.shape[p]) },
      };
    }
    case "broadcast": {
      if (nd >= 3) return null;
      const shape = [g.int(1, 3), ...x.shape];
      return {
        code: `jnp.broadcast_to(${v}, ${fmt(shape)})`,
        run: (vs) => jnp.broadcast_to(vs[xi], shape),
        out: { ...x, shape },
      };
    }
    case "slice": {
      if (nd === 0) return null;
      const axis = g.int(0, nd - 1);
      const d = x.shape[axis];
      const start = g.int(0, d - 1), stop = g.int(start + 1, d);
      const spec = x.shape.map((_, k) => (k === axis ? `${start}:${stop}` : ":")).join(", ");
      return {
        code: `${v}.slice("${spec}")`,
        run: (vs) => vs[xi].slice(spec),
        out: { ...x, shape: x.shape.map((s, k) => (k === axis ? stop - start : s)) },
      };
    }
    case "concat": {
      if (nd === 0) return null;
      const axis = g.int(0, nd - 1);
      return {
        code: `jnp.concatenate([${v}, ${v}], { axis: ${axis} })`,
        run: (vs) => jnp.concatenate([vs[xi], vs[xi]], { axis }),
        out: { ...x, shape: x.shape.map((s, k) => (k === axis ? 2 * s : s)) },
      };
    }
    case "flip": {
      if (nd === 0) return null;
      const axis = g.int(0, nd - 1);
      return { code: `jnp.flip(${v}, ${axis})`, run: (vs) => jnp.flip(vs[xi], axis), out: x };
    }
    case "dot": {
      if (x.dtype === "bool" || nd === 0 || nd > 2) return null;
      if (nd === 1) {
        return {
          code: `jnp.dot(${v}, ${v})`,
          run: (vs) => jnp.dot(vs[xi], vs[xi]),
          out: { ...x, shape: [] },
        };
      }
      return {
        code: `jnp.matmul(${v}, jnp.transpose(${v}))`,
        run: (vs) => jnp.matmul(vs[xi], jnp.transpose(vs[xi])),
        out: { ...x, shape: [x.shape[0], x.shape[0]] },
      };
    }
    case "where": {
      if (x.dtype === "bool") {
        const others = vals.map((p, j) => [p, j] as const).filter(([p]) =>
          p.dtype !== "bool" && fmt(p.shape) === fmt(x.shape)
        );
        if (!others.length) return null;
        const [p, j] = g.pick(others);
        return {
          code: `jnp.where(${v}, v${j}, jnp.negative(v${j}))`,
          run: (vs) => jnp.where(vs[xi], vs[j], jnp.negative(vs[j])),
          out: p,
        };
      }
      const cmp = g.pick(["greater", "less", "equal"] as const);
      return {
        code: `jnp.${cmp}(${v}, ${isFloat ? "0.25" : "1"})`,
        run: (vs) => jnp[cmp](vs[xi], isFloat ? 0.25 : 1),
        out: { ...x, dtype: "bool" },
      };
    }
    case "scan": {
      // Over the leading axis: a running sum and product (carry and stacked outputs), a damped
      // recurrence read back as its final carry, or one whose carry takes a sum over each slice
      // (a reduction in the body), or a descent whose every step reads all of the value; forwards or
      // reversed. Small bodies run as one loop shader.
      if (x.dtype === "bool" || nd === 0) return null;
      const reverse = g.pick([false, true]);
      const opt = reverse ? ", { reverse: true }" : "";
      const form = g.pick(["sums", "damped", "reduce", "descent"] as const);
      if (form === "sums") {
        const body = (c: A, xk: A): [A, A] => [c.add(xk), c.mul(xk)];
        return {
          code: `lax.scan((c, xk) => [c.add(xk), c.mul(xk)], jnp.zeros_like(${v}.get(0)), ${v}${opt})[1]`,
          run: (vs) => (lax.scan(body, jnp.zeros_like(vs[xi].get(0)), vs[xi], { reverse }) as [A, A])[1],
          out: x,
        };
      }
      if (form === "damped" && isFloat) {
        const body = (c: A, xk: A): [A, null] => [c.mul(0.5).add(jnp.sin(xk)), null];
        return {
          code: `lax.scan((c, xk) => [c.mul(0.5).add(jnp.sin(xk)), null], jnp.ones_like(${v}.get(0)), ${v}${opt})[0]`,
          run: (vs) => (lax.scan(body, jnp.ones_like(vs[xi].get(0)), vs[xi], { reverse }) as [A, null])[0],
          out: { shape: x.shape.slice(1), dtype: x.dtype },
        };
      }
      if (form === "descent" && isFloat) {
        // Every step reads all of the value and ends in a small update of the carry: past the loop
        // shader's work, the update is folded into the next step's reduction (lib/gpu/fold.ts).
        const step = (all: A) => (c: A): [A, A] => [c.sub(jnp.sum(jnp.tanh(all.mul(c))).mul(1e-3)), c];
        return {
          code: `lax.scan((c) => [c.sub(jnp.sum(jnp.tanh(${v}.mul(c))).mul(1e-3)), c], jnp.array(0.5), null, ` +
            `{ length: 6${reverse ? ", reverse: true" : ""} })[1]`,
          run: (vs) =>
            (lax.scan(step(vs[xi]), jnp.array(0.5, { dtype: x.dtype }), null, { length: 6, reverse }) as [A, A])[1],
          out: { shape: [6], dtype: x.dtype },
        };
      }
      const body = (c: A, xk: A): [A, A] => [c.add(jnp.sum(xk)), jnp.max(xk)];
      return {
        code:
          `lax.scan((c, xk) => [c.add(jnp.sum(xk)), jnp.max(xk)], jnp.zeros([], { dtype: "${x.dtype}" }), ${v}${opt})[1]`,
        run: (vs) => (lax.scan(body, jnp.zeros([], { dtype: x.dtype }), vs[xi], { reverse }) as [A, A])[1],
        out: { shape: x.shape.slice(0, 1), dtype: x.dtype },
      };
    }
    case "cond": {
      if (!isFloat) return null;
      return {
        code: `lax.cond(jnp.sum(${v}).gt(0), (a) => jnp.sin(a), (a) => a.mul(2), ${v})`,
        run: (vs) => lax.cond(jnp.sum(vs[xi]).gt(0), (a: A) => jnp.sin(a), (a: A) => a.mul(2), vs[xi]) as A,
        out: x,
      };
    }
    case "gather": {
      if (nd === 0) return null;
      const idx = Array.from({ length: g.int(1, 4) }, () => g.int(-x.shape[0], x.shape[0] - 1));
      return {
        code: `${v}.get(jnp.array(${fmt(idx)}, { dtype: "int32" }))`,
        run: (vs) => vs[xi].get(jnp.array(idx, { dtype: "int32" })),
        out: { ...x, shape: [idx.length, ...x.shape.slice(1)] },
      };
    }
    case "scatter": {
      if (nd === 0 || x.dtype === "bool") return null;
      const i = g.int(0, x.shape[0] - 1);
      const how = g.pick(["set", "add"] as const);
      return {
        code: `${v}.at(${i}).${how}(${isFloat ? "1.5" : "2"})`,
        run: (vs) => vs[xi].at(i)[how](isFloat ? 1.5 : 2),
        out: x,
      };
    }
    case "astype": {
      if (isFloat) return null;
      return { code: `${v}.astype("float32")`, run: (vs) => vs[xi].astype("float32"), out: { ...x, dtype: "float32" } };
    }
  }
  return null;
}

/** Elements a step's value may have (more in a `big` program). */
const MAX_SIZE = 256, MAX_BIG_SIZE = 1 << 16;

/** The program for `seed`, with at most `maxSteps` steps; `big` ones have long last axes (see Gen). */
export function generate(seed: number, maxSteps = 5, big = false): Program {
  const g = new Gen(seed, big);
  const transforms: Transform[] = [];
  const nT = g.pick([0, 1, 1, 2, 2, 3]);
  for (let k = 0; k < nT; k++) transforms.push(g.pick(["jit", "vmap", "grad", "jvp"] as const));
  const differentiated = transforms.some((t) => t === "grad" || t === "jvp");
  const nIn = g.int(1, 2);
  const inputs: Val[] = [];
  const first = g.shape();
  for (let k = 0; k < nIn; k++) {
    const dtype: DType = differentiated || g.chance(0.7) ? "float32" : "int32";
    // A second input often shares the first one's shape (or a suffix of it), so binary ops find partners.
    const shape = k === 0 || g.chance(0.3) ? g.shape() : first.slice(g.int(0, first.length));
    inputs.push({ shape: k === 0 ? first : shape, dtype });
  }
  const vals: Val[] = [...inputs];
  const steps: Step[] = [];
  const n = g.int(1, maxSteps);
  for (let tries = 0; steps.length < n && tries < 50; tries++) {
    const s = nextStep(g, vals, differentiated);
    if (!s || size(s.out.shape) > (big ? MAX_BIG_SIZE : MAX_SIZE)) continue;
    steps.push(s);
    vals.push(s.out);
  }
  // Batch axes: one leading axis of size BATCH per vmap.
  const batch = transforms.filter((t) => t === "vmap").map(() => BATCH);
  // Some programs get special float values (0, -0, inf, -inf, nan) among their inputs.
  const special = g.chance(0.15);
  const data = inputs.map((x) => {
    const shape = [...batch, ...x.shape];
    const values = Array.from(
      { length: size(shape) },
      () =>
        x.dtype !== "float32"
          ? g.int(-4, 4)
          : special && g.chance(0.3)
          ? g.pick([0, -0, Infinity, -Infinity, NaN])
          : g.int(-16, 16) / 8,
    );
    return { values, shape, dtype: x.dtype };
  });
  return { seed, big, inputs, steps, transforms, data };
}

/** The program's function on its (unbatched) inputs: the last step's value. */
function body(p: Program): (...xs: A[]) => A {
  return (...xs: A[]) => {
    const vs = [...xs];
    for (const s of p.steps) vs.push(s.run(vs));
    return vs[vs.length - 1];
  };
}

/** The transformed function (transformations applied innermost first). */
export function build(p: Program): (...xs: A[]) => A {
  let f = body(p);
  for (const t of p.transforms) {
    const inner = f;
    switch (t) {
      case "jit":
        f = jax.jit(inner);
        break;
      case "vmap":
        f = jax.vmap(inner);
        break;
      case "grad":
        f = (...xs: A[]) =>
          jax.grad((x0: A, ...rest: A[]) => jnp.sum(inner(x0, ...rest).astype("float32")))(...xs) as A;
        break;
      case "jvp":
        f = (...xs: A[]) => jax.jvp(inner, xs, xs.map((x) => jnp.ones_like(x).mul(0.5)))[1] as A;
        break;
    }
  }
  return f;
}

/** The program as the TypeScript it runs. */
export function programText(p: Program): string {
  const args = p.inputs.map((_, k) => `v${k}`).join(", ");
  const lines = [`// fuzz seed ${p.seed}${p.big ? " (--big)" : ""}`, `const f = (${args}) => {`];
  p.steps.forEach((s, k) => lines.push(`  const v${p.inputs.length + k} = ${s.code};`));
  lines.push(`  return v${p.inputs.length + p.steps.length - 1};`, "};");
  let expr = "f";
  for (const t of p.transforms) {
    expr = t === "jit"
      ? `jax.jit(${expr})`
      : t === "vmap"
      ? `jax.vmap(${expr})`
      : t === "grad"
      ? `((...xs) => jax.grad((x0, ...r) => jnp.sum(${expr}(x0, ...r).astype("float32")))(...xs))`
      : `((...xs) => jax.jvp(${expr}, xs, xs.map((x) => jnp.ones_like(x).mul(0.5)))[1])`;
  }
  lines.push(`const g = ${expr};`);
  p.data.forEach((d, k) =>
    lines.push(
      `const in${k} = jnp.array([${d.values.map(numText).join(", ")}], { dtype: "${d.dtype}" }).reshape(${
        fmt(d.shape)
      });`,
    )
  );
  lines.push(`g(${p.data.map((_, k) => `in${k}`).join(", ")});`);
  return lines.join("\n");
}

function numText(v: number): string {
  return Object.is(v, -0)
    ? "-0"
    : Number.isNaN(v)
    ? "NaN"
    : v === Infinity
    ? "Infinity"
    : v === -Infinity
    ? "-Infinity"
    : String(v);
}

/** What running a program gave: values, or an error's class name. */
export type Outcome =
  | { ok: true; shape: number[]; dtype: string; values: number[] }
  | { ok: false; error: string; message: string };

/** Runs `p` on `platform`. */
export function runOn(p: Program, platform: string): Outcome {
  jax.config.update("jax_platforms", platform);
  jax.config.update("jaxd_small_ops_on_host", false); // webgpu's kernels are what is checked, tiny ones too
  try {
    const xs = p.data.map((d) => jnp.array(d.values, { dtype: d.dtype }).reshape(d.shape));
    const y = build(p)(...xs);
    return { ok: true, shape: [...y.shape], dtype: y.dtype, values: Array.from(y.dataSync() as ArrayLike<number>) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, error: err.name, message: err.message };
  } finally {
    jax.config.update("jax_platforms", "");
    jax.config.update("jaxd_small_ops_on_host", true);
  }
}

/**
 * Why two outcomes disagree, or null when they agree within float32
 * tolerance (`loose`: 10x wider, for sums over thousands of elements, whose
 * float32 rounding differs with the order of the additions).
 */
export function compare(cpu: Outcome, gpu: Outcome, loose = false): string | null {
  if (!cpu.ok || !gpu.ok) {
    if (!cpu.ok && !gpu.ok) {
      return cpu.error === gpu.error ? null : `errors differ: cpu ${cpu.error}, webgpu ${gpu.error}`;
    }
    return cpu.ok
      ? `webgpu threw ${gpu.ok ? "" : `${gpu.error}: ${gpu.message}`}`
      : `cpu threw ${cpu.error}: ${cpu.message}`;
  }
  if (fmt(cpu.shape) !== fmt(gpu.shape)) return `shapes differ: cpu ${fmt(cpu.shape)}, webgpu ${fmt(gpu.shape)}`;
  if (cpu.dtype !== gpu.dtype) return `dtypes differ: cpu ${cpu.dtype}, webgpu ${gpu.dtype}`;
  let scale = 1; // (a loop: spreading a big program's values into Math.max overflows the stack)
  for (const v of cpu.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let k = 0; k < cpu.values.length; k++) {
    const c = cpu.values[k], w = gpu.values[k];
    if (Number.isNaN(c) && Number.isNaN(w)) continue;
    if (!Number.isFinite(c) || !Number.isFinite(w)) {
      if (c !== w) return `element ${k}: cpu ${c}, webgpu ${w}`;
      continue;
    }
    // float32: transcendental functions differ by a few ulps between backends, and chains of
    // derivatives amplify that (1 - tanh(x)^2 near saturation); integers and bools are exact.
    const tol = cpu.dtype === "float32" ? (loose ? 10 : 1) * (3e-5 * scale + 3e-4 * Math.abs(c)) : 0;
    if (Math.abs(c - w) > tol) return `element ${k}: cpu ${c}, webgpu ${w}`;
  }
  return null;
}

/** Generates and runs program `seed` on both backends; null when they agree, else a report with the program. */
export function check(seed: number, maxSteps?: number, big = false): string | null {
  const p = generate(seed, maxSteps, big);
  const why = compare(runOn(p, "cpu"), runOn(p, "webgpu"), big);
  return why === null ? null : `${why}\n${programText(p)}`;
}
