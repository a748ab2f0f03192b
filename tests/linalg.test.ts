/**
 * jnp.linalg (det, slogdet, cholesky, eigh, eigvalsh, qr, svd, lstsq, solve,
 * inv) and jax.scipy.linalg (solve_triangular, cholesky, cho_factor,
 * cho_solve, lu, lu_factor):
 * - values and gradients against real JAX (tests/fixtures/linalg_golden.json
 *   from scripts/gen_linalg_golden.py), float32 and float64, singular and
 *   non-positive-definite inputs included;
 * - jvp/vjp against finite differences (tests/check_grads.ts, float64);
 * - vmap against a loop, jit against eager;
 * - webgpu against cpu (ignored when there is no adapter).
 *
 * Eigenvectors and singular vectors are defined up to sign only: they are
 * compared column by column after aligning signs, and the differentiated
 * functions of them are sign-invariant.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp, type NDArray } from "../mod.ts";
import { ShapeError, ValueError } from "../lib/errors.ts";
import { hasBackend } from "../lib/runtime.ts";
import { arr, assertClose, check_grads, enableX64, normal, Rng } from "./check_grads.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

enableX64();

type Enc = { shape: number[]; data: (number | string)[] };
const golden = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/linalg_golden.json", import.meta.url)),
) as { inputs: Record<string, Enc>; float32: Record<string, Enc>; float64: Record<string, Enc> };

const decode = (e: Enc) =>
  e.data.map((v) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v));
const inp = (name: string, dtype: "float32" | "float64" = "float64"): NDArray => {
  const e = golden.inputs[name];
  return jnp.array(decode(e) as number[], { dtype }).reshape(e.shape);
};
const want = (dtype: "float32" | "float64", name: string): { shape: number[]; data: number[] } => {
  const e = golden[dtype][name];
  assert.ok(e, `golden value ${name} missing; rerun scripts/gen_linalg_golden.py`);
  return { shape: e.shape, data: decode(e) as number[] };
};
const values = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>, Number);
const L = jnp.linalg, S = jax.scipy.linalg;
const nth = (x: NDArray[] | NDArray, i: number) => (x as NDArray[])[i];

/** Elementwise closeness with NaN/±inf matching exactly. */
function closeTo(got: NDArray | number[], w: { shape: number[]; data: number[] }, tol: number, what: string) {
  const g = Array.isArray(got) ? got : values(got);
  if (!Array.isArray(got)) assert.deepEqual(got.shape, w.shape, `${what}: shape`);
  assert.equal(g.length, w.data.length, `${what}: size`);
  w.data.forEach((e, i) => {
    const v = g[i];
    if (!Number.isFinite(e)) {
      assert.ok(Object.is(v, e) || (Number.isNaN(e) && Number.isNaN(v)), `${what}[${i}]: got ${v}, JAX ${e}`);
      return;
    }
    assert.ok(
      Math.abs(v - e) <= tol * (1 + Math.abs(e)),
      `${what}[${i}]: got ${v}, JAX ${e}\n  got ${g}\n  JAX ${w.data}`,
    );
  });
}

/** Columns of `got` with signs flipped to match `w` (for vectors defined up to sign). */
function alignColumns(got: NDArray, w: { shape: number[]; data: number[] }): number[] {
  const g = values(got);
  const [rows, cols] = got.shape.slice(-2);
  for (let c = 0; c < cols; c++) {
    let d = 0;
    for (let r = 0; r < rows; r++) d += g[r * cols + c] * w.data[r * cols + c];
    if (d < 0) { for (let r = 0; r < rows; r++) g[r * cols + c] = -g[r * cols + c]; }
  }
  return g;
}

// ---------------------------------------------------------------- values and gradients vs JAX

type GoldenCase = [string, (dt: "float32" | "float64") => NDArray];
const dets = ["gen1", "gen2", "gen3", "gen4", "gen_b", "sing4", "rank2"];
const VALUE_CASES: GoldenCase[] = [
  ["cholesky_spd4", (dt) => L.cholesky(inp("spd4", dt))],
  ["cholesky_upper_spd4", (dt) => L.cholesky(inp("spd4", dt), { upper: true })],
  ["cholesky_spd_b", (dt) => L.cholesky(inp("spd_b", dt))],
  ["cholesky_notpd3", (dt) => L.cholesky(inp("notpd3", dt))],
  ["scipy_cholesky_spd4", (dt) => S.cholesky(inp("spd4", dt))],
  ["solve_tri_lower", (dt) => S.solve_triangular(inp("low4", dt), inp("b4", dt), { lower: true })],
  ["solve_tri_lower_T", (dt) => S.solve_triangular(inp("low4", dt), inp("b4", dt), { lower: true, trans: 1 })],
  ["solve_tri_upper_unit_vec", (dt) => S.solve_triangular(inp("low4", dt).T, inp("v4", dt), { unitDiagonal: true })],
  ["cho_solve_upper", (dt) => S.cho_solve(S.cho_factor(inp("spd4", dt)), inp("b4", dt))],
  ["cho_solve_lower_vec", (dt) => S.cho_solve(S.cho_factor(inp("spd4", dt), { lower: true }), inp("v4", dt))],
  ...dets.map((k): GoldenCase => [`det_${k}`, (dt) => L.det(inp(k, dt))]),
  ...dets.map((k): GoldenCase => [`slogdet_sign_${k}`, (dt) => L.slogdet(inp(k, dt))[0]]),
  ...dets.map((k): GoldenCase => [`slogdet_logabs_${k}`, (dt) => L.slogdet(inp(k, dt))[1]]),
  ...["gen1", "gen3", "gen4", "sing4", "rank2"].map((k): GoldenCase => [
    `grad_det_${k}`,
    (dt) => jax.grad(L.det)(inp(k, dt)) as NDArray,
  ]),
  ["grad_logabsdet_gen4", (dt) => jax.grad((a: NDArray) => L.slogdet(a)[1])(inp("gen4", dt)) as NDArray],
  ["grad_logabsdet_gen2", (dt) => jax.grad((a: NDArray) => L.slogdet(a)[1])(inp("gen2", dt)) as NDArray],
  ["inv_gen4", (dt) => L.inv(inp("gen4", dt))],
  ["inv_sing4", (dt) => L.inv(inp("sing4", dt))],
  ["solve_sing4", (dt) => L.solve(inp("sing4", dt), jnp.ones([4], { dtype: dt }))],
  ["lu_p", (dt) => S.lu(inp("gen4", dt))[0]],
  ["lu_l", (dt) => S.lu(inp("gen4", dt))[1]],
  ["lu_u", (dt) => S.lu(inp("gen4", dt))[2]],
  ...["tall", "wide"].flatMap((k): GoldenCase[] => [
    [`lu_p_${k}`, (dt) => S.lu(inp(k, dt))[0]],
    [`lu_l_${k}`, (dt) => S.lu(inp(k, dt))[1]],
    [`lu_u_${k}`, (dt) => S.lu(inp(k, dt))[2]],
    [`grad_lu_${k}`, (dt) =>
      jax.grad((a: NDArray) => {
        const [, l, u] = S.lu(a);
        return jnp.sum(l.mul(jnp.arange(l.size).astype(dt).reshape(l.shape))).add(jnp.sum(u.pow(2)));
      })(inp(k, dt))],
  ]),
  ["eigh_w_upper_nosym", (dt) => L.eigh(inp("gen4", dt), { UPLO: "U", symmetrizeInput: false })[0]],
  ["lu_factor_lu", (dt) => S.lu_factor(inp("gen4", dt))[0]],
  ["lu_factor_piv", (dt) => S.lu_factor(inp("gen4", dt))[1]],
  ["eigh_w", (dt) => L.eigh(inp("sym4", dt))[0]],
  ["eigvalsh_sym4", (dt) => L.eigvalsh(inp("sym4", dt))],
  ...["tall", "wide"].flatMap((k): GoldenCase[] => [
    [`qr_q_${k}`, (dt) => nth(L.qr(inp(k, dt)), 0)],
    [`qr_r_${k}`, (dt) => nth(L.qr(inp(k, dt)), 1)],
    [`qr_complete_r_${k}`, (dt) => nth(L.qr(inp(k, dt), "complete"), 1)],
    [`svd_s_${k}`, (dt) => nth(L.svd(inp(k, dt), { fullMatrices: false }), 1)],
  ]),
  ["svd_s_gen_b", (dt) => L.svd(inp("gen_b", dt), { computeUv: false }) as NDArray],
  ...["tall", "lowrank", "zeros53"].flatMap((k): GoldenCase[] => [
    [`lstsq_x_${k}`, (dt) => L.lstsq(inp(k, dt), inp("y5", dt))[0]],
    [`lstsq_resid_${k}`, (dt) => L.lstsq(inp(k, dt), inp("y5", dt))[1]],
    [`lstsq_rank_${k}`, (dt) => L.lstsq(inp(k, dt), inp("y5", dt))[2]],
    [`lstsq_s_${k}`, (dt) => L.lstsq(inp(k, dt), inp("y5", dt))[3]],
  ]),
  ...["tall", "wide", "lowrank"].map((k): GoldenCase => [`pinv_${k}`, (dt) => L.pinv(inp(k, dt))]),
  ...["gen4", "sing4", "rank2", "lowrank"].map((k): GoldenCase => [
    `matrix_rank_${k}`,
    (dt) => L.matrix_rank(inp(k, dt)),
  ]),
  ...[0, 1, 5, -2].map((e): GoldenCase => [`matrix_power_${e}`, (dt) => L.matrix_power(inp("gen3", dt), e)]),
  ...([2, -2, "nuc"] as const).flatMap((o): GoldenCase[] => [
    [`norm_${o}_tall`, (dt) => L.norm(inp("tall", dt), { ord: o })],
    [`norm_${o}_gen_b_axes`, (dt) => L.norm(inp("gen_b", dt), { ord: o, axis: [2, 1], keepdims: true })],
  ]),
  ["scipy_eigh_w_upper", (dt) => S.eigh(inp("gen4", dt), { lower: false, eigvalsOnly: true })],
  ["scipy_qr_r_tall", (dt) => S.qr(inp("tall", dt), { mode: "r" })[0]],
  ["scipy_qr_economic_r_tall", (dt) => S.qr(inp("tall", dt), { mode: "economic" })[1]],
  ["scipy_qr_full_q_wide", (dt) => S.qr(inp("wide", dt))[0]],
  ["scipy_svd_s_wide", (dt) => S.svd(inp("wide", dt), { computeUv: false })],
  ...([["small", 0.05], ["mid", 0.4], ["big", 3]] as const).map(([name, scale]): GoldenCase => [
    `expm_${name}`,
    (dt) => S.expm(inp("gen4", dt).mul(jnp.array(scale, { dtype: dt }))),
  ]),
  ["expm_batched", (dt) => S.expm(inp("gen_b", dt).mul(jnp.array(0.5, { dtype: dt })))],
  [
    "expm_upper",
    (dt) =>
      S.expm(inp("gen4", dt).mul(arr([1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1], [4, 4], dt)), {
        upperTriangular: true,
      }),
  ],
  [
    "grad_expm",
    (dt) =>
      jax.grad((a: NDArray) => jnp.sum(S.expm(a).mul(inp("w4", dt))))(
        inp("gen4", dt).mul(jnp.array(0.7, { dtype: dt })),
      ),
  ],
  ["svdvals_tall", (dt) => L.svdvals(inp("tall", dt))],
  ...([["none", null], ["m2", -2], ["1", 1], ["fro", "fro"], ["inf", Infinity]] as const).map((
    [name, p],
  ): GoldenCase => [`cond_${name}_gen4`, (dt) => L.cond(inp("gen4", dt), p)]),
  ["cond_1_sing4", (dt) => L.cond(inp("sing4", dt), 1)],
  ["cond_none_gen_b", (dt) => L.cond(inp("gen_b", dt))],
  ["multi_dot", (dt) => L.multi_dot([inp("v4", dt), inp("gen4", dt), inp("w4", dt), inp("b4", dt)])],
  ["grad_cond", (dt) => jax.grad((a: NDArray) => L.cond(a))(inp("gen4", dt)) as NDArray],
  ["lu_solve_0", (dt) => S.lu_solve(S.lu_factor(inp("gen4", dt)), inp("b4", dt))],
  ["lu_solve_1_vec", (dt) => S.lu_solve(S.lu_factor(inp("gen4", dt)), inp("v4", dt), { trans: 1 })],
  ["grad_pinv_tall", (dt) => jax.grad((a: NDArray) => jnp.sum(L.pinv(a).mul(inp("wide", dt))))(inp("tall", dt))],
  ["grad_pinv_wide", (dt) => jax.grad((a: NDArray) => jnp.sum(L.pinv(a).mul(inp("tall", dt))))(inp("wide", dt))],
  ["grad_norm_nuc", (dt) => jax.grad((a: NDArray) => L.norm(a, { ord: "nuc" }))(inp("tall", dt))],
  [
    "grad_lu_solve",
    (dt) => jax.grad((a: NDArray) => jnp.sum(S.lu_solve(S.lu_factor(a), inp("b4", dt)).pow(2)))(inp("gen4", dt)),
  ],
  ["scipy_solve_pos", (dt) => S.solve(inp("spd4", dt), inp("b4", dt), { assumeA: "pos" })],
  ["scipy_solve_pos_lower_vec", (dt) => S.solve(inp("spd4", dt), inp("v4", dt), { assumeA: "pos", lower: true })],
  [
    "grad_scipy_solve_pos_a",
    (dt) => jax.grad((a: NDArray) => jnp.sum(S.solve(a, inp("b4", dt), { assumeA: "pos" }).pow(2)))(inp("spd4", dt)),
  ],
  [
    "grad_scipy_solve_pos_b",
    (dt) => jax.grad((b: NDArray) => jnp.sum(S.solve(inp("spd4", dt), b, { assumeA: "pos" }).pow(2)))(inp("b4", dt)),
  ],
  ["grad_cholesky", (dt) => jax.grad((a: NDArray) => jnp.sum(L.cholesky(a).mul(inp("w4", dt))))(inp("spd4", dt))],
  [
    "grad_cho_solve",
    (dt) => jax.grad((a: NDArray) => jnp.sum(S.cho_solve(S.cho_factor(a), inp("b4", dt)).pow(2)))(inp("spd4", dt)),
  ],
  [
    "grad_solve_tri",
    (dt) =>
      jax.grad((a: NDArray) => jnp.sum(S.solve_triangular(a, inp("b4", dt), { lower: true }).pow(2)))(inp("low4", dt)),
  ],
  [
    "grad_eigh",
    (dt) =>
      jax.grad((a: NDArray) => {
        const [w, v] = L.eigh(a);
        return jnp.sum(w.mul(jnp.arange(1, 5).astype(dt))).add(jnp.sum(v.pow(2).mul(inp("w4", dt))));
      })(inp("sym4", dt)),
  ],
  [
    "grad_qr",
    (dt) =>
      jax.grad((a: NDArray) => {
        const [q, r] = L.qr(a) as NDArray[];
        return jnp.sum(q.mul(inp("tall", dt).slice(null, [0, 3]))).add(jnp.sum(r.pow(2)));
      })(inp("tall", dt)),
  ],
  [
    "grad_svd",
    (dt) =>
      jax.grad((a: NDArray) => {
        const [u, s] = L.svd(a, { fullMatrices: false }) as NDArray[];
        return jnp.sum(s.mul(inp("w3", dt))).add(jnp.sum(u.pow(2).mul(inp("tall", dt))));
      })(inp("tall", dt)),
  ],
  [
    "grad_qr_complete",
    (dt) =>
      jax.grad((a: NDArray) => {
        const [q, r] = L.qr(a, "complete");
        return jnp.sum(q.mul(inp("w4", dt).get(0).reshape([1, 4]))).add(jnp.sum(r.pow(2)));
      })(inp("tall4x2", dt)),
  ],
  ["grad_lstsq", (dt) => jax.grad((a: NDArray) => jnp.sum(L.lstsq(a, inp("y5", dt))[0].pow(2)))(inp("tall", dt))],
];

// Sign-ambiguous outputs: eigenvectors and singular vectors, compared after aligning column signs.
const VECTOR_CASES: GoldenCase[] = [
  ["eigh_v", (dt) => L.eigh(inp("sym4", dt))[1]],
  ["svd_u_tall", (dt) => nth(L.svd(inp("tall", dt), { fullMatrices: false }), 0)],
  ["svd_u_wide", (dt) => nth(L.svd(inp("wide", dt), { fullMatrices: false }), 0)],
  ["svd_vh_tall", (dt) => jnp.transpose(nth(L.svd(inp("tall", dt), { fullMatrices: false }), 2))],
  ["svd_vh_wide", (dt) => jnp.transpose(nth(L.svd(inp("wide", dt), { fullMatrices: false }), 2))],
];

for (const dt of ["float32", "float64"] as const) {
  const tol = dt === "float32" ? 2e-4 : 1e-9;
  Deno.test(`linalg values and gradients match JAX (${dt}, cpu)`, () => {
    for (const [name, f] of VALUE_CASES) {
      const got = f(dt);
      const intOut = /^(matrix_rank|lstsq_rank|lu_factor_piv)/.test(name);
      assert.equal(got.dtype, intOut ? "int32" : dt, `${name}: dtype`);
      closeTo(got, want(dt, name), tol, `${name} (${dt})`);
    }
  });
  Deno.test(`linalg eigenvectors and singular vectors match JAX up to sign (${dt}, cpu)`, () => {
    for (const [name, f] of VECTOR_CASES) {
      let w = want(dt, name);
      if (name.startsWith("svd_vh")) {
        const [r, c] = w.shape; // transpose JAX's vh to compare columns of v
        w = { shape: [c, r], data: Array.from({ length: r * c }, (_, i) => w.data[(i % r) * c + Math.floor(i / r)]) };
      }
      const got = f(dt);
      closeTo(alignColumns(got, w), w, tol, `${name} (${dt})`);
    }
  });
}

Deno.test("linalg: complete QR of a tall matrix is orthogonal and reconstructs the input", () => {
  const a = inp("tall");
  const [q, r] = L.qr(a, "complete") as NDArray[];
  assert.deepEqual(q.shape, [5, 5]);
  assert.deepEqual(r.shape, [5, 3]);
  assertClose(jnp.matmul(q, r), a, { atol: 1e-12, rtol: 1e-12 });
  assertClose(jnp.matmul(q.T, q), jnp.eye(5), { atol: 1e-12 });
  closeTo(r, want("float64", "qr_complete_r_tall"), 1e-9, "R");
  const [u, s, vh] = L.svd(a) as NDArray[]; // full matrices
  assert.deepEqual([u.shape, s.shape, vh.shape], [[5, 5], [3], [3, 3]]);
  assertClose(jnp.matmul(u.T, u), jnp.eye(5), { atol: 1e-12 });
  assertClose(jnp.matmul(u.slice(null, [0, 3]).mul(s), vh), a, { atol: 1e-12 });
});

// ---------------------------------------------------------------- finite differences

const rng = new Rng(7);
const spd = (n: number) => {
  const m = normal(rng, [n, n]);
  return jnp.matmul(m, m.T).add(jnp.eye(n).mul(n));
};
const GRAD_CASES: [string, (...a: NDArray[]) => NDArray | NDArray[], NDArray[]][] = [
  ["det 4x4 (LU path)", (a) => L.det(a), [normal(rng, [4, 4])]],
  ["det 3x3", (a) => L.det(a), [normal(rng, [3, 3])]],
  ["slogdet 4x4", (a) => L.slogdet(a)[1], [normal(rng, [4, 4])]],
  ["slogdet 2x2", (a) => L.slogdet(a)[1], [normal(rng, [2, 2])]],
  ["cholesky", (a) => L.cholesky(a), [spd(3)]],
  ["solve_triangular", (a, b) => S.solve_triangular(a, b, { trans: "T" }), [spd(3), normal(rng, [3, 2])]],
  // cho_factor reads one triangle while its jvp (JAX's) assumes a symmetric tangent: differentiate along symmetric directions.
  ["cho_solve", (a, b) => S.cho_solve(S.cho_factor(a.add(a.T).div(2)), b), [spd(3), normal(rng, [3])]],
  ["scipy lu", (a) => S.lu(a).slice(1), [normal(rng, [3, 3])]],
  ["scipy lu, tall", (a) => S.lu(a).slice(1), [normal(rng, [4, 2])]],
  ["scipy lu, wide", (a) => S.lu(a, { permuteL: true }), [normal(rng, [2, 4])]],
  ["det 1x1", (a) => L.det(a), [normal(rng, [1, 1])]],
  ["eigh (sign-invariant)", (a) => {
    const [w, v] = L.eigh(a);
    return [w, v.pow(2)];
  }, [spd(3).add(arr([0, 0, 0, 0, 3, 0, 0, 0, 6], [3, 3]))]],
  ["qr reduced", (a) => L.qr(a) as NDArray[], [normal(rng, [4, 3])]],
  ["qr complete, tall", (a) => L.qr(a, "complete") as NDArray[], [normal(rng, [4, 2])]],
  ["qr, wide", (a) => L.qr(a) as NDArray[], [normal(rng, [2, 4])]],
  ["svd (sign-invariant)", (a) => {
    const [u, s, vh] = L.svd(a, { fullMatrices: false }) as NDArray[];
    return [s, jnp.matmul(u.mul(s), vh), u.pow(2)];
  }, [normal(rng, [4, 3])]],
  ["lstsq", (a, b) => L.lstsq(a, b).slice(0, 2) as NDArray[], [normal(rng, [5, 3]), normal(rng, [5])]],
  ["inv", (a) => L.inv(a), [spd(3)]],
  ["expm", (a) => S.expm(a), [normal(rng, [3, 3]).mul(0.5)]],
  // Reads one triangle of a while its jvp (JAX's custom_linear_solve) uses all of ȧ: differentiate along symmetric directions.
  ["scipy solve, assumeA pos", (a, b) => S.solve(a.add(a.T).div(2), b, { assumeA: "pos" }), [
    spd(3),
    normal(rng, [3, 2]),
  ]],
  ["pinv, tall", (a) => L.pinv(a), [normal(rng, [4, 2])]],
  ["pinv, wide", (a) => L.pinv(a), [normal(rng, [2, 3])]],
  ["norm ord=2 and nuc", (a) => [L.norm(a, { ord: 2 }), L.norm(a, { ord: "nuc" })], [normal(rng, [3, 2])]],
  ["matrix_power", (a) => [L.matrix_power(a, 5), L.matrix_power(a, -1)], [spd(2)]],
  ["lu_solve", (a, b) => S.lu_solve(S.lu_factor(a), b, { trans: 1 }), [
    normal(rng, [3, 3]).add(jnp.eye(3).mul(3)),
    normal(rng, [3, 2]),
  ]],
];
for (const [name, f, args] of GRAD_CASES) {
  Deno.test(`linalg ${name}: jvp and vjp vs finite differences (order 2)`, () => {
    check_grads(f, args, 2, { atol: 1e-6, rtol: 1e-6 }, name);
  });
}

Deno.test("linalg: det gradient of singular matrices is the adjugate, as JAX (finite, not NaN)", () => {
  const g = jax.grad(L.det)(inp("sing4")) as NDArray;
  closeTo(g, want("float64", "grad_det_sing4"), 1e-12, "grad det rank 3");
  const z = jax.grad(L.det)(inp("rank2")) as NDArray;
  assert.deepEqual(values(z), Array(16).fill(0));
});

// ---------------------------------------------------------------- vmap and jit

const B = 3;
const batchOf = (mk: () => NDArray[]) => Array.from({ length: B }, mk);
const TRANSFORM_CASES: [string, (...a: NDArray[]) => NDArray | NDArray[], () => NDArray[]][] = [
  ["det 4x4", (a) => L.det(a), () => [normal(rng, [4, 4])]],
  ["det 3x3", (a) => L.det(a), () => [normal(rng, [3, 3])]],
  ["slogdet", (a) => L.slogdet(a), () => [normal(rng, [4, 4])]],
  ["cholesky", (a) => L.cholesky(a), () => [spd(3)]],
  ["solve_triangular", (a, b) => S.solve_triangular(a, b, { lower: true }), () => [spd(3), normal(rng, [3, 2])]],
  ["cho_solve", (a, b) => S.cho_solve(S.cho_factor(a, { lower: true }), b), () => [spd(3), normal(rng, [3])]],
  ["lu", (a) => S.lu(a), () => [normal(rng, [3, 3])]],
  ["lu, wide", (a) => S.lu(a), () => [normal(rng, [2, 3])]],
  ["eigh", (a) => L.eigh(a), () => [spd(3)]],
  ["qr", (a) => L.qr(a) as NDArray[], () => [normal(rng, [4, 3])]],
  ["svd", (a) => L.svd(a, { fullMatrices: false }) as NDArray[], () => [normal(rng, [3, 4])]],
  ["lstsq", (a, b) => L.lstsq(a, b), () => [normal(rng, [5, 3]), normal(rng, [5])]],
  ["grad det", (a) => jax.grad(L.det)(a) as NDArray, () => [normal(rng, [4, 4])]],
  ["pinv", (a) => L.pinv(a), () => [normal(rng, [3, 2])]],
  ["expm (per-matrix degree and squarings)", (a) => S.expm(a), () => [normal(rng, [3, 3]).mul(rng.uniform(0.01, 4))]],
  ["scipy solve pos", (a, b) => S.solve(a, b, { assumeA: "pos" }), () => [spd(3), normal(rng, [3])]],
  ["matrix_rank", (a) => L.matrix_rank(a), () => [normal(rng, [3, 2])]],
  ["lu_solve", (a, b) => S.lu_solve(S.lu_factor(a), b), () => [normal(rng, [3, 3]), normal(rng, [3])]],
];
for (const [name, f, mk] of TRANSFORM_CASES) {
  Deno.test(`linalg ${name}: vmap == loop, jit == eager`, () => {
    const each = batchOf(mk);
    const stacked = each[0].map((_, i) => jnp.stack(each.map((e) => e[i])));
    const loop = each.map((e) => f(...e));
    const expected = jax.tree_util.tree_map((...ls: NDArray[]) => jnp.stack(ls), loop[0], ...loop.slice(1));
    assertClose(jax.vmap(f)(...stacked), expected, { atol: 1e-12, rtol: 1e-10 }, "vmap");
    // Batch axis last on the first operand, unbatched second operand.
    if (each[0].length === 2) {
      const lastAxis = jnp.stack(each.map((e) => e[0]), { axis: each[0][0].ndim });
      const loop2 = each.map((e) => f(e[0], each[0][1]));
      const exp2 = jax.tree_util.tree_map((...ls: NDArray[]) => jnp.stack(ls), loop2[0], ...loop2.slice(1));
      const got2 = jax.vmap(f, { inAxes: [each[0][0].ndim, null] })(lastAxis, each[0][1]);
      assertClose(got2, exp2, { atol: 1e-12, rtol: 1e-10 }, "vmap, batch axis last and an unbatched operand");
    }
    assertClose(jax.jit(f)(...each[0]), f(...each[0]), { atol: 1e-13, rtol: 1e-13 }, "jit");
  });
}

Deno.test("linalg: leading batch axes broadcast as in JAX", () => {
  const a = jnp.stack([spd(3), spd(3)]);
  const b = normal(rng, [3]);
  const x = S.cho_solve(S.cho_factor(a), b.reshape([3, 1]));
  assert.deepEqual(x.shape, [2, 3, 1]);
  assertClose(jnp.matmul(a, x), jnp.stack([b, b]).reshape([2, 3, 1]), { atol: 1e-12 });
  assert.deepEqual(L.det(jnp.stack([a, a])).shape, [2, 2]);
});

// ---------------------------------------------------------------- errors

Deno.test("linalg: bad shapes and options raise named errors", () => {
  assert.throws(() => L.det(jnp.ones([2, 3])), ShapeError);
  assert.throws(() => L.cholesky(jnp.ones([3])), ShapeError);
  assert.throws(() => L.slogdet(jnp.ones([3, 2])), ShapeError);
  assert.throws(() => S.solve_triangular(jnp.eye(3), jnp.ones([2])), ShapeError);
  assert.throws(() => S.solve_triangular(jnp.eye(3), jnp.ones([3]), { trans: 3 as 0 }), ValueError);
  assert.throws(() => L.lstsq(jnp.ones([3, 2]), jnp.ones([4])), ShapeError);
  assert.throws(() => L.qr(jnp.ones([3, 2]), "raw" as "r"), ValueError);
  assert.throws(
    () => jax.grad((a: NDArray) => jnp.sum(L.svd(a)[0]))(jnp.ones([3, 2])),
    ValueError,
  );
});

// ---------------------------------------------------------------- webgpu vs cpu

const gpu = hasBackend("webgpu");
const onBackend = (platform: string, f: () => NDArray | NDArray[]) => {
  jax.config.update("jax_platforms", platform);
  jax.config.update("jax_enable_x64", false);
  try {
    assert.equal(jax.devices()[0].platform, platform, "platform in use");
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((o) => ({ shape: o.shape, dtype: o.dtype, data: values(o) }));
  } finally {
    jax.config.update("jax_platforms", "");
    enableX64();
  }
};
Deno.test({ name: "linalg: webgpu matches cpu (values, grad, vmap, jit; float32)", ignore: !gpu }, () => {
  const m = (name: string) => {
    const e = golden.inputs[name];
    return () => jnp.array(decode(e) as number[], { dtype: "float32" }).reshape(e.shape);
  };
  const spd4 = m("spd4"), gen4 = m("gen4"), tall = m("tall"), b4 = m("b4");
  const cases: [string, () => NDArray | NDArray[]][] = [
    ["cholesky", () => L.cholesky(spd4())],
    ["cho_solve", () => S.cho_solve(S.cho_factor(spd4()), b4())],
    ["det + slogdet", () => [L.det(gen4()), ...L.slogdet(gen4())]],
    ["grad det", () => jax.grad(L.det)(gen4()) as NDArray],
    ["jit eigh", () => jax.jit((a: NDArray) => L.eigh(a)[0])(spd4())],
    ["vmap qr", () => jax.vmap((a: NDArray) => (L.qr(a) as NDArray[])[1])(jnp.stack([tall(), tall().mul(2)]))],
    ["svd values + lstsq", () => [L.svd(tall(), { computeUv: false }) as NDArray, L.lstsq(tall(), m("y5")())[0]]],
    ["solve_triangular + lu_solve", () => [
      S.solve_triangular(m("low4")(), b4(), { lower: true, trans: 1 }),
      S.lu_solve(S.lu_factor(gen4()), b4()),
    ]],
    ["scipy lu", () => S.lu(tall())],
    ["expm", () => S.expm(gen4().mul(0.4))],
    ["pinv + norm nuc + matrix_rank", () => [L.pinv(tall()), L.norm(tall(), { ord: "nuc" }), L.matrix_rank(tall())]],
    [
      "grad scipy solve pos",
      () => jax.grad((a: NDArray) => jnp.sum(S.solve(a, b4(), { assumeA: "pos" }).pow(2)))(spd4()),
    ],
    ["jit grad eigh", () =>
      jax.jit(jax.grad((a: NDArray) => {
        const [w, v] = L.eigh(a);
        return jnp.sum(w).add(jnp.sum(v.pow(2).mul(a)));
      }))(spd4())],
  ];
  for (const [name, f] of cases) {
    const c = onBackend("cpu", f), g = onBackend("webgpu", f);
    c.forEach((co, i) => {
      assert.deepEqual(g[i].shape, co.shape, `${name}: shape`);
      assert.equal(g[i].dtype, co.dtype, `${name}: dtype`);
      co.data.forEach((v, k) =>
        assert.ok(
          Math.abs(g[i].data[k] - v) <= 1e-4 * (1 + Math.abs(v)),
          `${name}[${i}][${k}]: webgpu ${g[i].data[k]} vs cpu ${v}`,
        )
      );
    });
  }
});

Deno.test("linalg: jnp.linalg results stay usable as plain values", () => {
  const x = arr([4, 2, 2, 5], [2, 2]);
  assert.deepEqual(L.cholesky(x).tolist(), [[2, 0], [1, 2]]);
});
