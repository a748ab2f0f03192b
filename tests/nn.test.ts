// jax.nn against real JAX: values and gradients from tests/fixtures/breadth_golden.json
// (written by scripts/gen_breadth_golden.py), plus jit/vmap consistency.

import assert from "node:assert/strict";
import { jax, jnp, lax, type NDArray } from "../mod.ts";
import { hasBackend } from "../lib/runtime.ts";
import golden from "./fixtures/breadth_golden.json" with { type: "json" };
import { assertClose, dec, type Enc, num, weights } from "./breadth_harness.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

interface NnCase {
  fn: string;
  x: Enc;
  opts: { axis?: number | null; approximate?: boolean };
  out: Enc;
  grad: Enc;
}

function fnOf(c: NnCase): (x: NDArray) => NDArray {
  const nn = jax.nn;
  switch (c.fn) {
    case "gelu":
      return (x) => nn.gelu(x, c.opts.approximate);
    case "softmax":
      return (x) => nn.softmax(x, { axis: c.opts.axis });
    case "log_softmax":
      return (x) => nn.log_softmax(x, { axis: c.opts.axis });
    case "logsumexp":
      return (x) => nn.logsumexp(x, { axis: c.opts.axis });
    default:
      return (nn as unknown as Record<string, (x: NDArray) => NDArray>)[c.fn];
  }
}

const cases = golden.nn as unknown as NnCase[];

Deno.test("nn: values and gradients match JAX", () => {
  assert.ok(cases.length >= 19);
  for (const c of cases) {
    const f = fnOf(c);
    const x = dec(c.x);
    const id = `${c.fn}${JSON.stringify(c.opts)}`;
    const out = f(x);
    assertClose(out, c.out, `${id} value`);
    const w = weights(out.shape);
    const g = jax.grad((x: NDArray) => jnp.sum(f(x).mul(w)))(x) as NDArray;
    assertClose(g, c.grad, `${id} grad`);
  }
});

Deno.test("nn: jit and vmap agree with eager", () => {
  for (const c of cases) {
    const f = fnOf(c);
    const x = dec(c.x);
    const id = `${c.fn}${JSON.stringify(c.opts)}`;
    const w = weights(f(x).shape);
    const loss = (x: NDArray) => jnp.sum(f(x).mul(w));
    assertClose(jax.jit(f)(x) as NDArray, c.out, `${id} jit value`);
    assertClose(jax.jit(jax.grad(loss))(x) as NDArray, c.grad, `${id} jit grad`);
    // Elementwise functions and softmax over the last axis are row-wise: vmap over rows.
    if (c.x.shape.length === 2 && c.opts.axis === -1) {
      assertClose(jax.vmap(f)(x) as NDArray, c.out, `${id} vmap value`);
    }
    if (c.x.shape.length === 1 && !["softmax", "log_softmax"].includes(c.fn)) {
      assertClose(jax.vmap(f)(x) as NDArray, c.out, `${id} vmap value`);
      const gi = jax.vmap(jax.grad((s: NDArray) => f(s)))(x) as NDArray;
      const want = { shape: c.grad.shape, data: c.grad.data.map((v, i) => num(v) / (((i % 5) + 1) / 3)) };
      assertClose(gi, want, `${id} vmap(grad)`, 1e-4, 1e-5);
    }
  }
});

Deno.test("nn: relu derivative is 0 at 0, softmax stable for large inputs", () => {
  assert.equal((jax.grad(jax.nn.relu)(jnp.array(0)) as NDArray).item(), 0);
  assert.equal((jax.grad(jax.nn.relu)(jnp.array(2)) as NDArray).item(), 1);
  const s = jax.nn.softmax(jnp.array([1000, 1000, -1000]));
  assert.deepEqual(s.tolist(), [0.5, 0.5, 0]);
  const ls = jax.nn.log_softmax(jnp.array([1000, 1000]));
  assertClose(ls, { shape: [2], data: [-Math.LN2, -Math.LN2] }, "log_softmax large");
  assert.equal(jax.nn.softplus(jnp.array(100)).item(), 100);
  assert.equal(jax.nn.log_sigmoid(jnp.array(-100)).item(), -100);
  // softmax sums to one along the chosen axis; under scan too.
  const [, ys] = lax.scan((c: NDArray, r: NDArray) => [c, jax.nn.softmax(r)], jnp.array(0), jnp.ones([3, 4]));
  assertClose(jnp.sum(ys, { axis: 1 }), { shape: [3], data: [1, 1, 1] }, "scan softmax");
});

Deno.test("nn: one_hot matches JAX", () => {
  for (const c of golden.one_hot as unknown as { x: number[]; n: number; axis?: number; out: Enc }[]) {
    const out = jax.nn.one_hot(jnp.array(c.x), c.n, { axis: c.axis });
    assert.equal(out.dtype, "float32");
    assertClose(out, c.out, `one_hot ${JSON.stringify(c.x)}`);
  }
  assert.equal(jax.nn.one_hot(jnp.array([1]), 2, { dtype: "int32" }).dtype, "int32");
});

Deno.test({
  name: "nn: values and gradients match JAX on webgpu",
  ignore: !hasBackend("webgpu"),
  fn: () => {
    jax.config.update("jax_platforms", "webgpu");
    try {
      for (const c of cases) {
        const f = fnOf(c);
        const x = dec(c.x);
        assert.equal((x as unknown as { backend: { name: string } }).backend.name, "webgpu");
        const id = `${c.fn}${JSON.stringify(c.opts)} (webgpu)`;
        const out = f(x);
        // WGSL's float32 exp/log/tanh/erf builtins differ from XLA's by a few ulp.
        assertClose(out, c.out, `${id} value`, 1e-4, 1e-5);
        const w = weights(out.shape);
        assertClose(jax.grad((x: NDArray) => jnp.sum(f(x).mul(w)))(x) as NDArray, c.grad, `${id} grad`, 1e-4, 1e-5);
      }
    } finally {
      jax.config.update("jax_platforms", "");
    }
  },
});
