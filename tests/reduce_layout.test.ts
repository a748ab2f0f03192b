/**
 * Reduction layouts and index simplification: the webgpu reduction template
 * (lanes interleaved within groups, vec4 reads where aligned, hoisted loop
 * invariants, a second pass) against the cpu backend at sizes around the
 * vec4 and split boundaries, every reduction op, several outputs, strided
 * and broadcast reads; and the range-based index simplifier on its own.
 * The webgpu cases are ignored (not passed) without an adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp } from "../mod.ts";
import { constant, type Expr, iadd, idiv, IDX, imod, imul, RIDX } from "../lib/kernel/ir.ts";
import { simplifyIndices } from "../lib/kernel/simplify.ts";
import { invocations, planReduction, REDUCE_TUNING, renderKernel } from "../lib/gpu/wgsl.ts";
import { hasBackend } from "../lib/runtime.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

type A = jnp.NDArray;
const ignore = !hasBackend("webgpu");

Deno.test("simplifyIndices: (idx*n + ridx) / n and % n with 0 <= ridx < n", () => {
  const flat = iadd(imul(IDX, constant(1000)), RIDX);
  assert.deepEqual(simplifyIndices(idiv(flat, 1000), 2, 1000), IDX);
  assert.deepEqual(simplifyIndices(imod(flat, 1000), 2, 1000), RIDX);
  // ridx may reach n: only the multiple of n is dropped.
  assert.deepEqual(simplifyIndices(imod(flat, 1000), 2, 1001), imod(RIDX, 1000));
  assert.deepEqual(simplifyIndices(idiv(flat, 1000), 2, 1001), idiv(flat, 1000));
  // A multiple of the divisor is dropped from a remainder even when the rest may exceed it.
  const e = imod(iadd(imul(IDX, constant(8)), RIDX), 4);
  assert.deepEqual(simplifyIndices(e, 10, 100), imod(RIDX, 4));
  // Non-index operands (a gathered index may be negative) are left alone.
  const g: Expr = { op: "load", input: 0, index: IDX, dtype: "int32" };
  assert.deepEqual(simplifyIndices(imod(iadd(g, constant(4)), 4), 10, 0), imod(iadd(g, constant(4)), 4));
});

Deno.test("planReduction: llvmpipe layout interleaves 8 lanes, vec4 when aligned, argmax stays contiguous", () => {
  const t = REDUCE_TUNING[0].tuning;
  const k = (op: "sum" | "argmax", n: number) => ({
    size: 1,
    dtype: "float32" as const,
    expr: { op: "load", input: 0, index: RIDX, dtype: "float32" } as Expr,
    reduce: { op, size: n },
  });
  const p = planReduction(k("sum", 1_000_000), t);
  assert.equal(p.width, 8);
  assert.equal(p.vec, 4);
  assert.equal(p.parts % 8, 0);
  assert.ok(p.parts * p.chunk >= 1_000_000 && p.chunk / 4 <= 60000);
  assert.equal(planReduction(k("sum", 1_000_001), t).vec, 1);
  assert.equal(planReduction(k("argmax", 1_000_000), t).width, 1);
});

Deno.test("invocations: outputs reduced together share one invocation per part, and the shader guards that many", () => {
  const t = REDUCE_TUNING[0].tuning;
  const x = { op: "load", input: 0, index: RIDX, dtype: "float32" } as Expr;
  const k = (size: number) => ({
    size,
    dtype: "float32" as const,
    expr: { op: "binary", fn: "mul", x, y: { op: "cast", x: IDX, dtype: "float32" }, dtype: "float32" } as Expr,
    reduce: { op: "sum" as const, size: 1_000_000 },
  });
  const inputs = [{ kind: "buf" as const, binding: 1 }];
  for (const size of [1, 2, 4, 5]) {
    const plan = planReduction(k(size), t);
    assert.ok(plan.parts > 1);
    const expected = size <= 4 ? plan.parts : size * plan.parts;
    assert.equal(invocations(k(size), plan), expected);
    const { code } = renderKernel(k(size), inputs, ["float32"], plan);
    const guards = [...code.matchAll(/if \(gi >= (\d+)\) \{ return; \}/g)].map((m) => Number(m[1]));
    assert.equal(Math.min(...guards), expected, `size ${size}: ${guards}`);
    assert.equal(Math.max(...guards), expected, `size ${size}: the dispatch must not run idle invocations`);
  }
});

function both(f: (x: A) => A, data: number[], shape: number[], dtype = "float32") {
  const run = (platform: string) => {
    jax.config.update("jax_platforms", platform);
    try {
      const y = f(jnp.array(data, { dtype }).reshape(shape));
      return { shape: y.shape, data: Array.from(y.dataSync() as ArrayLike<number>) };
    } finally {
      jax.config.update("jax_platforms", "");
    }
  };
  return [run("cpu"), run("webgpu")];
}

Deno.test({ name: "webgpu reductions match cpu around the vec4 and split boundaries", ignore }, () => {
  for (const n of [3, 4, 4095, 4096, 4097, 32_768, 100_003, 262_144, 1_000_000]) {
    const data = Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 50 - 1);
    const cases: [string, (x: A) => A][] = [
      ["sum", (x) => jnp.sum(x)],
      ["max", (x) => jnp.max(x)],
      ["min", (x) => jnp.min(x.mul(3))],
      ["prod", (x) => jnp.prod(x.mul(0.001).add(1))],
      ["argmax", (x) => jnp.argmax(x)],
      ["any", (x) => jnp.any(x.gt(0.98))],
      ["fused", (x) => jnp.sum(jnp.exp(jnp.sin(x).mul(2).add(1)))],
    ];
    for (const [name, f] of cases) {
      const [c, g] = both(f, data, [n]);
      const what = `${name} n=${n}`;
      assert.deepEqual(g.shape, c.shape, what);
      // float32 sums of n terms of size ~1 differ by rounding up to ~n * 2^-24 in any order.
      const tol = (v: number) => 1e-4 * Math.abs(v) + 4e-7 * n;
      c.data.forEach((v, i) => assert.ok(Math.abs(v - g.data[i]) <= tol(v), `${what}: ${g.data[i]} vs ${v}`));
    }
    const ints = Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const [c, g] = both((x) => jnp.sum(x), ints, [n], "int32");
    assert.deepEqual(g.data, c.data, `int32 sum n=${n}`);
  }
});

Deno.test({ name: "webgpu reductions over several outputs, strided and broadcast reads match cpu", ignore }, () => {
  // Up to 4 outputs are reduced together in one invocation per part; 5 are not.
  for (const [r, n] of [[3, 200_000], [4, 65_536], [5, 50_000]]) checkOutputs(r, n);
});

function checkOutputs(r: number, n: number) {
  const data = Array.from({ length: r * n }, (_, i) => ((i * 13) % 97) / 48 - 1);
  const cases: [string, (x: A) => A][] = [
    ["rows", (x) => jnp.sum(x, { axis: 1 })],
    ["rows max", (x) => jnp.max(x, { axis: 1 })],
    ["columns", (x) => jnp.sum(x, { axis: 0 })],
    ["broadcast", (x) => jnp.sum(x.sub(jnp.mean(x, { axis: 1, keepdims: true })).pow(2), { axis: 1 })],
    ["transposed", (x) => jnp.sum(x.T.mul(2), { axis: 0 })],
    ["all", (x) => jnp.sum(x.mul(x))],
  ];
  for (const [name, f] of cases) {
    const [c, g] = both(f, data, [r, n]);
    assert.deepEqual(g.shape, c.shape, name);
    const tol = (v: number) => 1e-4 * Math.abs(v) + 4e-7 * n;
    c.data.forEach((v, i) =>
      assert.ok(Math.abs(v - g.data[i]) <= tol(v), `${name} ${r}x${n} [${i}]: ${g.data[i]} vs ${v}`)
    );
  }
}
