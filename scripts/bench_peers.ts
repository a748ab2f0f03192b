/**
 * The benchmark workloads of scripts/bench.ts on jaxd and on two peers, in
 * one process on the same WebGPU adapter, with the peer/jaxd time ratio per
 * workload:
 *
 * - jax-js (`npm:@jax-js/jax`), on its webgpu device (its default is wasm).
 *   It has grad/jacfwd/vmap/jit but no `lax.scan` (0.1.25), so the scan
 *   workload is `jit` of a function whose JS loop unrolls the 100 steps into
 *   one traced program, the nearest it can express. Arrays are
 *   reference-counted, hence the `.ref`s.
 * - TensorFlow.js (`npm:@tensorflow/tfjs-core` + `npm:@tensorflow/tfjs-backend-webgpu`).
 *   It has `tf.grad` but no jacfwd, vmap, jit or scan, so both gradient-descent
 *   workloads are a JS loop of 100 eager steps of `tf.grad` of the vectorised
 *   likelihood (each step in `tf.tidy`). tfjs-core's Node bundle ships no
 *   gradient definitions (its ESM `register_all_gradients` uses extensionless
 *   imports Deno cannot resolve), so the `@tensorflow/tfjs` union package of
 *   the same version is imported once for them.
 *
 * Peers are dev-only imports of this script, never of lib/. A peer that fails
 * to load or to run a workload is reported in the table and the run goes on.
 * Device work per call: jaxd's from `jax.profiler.counters()`; the peers' by
 * counting `GPUQueue.submit`, `dispatchWorkgroups` and `mapAsync` calls on the
 * main thread (jaxd's device lives in its worker, so it is not counted twice).
 *
 * ```sh
 * deno run --allow-all scripts/bench_peers.ts            # all workloads, ~3 minutes
 * deno run --allow-all scripts/bench_peers.ts --only scan,chain --json
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { jax } from "@jaxd/jaxd";
import {
  CHAIN_N,
  chainData,
  checkText,
  environmentText,
  fmtMs,
  fmtNum,
  HOST_N,
  HOST_THETA0,
  jaxdChain,
  jaxdHostLoop,
  jaxdMatmul,
  jaxdScan,
  jsChain,
  jsGradientDescent,
  jsMatmulSum,
  loadAverage,
  MATMUL_N,
  matmulData,
  measure,
  normalData,
  SCAN_SIZES,
  SCAN_THETA0,
  sizeName,
  STEPS,
  stepSize,
  table,
  tick,
  type Work,
  workOf,
} from "./bench_workloads.ts";

const JAXJS = "npm:@jax-js/jax@0.1.25";
const TFJS = "npm:@tensorflow/tfjs-core@4.22.0 + npm:@tensorflow/tfjs-backend-webgpu@4.22.0";

const USAGE =
  `usage: deno run --allow-all scripts/bench_peers.ts [--json] [--only scan,host,chain,matmul] [--reps N] [--min-time S] [--budget S]
  --json       print the results as JSON instead of tables
  --only LIST  run only these workloads (comma-separated: scan, host, chain, matmul)
  --reps N     timed runs per case after the warm-up run, at least (default 3)
  --min-time S more timed runs (up to 50) until they add up to S seconds (default 1)
  --budget S   seconds per case before its runs are capped (default 10; one timed run is always made)
  --peers LIST which peers (comma-separated: jax-js, tfjs; default both)`;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    json: { type: "boolean", default: false },
    only: { type: "string", default: "scan,host,chain,matmul" },
    peers: { type: "string", default: "jax-js,tfjs" },
    reps: { type: "string", default: "3" },
    "min-time": { type: "string", default: "1" },
    budget: { type: "string", default: "10" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const only = new Set(flags.only.split(",").map((s) => s.trim()).filter(Boolean));
const peersWanted = new Set(flags.peers.split(",").map((s) => s.trim()).filter(Boolean));
const reps = Math.max(1, Number(flags.reps) | 0);
const budgetMs = Math.max(0, Number(flags.budget)) * 1000;
const minMs = Math.max(0, Number(flags["min-time"])) * 1000;
const log = (s = "") => {
  if (!flags.json) console.log(s);
};
const progress = (s: string) => {
  if (Deno.stderr.isTerminal()) Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[2K${s}`));
};
const brief = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split("\n")[0].slice(0, 160);
const runStart = performance.now();
const loadAtStart = loadAverage();

// ------------------------------------------------- main-thread GPU counters

const gpuCount = { submits: 0, dispatches: 0, readbacks: 0 };
function countCalls<T extends object>(proto: T | undefined, name: string, key: keyof typeof gpuCount) {
  const p = proto as Record<string, unknown> | undefined;
  const orig = p?.[name];
  if (typeof orig !== "function") return;
  p![name] = function (this: unknown, ...args: unknown[]) {
    gpuCount[key]++;
    return (orig as (...a: unknown[]) => unknown).apply(this, args);
  };
}
if (typeof GPUQueue !== "undefined") {
  countCalls(GPUQueue.prototype, "submit", "submits");
  countCalls(GPUComputePassEncoder.prototype, "dispatchWorkgroups", "dispatches");
  countCalls(GPUComputePassEncoder.prototype, "dispatchWorkgroupsIndirect", "dispatches");
  countCalls(GPUBuffer.prototype, "mapAsync", "readbacks");
}

// ------------------------------------------------------------ the peers

/** One implementation of the workloads; a missing method means the peer cannot express it. */
interface Impl {
  name: string;
  /** Counters per call over the timed runs: reset before, read after. */
  resetCounters(): void;
  readCounters(): { submits: number; dispatches: number; readbacks: number };
  scan?(x: Float32Array<ArrayBuffer>): () => Promise<number[]> | number[];
  host?(x: Float32Array<ArrayBuffer>): () => Promise<number[]> | number[];
  chain?(x: Float32Array<ArrayBuffer>): () => Promise<number> | number;
  matmul?(a: Float32Array<ArrayBuffer>, b: Float32Array<ArrayBuffer>): () => Promise<number> | number;
  /** A line about memory after a case (leak check), if the peer reports it. */
  memory?(): string;
  /** How this peer writes the workloads, for the notes. */
  notes: string[];
}

const impls: Impl[] = [];
const loadErrors: string[] = [];

const jaxdImpl: Impl = {
  name: `jaxd ${jax.default_backend()}`,
  resetCounters: () => jax.profiler.reset_counters(),
  readCounters: () => jax.profiler.counters(),
  scan: jaxdScan,
  host: jaxdHostLoop,
  chain: jaxdChain,
  matmul: jaxdMatmul,
  memory: () => {
    const m = jax.devices()[0].memory_stats();
    return `live ${(m.bytes_in_use / 2 ** 20).toFixed(1)} MiB, peak ${(m.peak_bytes_in_use / 2 ** 20).toFixed(1)} MiB`;
  },
  notes: ["jaxd: the tutorial's code (jit + lax.scan; eager host loop; eager chain; jnp.matmul)"],
};
impls.push(jaxdImpl);

const mainCounters = {
  resetCounters: () => {
    gpuCount.submits = gpuCount.dispatches = gpuCount.readbacks = 0;
  },
  readCounters: () => ({ ...gpuCount }),
};

if (peersWanted.has("jax-js")) {
  progress("loading jax-js");
  try {
    const jj = await import("npm:@jax-js/jax@0.1.25");
    const np = jj.numpy;
    type A = InstanceType<typeof np.Array>;
    const devices = await jj.init();
    const device = devices.includes("webgpu") ? "webgpu" : jj.defaultDevice();
    if (device === "webgpu") jj.defaultDevice("webgpu");
    const toNumbers = async (a: A) => Array.from(await a.data() as Float32Array);
    impls.push({
      name: `jax-js ${device}`,
      ...mainCounters,
      scan(xData) {
        const x = np.array(xData);
        const lr = stepSize(xData.length);
        const fSingle = (theta: A, xs: A) => {
          const mu = theta.ref.slice(0);
          const variance = np.exp(theta.slice(1));
          return np.square(xs.sub(mu)).neg().div(variance.ref.mul(2.0))
            .sub(np.log(variance.mul(2 * Math.PI)).mul(0.5)).neg();
        };
        const fVmap = (theta: A) => np.sum(jj.vmap(fSingle, [null, 0])(theta, x.ref));
        const df = jj.jacfwd(fVmap);
        // No lax.scan: the JS loop runs at trace time, so jit sees one 100-step program.
        const gd = jj.jit((theta0: A) => {
          let theta = theta0;
          for (let i = 0; i < STEPS; i++) theta = theta.ref.sub(df(theta).mul(lr));
          return theta;
        });
        return () => toNumbers(gd(np.array(SCAN_THETA0)));
      },
      host(xData) {
        const x = np.array(xData);
        const n = xData.length;
        const lr = stepSize(n);
        const f = (theta: A) => {
          const mu = theta.ref.slice(0);
          const variance = np.exp(theta.slice(1));
          return np.sum(np.square(x.ref.sub(mu))).neg().div(variance.ref.mul(2.0))
            .sub(np.log(variance.mul(2 * Math.PI)).mul(0.5 * n)).neg();
        };
        const df = jj.jacfwd(f);
        return async () => {
          let theta = np.array(HOST_THETA0);
          for (let i = 0; i < STEPS; i++) theta = theta.ref.sub(df(theta).mul(lr));
          return await toNumbers(theta);
        };
      },
      chain(xData) {
        const x = np.array(xData);
        return async () => (await toNumbers(np.sum(np.exp(np.sin(x.ref).mul(2).add(1)))))[0];
      },
      matmul(aData, bData) {
        const a = np.array(aData).reshape([MATMUL_N, MATMUL_N]);
        const b = np.array(bData).reshape([MATMUL_N, MATMUL_N]);
        return async () => (await toNumbers(np.sum(np.matmul(a.ref, b.ref))))[0];
      },
      notes: [
        `jax-js (${JAXJS}, device ${device} of ${devices.join("/")}): scan = jit of the 100 steps unrolled by a JS ` +
        `loop at trace time (no lax.scan in this version); host loop, chain and matmul as in jaxd, with .ref`,
      ],
    });
  } catch (e) {
    loadErrors.push(`jax-js (${JAXJS}) failed to load: ${brief(e)}`);
  }
}

if (peersWanted.has("tfjs")) {
  progress("loading tfjs");
  try {
    const tf = await import("npm:@tensorflow/tfjs-core@4.22.0");
    await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
    // Gradient definitions (tfjs-core's Node bundle has none); also registers the cpu/webgl backends, unused here.
    await import("npm:@tensorflow/tfjs@4.22.0");
    const ok = await tf.setBackend("webgpu");
    await tf.ready();
    if (!ok || tf.getBackend() !== "webgpu") throw new Error(`tf.setBackend("webgpu") gave ${tf.getBackend()}`);
    type T = InstanceType<typeof tf.Tensor>;
    const gdLoop = (xData: Float32Array<ArrayBuffer>, theta0: [number, number]) => {
      const x = tf.tensor1d(xData);
      const n = xData.length;
      const lr = stepSize(n);
      // The vectorised negative log-likelihood (what vmap + sum computes), theta = [mu, log variance].
      const f = (theta: T) => {
        const mu = tf.slice(theta, [0], [1]);
        const variance = tf.exp(tf.slice(theta, [1], [1]));
        return tf.squeeze(tf.add(
          tf.div(tf.sum(tf.square(tf.sub(x, mu))), tf.mul(variance, 2)),
          tf.mul(tf.log(tf.mul(variance, 2 * Math.PI)), 0.5 * n),
        ));
      };
      const df = tf.grad(f);
      return async () => {
        let theta: T = tf.tensor1d(theta0);
        for (let i = 0; i < STEPS; i++) {
          const next = tf.tidy(() => tf.sub(theta, tf.mul(df(theta), lr)));
          theta.dispose();
          theta = next;
        }
        const v = Array.from(await theta.data() as Float32Array);
        theta.dispose();
        return v;
      };
    };
    const scalarOf = async (t: T) => {
      const v = (await t.data())[0] as number;
      t.dispose();
      return v;
    };
    impls.push({
      name: "tfjs webgpu",
      ...mainCounters,
      scan: (x) => gdLoop(x, SCAN_THETA0),
      host: (x) => gdLoop(x, HOST_THETA0),
      chain(xData) {
        const x = tf.tensor1d(xData);
        return () => scalarOf(tf.tidy(() => tf.sum(tf.exp(tf.add(tf.mul(tf.sin(x), 2), 1)))));
      },
      matmul(aData, bData) {
        const a = tf.tensor2d(aData, [MATMUL_N, MATMUL_N]);
        const b = tf.tensor2d(bData, [MATMUL_N, MATMUL_N]);
        return () => scalarOf(tf.tidy(() => tf.sum(tf.matMul(a, b))));
      },
      memory: () => {
        const m = tf.memory();
        return `${m.numTensors} tensors, ${(m.numBytes / 2 ** 20).toFixed(1)} MiB`;
      },
      notes: [
        `tfjs (${TFJS}, gradients from npm:@tensorflow/tfjs@4.22.0): both gradient descents are a JS loop of 100 ` +
        `eager tf.grad steps with one readback at the end (no jacfwd/vmap/jit/scan in tfjs)`,
      ],
    });
  } catch (e) {
    loadErrors.push(`tfjs (${TFJS}) failed to load: ${brief(e)}`);
  }
}

// ------------------------------------------------------------ the runs

interface Row {
  workload: string;
  impl: string;
  firstMs?: number;
  medianMs?: number;
  times?: number[];
  capped?: boolean;
  throughput?: number;
  unit: string;
  perCall?: { submits: number; dispatches: number; readbacks: number };
  vsJaxd?: number;
  check: string;
  memory?: string;
  error?: string;
}
const rows: Row[] = [];

type Maker<T> = (impl: Impl) => (() => Promise<T> | T) | undefined;

async function workload<T>(name: string, work: Work, reference: number | number[], make: Maker<T>) {
  let jaxdMs: number | undefined;
  for (const impl of impls) {
    progress(`${name}: ${impl.name}`);
    const row: Row = { workload: name, impl: impl.name, unit: work.unit, check: "-" };
    try {
      const fn = make(impl);
      if (!fn) {
        row.check = "n/a";
        row.error = "cannot express it";
      } else {
        const m = await measure(fn, { reps, budgetMs, minMs, beforeTimed: () => impl.resetCounters() });
        const c = impl.readCounters();
        const k = m.times.length;
        Object.assign(row, {
          firstMs: m.firstMs,
          medianMs: m.medianMs,
          times: m.times,
          capped: m.capped,
          throughput: work.rate(m.medianMs),
          perCall: { submits: c.submits / k, dispatches: c.dispatches / k, readbacks: c.readbacks / k },
          check: checkText(m.value, reference),
          memory: impl.memory?.(),
        });
        if (impl === jaxdImpl) jaxdMs = m.medianMs;
        else if (jaxdMs !== undefined) row.vsJaxd = m.medianMs / jaxdMs;
      }
    } catch (e) {
      row.check = "ERROR";
      row.error = brief(e);
    }
    rows.push(row);
    await tick();
  }
}

if (only.has("scan")) {
  for (const n of SCAN_SIZES) {
    const x = normalData(n, 10 + n);
    const ref = jsGradientDescent(x, SCAN_THETA0, STEPS, stepSize(n));
    await workload(`scan n=${sizeName(n)}`, workOf("scan", n), ref, (i) => i.scan?.(x));
  }
}
if (only.has("host")) {
  const x = normalData(HOST_N, 7);
  const ref = jsGradientDescent(x, HOST_THETA0, STEPS, stepSize(HOST_N));
  await workload(`host n=${HOST_N}`, workOf("host"), ref, (i) => i.host?.(x));
}
if (only.has("chain")) {
  const x = chainData();
  await workload("chain 16M", workOf("chain"), jsChain(x), (i) => i.chain?.(x));
}
if (only.has("matmul")) {
  const [a, b] = matmulData();
  await workload(`matmul ${MATMUL_N}`, workOf("matmul"), jsMatmulSum(a, b, MATMUL_N), (i) => i.matmul?.(a, b));
}
progress("");

// ------------------------------------------------------------ report

const totalSeconds = (performance.now() - runStart) / 1000;
const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
const adapterText = adapter ? `${adapter.info.description || adapter.info.vendor}` : "none";
const notes = [...impls.flatMap((i) => i.notes), ...loadErrors];

if (flags.json) {
  console.log(JSON.stringify(
    {
      environment: environmentText(),
      adapter: adapterText,
      loadAverage: { start: loadAtStart, end: loadAverage() },
      peers: { "jax-js": JAXJS, tfjs: TFJS },
      reps,
      minSeconds: minMs / 1000,
      budgetSeconds: budgetMs / 1000,
      sizes: { scan: SCAN_SIZES, host: HOST_N, chain: CHAIN_N, matmul: MATMUL_N, steps: STEPS },
      notes,
      rows,
      totalSeconds,
    },
    null,
    2,
  ));
} else {
  log(`jaxd vs peers — ${environmentText()}`);
  log(`every implementation on the WebGPU adapter "${adapterText}" (each with its own device), one after another`);
  log(
    `at least ${reps} timed runs after one warm-up call, more until they add up to ${minMs / 1000} s; at most ${
      budgetMs / 1000
    } s per case; load average at start ${loadAtStart}, ` +
      `at end ${loadAverage()}\n`,
  );
  const header = [
    "workload",
    "impl",
    "first ms",
    "median ms",
    "runs",
    "throughput",
    "subm",
    "disp",
    "read",
    "peer/jaxd",
    "check",
  ];
  const right = [false, false, true, true, true, true, true, true, true, true, false];
  log(table(
    header,
    rows.map((r) => [
      r.workload,
      r.impl,
      r.firstMs === undefined ? "-" : fmtMs(r.firstMs),
      r.medianMs === undefined ? "-" : fmtMs(r.medianMs),
      r.times ? `${r.times.length}${r.capped ? " capped" : ""}` : "-",
      r.throughput === undefined ? "-" : `${fmtNum(r.throughput)} ${r.unit}`,
      r.perCall ? fmtNum(r.perCall.submits) : "-",
      r.perCall ? fmtNum(r.perCall.dispatches) : "-",
      r.perCall ? fmtNum(r.perCall.readbacks) : "-",
      r.vsJaxd === undefined ? "-" : fmtNum(r.vsJaxd),
      r.check,
    ]),
    right,
  ));
  log();
  log("peer/jaxd = the peer's median / jaxd's median in this run: > 1 means the peer is slower than jaxd.");
  log("check = result vs the plain-JS reference of scripts/bench_workloads.ts (relative, tolerance 2e-3).");
  log(
    "subm/disp/read per call: jaxd from jax.profiler.counters(); peers counted on GPUQueue/GPUComputePassEncoder/GPUBuffer.",
  );
  for (const r of rows.filter((r) => r.error)) log(`${r.workload} on ${r.impl}: ${r.error}`);
  const mem = rows.filter((r) => r.memory);
  if (mem.length) {
    log("\nmemory after each case:");
    for (const r of mem) log(`  ${r.workload.padEnd(12)} ${r.impl.padEnd(14)} ${r.memory}`);
  }
  log();
  for (const n of notes) log(`- ${n}`);
  log(`\ntotal ${totalSeconds.toFixed(0)} s`);
}
