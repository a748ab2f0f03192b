/**
 * Memory soak workloads shared by tests/soak.test.ts (short) and
 * scripts/soak.ts (`deno task soak`, long). None of them calls dispose: they
 * are the loops users write. Each samples device memory
 * (`jax.devices()[0].memory_stats()`) and process RSS as it runs, so a check
 * can ask whether memory grows with the iteration count.
 */

import { jax, jnp, lax } from "../mod.ts";

type A = jnp.NDArray;

/** One memory sample taken during a workload. */
export interface Sample {
  /** Iterations done when the sample was taken. */
  iteration: number;
  /** Device bytes held by arrays (0 on cpu, which does not count them). */
  bytesInUse: number;
  /** Process resident set size in bytes. */
  rss: number;
}

/** What a workload did and the memory it used. */
export interface SoakResult {
  name: string;
  platform: string;
  iterations: number;
  seconds: number;
  samples: Sample[];
  /** Largest device bytes_in_use seen in the samples. */
  maxBytesInUse: number;
  /** The device's peak_bytes_in_use watermark at the end (since the backend started). */
  peakBytesInUse: number;
  /** Largest RSS seen in the samples. */
  maxRss: number;
  /** The final value the workload computed (checked, so the work is not dead). */
  result: number[];
}

/** The tutorial's negative log-likelihood of a normal sample, `theta = [mu, log variance]`. */
function nll(theta: A, x: A): A {
  const mu = theta.get(0);
  const variance = jnp.exp(theta.get(1));
  const n = x.shape[0];
  const ll = jnp.sum(x.sub(mu).pow(2)).neg().div(variance.mul(2.0)).sub(
    jnp.log(variance.mul(2 * Math.PI)).mul(0.5 * n),
  );
  return ll.neg();
}

/** A deterministic sample with mean ~0.5 and variance ~2 (no host RNG, same on every backend). */
function sample(n: number): A {
  return jnp.sin(jnp.arange(n).astype("float32").mul(12.9898)).mul(2).add(0.5);
}

/** The workloads, by name: each runs `iterations` steps and returns the final value. */
export const WORKLOADS = {
  /** `theta = theta - lr * grad(f)(theta)`, eager (un-jitted), n = 100. */
  eager_gd_n1e2: (iterations: number, tick: (i: number) => void) => eagerGd(100, 1e-3, iterations, tick),
  /** The same with 4 MB arrays (n = 1e6). */
  eager_gd_n1e6: (iterations: number, tick: (i: number) => void) => eagerGd(1_000_000, 1e-7, iterations, tick),
  /** A jitted gradient step called `iterations` times. */
  jit_calls: (iterations: number, tick: (i: number) => void) => {
    const x = sample(1000);
    const step = jax.jit((theta: A) => theta.sub(jax.grad((t: A) => nll(t, x))(theta).mul(1e-4)));
    let theta = jnp.array([0.0, 0.0]);
    for (let i = 0; i < iterations; i++) {
      theta = step(theta);
      tick(i + 1);
    }
    return theta;
  },
  /** `lax.scan` (10 gradient steps) called `iterations` times, un-jitted. */
  scan_calls: (iterations: number, tick: (i: number) => void) => {
    const x = sample(1000);
    const df = jax.grad((t: A) => nll(t, x));
    let theta = jnp.array([0.0, 0.0]);
    for (let i = 0; i < iterations; i++) {
      [theta] = lax.scan((t: A, _: null) => [t.sub(df(t).mul(1e-4)), null], theta, null, { length: 10 });
      tick(i + 1);
    }
    return theta;
  },
  /**
   * Small arrays made from host data each iteration and read by a device
   * kernel (so uploaded), then dropped: no array releases such a buffer, the
   * backend does when the collector takes its storage.
   */
  host_values: (iterations: number, tick: (i: number) => void) => {
    const x = sample(10_000).reshape([1000, 10]);
    let total = jnp.zeros([]);
    for (let i = 0; i < iterations; i++) {
      const w = jnp.array(Array.from({ length: 10 }, (_, k) => (k + i) % 7));
      total = total.add(jnp.sum(x.mul(w)));
      tick(i + 1);
    }
    return total;
  },
} as const;

/** A workload's name. */
export type WorkloadName = keyof typeof WORKLOADS;

function eagerGd(n: number, lr: number, iterations: number, tick: (i: number) => void): A {
  const x = sample(n);
  const df = jax.grad((theta: A) => nll(theta, x));
  let theta = jnp.array([0.0, 0.0]);
  for (let i = 0; i < iterations; i++) {
    theta = theta.sub(df(theta).mul(lr));
    tick(i + 1);
  }
  return theta;
}

/**
 * Runs a workload on `platform`, taking `sampleCount` memory samples spread
 * over the run (the first after the first iteration). Values are read
 * (forcing the device to catch up) only at sample points, and at most every
 * `readEvery` iterations, so the loops stay as lazy as user code is.
 */
export function runSoak(name: WorkloadName, platform: string, iterations: number, sampleCount = 20): SoakResult {
  jax.config.update("jax_platforms", platform);
  try {
    const device = jax.devices()[0];
    const every = Math.max(1, Math.floor(iterations / sampleCount));
    const samples: Sample[] = [];
    const t0 = performance.now();
    const take = (i: number) => {
      samples.push({ iteration: i, bytesInUse: device.memory_stats().bytes_in_use, rss: Deno.memoryUsage().rss });
    };
    const out = WORKLOADS[name](iterations, (i) => {
      if (i === 1 || i % every === 0) take(i);
    });
    const result = Array.from(out.dataSync() as ArrayLike<number>);
    take(iterations);
    const stats = device.memory_stats();
    return {
      name,
      platform,
      iterations,
      seconds: (performance.now() - t0) / 1000,
      samples,
      maxBytesInUse: Math.max(...samples.map((s) => s.bytesInUse)),
      peakBytesInUse: stats.peak_bytes_in_use,
      maxRss: Math.max(...samples.map((s) => s.rss)),
      result,
    };
  } finally {
    jax.config.update("jax_platforms", "");
  }
}

/** Mean of a field over the first and last quarter of the samples. */
export function quarters(r: SoakResult, field: "bytesInUse" | "rss"): { first: number; last: number } {
  const q = Math.max(1, Math.floor(r.samples.length / 4));
  const mean = (xs: Sample[]) => xs.reduce((s, x) => s + x[field], 0) / xs.length;
  return { first: mean(r.samples.slice(0, q)), last: mean(r.samples.slice(-q)) };
}

/** Megabytes (kilobytes under 1 MB), for reports. */
export const mb = (bytes: number): string =>
  bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;
