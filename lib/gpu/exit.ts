/**
 * A workaround for a crash at process exit. Deno 2.9.6 sometimes crashes
 * while the process exits when a worker thread owns a WebGPU device:
 * SIGSEGV, or a glibc heap abort, in 3-10% of runs, in the teardown of
 * native libraries after all output is written (it reproduces without
 * jaxd, with a worker that only requests a device). On Linux, when FFI is
 * granted, a script that ends normally leaves through libc's `_exit` with
 * its exit code from the "unload" event, which skips that teardown: no
 * crash in 100 runs, against 1-3 in 30 without it. Everything is done by
 * then: "unload" fires once the event loop is empty (or on Deno.exit), and
 * Deno writes stdout unbuffered. An uncaught error fires no "unload" and
 * exits as before. Under `deno test` and `deno bench` (read from
 * /proc/self/cmdline) nothing is installed: their reports come after
 * "unload", and `_exit` would cut them off.
 *
 * @module
 */

let installed = false;

/** Installs the exit path once (a no-op off Linux or without FFI permission). */
export function exitWithoutTeardown(): void {
  if (installed || globalThis.Deno?.build.os !== "linux") return;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return;
  } catch {
    return;
  }
  // Not under `deno test` or `deno bench`: their summary and exit code come after "unload".
  try {
    const sub = Deno.readTextFileSync("/proc/self/cmdline").split("\0")[1];
    if (sub === "test" || sub === "bench") return;
  } catch {
    return; // cannot tell
  }
  installed = true;
  globalThis.addEventListener("unload", () => {
    try {
      const libc = Deno.dlopen("libc.so.6", { _exit: { parameters: ["i32"], result: "void" } });
      libc.symbols._exit(Deno.exitCode ?? 0);
    } catch {
      // No libc by that name: exit the usual way.
    }
  });
}
