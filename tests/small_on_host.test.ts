/**
 * Tiny operations on webgpu whose inputs the host already holds run on the
 * host (`jaxd_small_ops_on_host`, on by default): no dispatch, no read-back,
 * the cpu backend's arithmetic. Values the host holds go to the device when a
 * device kernel first reads them. Ignored (not passed) when there is no adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp, lax } from "../mod.ts";
import { hasBackend } from "../lib/runtime.ts";
import type { ConcreteArray } from "../lib/array.ts";
import { onPlatform } from "./platform.ts";

type A = jnp.NDArray;
const ignore = !hasBackend("webgpu");

const on = <T>(platform: string, fn: () => T, smallOnHost = true): T =>
  onPlatform(platform, fn, { jaxd_small_ops_on_host: smallOnHost });

const counters = () => jax.profiler.counters();
const inUse = () => jax.devices()[0].memory_stats().bytes_in_use;

/** The tutorial's host loop: 20 eager steps of jacfwd of the normal likelihood over 100 samples. */
function hostLoop(): number[] {
  const x = jnp.array(Array.from({ length: 100 }, (_, i) => Math.sin(i * 1.7) * 2 + 0.5));
  const f = (theta: A) => {
    const mu = theta.get(0), variance = jnp.exp(theta.get(1));
    return jnp.sum(x.sub(mu).pow(2)).div(variance.mul(2)).add(jnp.log(variance.mul(2 * Math.PI)).mul(50));
  };
  const df = jax.jacfwd(f);
  let theta = jnp.array([0, 0]);
  for (let i = 0; i < 20; i++) theta = theta.sub(df(theta).mul(0.01));
  return theta.tolist() as number[];
}

Deno.test({ name: "small on host: an eager loop over small values needs no dispatch and no read-back", ignore }, () => {
  const cpu = on("cpu", hostLoop);
  const got = on("webgpu", () => {
    jax.profiler.reset_counters();
    const r = hostLoop();
    const c = counters();
    assert.equal(c.dispatches, 0, JSON.stringify(c));
    assert.equal(c.readbacks, 0, JSON.stringify(c));
    assert.equal(c.submits, 0, JSON.stringify(c));
    return r;
  });
  assert.deepEqual(got, cpu, "the cpu backend's arithmetic, bit for bit");
  // Off, the same loop runs on the device and agrees within float32 rounding.
  const dev = on("webgpu", () => {
    jax.profiler.reset_counters();
    const r = hostLoop();
    assert.ok(counters().dispatches > 0);
    return r;
  }, false);
  dev.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]) <= 1e-5 * Math.abs(cpu[i]) + 1e-6, `${v} vs ${cpu[i]}`));
});

Deno.test(
  { name: "small on host: a value the host holds goes to the device when a device kernel reads it", ignore },
  () => {
    on("webgpu", () => {
      const before = inUse();
      const w = jnp.array([1, 2, 3, 4]); // host-held: no device memory yet
      const mask = jnp.array([true, false, true, false]);
      assert.equal(inUse(), before);
      const scale = w.mul(2).sum(); // host: 20
      const big = jnp.arange(8000).astype("float32").reshape([2000, 4]); // device
      jax.profiler.reset_counters();
      const y = jnp.where(mask, big.add(w), big.mul(scale)); // device, reading w and mask
      const v = y.dataSync();
      assert.equal(counters().dispatches, 1);
      for (const r of [0, 1, 1999]) {
        for (let c = 0; c < 4; c++) {
          const b = r * 4 + c;
          assert.equal(v[b], c % 2 === 0 ? b + (c + 1) : b * 20, `y[${r}, ${c}]`);
        }
      }
      assert.ok(inUse() > before + 8000 * 4, "w and mask are on the device now, with big");
    });
  },
);

Deno.test({ name: "small on host: values computed on the device stay there", ignore }, () => {
  on("webgpu", () => {
    const big = jnp.linspace(0, 1, 10_000);
    const s = jnp.sum(big); // device
    jax.profiler.reset_counters();
    const t = s.mul(2).add(1); // reads a device value: device work, no read-back to the host
    assert.equal(counters().readbacks, 0);
    assert.ok(Math.abs(t.item() - 10_001) < 1e-2);
    assert.equal(counters().readbacks, 1);
    // A value read back is held by the host: what follows from it alone runs there.
    jax.profiler.reset_counters();
    assert.ok(Math.abs(t.sub(1).div(2).item() - 5000) < 1e-2);
    assert.deepEqual([counters().dispatches, counters().readbacks], [0, 0]);
  });
});

Deno.test(
  { name: "small on host: a small straight-line jit program on host-held values runs on the host", ignore },
  () => {
    const f = jax.jit((a: A, b: A) => jnp.exp(a).mul(b).sum());
    const want = Math.exp(0.1) + 2 * Math.exp(0.2) + 3 * Math.exp(0.3);
    on("webgpu", () => {
      const a = jnp.array([0.1, 0.2, 0.3]), b = jnp.array([1, 2, 3]);
      jax.profiler.reset_counters();
      assert.ok(Math.abs(f(a, b).item() - want) < 1e-5);
      assert.deepEqual([counters().dispatches, counters().readbacks], [0, 0]);
      // On a device value it is recorded and replayed there: one submit a call.
      const onDevice = jnp.linspace(0.1, 0.3, 3).mul(jnp.ones([5000]).sum().div(5000));
      f(onDevice, b).item();
      jax.profiler.reset_counters();
      assert.ok(Math.abs(f(onDevice, b).item() - want) < 1e-5);
      assert.equal(counters().submits, 1);
    });
    // Off, a host-held input goes to the device and the call is replayed too.
    on("webgpu", () => {
      const a = jnp.array([0.1, 0.2, 0.3]), b = jnp.array([1, 2, 3]);
      f(a, b).item();
      jax.profiler.reset_counters();
      assert.ok(Math.abs(f(jnp.array([0.1, 0.2, 0.3]), b).item() - want) < 1e-5);
      assert.equal(counters().submits, 1);
    }, false);
  },
);

Deno.test({ name: "small on host: scans on host-held inputs run on the device, replayed", ignore }, () => {
  on("webgpu", () => {
    const g = jax.jit((c: A) =>
      lax.scan((c: A, _: null): [A, null] => [c.mul(0.5).add(1), null], c, null, { length: 8 })[0]
    );
    const halve8 = (v: number) => Array.from({ length: 8 }).reduce((c: number) => c * 0.5 + 1, v);
    assert.deepEqual(g(jnp.array([4, 8], { dtype: "float32" })).tolist(), [halve8(4), halve8(8)]);
    jax.profiler.reset_counters();
    g(jnp.array([1, 2], { dtype: "float32" })).tolist();
    assert.equal(counters().submits, 1, "one submit: the loop on the device");
    assert.equal(counters().pipelines_compiled, 0);
    const c0 = jnp.array([4, 8], { dtype: "float32" });
    const [carry, ys] = lax.scan((c: A, x: A): [A, A] => [c.mul(0.5).add(x), c.sum()], c0, jnp.arange(3));
    assert.deepEqual(carry.tolist(), [3, 3.5]);
    assert.deepEqual(ys.tolist(), [12, 6, 5]);
  });
});

Deno.test({ name: "small on host: bigger work runs on the device even when the host holds the inputs", ignore }, () => {
  on("webgpu", () => {
    const x = jnp.array(new Float32Array(5000).fill(0.5)); // host-held, uploaded as it is made
    jax.profiler.reset_counters();
    assert.ok(Math.abs(jnp.sum(jnp.exp(x)).item() / (5000 * Math.exp(0.5)) - 1) < 1e-4);
    assert.ok(counters().dispatches >= 1);
    const m = jnp.ones([40, 40]);
    jax.profiler.reset_counters();
    jnp.matmul(m, m).tolist(); // 64,000 multiply-adds
    assert.ok(counters().dispatches >= 1);
  });
});

Deno.test({ name: "reshapes, squeezes and whole slices share their input's buffer on every backend", ignore }, () => {
  for (const [platform, smallOnHost] of [["cpu", true], ["webgpu", true], ["webgpu", false]] as const) {
    on(platform, () => {
      const x = jnp.arange(8000).astype("float32").mul(0.5); // a device value on webgpu
      x.dataSync();
      jax.profiler.reset_counters();
      const before = platform === "webgpu" ? inUse() : 0;
      const views = [x.reshape([2, 4000]), x.reshape([8000, 1]).squeeze(1), lax.slice(x, [0], [8000])];
      for (const v of views) assert.deepEqual(Array.from(v.ravel().dataSync()).slice(0, 3), [0, 0.5, 1]);
      if (platform === "webgpu") {
        assert.deepEqual([counters().dispatches, counters().readbacks], [0, 0], "x's values, read once");
        assert.equal(inUse(), before, "no new buffers");
        // The buffer stays while any owner holds it.
        x.dispose();
        views[0].dispose();
        assert.equal(views[1].get(7999).item(), 3999.5);
      }
    }, smallOnHost);
  }
});

Deno.test(
  { name: "small on host: a released value's array is reused, never while a read holds it", ignore },
  async () => {
    jax.config.update("jax_platforms", "webgpu");
    try {
      const x = jnp.array([1, 2, 3, 4]).mul(2); // host-held, computed on the host
      const pending = x.data();
      x.dispose(); // its array may be reused now
      const others = Array.from({ length: 8 }, (_, i) => jnp.array([9, 9, 9, 9]).add(i)); // same dtype and length
      assert.deepEqual(Array.from(await pending), [2, 4, 6, 8]);
      assert.deepEqual(others[7].tolist(), [16, 16, 16, 16]);
      // A value computed from released ones is unaffected by their reuse.
      const a = jnp.array([1, 1, 1, 1]).add(1), b = a.mul(3);
      a.dispose();
      const c = jnp.array([5, 5, 5, 5]).sub(1);
      assert.deepEqual([b.tolist(), c.tolist()], [[6, 6, 6, 6], [4, 4, 4, 4]]);
    } finally {
      jax.config.update("jax_platforms", "");
    }
  },
);

Deno.test(
  { name: "block_until_ready waits for device work without reading it; device_put moves pytrees", ignore },
  () => {
    on("webgpu", () => {
      const big = jnp.arange(100_000).astype("float32");
      const s = jnp.sum(big.mul(2)); // queued on the device
      jax.profiler.reset_counters();
      assert.equal(s.block_until_ready(), s);
      assert.equal(counters().readbacks, 0, "nothing copied to the host");
      assert.ok(counters().dispatches >= 1, "the work ran");
      assert.ok(Math.abs(s.item() / (100_000 * 99_999) - 1) < 1e-5);
      const tree = { a: jnp.ones([3]), b: [s, 1] };
      assert.equal(jax.block_until_ready(tree), tree);
      // device_put: numbers become arrays, arrays of another backend are copied over.
      jax.config.update("jax_platforms", "cpu");
      const onCpu = jnp.array([1, 2, 3]);
      jax.config.update("jax_platforms", "webgpu");
      const put = jax.device_put({ x: onCpu, n: 2 });
      assert.equal((put.x as ConcreteArray).backend.name, "webgpu");
      assert.deepEqual((put.x as A).tolist(), [1, 2, 3]);
      assert.equal((put.n as A).item(), 2);
      assert.equal(jax.device_put(s), s, "already there");
      assert.throws(() => jax.device_put({ f: "x" } as never), /device_put: a leaf of type string/);
    });
  },
);
