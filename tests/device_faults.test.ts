/**
 * Device faults on webgpu: a lost device (destroyed in the middle of a
 * program through the backend's test hook) and a shader that fails to
 * compile surface as named errors, the runtime stays usable, and arrays
 * whose values the host knew keep them. Ignored when there is no adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { BackendError, DeviceLostError, jax, jnp, lax, ShaderCompileError } from "../mod.ts";
import { getBackend, hasBackend } from "../lib/runtime.ts";
import type { GpuBackend } from "../lib/gpu/backend.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

const ignore = !hasBackend("webgpu");

/** Runs `f` with webgpu as the default platform. */
function onGpu<T>(f: (gpu: GpuBackend) => T): T {
  jax.config.update("jax_platforms", "webgpu");
  try {
    return f(getBackend("webgpu") as unknown as GpuBackend);
  } finally {
    jax.config.update("jax_platforms", "");
  }
}

Deno.test({
  name: "device faults: a device lost mid-program raises DeviceLostError; known arrays survive, a new device runs on",
  ignore,
  fn: () =>
    onGpu((gpu) => {
      const uploaded = jnp.array([1, 2, 3, 4]);
      const read = jnp.sin(uploaded).mul(2);
      const readValues = read.tolist() as number[];
      const lazy = uploaded.add(10); // not yet run: its recipe reads a known array
      const step = jax.jit((x: jnp.NDArray) => x.mul(3).sub(1));
      const computed = step(uploaded); // a program output: on the device only
      const scanned = jax.jit((x: jnp.NDArray) =>
        lax.scan((c: jnp.NDArray) => [c.add(1), null], x, null, { length: 5 })[0]
      );
      const loop = scanned(uploaded);
      gpu.loseDevice();
      // The first read that needs the device reports the loss, by name.
      assert.throws(() => computed.tolist(), DeviceLostError);
      assert.throws(() => loop.tolist(), DeviceLostError);
      // Values the host knew are intact ...
      assert.deepEqual(uploaded.tolist(), [1, 2, 3, 4]);
      assert.deepEqual(read.tolist(), readValues);
      // ... a lazy value whose inputs are known is computed on the new device ...
      assert.deepEqual(lazy.tolist(), [11, 12, 13, 14]);
      // ... and new work (eager, jit, scan, reductions) runs there, still on webgpu.
      assert.equal(jax.devices()[0].platform, "webgpu");
      assert.deepEqual(step(uploaded).tolist(), [2, 5, 8, 11]);
      assert.deepEqual(scanned(uploaded).tolist(), [6, 7, 8, 9]);
      assert.equal(jnp.sum(read.mul(0).add(uploaded)).item(), 10);
      // An array only the lost device held stays an error, not garbage.
      assert.throws(() => computed.add(1).tolist(), DeviceLostError);
      assert.ok(new DeviceLostError("x") instanceof BackendError);
    }),
});

Deno.test({
  name: "device faults: a shader compile failure raises ShaderCompileError and the runtime stays usable",
  ignore,
  fn: () =>
    onGpu((gpu) => {
      const x = jnp.array([1, 2, 3]);
      const y = x.mul(2);
      gpu.compileForTest("@compute @workgroup_size(1) fn main() { let a: i32 = 1.5 + ; }");
      assert.throws(() => x.add(1).tolist(), (e: unknown) => {
        assert.ok(e instanceof ShaderCompileError, String(e));
        assert.match((e as Error).message, /shader compile failed/);
        return true;
      });
      assert.deepEqual(y.tolist(), [2, 4, 6]);
      assert.deepEqual(x.add(1).tolist(), [2, 3, 4]);
      assert.equal(jnp.sum(x).item(), 6);
    }),
});
