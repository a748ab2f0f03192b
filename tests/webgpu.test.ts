/**
 * The webgpu backend against the cpu reference: every elementwise primitive,
 * reductions (including n = 1e6 and 1e7, past llvmpipe's 65,535-iteration
 * loop cap), indexing and products, the tutorial's scan, submit counts and
 * bounded device memory. Ignored (not passed) when there is no adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp, lax } from "../mod.ts";
import { hasBackend } from "../lib/runtime.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

type A = jnp.NDArray;
const gpu = hasBackend("webgpu");
const ignore = !gpu;

/** Runs `f` on both backends with the same host inputs; returns [cpu, webgpu] values. */
function both(f: (...xs: A[]) => A, ...inputs: { data: number[]; shape: number[]; dtype?: string }[]) {
  const run = (platform: string) => {
    jax.config.update("jax_platforms", platform);
    try {
      const xs = inputs.map((i) => jnp.array(i.data, { dtype: i.dtype ?? "float32" }).reshape(i.shape));
      const y = f(...xs);
      return { shape: y.shape, dtype: y.dtype, data: Array.from(y.dataSync() as ArrayLike<number>) };
    } finally {
      jax.config.update("jax_platforms", "");
    }
  };
  return [run("cpu"), run("webgpu")];
}

function close(
  cpu: { data: number[]; shape: number[]; dtype: string },
  g: typeof cpu,
  rtol = 2e-6,
  atol = 1e-6,
  what = "",
) {
  assert.deepEqual(g.shape, cpu.shape, `${what}: shape`);
  assert.equal(g.dtype, cpu.dtype, `${what}: dtype`);
  cpu.data.forEach((c, i) => {
    const v = g.data[i];
    if (Number.isNaN(c)) return assert.ok(Number.isNaN(v), `${what}[${i}]: expected nan, got ${v}`);
    if (!Number.isFinite(c)) return assert.equal(v, c, `${what}[${i}]`);
    assert.ok(Math.abs(v - c) <= atol + rtol * Math.abs(c), `${what}[${i}]: webgpu ${v} vs cpu ${c}`);
  });
}

const grid = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const X = { data: grid(64, -3, 3), shape: [8, 8] };
const POS = { data: grid(64, 0.05, 6), shape: [8, 8] };
const UNIT = { data: grid(64, -0.95, 0.95), shape: [8, 8] };

// [name, f, input, rtol, atol]; float32 special functions lose relative accuracy near their zeros.
const unaryCases: [string, (x: A) => A, typeof X, number, number?][] = [
  ["neg", jnp.negative, X, 0],
  ["abs", jnp.abs, X, 0],
  ["sign", jnp.sign, X, 0],
  ["floor", jnp.floor, X, 0],
  ["ceil", jnp.ceil, X, 0],
  ["round", jnp.round, { data: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, 0.6], shape: [8] }, 0],
  ["exp", jnp.exp, X, 2e-6],
  ["exp2", jnp.exp2, X, 2e-6],
  ["log", jnp.log, POS, 2e-6],
  ["log1p", jnp.log1p, POS, 2e-6],
  ["expm1", jnp.expm1, X, 4e-6],
  ["sqrt", jnp.sqrt, POS, 2e-6],
  ["rsqrt", (x) => lax.rsqrt(x), POS, 4e-6],
  ["cbrt", jnp.cbrt, X, 4e-6],
  ["sin", jnp.sin, X, 4e-6],
  ["cos", jnp.cos, X, 4e-6],
  ["tan", jnp.tan, UNIT, 4e-6],
  ["arcsin", jnp.arcsin, UNIT, 4e-6],
  ["arccos", jnp.arccos, UNIT, 4e-6],
  ["arctan", jnp.arctan, X, 4e-6],
  ["sinh", jnp.sinh, X, 4e-6],
  ["cosh", jnp.cosh, X, 4e-6],
  ["tanh", jnp.tanh, X, 4e-6],
  ["arcsinh", jnp.arcsinh, X, 4e-6],
  ["arccosh", jnp.arccosh, { data: grid(64, 1.05, 9), shape: [64] }, 4e-6],
  ["arctanh", jnp.arctanh, UNIT, 4e-6],
  ["gammaln", (x) => jax.scipy.special.gammaln(x), POS, 2e-5, 1e-5],
  ["digamma", (x) => jax.scipy.special.digamma(x), POS, 2e-5, 1e-5],
  ["erf", (x) => jax.scipy.special.erf(x), X, 2e-6],
  ["erfc", (x) => jax.scipy.special.erfc(x), X, 2e-5],
  ["erfinv", (x) => jax.scipy.special.erfinv(x), UNIT, 2e-5],
  ["expit", (x) => jax.scipy.special.expit(x), X, 2e-6],
  ["isfinite", (x) => jnp.isfinite(x.div(x)), X, 0],
];

for (const [name, f, input, rtol, atol = 1e-6] of unaryCases) {
  Deno.test({ name: `webgpu matches cpu: ${name}`, ignore }, () => {
    const [c, g] = both(f, input);
    close(c, g, rtol, atol, name);
  });
}

const binaryCases: [string, (x: A, y: A) => A][] = [
  ["add", jnp.add],
  ["subtract", jnp.subtract],
  ["multiply", jnp.multiply],
  ["divide", jnp.divide],
  ["power", (x, y) => jnp.power(jnp.abs(x), y)],
  ["maximum", jnp.maximum],
  ["minimum", jnp.minimum],
  ["arctan2", jnp.arctan2],
  ["remainder", jnp.remainder],
  ["floor_divide", jnp.floor_divide],
  ["less", jnp.less],
  ["greater_equal", jnp.greater_equal],
  ["equal", (x, y) => jnp.equal(jnp.round(x), jnp.round(y))],
  ["where", (x, y) => jnp.where(x.gt(y), x, y.mul(2))],
  ["logaddexp", jnp.logaddexp],
];
const Y = { data: grid(64, 2.5, -2.2).map((v) => (Math.abs(v) < 0.05 ? 0.3 : v)), shape: [8, 8] };
for (const [name, f] of binaryCases) {
  Deno.test({ name: `webgpu matches cpu: ${name} with broadcasting`, ignore }, () => {
    const [c, g] = both(f, X, Y);
    close(c, g, 4e-6, 1e-6, name);
    const [c2, g2] = both(f, X, { data: [1.5, -0.7, 2, 3, -1, 0.25, 4, -2], shape: [8] });
    close(c2, g2, 4e-6, 1e-6, `${name} (8,8)x(8,)`);
  });
}

Deno.test({ name: "webgpu matches cpu: integer and bool ops", ignore }, () => {
  const I = { data: [-7, -3, -1, 0, 1, 2, 5, 9], shape: [8], dtype: "int32" };
  const J = { data: [2, 3, -2, 5, 1, -4, 3, 2], shape: [8], dtype: "int32" };
  for (
    const [name, f] of [
      ["add", jnp.add],
      ["multiply", jnp.multiply],
      ["floor_divide", jnp.floor_divide],
      ["remainder", jnp.remainder],
      ["maximum", jnp.maximum],
      ["shift_left", (a: A, b: A) => lax.shift_left(a, jnp.abs(b))],
      ["shift_right_arithmetic", (a: A, b: A) => lax.shift_right_arithmetic(a, jnp.abs(b))],
      ["less", jnp.less],
      ["logical_and", (a: A, b: A) => jnp.logical_and(a.gt(0), b.gt(0))],
      ["astype float", (a: A, b: A) => a.astype("float32").div(b.astype("float32"))],
      ["astype int", (a: A) => a.astype("float32").mul(1.7).astype("int32")],
    ] as [string, (a: A, b: A) => A][]
  ) {
    const [c, g] = both(f, I, J);
    close(c, g, 0, 0, name);
  }
});

Deno.test({ name: "webgpu matches cpu: reductions over axes", ignore }, () => {
  const T = { data: grid(120, -2, 3), shape: [2, 3, 4, 5] };
  for (
    const [name, f] of [
      ["sum all", (x: A) => x.sum()],
      ["sum axis 1", (x: A) => x.sum({ axis: 1 })],
      ["sum axes 0,2", (x: A) => x.sum({ axis: [0, 2], keepdims: true })],
      ["max -1", (x: A) => x.max({ axis: -1 })],
      ["min 0", (x: A) => x.min({ axis: 0 })],
      ["prod 3", (x: A) => x.prod({ axis: 3 })],
      ["mean", (x: A) => x.mean({ axis: [1, 3] })],
      ["var", (x: A) => x.var({ axis: 2 })],
      ["argmax", (x: A) => x.argmax({ axis: 1 })],
      ["argmin", (x: A) => x.argmin()],
      ["cumsum", (x: A) => jnp.cumsum(x, { axis: 2 })],
      ["any", (x: A) => x.gt(2.9).any({ axis: 0 })],
    ] as [string, (x: A) => A][]
  ) {
    const [c, g] = both(f, T);
    close(c, g, 1e-5, 1e-5, name);
  }
});

Deno.test({ name: "webgpu matches cpu: indexing, shapes and products", ignore }, () => {
  const M = { data: grid(48, -1, 2), shape: [6, 8] };
  for (
    const [name, f] of [
      ["transpose", (x: A) => x.T.mul(2)],
      ["slice", (x: A) => x.slice("1:5:2, ::-1")],
      ["get", (x: A) => x.get(3)],
      ["gather", (x: A) => x.get(jnp.array([5, 0, 2], { dtype: "int32" }))],
      ["concatenate", (x: A) => jnp.concatenate([x, x.mul(2)], { axis: 1 })],
      ["pad", (x: A) => lax.pad(x, 0.5, [[1, 2, 0], [0, 1, 1]])],
      ["tile", (x: A) => jnp.tile(x, [2, 1])],
      ["matmul", (x: A) => jnp.matmul(x, x.T)],
      ["einsum", (x: A) => jnp.einsum("ij,kj->ik", x, x)],
      ["at set", (x: A) => x.at(1).set(7)],
      ["dynamic_slice", (x: A) => lax.dynamic_slice(x, [jnp.array(2, { dtype: "int32" }), 3], [2, 4])],
    ] as [string, (x: A) => A][]
  ) {
    const [c, g] = both(f, M);
    close(c, g, 1e-5, 1e-5, name);
  }
});

Deno.test(
  { name: "webgpu matches cpu: elementwise kernels of 4,096 outputs and more (4 per invocation)", ignore },
  () => {
    // Lengths a multiple of 4 (vec4 stores) and not (guarded scalar stores); loads at idx (vec4 reads) and not.
    for (const n of [4096, 4099, 6000, 8191]) {
      const a = { data: grid(n, -3, 3), shape: [n] };
      const b = { data: grid(n, 0.1, 5), shape: [n] };
      const cases: [string, (...xs: A[]) => A, (typeof a)[]][] = [
        ["a * b + 1", (x, y) => x.mul(y).add(1), [a, b]],
        ["exp(sin(a)) with a scalar", (x) => jnp.exp(jnp.sin(x)).mul(2.5), [a]],
        ["where(a > 0, a, b)", (x, y) => jnp.where(x.gt(0), x, y), [a, b]],
        ["a > b (bool out)", (x, y) => x.gt(y), [a, b]],
        ["iota + a", (x) => jnp.arange(n).astype("float32").add(x), [a]],
        ["reversed a (a load not at idx)", (x, y) => jnp.flip(x).sub(y), [a, b]],
        ["int32", (x, y) => x.astype("int32").mul(3).add(y.astype("int32")), [a, b]],
      ];
      for (const [what, f, ins] of cases) {
        const [c, g] = both(f, ...ins);
        close(c, g, 2e-6, 1e-6, `${what}, n = ${n}`);
      }
    }
    // A broadcast over rows: loads at an index built from the shape.
    const m = { data: grid(64 * 100, -1, 1), shape: [64, 100] }, row = { data: grid(100, 0, 1), shape: [100] };
    const [c, g] = both((x: A, r: A) => x.mul(r).add(r), m, row);
    close(c, g, 2e-6, 1e-6, "row broadcast");
  },
);

Deno.test({ name: "webgpu: a float32 sum of zeros is +0, as on the cpu (a sum starts at +0)", ignore }, () => {
  const negZeros = { data: [-0, -0, -0], shape: [3] };
  for (
    const [what, f] of [
      ["sum", (x: A) => jnp.sum(x.mul(1))],
      ["1x1 matmul", (x: A) => jnp.matmul(x.get(0).reshape([1, 1]).mul(3), jnp.zeros([1, 1]))],
      ["row sums", (x: A) => jnp.sum(jnp.broadcast_to(x.mul(1), [4, 3]), { axis: 1 })],
    ] as const
  ) {
    const [c, g] = both(f, negZeros);
    assert.deepEqual(g.data, c.data, what); // deepEqual tells -0 from 0
    assert.ok(c.data.every((v) => Object.is(v, 0)), what);
  }
});

Deno.test({ name: "webgpu: reductions at n = 1e6 and 1e7 stay exact past the loop cap", ignore }, () => {
  jax.config.update("jax_platforms", "webgpu");
  try {
    for (const n of [1_000_000, 10_000_000]) {
      const x = jnp.ones([n]);
      assert.equal(x.sum().item(), n, `sum of ${n} ones`);
      const r = jnp.arange(n).astype("float32");
      assert.equal(r.max().item(), n - 1);
      assert.equal(jnp.argmax(r).item(), n - 1);
      assert.equal(jnp.argmin(r.neg()).item(), n - 1);
      // exp(sin(x)*2+1) fused into the reduction: compare with the host sum.
      const y = jnp.sum(jnp.exp(jnp.sin(r.mul(1e-3)).mul(2).add(1)));
      let host = 0;
      for (let i = 0; i < n; i++) host += Math.exp(Math.sin(Math.fround(i * 1e-3)) * 2 + 1);
      assert.ok(Math.abs(y.item() - host) / host < 1e-3, `fused sum ${y.item()} vs ${host}`);
    }
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: big float32 reduction inputs read through texture mirrors agree with cpu", ignore }, () => {
  const n = 1 << 18;
  const data = Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.25);
  const x = { data, shape: [n] };
  // Whole sums, rows of a matrix (vec4 reads at idx * 512 + ridx), and a strided sum (plain reads).
  for (
    const [name, f] of [
      ["sum", (a: A) => jnp.sum(a)],
      ["sum of squares and max", (a: A) => jnp.stack([jnp.sum(a.mul(a)), jnp.max(a)])],
      ["row sums", (a: A) => jnp.sum(a.reshape([512, 512]), { axis: 1 })],
      ["column sums", (a: A) => jnp.sum(a.reshape([512, 512]), { axis: 0 })],
    ] as [string, (a: A) => A][]
  ) {
    const [c, g] = both(f, x);
    close(c, g, 1e-4, 1e-3, name);
  }
  // A new carry every step, each reduced through its own mirror.
  const scan = (c0: A) =>
    lax.scan((c: A, _: null): [A, A] => [c.mul(0.5).add(1), jnp.sum(c)], c0, null, { length: 5 })[1];
  const [c, g] = both(scan, x);
  close(c, g, 1e-5, 1e-2, "scan over a big carry");
});

Deno.test({ name: "webgpu: a texture mirror counts as device memory and goes with its buffer", ignore }, () => {
  jax.config.update("jax_platforms", "webgpu");
  try {
    // Measured over short spans: an earlier test's arrays may be collected (and freed) at any time.
    const inUse = () => jax.devices()[0].memory_stats().bytes_in_use;
    const MiB4 = 4 * 2 ** 20;
    let withX: number;
    {
      using x = jnp.array(new Float32Array(1 << 20).fill(0.5));
      withX = inUse();
      using total = jnp.sum(x);
      assert.equal(total.item(), 1 << 19);
      total.dispose();
      const mirror = inUse() - withX;
      assert.ok(mirror >= MiB4 && mirror < MiB4 + 65536, `the mirror: ${mirror} bytes`);
    }
    {
      using z = jnp.zeros([1]);
      z.item(); // the free has reached the worker
    }
    assert.ok(inUse() <= withX - MiB4, "the array and its mirror are gone");
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: an elementwise kernel needing no size compiles once for every length", ignore }, () => {
  jax.config.update("jax_platforms", "webgpu");
  try {
    const f = (n: number) =>
      jnp.exp(jnp.arange(n).astype("float32").mul(0.001)).add(jax.random.uniform(jax.random.key(1), [n]));
    // One pipeline per layout: one output per invocation below 4,096; from there 4, stored as a vec4
    // when the length is a multiple of 4 (see planElementwise).
    for (const [first, ...others] of [[1000, 1001, 37, 3000], [8000, 5000, 12000], [4099, 5001, 9999]]) {
      f(first).tolist();
      for (const n of others) {
        jax.profiler.reset_counters();
        const got = f(n).dataSync();
        assert.equal(jax.profiler.counters().pipelines_compiled, 0, `length ${n}`);
        const u = jax.random.uniform(jax.random.key(1), [n]).dataSync();
        assert.equal(got.length, n);
        for (const i of [0, n - 2, n - 1]) {
          assert.ok(Math.abs(got[i] - Math.exp(i * 0.001) - u[i]) < 1e-4 * Math.exp(i * 0.001), `length ${n} [${i}]`);
        }
      }
    }
    // A broadcast reads at an index built from the shape: that kernel keeps its size.
    jax.profiler.reset_counters();
    jnp.ones([3, 4]).add(jnp.arange(4)).tolist();
    jnp.ones([5, 4]).add(jnp.arange(4)).tolist();
    assert.ok(jax.profiler.counters().pipelines_compiled >= 1);
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: comparisons give IEEE's answers for NaN (the compiler may assume none)", ignore }, () => {
  const v = { data: [1, NaN, 3, -0, 0, Infinity, -Infinity, NaN], shape: [8] };
  const w = { data: [1, 2, NaN, 0, -0, Infinity, 1, NaN], shape: [8] };
  const cases: [string, (a: A, b: A) => A][] = [
    ["eq", lax.eq],
    ["ne", lax.ne],
    ["lt", lax.lt],
    ["le", lax.le],
    ["gt", lax.gt],
    ["ge", lax.ge],
    ["x != x", (a) => lax.ne(a, a)],
    ["x == x", (a) => lax.eq(a, a)],
    ["isnan", (a) => jnp.isnan(a)],
    ["where(isnan)", (a, b) => jnp.where(jnp.isnan(a.mul(2)), b, a)],
    ["sum(isnan) (fused into a reduction)", (a) => jnp.sum(jnp.isnan(a))],
  ];
  for (const [name, f] of cases) {
    const [c, g] = both(f, v, w);
    close(c, g, 0, 0, name);
  }
});

Deno.test({ name: "webgpu: a jitted 100-step scan is one submit", ignore }, () => {
  jax.config.update("jax_platforms", "webgpu");
  try {
    const x = jnp.array(grid(100, -2, 3));
    const f = (theta: A) =>
      jnp.sum(x.sub(theta.get(0)).pow(2).div(jnp.exp(theta.get(1)).mul(2))).add(jnp.exp(theta.get(1)).mul(50));
    const df = jax.jacfwd(f);
    const gd = jax.jit(() =>
      lax.scan((th: A) => [th.sub(df(th).mul(0.01)), null], jnp.array([1.0, 1.0]), null, { length: 100 })[0]
    );
    gd().tolist(); // compile
    jax.profiler.reset_counters();
    const theta = gd().tolist();
    const c = jax.profiler.counters();
    assert.equal(c.submits, 1, `submits: ${JSON.stringify(c)}`);
    assert.equal(c.readbacks, 1);
    jax.config.update("jax_platforms", "cpu");
    const ref = gd().tolist() as number[];
    (theta as number[]).forEach((v, i) => assert.ok(Math.abs(v - ref[i]) < 1e-4, `${v} vs ${ref[i]}`));
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: dispatches per step of the tutorial's scan and host-loop gradient descent", ignore }, () => {
  jax.config.update("jax_platforms", "webgpu");
  try {
    const fSingle = (theta: A, xs: A) => {
      const v = jnp.exp(theta.get(1));
      return xs.sub(theta.get(0)).pow(2).neg().div(v.mul(2)).sub(jnp.log(v.mul(2 * Math.PI)).mul(0.5)).neg();
    };
    const perStep = (f: () => unknown) => {
      f(); // compile and record
      jax.profiler.reset_counters();
      f();
      return jax.profiler.counters().dispatches / 100;
    };
    for (const [n, most] of [[100, 0.02], [1_000_000, 2]]) {
      const x = n === 100 ? jnp.array(grid(100, -2, 3)) : jnp.arange(n).astype("float32").mul(3 / n);
      const df = jax.jacfwd((th: A) => jnp.sum(jax.vmap(fSingle, { inAxes: [null, 0] })(th, x)));
      const gd = jax.jit(() =>
        lax.scan((th: A) => [th.sub(df(th).mul(1e-6)), null], jnp.array([1.0, 1.0]), null, { length: 100 })[0]
      );
      // n = 100: the first step's reduction (the jacobian's two sums, with the update as its epilogue), then
      // the other 99 steps as one loop shader; n = 1e6: two reduction passes per step, the second with the
      // update as its epilogue.
      const d = perStep(() => gd().tolist());
      assert.ok(d <= most + 0.02, `scan n=${n}: ${d} dispatches per step`);
    }
    const x = jnp.array(grid(100, -2, 3));
    const f = (th: A) => jnp.sum(x.sub(th.get(0)).pow(2)).div(jnp.exp(th.get(1)).mul(2)).add(th.get(1).mul(50));
    const df = jax.jacfwd(f);
    const d = perStep(() => {
      let th = jnp.array([0.0, 0.0]);
      for (let i = 0; i < 100; i++) th = th.sub(df(th).mul(0.01));
      return th.tolist();
    });
    // The merged reduction (the jacobian and the value's sum read x once) and the update.
    assert.ok(d <= 2, `host loop: ${d} dispatches per step`);
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({
  name: "webgpu: an update of a two-pass reduction runs as its last pass, unless the reduction is kept",
  ignore,
}, () => {
  const n = 1_000_000;
  const x = { data: Array.from({ length: n }, (_, i) => Math.cos(i * 0.001)), shape: [2, n / 2] };
  const theta = { data: [1, 2], shape: [2] };
  const g = (x: A) => jnp.sum(x.mul(x).add(x), { axis: 1 });
  const cases: [string, (t: A, x: A) => A | A[], number][] = [
    // The gradient let go after the update: pass 1, then the last pass with the update.
    ["update only", (t, x) => t.sub(g(x).mul(0.1)), 2],
    // The gradient returned too: stored once by its last pass, then the update (pass 1 is not run twice).
    ["update and gradient", (t, x) => [t.sub(g(x).mul(0.1)), g(x)], 3],
  ];
  for (const [name, f, dispatches] of cases) {
    const flat = (t: A, x: A) => {
      const r = f(t, x);
      return Array.isArray(r) ? jnp.concatenate(r) : r;
    };
    const [c, w] = both(jax.jit(flat), theta, x);
    close(c, w, 1e-4, 1e-3, name);
    jax.config.update("jax_platforms", "webgpu");
    try {
      const [t, xs] = [jnp.array(theta.data), jnp.array(x.data).reshape(x.shape)];
      const jf = jax.jit(flat);
      jf(t, xs).tolist();
      jax.profiler.reset_counters();
      jf(t, xs).tolist();
      assert.equal(jax.profiler.counters().dispatches, dispatches, `${name}: dispatches`);
    } finally {
      jax.config.update("jax_platforms", "");
    }
  }
});

Deno.test({ name: "webgpu: sibling reductions over one extent run as one multi-output kernel", ignore }, () => {
  jax.config.update("jax_platforms", "webgpu");
  try {
    for (const n of [100, 1_000_000]) {
      const r = jnp.arange(n).astype("float32").mul(1 / n);
      const x = jnp.array(r.tolist() as number[]); // a buffer
      const m = jnp.array([[1, 2, 3], [4, 5, 6]]).astype("float32");
      jax.profiler.reset_counters();
      // Two sums of x (one and two outputs), read together by one consumer.
      const s1 = jnp.sum(x.mul(x));
      const s2 = jnp.sum(x.reshape([1, n]).mul(m.get(0, 0).reshape([1, 1])).add(jnp.array([[0], [1]])), { axis: 1 });
      const y = s2.add(s1).tolist() as number[];
      const c = jax.profiler.counters();
      let h1 = 0, h2 = 0;
      const host = r.tolist() as number[];
      for (const v of host) (h1 += Math.fround(v * v)), (h2 += v);
      const want = [h2 + h1, h2 + n + h1];
      y.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-4 * Math.abs(want[i]), `n=${n}: ${v} vs ${want[i]}`));
      // One reduction kernel (two passes at n = 1e6) and the add.
      assert.ok(c.dispatches <= (n === 100 ? 2 : 3), `n=${n}: ${JSON.stringify(c)}`);
      // The members stay usable on their own.
      assert.ok(Math.abs((s1.item() as number) - h1) <= 1e-4 * h1);
      assert.ok(Math.abs((s2.tolist() as number[])[1] - (h2 + n)) <= 1e-4 * (h2 + n));
    }
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: reductions fused with their elementwise consumers agree with cpu", ignore }, () => {
  const x = { data: Array.from({ length: 15 }, (_, i) => Math.sin(i) * 3), shape: [3, 5] };
  const y = { data: [1, -2, 0.5], shape: [3] };
  const cases: [string, (a: A, b: A) => A][] = [
    ["sum then affine", (a, b) => jnp.sum(a, { axis: 1 }).mul(2).add(b)],
    ["chained epilogues", (a, b) => jnp.exp(jnp.max(a, { axis: 1 }).sub(b)).reshape([3]).mul(b)],
    ["a reduction read twice", (a, b) => {
      const s = jnp.sum(a, { axis: 1 });
      return s.mul(b).add(jnp.sum(s.mul(s)));
    }],
    ["sibling sums with epilogues", (a, b) => jnp.sum(a, { axis: 1 }).mul(b).add(jnp.min(a, { axis: 1 }).mul(3))],
    ["bool any as int", (a, b) => jnp.any(a.gt(2.5), { axis: 1 }).astype("int32").add(b.astype("int32"))],
  ];
  for (const [what, f] of cases) {
    const [c, g] = both(f, x, y);
    close(c, g, 2e-6, 1e-5, what);
  }
});

Deno.test({ name: "webgpu: while_loop over big values evaluates its predicate on the device", ignore }, () => {
  // 5,000 elements: over the size up to which a loop runs on the host (below).
  const data = Array.from({ length: 5000 }, (_, i) => (i % 7) * 1e-4);
  const [c, g] = both((x: A) => lax.while_loop((v: A) => v.sum().lt(1e6), (v: A) => v.mul(2).add(1), x), {
    data,
    shape: [5000],
  });
  close(c, g, 0, 0, "while");
});

Deno.test({ name: "webgpu: a while_loop over small values runs on the host and gives device arrays", ignore }, () => {
  const loop = (x: A, w: A) =>
    lax.while_loop(
      ([i]: A[]) => i.lt(50),
      ([i, v]: A[]) => [i.add(1), v.mul(0.9).add(jnp.cos(v.mul(w)).mul(0.1))],
      [jnp.array(0, { dtype: "int32" }), x],
    )[1] as A;
  const x = { data: grid(20, -1, 1), shape: [20] }, w = { data: [0.5], shape: [] };
  const [c, g] = both(loop, x, w);
  close(c, g, 0, 0, "host loop"); // the same arithmetic as the cpu backend's
  jax.config.update("jax_platforms", "webgpu");
  try {
    const v = loop(jnp.array(x.data), jnp.array(w.data[0]));
    jax.profiler.reset_counters();
    const next = v.mul(2); // device work
    next.tolist();
    assert.deepEqual(jax.profiler.counters().dispatches, 1, "the loop's result lives on the device");
    jax.profiler.reset_counters();
    loop(jnp.sin(jnp.array(x.data)), jnp.array(w.data[0])).tolist();
    // One read-back brings the operands to the host (the result goes back with its host copy); none per iteration.
    assert.equal(jax.profiler.counters().readbacks, 1, JSON.stringify(jax.profiler.counters()));
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: 300 eager gradient steps at n = 1e6 keep device memory bounded", ignore }, () => {
  jax.config.update("jax_platforms", "webgpu");
  try {
    const x = jnp.sin(jnp.arange(1_000_000).astype("float32")).add(0.5);
    const f = (theta: A) =>
      jnp.sum(x.sub(theta.get(0)).pow(2)).div(jnp.exp(theta.get(1)).mul(2)).add(jnp.exp(theta.get(1)).mul(5e5));
    const df = jax.grad(f);
    let theta = jnp.array([0.0, 0.0]);
    // What the loop itself holds, sampled every step (the process-wide peak includes earlier tests).
    const inUse = () => jax.devices()[0].memory_stats().bytes_in_use;
    const before = inUse();
    let most = 0;
    for (let i = 0; i < 300; i++) {
      theta = theta.sub(df(theta).mul(1e-7));
      most = Math.max(most, inUse() - before);
    }
    theta.tolist();
    most = Math.max(most, inUse() - before);
    assert.ok(most < 64 * 2 ** 20, `the loop held up to ${most} bytes`);
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: counters keep the work queued before a read that grows the shared buffer", ignore }, () => {
  // A synchronous read bigger than any before replaces the buffer the worker counts in; the work
  // queued ahead of that read was once counted in the old one and lost.
  jax.config.update("jax_platforms", "webgpu");
  try {
    const x = jnp.arange(1 << 23, { dtype: "float32" });
    const f = jax.jit((a: A) => a.mul(2).add(1));
    f(x).block_until_ready();
    jax.profiler.reset_counters();
    const y = f(x).dataSync(); // 32 MiB: more than this file read before
    assert.equal(y[3], 7);
    assert.equal(jax.profiler.counters().dispatches, 1);
  } finally {
    jax.config.update("jax_platforms", "");
  }
});

Deno.test({ name: "webgpu: a long eager loop goes to the device in parts, before its read", ignore }, () => {
  // Its kernels are submitted as they queue up, so the device works while the host traces on; a
  // jitted program's stay one submit (see "a jitted 100-step scan is one submit").
  jax.config.update("jax_platforms", "webgpu");
  try {
    const x = jnp.arange(10_000, { dtype: "float32" }).mul(1e-4);
    const g = jax.grad((w: A) => jnp.sum(jnp.tanh(x.mul(w))));
    let w = jnp.array(0.5);
    g(w).block_until_ready();
    jax.profiler.reset_counters();
    for (let i = 0; i < 100; i++) w = w.sub(g(w).mul(1e-3));
    const before = jax.profiler.counters();
    const v = w.item();
    assert.ok(Number.isFinite(v));
    assert.ok(before.submits >= 2, `submits before the read: ${JSON.stringify(before)}`);
  } finally {
    jax.config.update("jax_platforms", "");
  }
});
