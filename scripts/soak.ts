/**
 * `deno task soak`: the long memory soak. Runs each workload of
 * tests/soak_lib.ts (eager gradient descent at n = 100 and n = 1e6, ~1e5
 * eager primitive binds each; 1e4 jit calls; 1e3 lax.scan calls), none calling
 * dispose, on each platform, and prints device bytes_in_use (first quarter,
 * last quarter, max), peak_bytes_in_use and RSS. Each workload runs in its
 * own process, so its RSS is its own. Exits 1 if memory grows with the
 * iteration count.
 *
 * ```sh
 * deno task soak                                   # everything, webgpu and cpu
 * deno task soak --platform webgpu --only jit_calls --scale 0.1
 * ```
 */

import "../lib/gpu/register.ts";
import { parseArgs } from "node:util";
import { hasBackend } from "../lib/runtime.ts";
import { mb, quarters, runSoak, type WorkloadName, WORKLOADS } from "../tests/soak_lib.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    platform: { type: "string", multiple: true },
    only: { type: "string", multiple: true },
    scale: { type: "string", default: "1" },
    child: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: deno task soak [--platform cpu|webgpu]... [--only WORKLOAD]... [--scale FACTOR]");
  console.log(`workloads: ${Object.keys(WORKLOADS).join(", ")}`);
  Deno.exit(0);
}

// ~42 primitive binds per eager gradient step, so 2,400 steps is ~1e5 eager ops.
const ITERATIONS: Record<WorkloadName, number> = {
  eager_gd_n1e2: 2400,
  eager_gd_n1e6: 2400,
  jit_calls: 10_000,
  scan_calls: 1000,
  host_values: 10_000,
};
/** RSS beyond which a run counts as unbounded. */
const RSS_LIMIT = 6 * 2 ** 30;

const scale = Number(values.scale);

// A child run: one workload, one JSON line (each workload gets a fresh process, so its RSS is its own).
if (values.child) {
  const [platform, name, n] = values.child.split(":");
  const r = runSoak(name as WorkloadName, platform, Number(n), 40);
  console.log(JSON.stringify({ ...r, samples: undefined, quarters: [quarters(r, "bytesInUse"), quarters(r, "rss")] }));
  Deno.exit(0);
}

const platforms = values.platform ?? ["webgpu", "cpu"];
const names = (values.only ?? Object.keys(WORKLOADS)) as WorkloadName[];
let failed = false;
for (const platform of platforms) {
  if (platform === "webgpu" && !hasBackend("webgpu")) {
    console.log("webgpu: no adapter, skipped");
    continue;
  }
  for (const name of names) {
    if (!(name in WORKLOADS)) throw new Error(`unknown workload ${name}; use one of ${Object.keys(WORKLOADS)}`);
    const iterations = Math.max(4, Math.round(ITERATIONS[name] * scale));
    // cpu takes ~0.15 s a step at n = 1e6: cap its run to keep the soak to minutes.
    const capped = platform === "cpu" && name === "eager_gd_n1e6" ? Math.min(iterations, 400) : iterations;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", import.meta.filename!, "--child", `${platform}:${name}:${capped}`],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
    if (out.code !== 0 || !line.startsWith("{")) {
      console.log(`${platform} ${name}: the run failed (exit code ${out.code})`);
      failed = true;
      continue;
    }
    const r = JSON.parse(line);
    const [d, m] = r.quarters;
    const deviceGrows = platform !== "cpu" && d.last > d.first + Math.max(2 ** 20, d.first);
    const rssGrows = m.last > m.first + 256 * 2 ** 20 || r.maxRss > RSS_LIMIT;
    failed ||= deviceGrows || rssGrows;
    console.log(
      [
        `${platform.padEnd(6)} ${name.padEnd(14)} x${String(capped).padStart(6)}${
          capped < iterations ? " (capped)" : ""
        }`,
        `${r.seconds.toFixed(1).padStart(6)} s`,
        `device first/last quarter ${mb(d.first)} / ${mb(d.last)}, max ${mb(r.maxBytesInUse)}, peak ${
          mb(r.peakBytesInUse)
        }`,
        `rss first/last quarter ${mb(m.first)} / ${mb(m.last)}, max ${mb(r.maxRss)}`,
        deviceGrows || rssGrows ? `GROWS (${[deviceGrows && "device", rssGrows && "rss"].filter(Boolean)})` : "bounded",
      ].join(" | "),
    );
  }
}
Deno.exit(failed ? 1 : 0);
