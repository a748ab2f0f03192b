/**
 * jaxd benchmarks (`deno task bench`): the four workloads of the performance
 * issue on the default backend (webgpu where an adapter exists), on the cpu
 * backend where that is cheap, and as hand-written plain-JS loops, all in
 * the same run. Prints, per workload, the first call (tracing and shader
 * compilation), the median of the timed calls after it, the throughput, the
 * device work per call from `jax.profiler.counters()`, the ratios against
 * the plain-JS and cpu baselines, the target, and a check of the
 * result against the plain-JS reference.
 *
 * ```sh
 * deno task bench                   # everything, ~2-3 minutes on llvmpipe
 * deno task bench --json            # the same as JSON on stdout
 * deno task bench --only scan,host  # some workloads (scan, host, chain, matmul)
 * deno task bench --no-cpu          # skip the cpu-backend rows
 * ```
 *
 * See scripts/bench_workloads.ts for the workloads and the baselines, and
 * scripts/bench_peers.ts for the same workloads on jax-js and TensorFlow.js.
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
  MAX_REPS,
  measure,
  type Measurement,
  normalData,
  SCAN_SIZES,
  SCAN_THETA0,
  sizeName,
  STEPS,
  stepSize,
  table,
  TARGETS,
  tick,
  type Work,
  workOf,
} from "./bench_workloads.ts";

const USAGE =
  `usage: deno task bench [--json] [--only scan,host,chain,matmul] [--no-cpu] [--reps N] [--min-time S] [--budget S]
  --json       print the results as JSON (for machines) instead of tables
  --only LIST  run only these workloads (comma-separated: scan, host, chain, matmul)
  --no-cpu     skip the jaxd cpu-backend rows
  --reps N     timed runs per case after the warm-up run, at least (default 5)
  --min-time S more timed runs (up to 50) until they add up to S seconds (default 1), so fast cases get a stable median
  --budget S   seconds per case before its runs are capped (default 10; one timed run is always made)`;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    json: { type: "boolean", default: false },
    only: { type: "string", default: "scan,host,chain,matmul" },
    "no-cpu": { type: "boolean", default: false },
    reps: { type: "string", default: "5" },
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
for (const w of only) {
  if (!["scan", "host", "chain", "matmul"].includes(w)) {
    console.error(`bench: unknown workload '${w}'\n${USAGE}`);
    Deno.exit(2);
  }
}
const reps = Math.max(1, Number(flags.reps) | 0);
const budgetMs = Math.max(0, Number(flags.budget)) * 1000;
const minMs = Math.max(0, Number(flags["min-time"])) * 1000;
const log = (s = "") => {
  if (!flags.json) console.log(s);
};
const progress = (s: string) => {
  if (Deno.stderr.isTerminal()) Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[2K${s}`));
};

const runStart = performance.now();
const loadAtStart = loadAverage();
const defaultPlatform = jax.default_backend();
const withCpu = !flags["no-cpu"] && defaultPlatform !== "cpu";

/** One line of the results. */
interface Row {
  workload: string;
  impl: string;
  firstMs: number;
  medianMs: number;
  times: number[];
  capped: boolean;
  throughput: number;
  unit: string;
  perCall?: { submits: number; dispatches: number; readbacks: number; pipelines_compiled: number };
  memory?: { bytes_in_use: number; peak_bytes_in_use: number; live_growth_bytes: number };
  vsJs?: number;
  vsCpu?: number;
  target?: string;
  met?: boolean;
  check: string;
  value: unknown;
}

const rows: Row[] = [];
const skipped: string[] = [];

/** Runs one jaxd case on a platform, collecting counters and device memory around the timed runs. */
async function jaxdCase<T>(
  platform: string,
  make: () => () => T,
): Promise<{ m: Measurement<T>; perCall?: Row["perCall"]; memory?: Row["memory"] }> {
  jax.config.update("jax_platforms", platform);
  try {
    const fn = make();
    const gpu = platform !== "cpu";
    let liveBefore = 0;
    const m = await measure(fn, {
      reps,
      budgetMs,
      minMs,
      beforeTimed: () => {
        jax.profiler.reset_counters();
        liveBefore = jax.devices()[0].memory_stats().bytes_in_use;
      },
    });
    if (!gpu) return { m };
    const c = jax.profiler.counters();
    const k = m.times.length;
    const stats = jax.devices()[0].memory_stats();
    return {
      m,
      perCall: {
        submits: c.submits / k,
        dispatches: c.dispatches / k,
        readbacks: c.readbacks / k,
        pipelines_compiled: c.pipelines_compiled / k,
      },
      memory: {
        bytes_in_use: stats.bytes_in_use,
        peak_bytes_in_use: stats.peak_bytes_in_use,
        live_growth_bytes: stats.bytes_in_use - liveBefore,
      },
    };
  } finally {
    jax.config.update("jax_platforms", "");
  }
}

/** Measures one workload: plain JS, then jaxd on the default backend, then jaxd on cpu (if asked). */
async function workload<T>(
  name: string,
  work: Work,
  js: () => T,
  jaxdMake: () => () => T,
  o: { cpu: boolean; cpuSkipReason?: string; tol?: number },
) {
  progress(`${name}: plain JS`);
  const jsM = await measure(js, { reps, budgetMs, minMs });
  const reference = jsM.value as unknown as number | number[];
  const base: Row = {
    workload: name,
    impl: "plain JS",
    firstMs: jsM.firstMs,
    medianMs: jsM.medianMs,
    times: jsM.times,
    capped: jsM.capped,
    throughput: work.rate(jsM.medianMs),
    unit: work.unit,
    check: "ref",
    value: reference,
  };
  const target = TARGETS[name];
  const jaxdRow = (impl: string, r: Awaited<ReturnType<typeof jaxdCase<T>>>, isDefault: boolean): Row => ({
    workload: name,
    impl,
    firstMs: r.m.firstMs,
    medianMs: r.m.medianMs,
    times: r.m.times,
    capped: r.m.capped,
    throughput: work.rate(r.m.medianMs),
    unit: work.unit,
    perCall: r.perCall,
    memory: r.memory,
    vsJs: r.m.medianMs / jsM.medianMs,
    target: target?.text,
    met: isDefault && target ? target.met(r.m.medianMs) : undefined,
    check: checkText(r.m.value, reference, o.tol),
    value: r.m.value,
  });
  progress(`${name}: jaxd ${defaultPlatform}`);
  let main: Row;
  try {
    main = jaxdRow(`jaxd ${defaultPlatform}`, await jaxdCase(defaultPlatform, jaxdMake), true);
  } catch (e) {
    main = { ...base, impl: `jaxd ${defaultPlatform}`, check: `ERROR ${String(e).slice(0, 80)}` };
  }
  let cpu: Row | undefined;
  if (o.cpu) {
    progress(`${name}: jaxd cpu`);
    try {
      cpu = jaxdRow("jaxd cpu", await jaxdCase("cpu", jaxdMake), false);
      main.vsCpu = main.medianMs / cpu.medianMs;
      cpu.vsCpu = 1;
    } catch (e) {
      skipped.push(`${name} on cpu: ${String(e).slice(0, 120)}`);
    }
  } else if (o.cpuSkipReason && withCpu) skipped.push(`${name} on cpu: ${o.cpuSkipReason}`);
  rows.push(main, ...(cpu ? [cpu] : []), base);
  await tick();
}

// --------------------------------------------------------------- the runs

if (only.has("scan")) {
  for (const n of SCAN_SIZES) {
    const x = normalData(n, 10 + n);
    await workload(
      `scan n=${sizeName(n)}`,
      workOf("scan", n),
      () => jsGradientDescent(x, SCAN_THETA0, STEPS, stepSize(n)),
      () => jaxdScan(x),
      {
        cpu: withCpu && n <= 10_000,
        cpuSkipReason: n > 10_000
          ? "skipped: the cpu backend keeps every intermediate of a synchronous loop alive until the event loop " +
            "turns (FinalizationRegistry holds the typed array), ~11 GB for one call at n=1e6"
          : undefined,
      },
    );
  }
}

if (only.has("host")) {
  const x = normalData(HOST_N, 7);
  await workload(
    `host n=${HOST_N}`,
    workOf("host"),
    () => jsGradientDescent(x, HOST_THETA0, STEPS, stepSize(HOST_N)),
    () => jaxdHostLoop(x),
    { cpu: withCpu },
  );
}

if (only.has("chain")) {
  const x = chainData();
  await workload("chain 16M", workOf("chain"), () => jsChain(x), () => jaxdChain(x), { cpu: withCpu });
}

if (only.has("matmul")) {
  const [a, b] = matmulData();
  await workload(
    `matmul ${MATMUL_N}`,
    workOf("matmul"),
    () => jsMatmulSum(a, b, MATMUL_N),
    () => jaxdMatmul(a, b),
    { cpu: withCpu },
  );
}
progress("");

// --------------------------------------------------------------- report

const totalSeconds = (performance.now() - runStart) / 1000;
const legend = [
  workOf("scan", 1).how,
  workOf("host").how,
  workOf("chain").how,
  workOf("matmul").how,
  "first = the warm-up call (tracing, WGSL generation, pipeline compilation); median = of the timed calls after it",
  "x JS = median / the hand-written plain-JS loop's median (one fused pass per step over a Float32Array, float64 sums; " +
  "i-k-j loop for matmul); x cpu = median / jaxd's cpu-backend median; > 1 means slower than the baseline",
  "subm/disp/read per call from jax.profiler.counters() over the timed calls; check = result vs the plain-JS result " +
  "(relative, tolerance 2e-3)",
  `scan step size 0.01 at n=100, 0.01*100/n above (0.01 diverges to NaN there; same work); scan starts at ` +
  `theta=[1,1], the host loop at [0,0], as in the tutorial`,
];

if (flags.json) {
  console.log(JSON.stringify(
    {
      environment: environmentText(),
      loadAverage: { start: loadAtStart, end: loadAverage() },
      defaultBackend: defaultPlatform,
      reps,
      minSeconds: minMs / 1000,
      budgetSeconds: budgetMs / 1000,
      sizes: { scan: SCAN_SIZES, host: HOST_N, chain: CHAIN_N, matmul: MATMUL_N, steps: STEPS },
      legend,
      rows,
      skipped,
      totalSeconds,
    },
    null,
    2,
  ));
} else {
  log(`jaxd benchmarks — ${environmentText()}`);
  log(
    `at least ${reps} timed runs after one warm-up call, more (up to ${MAX_REPS}) until they add up to ` +
      `${minMs / 1000} s; at most ${budgetMs / 1000} s per case (then capped at fewer runs)`,
  );
  log(
    `load average at start ${loadAtStart}, at end ${loadAverage()} (other processes on these cores skew the times)\n`,
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
    "x JS",
    "x cpu",
    "target",
    "met",
    "check",
  ];
  const right = [false, false, true, true, true, true, true, true, true, true, true, false, false, false];
  const body = rows.map((r) => [
    r.workload,
    r.impl,
    fmtMs(r.firstMs),
    fmtMs(r.medianMs),
    `${r.times.length}${r.capped ? " capped" : ""}`,
    `${fmtNum(r.throughput)} ${r.unit}`,
    r.perCall ? fmtNum(r.perCall.submits) : "-",
    r.perCall ? fmtNum(r.perCall.dispatches) : "-",
    r.perCall ? fmtNum(r.perCall.readbacks) : "-",
    r.vsJs === undefined ? "-" : fmtNum(r.vsJs),
    r.vsCpu === undefined ? "-" : fmtNum(r.vsCpu),
    r.met === undefined ? "" : r.target ?? "",
    r.met === undefined ? "" : r.met ? "yes" : "NO",
    r.check,
  ]);
  log(table(header, body, right));
  log();
  const mem = rows.filter((r) => r.memory);
  if (mem.length) {
    log("device memory (jax.devices()[0].memory_stats()) after each case:");
    for (const r of mem) {
      const m = r.memory!;
      const mib = (b: number) => (b / 2 ** 20).toFixed(1);
      log(
        `  ${r.workload.padEnd(12)} live ${mib(m.bytes_in_use)} MiB, peak so far ${mib(m.peak_bytes_in_use)} MiB, ` +
          `live growth over the timed calls ${mib(m.live_growth_bytes)} MiB` +
          (r.perCall && r.perCall.pipelines_compiled > 0
            ? `; ${fmtNum(r.perCall.pipelines_compiled)} pipelines compiled per timed call`
            : ""),
      );
    }
    log();
  }
  for (const s of skipped) log(`note: ${s}`);
  const capped = rows.filter((r) => r.capped).map((r) => `${r.workload} (${r.impl})`);
  if (capped.length) log(`note: capped by the ${budgetMs / 1000} s budget per case: ${capped.join(", ")}`);
  log();
  for (const l of legend) log(`- ${l}`);
  log(`\ntotal ${totalSeconds.toFixed(0)} s`);
}
