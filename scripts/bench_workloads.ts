/**
 * Shared pieces of the benchmarks (scripts/bench.ts and scripts/bench_peers.ts):
 * the workloads' sizes and data, the jaxd versions of the workloads, the
 * hand-written plain-JS baselines, a timing harness, and table printing.
 *
 * The workloads (from the performance issue):
 * - `scan`: the tutorial's jit + lax.scan gradient descent — 100 steps of
 *   jacfwd of the vmapped normal negative log-likelihood — over n synthetic
 *   samples, including the one readback of theta;
 * - `host`: the tutorial's host-loop gradient descent at n = 100 — 100
 *   un-jitted steps `theta = theta.sub(df(theta).mul(0.01))`, df = jacfwd(f),
 *   timed to the final `theta.tolist()`;
 * - `chain`: `sum(exp(sin(x) * 2 + 1))` over 16M float32 (x made beforehand),
 *   including the scalar readback;
 * - `matmul`: 1024 x 1024 float32 `jnp.matmul`, read back as the sum of the product.
 *
 * @module
 */

import { jax, jnp, lax } from "@jaxd/jaxd";
import type { NDArray } from "@jaxd/jaxd";
import { mulberry32 } from "../tests/mulberry32.ts";

// ------------------------------------------------------------ sizes and data

/** Gradient-descent steps of the scan and host-loop workloads. */
export const STEPS = 100;
/** Sample sizes of the scan workload. */
export const SCAN_SIZES = [100, 10_000, 1_000_000] as const;
/** Sample size of the host-loop workload (the tutorial's). */
export const HOST_N = 100;
/** Elements of the chain workload. */
export const CHAIN_N = 1 << 24;
/** Side of the square matmul workload. */
export const MATMUL_N = 1024;

/**
 * The step size: the tutorial's 0.01 at n = 100. The gradient of a sum over n
 * samples grows with n, so 0.01 diverges (to NaN) for n >= 1e4; above 100 the
 * step is 0.01 * 100 / n, which keeps the iteration finite and checkable
 * without changing the work done.
 */
export function stepSize(n: number): number {
  return 0.01 * Math.min(1, 100 / n);
}

/** A small seeded generator (mulberry32), so every implementation sees the same data. */
export const rng: (seed: number) => () => number = mulberry32;

/** n draws of Normal(0.5, sqrt 2), as the tutorial's `np.random.normal(0.5, sqrt(2), n)`. */
export function normalData(n: number, seed = 1): Float32Array<ArrayBuffer> {
  const u = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u())), th = 2 * Math.PI * u();
    out[i] = 0.5 + Math.SQRT2 * r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = 0.5 + Math.SQRT2 * r * Math.sin(th);
  }
  return out;
}

/** n uniform draws in [lo, hi). */
export function uniformData(n: number, lo: number, hi: number, seed = 2): Float32Array<ArrayBuffer> {
  const u = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * u();
  return out;
}

/** Data of the chain workload: x in [-1, 1). */
export function chainData(): Float32Array<ArrayBuffer> {
  return uniformData(CHAIN_N, -1, 1, 3);
}

/** The two matmul operands, entries in [0, 1) so the checked sum is well conditioned. */
export function matmulData(): [Float32Array<ArrayBuffer>, Float32Array<ArrayBuffer>] {
  const n2 = MATMUL_N * MATMUL_N;
  return [uniformData(n2, 0, 1, 4), uniformData(n2, 0, 1, 5)];
}

/** The start of the scan workload (the tutorial's scan cell) and of the host loop (its host-loop cell). */
export const SCAN_THETA0: [number, number] = [1, 1];
export const HOST_THETA0: [number, number] = [0, 0];

// ------------------------------------------------------- plain-JS baselines

/**
 * Gradient descent on the normal negative log-likelihood, by hand: one pass
 * over x per step computing sum(x - mu) and sum((x - mu)^2) in float64, then
 * the analytic gradient. This is the plain-JS floor the library runs against.
 */
export function jsGradientDescent(x: Float32Array, theta0: [number, number], steps: number, lr: number): number[] {
  const n = x.length;
  let mu = theta0[0], t = theta0[1];
  for (let s = 0; s < steps; s++) {
    let s1 = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - mu;
      s1 += d;
      s2 += d * d;
    }
    const v = Math.exp(t);
    // nll = s2 / (2v) + n/2 log(2 pi v): d/dmu = -s1/v, d/dt = -s2/(2v) + n/2.
    const gmu = -s1 / v, gt = -s2 / (2 * v) + n / 2;
    mu -= lr * gmu;
    t -= lr * gt;
  }
  return [mu, t];
}

/** sum(exp(sin(x) * 2 + 1)) in a plain loop (float64 accumulation). */
export function jsChain(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(Math.sin(x[i]) * 2 + 1);
  return s;
}

/** The sum of a @ b for n x n row-major matrices, by an i-k-j loop into a Float32Array. */
export function jsMatmulSum(a: Float32Array, b: Float32Array, n: number): number {
  const c = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[ci + k], bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i];
  return s;
}

// ------------------------------------------------------------- jaxd versions

/** The workload's data as a jaxd array (jnp.array copies a typed array, as jnp.asarray copies a numpy array). */
export function jaxdArray(data: Float32Array, shape?: number[]): NDArray {
  const a = jnp.array(data);
  return shape ? a.reshape(shape) : a;
}

/** The tutorial's per-sample negative log-likelihood (vmapped in the scan cell). */
function fSingle(theta: NDArray, xSingle: NDArray): NDArray {
  const mu = theta.get(0);
  const variance = jnp.exp(theta.get(1));
  const logLikelihood = xSingle.sub(mu).pow(2).neg().div(variance.mul(2.0))
    .sub(jnp.log(variance.mul(2 * jnp.pi)).mul(0.5));
  return logLikelihood.neg();
}

/**
 * The scan workload in jaxd, as the tutorial writes it: a jitted function
 * closing over x whose body is `lax.scan` of 100 steps of jacfwd of the
 * vmapped likelihood. Each call returns theta read back with `tolist()`.
 */
export function jaxdScan(xData: Float32Array): () => number[] {
  const x = jaxdArray(xData);
  const lr = stepSize(xData.length);
  const fVmap = (theta: NDArray) => jnp.sum(jax.vmap(fSingle, { inAxes: [null, 0] })(theta, x));
  const dfVmap = jax.jacfwd(fVmap);
  const gradientDescent = jax.jit(function gradient_descent() {
    const theta = jnp.array(SCAN_THETA0);
    const step = (theta: NDArray, _: null): [NDArray, null] => [theta.sub(dfVmap(theta).mul(lr)), _];
    const [thetaOut] = lax.scan(step, theta, null, { length: STEPS });
    return thetaOut;
  });
  return () => gradientDescent().tolist() as number[];
}

/**
 * The host-loop workload in jaxd, as the tutorial writes it: 100 eager steps
 * `theta = theta.sub(df(theta).mul(0.01))` with df = jacfwd(f), then `theta.tolist()`.
 */
export function jaxdHostLoop(xData: Float32Array): () => number[] {
  const x = jaxdArray(xData);
  const n = xData.length;
  const lr = stepSize(n);
  const f = (theta: NDArray) => {
    const mu = theta.get(0);
    const variance = jnp.exp(theta.get(1));
    const logLikelihood = jnp.sum(x.sub(mu).pow(2)).neg().div(variance.mul(2.0))
      .sub(jnp.log(variance.mul(2 * jnp.pi)).mul(0.5 * n));
    return logLikelihood.neg();
  };
  const df = jax.jacfwd(f);
  return () => {
    let theta = jnp.array(HOST_THETA0);
    for (let i = 0; i < STEPS; i++) theta = theta.sub(df(theta).mul(lr));
    return theta.tolist() as number[];
  };
}

/** The chain workload in jaxd: eager `jnp.sum(jnp.exp(jnp.sin(x).mul(2).add(1)))`, read with `item()`. */
export function jaxdChain(xData: Float32Array): () => number {
  const x = jaxdArray(xData);
  return () => jnp.sum(jnp.exp(jnp.sin(x).mul(2).add(1))).item();
}

/** The matmul workload in jaxd: `jnp.matmul(a, b)`, read back as its sum. */
export function jaxdMatmul(aData: Float32Array, bData: Float32Array): () => number {
  const a = jaxdArray(aData, [MATMUL_N, MATMUL_N]);
  const b = jaxdArray(bData, [MATMUL_N, MATMUL_N]);
  return () => jnp.sum(jnp.matmul(a, b)).item();
}

// ------------------------------------------------------- work per workload

/** How throughput is derived for a workload. */
export interface Work {
  /** "GB/s", "GFLOP/s" or "µs/step". */
  unit: string;
  /** The throughput for a time in ms. */
  rate(ms: number): number;
  /** How it is computed, for the legend. */
  how: string;
}

/** Throughput definitions: bytes of the data each workload must read at least once, or flops. */
export function workOf(kind: "scan" | "host" | "chain" | "matmul", n = 0): Work {
  switch (kind) {
    case "scan":
      return {
        unit: "GB/s",
        rate: (ms) => (STEPS * n * 4) / (ms * 1e6),
        how: "scan: GB/s = 100 steps x n x 4 B (x read once per step) / time",
      };
    case "host":
      return { unit: "µs/step", rate: (ms) => (ms * 1000) / STEPS, how: "host: µs per step = time / 100" };
    case "chain":
      return {
        unit: "GB/s",
        rate: (ms) => (CHAIN_N * 4) / (ms * 1e6),
        how: "chain: GB/s = 2^24 x 4 B (x read once) / time",
      };
    case "matmul":
      return {
        unit: "GFLOP/s",
        rate: (ms) => (2 * MATMUL_N ** 3) / (ms * 1e6),
        how: "matmul: GFLOP/s = 2 x 1024^3 / time (the sum of the product included)",
      };
  }
}

/** The targets of the issue, for the default (webgpu) backend. */
export const TARGETS: Record<string, { text: string; met: (ms: number) => boolean }> = {
  "scan n=100": { text: "<= 15 ms", met: (ms) => ms <= 15 },
  "scan n=1e6": { text: "<= 70 ms", met: (ms) => ms <= 70 },
  "host n=100": { text: "<= 30 ms", met: (ms) => ms <= 30 },
  "chain 16M": { text: "<= 75 ms", met: (ms) => ms <= 75 },
  "matmul 1024": { text: ">= 12 GFLOP/s", met: (ms) => workOf("matmul").rate(ms) >= 12 },
};

/** "1e6" for 1000000, "100" for 100. */
export function sizeName(n: number): string {
  return n >= 10_000 ? `1e${Math.round(Math.log10(n))}` : String(n);
}

// ------------------------------------------------------------ checking

/** Largest relative difference between a result and its reference (scaled by max(|ref|, floor)). */
export function relDiff(got: number | number[], want: number | number[], floor = 1e-2): number {
  const g = ([] as number[]).concat(got), w = ([] as number[]).concat(want);
  if (g.length !== w.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < g.length; i++) {
    const d = Math.abs(g[i] - w[i]) / Math.max(Math.abs(w[i]), floor);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

/** "ok" when within `tol`, else the difference. */
export function checkText(got: unknown, want: number | number[], tol = 2e-3): string {
  if (got === undefined) return "-";
  const d = relDiff(got as number | number[], want);
  return d <= tol ? "ok" : `DIFF ${d.toExponential(1)}`;
}

// ------------------------------------------------------------ timing

/** The timing of one case. */
export interface Measurement<T> {
  /** The first call (tracing, WGSL and pipeline compilation included), ms. */
  firstMs: number;
  /** Timed calls after it, ms. */
  times: number[];
  /** Median of `times`, ms. */
  medianMs: number;
  /** True when fewer than the requested runs fitted in the time budget. */
  capped: boolean;
  /** The value of the last call. */
  value: T;
}

/** Options of `measure`. */
export interface MeasureOptions {
  /** Timed runs wanted after the warm-up run (at least). */
  reps: number;
  /** Stop adding runs once the case has used this much time (at least one timed run is always made). */
  budgetMs: number;
  /**
   * Keep adding timed runs (up to MAX_REPS) until they add up to this much:
   * a fast case then gets enough samples for a stable median, past V8's
   * warm-up of the first few calls. 0 (the default) runs exactly `reps`.
   */
  minMs?: number;
  /** Called just before the first timed run (e.g. to reset counters). */
  beforeTimed?: () => void;
}

/** Timed runs a case makes at most when it runs for MeasureOptions.minMs. */
export const MAX_REPS = 50;

/** Lets the event loop turn: finalizers run and pending GC work happens between runs, not inside them. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` once to warm up (compile), then up to `reps` timed runs within the budget. */
export async function measure<T>(fn: () => T | Promise<T>, o: MeasureOptions): Promise<Measurement<T>> {
  const start = performance.now();
  let t0 = performance.now();
  let value = await fn();
  const firstMs = performance.now() - t0;
  await tick();
  o.beforeTimed?.();
  const times: number[] = [];
  let capped = false;
  const minMs = o.minMs ?? 0;
  const more = (i: number) => i < o.reps || (i < MAX_REPS && times.reduce((a, t) => a + t, 0) < minMs);
  for (let i = 0; more(i); i++) {
    if (i > 0 && performance.now() - start + median(times) > o.budgetMs) {
      capped = i < o.reps;
      break;
    }
    t0 = performance.now();
    value = await fn();
    times.push(performance.now() - t0);
    await tick();
  }
  return { firstMs, times, medianMs: median(times), capped, value };
}

// ------------------------------------------------------------ printing

/** Formats a number of ms compactly. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** Formats a rate or ratio with 3 significant digits. */
export function fmtNum(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return "-";
  if (x === 0) return "0";
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toPrecision(3) : x.toPrecision(2);
}

/** Prints rows as an aligned text table; `right` marks the columns to right-align (numbers). */
export function table(header: string[], rows: string[][], right: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The adapter and versions, for the report's header. */
export function environmentText(): string {
  const dev = jax.devices()[0];
  return `Deno ${Deno.version.deno}, V8 ${Deno.version.v8}; jaxd default backend ${dev.platform} (${dev.device_kind}); ` +
    `${navigator.hardwareConcurrency} CPU threads`;
}

/** The 1-, 5- and 15-minute load averages (Linux), or "?" where unknown. */
export function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "?";
  }
}
