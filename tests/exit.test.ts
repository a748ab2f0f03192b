/**
 * A script's process exits by itself: no GPU worker, pending read or queued
 * work keeps it alive. Each case runs a small webgpu script as a subprocess
 * with a timeout and checks it exits on its own, quickly, with code 0 and its
 * full output. Ignored without an adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { hasBackend } from "../lib/runtime.ts";

const gpu = hasBackend("webgpu");
const MOD = new URL("../mod.ts", import.meta.url).href;
const PRELUDE = `import { jax, jnp, lax } from "${MOD}"; jax.config.update("jax_platforms", "webgpu");\n`;

/** Seconds a script may take from start to exit (startup and the GPU worker's device take ~1 s). */
const EXIT_WITHIN = 15;

interface Run {
  /** Whether the process had to be killed at the deadline (it did not exit by itself). */
  hung: boolean;
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

async function runScript(body: string): Promise<Run> {
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", PRELUDE + body],
    env: { XDG_RUNTIME_DIR: "/tmp", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, EXIT_WITHIN * 1000);
  const out = await child.output();
  clearTimeout(timer);
  return {
    hung,
    code: out.code,
    signal: out.signal,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Deno 2.9.6 sometimes crashes at process exit when a worker thread owns a
 * WebGPU device: SIGSEGV (exit code 139) or a glibc heap abort (SIGABRT, 134,
 * "corrupted double-linked list"), in ~5-15% of runs, on both the
 * Vulkan (lavapipe) and GL backends, after all output is written. It
 * reproduces without jaxd (a node:worker_threads Worker or a Web Worker that
 * only calls requestAdapter/requestDevice, then unref/terminate), and
 * destroying the device or terminating the worker in an "unload" handler did
 * not help. lib/gpu/exit.ts avoids it for a script that ends normally (on
 * Linux, with FFI granted, as `deno eval` grants it here), so those cases
 * check for exit code 0 strictly; an uncaught error fires no "unload", so
 * that case accepts the crash, and only that crash, in place of code 1.
 */
function exitedAsExpected(r: Run, code: number): boolean {
  return (r.code === code && r.signal === null) || (r.code === 139 && r.signal === "SIGSEGV") ||
    (r.code === 134 && r.signal === "SIGABRT"); // the same teardown crash, seen as glibc's heap abort
}

const cases: [string, string, string][] = [
  [
    "await x.data()",
    `const x = jnp.arange(1000).astype("float32").mul(2).sum(); console.log((await x.data())[0]);`,
    "999000",
  ],
  ["sync item()", `console.log(jnp.arange(1000).astype("float32").mul(2).sum().item());`, "999000"],
  [
    "un-read work left queued",
    `let y = jnp.ones([100000]); for (let i = 0; i < 50; i++) y = y.mul(1.01).add(jnp.sin(y)); const s = jnp.sum(y); console.log("queued", s.ndim);`,
    "queued 0",
  ],
  [
    "a read still pending when the script ends",
    `jnp.ones([100000]).mul(3).data().then((d) => console.log("late", d[0])); console.log("end of script");`,
    "end of script\nlate 3",
  ],
  [
    "jit, scan and an un-awaited read",
    `const f = jax.jit((x) => x.mul(2).sum()); console.log(f(jnp.arange(10)).item());
     const [c] = lax.scan((c, x) => [c.add(x), x], jnp.array(0), jnp.arange(100)); void c.data();
     console.log("done");`,
    "90\ndone",
  ],
];

for (const [name, body, want] of cases) {
  Deno.test({ name: `exit: ${name}: the script exits by itself`, ignore: !gpu }, async () => {
    const r = await runScript(body);
    assert.ok(!r.hung, `killed after ${EXIT_WITHIN} s: the process did not exit by itself; ${r.stderr}`);
    assert.equal(r.code, 0, `exit code ${r.code} (${r.signal}): ${r.stderr}`);
    assert.equal(r.stdout.trim(), want);
  });
}

Deno.test({ name: "exit: an uncaught error after GPU work exits with code 1", ignore: !gpu }, async () => {
  const r = await runScript(
    `jnp.ones([1000]).mul(2); console.log(jnp.ones([3]).sum().item()); jnp.add(jnp.ones([2]), jnp.ones([3]));`,
  );
  assert.ok(!r.hung, "did not exit by itself");
  assert.ok(exitedAsExpected(r, 1), `exit code ${r.code} (${r.signal}): ${r.stderr}`);
  assert.equal(r.stdout.trim(), "3");
  if (r.signal === null) assert.match(r.stderr, /ShapeError: add: shapes \(2,\) and \(3,\)/);
});

// With FFI granted (deno eval grants everything) on Linux, lib/gpu/exit.ts leaves through _exit and skips the crash.
Deno.test({
  name: "exit: a webgpu script exits with code 0 every time (no crash at teardown)",
  ignore: !gpu || Deno.build.os !== "linux",
}, async () => {
  for (let i = 0; i < 10; i++) {
    const r = await runScript(`console.log(jnp.ones([3]).sum().item());`);
    assert.equal(r.code, 0, `run ${i}: ${r.signal}`);
  }
});

Deno.test(
  { name: "exit: a failing test under deno test -A still fails (its report is not cut off)", ignore: !gpu },
  async () => {
    const file = await Deno.makeTempFile({ dir: "/tmp", suffix: ".test.ts" });
    try {
      await Deno.writeTextFile(
        file,
        `${PRELUDE}Deno.test("deliberate", () => { jnp.ones([2]).tolist(); throw new Error("deliberate failure"); });\n`,
      );
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["test", "-A", file],
        env: { XDG_RUNTIME_DIR: "/tmp", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      // No _exit under deno test, so Deno's teardown crash can still replace the code 1 (see exitedAsExpected).
      const r = { hung: false, code: out.code, signal: out.signal, stdout: "", stderr: text, seconds: 0 };
      assert.ok(exitedAsExpected(r, 1), `exit code ${out.code} (${out.signal}): ${text}`);
      assert.match(text, /FAILED \| 0 passed \| 1 failed/);
    } finally {
      await Deno.remove(file);
    }
  },
);
