/**
 * Register-blocked matmul kernels in WGSL. Each invocation computes a
 * `4 x 4` block of outputs in four vec4 accumulators, stepping k four at a
 * time with vec4 loads where an operand's layout allows them (its
 * contiguous axis is the one loaded and its strides are multiples of 4),
 * and scalar loads gathered into vec4s otherwise. No workgroup memory and no
 * barriers: on llvmpipe a 16x16 shared-memory tiled kernel ran 0.5 GFLOP/s,
 * a register-blocked one ~10x that.
 *
 * Long contractions are split along k into `splits` partial products, summed
 * by a second small pass, so no invocation loops more than the loop budget
 * (llvmpipe stops any invocation after 65,535 loop iterations) and thin
 * products (a matrix times a vector, a dot product) still fill the device.
 *
 * The thread layout comes from a small tuning table keyed by the adapter
 * description.
 *
 * @module
 */

import type { DType } from "../dtype.ts";
import type { MatmulOperand, MatmulSpec } from "../kernel/ir.ts";
import { LOOP_BUDGET, storageType } from "./wgsl.ts";

/** Thread layout of the matmul kernel on one kind of adapter. */
export interface MatmulTuning {
  /** Invocations per workgroup. */
  workgroup: number;
  /** Invocations of a workgroup side by side along n (the rest go along m); divides `workgroup`. */
  lanesN: number;
  /** Output rows per invocation. */
  rows: number;
  /** Output columns per invocation, in vec4s. */
  colVecs: number;
  /** Whether consecutive workgroups walk down m (sharing b's column strip in cache) rather than along n. */
  mFirst: boolean;
  /** k steps (of 4) an invocation should run at least before k is split to make more invocations. */
  minSteps: number;
  /** Invocations wanted in flight; fewer output blocks than this split k. */
  wantThreads: number;
}

/**
 * Matmul layouts per adapter, first match wins. On llvmpipe a workgroup of 8
 * is one SIMD register of invocations: rows then depend on the workgroup
 * only, so a's loads are uniform (one scalar load, not a gather per lane),
 * and the 8 lanes read neighbouring vec4s of b's rows.
 */
export const MATMUL_TUNING: { match: RegExp; tuning: MatmulTuning }[] = [
  {
    match: /llvmpipe|lavapipe|swiftshader|fallback/i,
    tuning: { workgroup: 8, lanesN: 8, rows: 16, colVecs: 2, mFirst: true, minSteps: 64, wantThreads: 512 },
  },
  {
    match: /./,
    tuning: { workgroup: 64, lanesN: 16, rows: 4, colVecs: 1, mFirst: false, minSteps: 32, wantThreads: 16384 },
  },
];

/** How one matmul runs: the grid and the split of k. */
export interface MatmulPlan {
  tuning: MatmulTuning;
  /** Partial products along k (1 = no second pass). */
  splits: number;
  /** k elements per split (a multiple of 4 when splits > 1). */
  kChunk: number;
  /** Workgroups along n and m per (split, batch). */
  groupsN: number;
  groupsM: number;
  /** Workgroups to launch. */
  groups: number;
}

/** Whether the matmul template handles this product (otherwise the generic reduction kernel runs). */
export function canMatmul(m: MatmulSpec, dtype: DType): boolean {
  const ok = (d: DType) => d === "float32" || d === "int32" || d === "uint32";
  return ok(dtype) && m.a.dtype === dtype && m.b.dtype === dtype;
}

/** The tuning row for an adapter description. */
export function matmulTuning(description: string): MatmulTuning {
  return MATMUL_TUNING.find((t) => t.match.test(description))!.tuning;
}

/** Chooses the grid and k split of a matmul on an adapter. */
export function planMatmul(m: MatmulSpec, table: MatmulTuning): MatmulPlan {
  // Small products take smaller blocks: less wasted work at the edges, shorter shaders to compile.
  const rows = Math.min(table.rows, Math.max(4, 4 * Math.ceil(m.m / 4)));
  const colVecs = Math.min(table.colVecs, Math.ceil(m.n / (4 * table.lanesN)));
  const tuning = { ...table, rows, colVecs };
  const lanesM = tuning.workgroup / tuning.lanesN;
  const cols = 4 * tuning.colVecs;
  const groupsN = Math.ceil(m.n / (cols * tuning.lanesN));
  const groupsM = Math.ceil(m.m / (tuning.rows * lanesM));
  const blocks = m.batch * Math.ceil(m.m / tuning.rows) * Math.ceil(m.n / cols);
  // Split k when one invocation would pass the loop budget, or when there are
  // too few output blocks to keep the device busy and k is long.
  const steps = Math.ceil(m.k / 4);
  const forBudget = Math.ceil(steps / (LOOP_BUDGET - 8));
  const forThreads = Math.min(Math.ceil(tuning.wantThreads / blocks), Math.floor(steps / tuning.minSteps), 256);
  let splits = Math.max(1, forBudget, forThreads);
  const kChunk = splits > 1 ? Math.ceil(steps / splits) * 4 : m.k;
  splits = Math.ceil(m.k / kChunk);
  return { tuning, splits, kChunk, groupsN, groupsM, groups: groupsN * groupsM * m.batch * splits };
}

/** Which vec4 load an operand allows: along its k axis, along its other axis, or none. */
function vecAxis(o: MatmulOperand, kAxis: 1 | 2, otherExtent: number, kChunk: number): "k" | "o" | null {
  const other = kAxis === 2 ? 1 : 2;
  const aligned = (axis: number) => o.offset % 4 === 0 && o.strides.every((s, i) => i === axis || s % 4 === 0);
  if (o.strides[kAxis] === 1 && kChunk % 4 === 0 && aligned(kAxis)) return "k";
  if (o.strides[other] === 1 && otherExtent % 4 === 0 && aligned(other)) return "o";
  return null;
}

/**
 * WGSL source of a matmul (the first pass when the plan splits k: partial
 * `s` of output `i` is written at `s * size + i`). `bindings` are the two
 * operands' binding numbers (output at 0).
 */
export function renderMatmul(m: MatmulSpec, dtype: DType, plan: MatmulPlan, bindings: [number, number]): string {
  const T = storageType(dtype);
  const V = `vec4<${T}>`;
  const size = m.batch * m.m * m.n;
  const { workgroup, lanesN, rows, colVecs } = plan.tuning;
  const kChunk = plan.kChunk;
  const av = vecAxis(m.a, 2, m.m, kChunk), bv = vecAxis(m.b, 1, m.n, kChunk);
  const [a0, a1, a2] = m.a.strides, [b0, b1, b2] = m.b.strides;
  // Loads by element index: a vec4-typed binding also serves scalar reads.
  const vecA = (e: string) => `ina[(${e}) / 4u]`, vecB = (e: string) => `inb[(${e}) / 4u]`;
  const sA = (e: string) => (av ? `ina_s(${e})` : `ina[${e}]`), sB = (e: string) => (bv ? `inb_s(${e})` : `inb[${e}]`);
  const K4 = [0, 1, 2, 3];
  const R = [...Array(rows).keys()], C = [...Array(colVecs).keys()], J = [...Array(4 * colVecs).keys()];
  const body: string[] = [];
  // a(i, kk): row i of the block at k + kk.
  let a: (i: number, kk: number) => string;
  if (av === "k") {
    for (const i of R) body.push(`let a${i} = ${vecA(`ar${i} + k`)};`);
    a = (i, kk) => `a${i}[${kk}]`;
  } else if (av === "o" && rows % 4 === 0) {
    for (const kk of K4) {
      for (let q = 0; q < rows / 4; q++) {
        body.push(`let a${kk}_${q} = ${vecA(`abase + (k + ${kk}u) * ${a2}u + row0 + ${4 * q}u`)};`);
      }
    }
    a = (i, kk) => `a${kk}_${i >> 2}[${i & 3}]`;
  } else {
    for (const i of R) {
      body.push(`let a${i} = ${V}(${K4.map((kk) => sA(`ar${i} + (k + ${kk}u) * ${a2}u`)).join(", ")});`);
    }
    a = (i, kk) => `a${i}[${kk}]`;
  }
  // b${kk}_${c}: the block's columns 4c..4c+3 at k + kk.
  if (bv === "o") {
    for (const kk of K4) {
      for (const c of C) body.push(`let b${kk}_${c} = ${vecB(`bbase + (k + ${kk}u) * ${b1}u + col0 + ${4 * c}u`)};`);
    }
  } else if (bv === "k") {
    for (const j of J) body.push(`let c${j} = ${vecB(`bc${j} + k`)};`);
    for (const kk of K4) {
      for (const c of C) body.push(`let b${kk}_${c} = ${V}(${K4.map((j) => `c${4 * c + j}[${kk}]`).join(", ")});`);
    }
  } else {
    for (const kk of K4) {
      for (const c of C) {
        body.push(
          `let b${kk}_${c} = ${V}(${K4.map((j) => sB(`bc${4 * c + j} + (k + ${kk}u) * ${b1}u`)).join(", ")});`,
        );
      }
    }
  }
  for (const i of R) {
    for (const c of C) body.push(`acc${i}_${c} += ${K4.map((kk) => `${a(i, kk)} * b${kk}_${c}`).join(" + ")};`);
  }
  // The tail (k not a multiple of 4) steps one k at a time with scalar loads.
  const tail = [
    ...C.map((c) => `let tb${c} = ${V}(${K4.map((j) => sB(`bc${4 * c + j} + k * ${b1}u`)).join(", ")});`),
    ...R.map((i) => `let ta${i} = ${sA(`ar${i} + k * ${a2}u`)};`),
    ...R.flatMap((i) => C.map((c) => `acc${i}_${c} += ta${i} * tb${c};`)),
  ];
  const stores = R.flatMap((i) =>
    J.map((j) =>
      `if (row0 + ${i}u < ${m.m}u && col0 + ${j}u < ${m.n}u) { out[o + ${i * m.n + j}u] = acc${i}_${j >> 2}[${
        j & 3
      }]; }`
    )
  );
  const zero = dtype === "float32" ? "0.0" : dtype === "int32" ? "0" : "0u";
  const gnm = plan.groupsN * plan.groupsM;
  const src = [
    `@group(0) @binding(0) var<storage, read_write> out: array<${T}>;`,
    `@group(0) @binding(${bindings[0]}) var<storage, read> ina: array<${av ? V : T}>;`,
    `@group(0) @binding(${bindings[1]}) var<storage, read> inb: array<${bv ? V : T}>;`,
    av ? `fn ina_s(i: u32) -> ${T} { return ina[i / 4u][i % 4u]; }` : "",
    bv ? `fn inb_s(i: u32) -> ${T} { return inb[i / 4u][i % 4u]; }` : "",
    `@compute @workgroup_size(${workgroup})`,
    `fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {`,
    `  let g = wid.x + wid.y * nwg.x;`,
    `  if (g >= ${plan.groups}u) { return; }`,
    ...(plan.tuning.mFirst
      ? [`  let gm = g % ${plan.groupsM}u;`, `  let gn = (g / ${plan.groupsM}u) % ${plan.groupsN}u;`]
      : [`  let gn = g % ${plan.groupsN}u;`, `  let gm = (g / ${plan.groupsN}u) % ${plan.groupsM}u;`]),
    `  let bt = (g / ${gnm}u) % ${m.batch}u;`,
    `  let sp = g / ${gnm * m.batch}u;`,
    `  let col0 = (gn * ${lanesN}u + li % ${lanesN}u) * ${4 * colVecs}u;`,
    workgroup === lanesN
      ? `  let row0 = gm * ${rows}u;`
      : `  let row0 = (gm * ${workgroup / lanesN}u + li / ${lanesN}u) * ${rows}u;`,
    `  if (row0 >= ${m.m}u || col0 >= ${m.n}u) { return; }`,
    `  let k0 = sp * ${kChunk}u;`,
    `  let k1 = min(k0 + ${kChunk}u, ${m.k}u);`,
    `  let k4 = k0 + (k1 - k0) / 4u * 4u;`,
    `  let abase = ${m.a.offset}u + bt * ${a0}u;`,
    `  let bbase = ${m.b.offset}u + bt * ${b0}u;`,
    // Element offsets of the block's rows of a and columns of b, clamped to the matrix (edge stores are masked).
    ...R.map((i) => `  let ar${i} = abase + min(row0 + ${i}u, ${m.m - 1}u) * ${a1}u;`),
    ...J.map((j) => `  let bc${j} = bbase + min(col0 + ${j}u, ${m.n - 1}u) * ${b2}u;`),
    ...R.flatMap((i) => C.map((c) => `  var acc${i}_${c} = ${V}(${zero});`)),
    `  for (var k = k0; k < k4; k += 4u) {`,
    ...body.map((l) => `    ${l}`),
    `  }`,
    `  for (var k = k4; k < k1; k++) {`,
    ...tail.map((l) => `    ${l}`),
    `  }`,
    `  let o = sp * ${size}u + (bt * ${m.m}u + row0) * ${m.n}u + col0;`,
    ...stores.map((l) => `  ${l}`),
    `}`,
  ];
  return src.filter(Boolean).join("\n");
}
