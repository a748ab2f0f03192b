/**
 * dot_general as a matmul kernel: the cpu backend's i-k-j loop and the
 * webgpu register-blocked template against a plain-JS product, over odd
 * sizes (edge blocks), batches, transposed operands (strided, no copy),
 * int32, einsum, and contractions long enough to be split along k (past
 * llvmpipe's 65,535-iteration loop cap). The webgpu cases are ignored (not
 * passed) without an adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp, lax } from "../mod.ts";
import { hasBackend } from "../lib/runtime.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

type A = jnp.NDArray;
const ignore = !hasBackend("webgpu");

/** Deterministic small integers (exact in float32 products and sums). */
const ints = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 13) - 6);

/** out[b, m, n] = sum_k a[b, m, k] * b[b, k, n] for row-major host arrays. */
function plainMatmul(a: number[], b: number[], batch: number, m: number, k: number, n: number): number[] {
  const out = new Array(batch * m * n).fill(0);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = a[(t * m + i) * k + p];
        for (let j = 0; j < n; j++) out[(t * m + i) * n + j] += av * b[(t * k + p) * n + j];
      }
    }
  }
  return out;
}

/** Every way of writing one (batched) product: matmul, transposed operands via dimension numbers, einsum. */
function variants(a: A, b: A): [string, A][] {
  const batched = a.ndim === 3;
  if (!batched) {
    return [
      ["matmul", jnp.matmul(a, b)],
      ["lhs transposed", lax.dot_general(jnp.transpose(a).add(0), b, [[[0], [0]], [[], []]])],
      ["rhs transposed", lax.dot_general(a, jnp.transpose(b).add(0), [[[1], [1]], [[], []]])],
      ["both transposed", lax.dot_general(jnp.transpose(a).add(0), jnp.transpose(b).add(0), [[[0], [1]], [[], []]])],
      ["einsum", jnp.einsum("ik,kj->ij", a, b)],
    ];
  }
  return [
    ["batched matmul", jnp.matmul(a, b)],
    ["batch last", lax.dot_general(jnp.transpose(a, [1, 2, 0]).add(0), b, [[[1], [1]], [[2], [0]]])],
    ["einsum", jnp.einsum("bik,bkj->bij", a, b)],
  ];
}

const SHAPES: [number, number, number, number][] = [
  // [batch, m, k, n]
  [1, 1, 1, 1],
  [1, 3, 17, 65],
  [1, 65, 3, 17],
  [1, 17, 130, 1],
  [1, 130, 65, 3],
  [1, 1, 130, 65],
  [1, 64, 64, 64],
  [1, 17, 65, 130],
  [3, 17, 65, 3],
  [2, 1, 130, 17],
];

function checkAll(platform: string, dtypes: string[]) {
  jax.config.update("jax_platforms", platform);
  try {
    for (const [batch, m, k, n] of SHAPES) {
      const ad = ints(batch * m * k, 1), bd = ints(batch * k * n, 2);
      const want = plainMatmul(ad, bd, batch, m, k, n);
      for (const dtype of dtypes) {
        const shapeA = batch > 1 ? [batch, m, k] : [m, k], shapeB = batch > 1 ? [batch, k, n] : [k, n];
        const a = jnp.array(ad, { dtype }).reshape(shapeA), b = jnp.array(bd, { dtype }).reshape(shapeB);
        // Layout variants in float32; the other dtypes take the plain product (each variant is a shader to compile).
        for (const [name, y] of variants(a, b).slice(0, dtype === "float32" ? undefined : 1)) {
          const what = `${platform} ${name} ${dtype} [${batch}] ${m}x${k} @ ${k}x${n}`;
          assert.deepEqual(y.shape, batch > 1 ? [batch, m, n] : [m, n], what);
          assert.equal(y.dtype, dtype, what);
          assert.deepEqual(Array.from(y.dataSync() as ArrayLike<number>), want, what);
        }
      }
    }
  } finally {
    jax.config.update("jax_platforms", "");
  }
}

Deno.test("cpu matmul kernel matches a plain-JS product (odd sizes, batched, transposed, int32)", () => {
  checkAll("cpu", ["float32", "int32"]);
});

Deno.test(
  { name: "webgpu matmul kernel matches a plain-JS product (odd sizes, batched, transposed, int32)", ignore },
  () => {
    checkAll("webgpu", ["float32", "int32"]);
  },
);

Deno.test({ name: "webgpu matmul: long contractions split along k stay exact past the loop cap", ignore }, () => {
  for (const [m, k, n] of [[1, 300_000, 1], [5, 270_001, 4], [4, 70_000, 9]]) {
    const ad = ints(m * k, 3), bd = ints(k * n, 4);
    const want = plainMatmul(ad, bd, 1, m, k, n);
    for (const platform of ["cpu", "webgpu"]) {
      jax.config.update("jax_platforms", platform);
      try {
        const a = jnp.array(ad, { dtype: "int32" }).reshape([m, k]),
          b = jnp.array(bd, { dtype: "int32" }).reshape([k, n]);
        assert.deepEqual(
          Array.from(jnp.matmul(a, b).dataSync() as ArrayLike<number>),
          want,
          `${platform} ${m}x${k}x${n}`,
        );
        // float32 sums of ~1e5 small integers stay exact below 2^24.
        const y = jnp.matmul(a.astype("float32"), b.astype("float32"));
        assert.deepEqual(Array.from(y.dataSync() as ArrayLike<number>), want, `${platform} float32 ${m}x${k}x${n}`);
      } finally {
        jax.config.update("jax_platforms", "");
      }
    }
  }
});

Deno.test({ name: "webgpu matmul matches cpu on float data, with fused producers", ignore }, () => {
  const run = (platform: string) => {
    jax.config.update("jax_platforms", platform);
    try {
      const x = jnp.linspace(-1, 1, 65 * 130).reshape([65, 130]);
      const w = jnp.linspace(-2, 3, 130 * 17).reshape([130, 17]);
      // Elementwise producers of both operands, and a consumer of the product.
      const y = jnp.tanh(jnp.matmul(jnp.sin(x).mul(2), jnp.exp(w.mul(0.1)))).add(1);
      return Array.from(y.dataSync() as ArrayLike<number>);
    } finally {
      jax.config.update("jax_platforms", "");
    }
  };
  const c = run("cpu"), g = run("webgpu");
  c.forEach((v, i) => assert.ok(Math.abs(v - g[i]) <= 1e-5 + 1e-5 * Math.abs(v), `[${i}] webgpu ${g[i]} vs cpu ${v}`));
});
