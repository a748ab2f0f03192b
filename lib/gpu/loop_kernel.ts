/**
 * A whole loop as one shader: when every dispatch of a recorded loop body is
 * small (a few workgroups: a small scan, such as the tutorial's gradient
 * descent), the body's kernels become functions of one single-workgroup
 * shader that loops over the iterations itself, with a storage barrier
 * between the steps. A
 * 100-step scan then costs one dispatch instead of one per kernel per step
 * (~25-30 µs each on llvmpipe, more than such a step's work).
 *
 * The carries live in buffers of their own: copied in from the initial
 * carries on the first chunk, and from the step's outputs at the end of each
 * iteration. Each invocation stays under llvmpipe's 65,535 loop-iteration
 * cap: a long loop runs as chunks of iterations, one dispatch each, with the
 * chunk's length and first index in the scalar array.
 *
 * @module
 */

import type { DType } from "../dtype.ts";
import type { Kernel } from "../kernel/ir.ts";
import type { Command } from "./protocol.ts";
import {
  helperSource,
  innerLoopCost,
  type InputKind,
  invocations,
  LOOP_BUDGET,
  MAX_TOGETHER,
  type ReductionPlan,
  renderBody,
  storageType,
  WORKGROUP,
} from "./wgsl.ts";

/** One kernel of the loop body, as the loop shader runs it. */
export interface LoopStep {
  kernel: Kernel;
  kinds: InputKind[];
  types: DType[];
  plan?: ReductionPlan;
  /** Bindings of its output and of its buffer inputs, in order. */
  out: number;
  ins: number[];
  /** Where its scalars start in the loop's scalar array (after LOOP_HEADER), and which of them is the loop index. */
  scalarBase: number;
  indexSlots: ReadonlySet<number>;
}

/**
 * A copy of `size` elements from binding `from` to binding `to`: to its
 * start, or to row `index` (the iteration's loop index) or `first` (the
 * loop's first index, whose iteration ran before the shader) of a stack of
 * per-iteration outputs.
 */
export interface LoopCopy {
  from: number;
  to: number;
  size: number;
  row?: "index" | "first";
}

/** The parts of a loop shader. */
export interface LoopShader {
  /** Storage element type of each binding; the first `rw` are read_write, the rest read-only. */
  bindings: string[];
  rw: number;
  /** Loop-invariant kernels, run once per dispatch before the loop. */
  prologue: LoopStep[];
  /** The body's kernels, in order. */
  steps: LoopStep[];
  /**
   * On the first chunk only: the initial carries into the carry buffers and
   * the first iteration's ys into their stacks. At the end of each
   * iteration: its ys into their stacks, then its carries into the carry
   * buffers.
   */
  inits: LoopCopy[];
  stacks: LoopCopy[];
  copies: LoopCopy[];
  /** How the loop index moves per iteration: 1, or -1 for a reversed scan. */
  dir: 1 | -1;
}

/** The scalar array starts with: 1 on the first chunk (else 0), the chunk's iterations, its first index (int32 bits). */
export const LOOP_HEADER = 3;

/** Kernels of at most this many workgroups' invocations join a loop shader (its one workgroup loops over them). */
export const MAX_LOOP_GROUPS = 16;

/**
 * Loop iterations one invocation of the loop shader runs for a kernel: its
 * share of the kernel's invocations, their reduction loops and helpers'
 * loops. llvmpipe counts a loop's final, failing test against its cap as
 * well: a loop of n trips costs n + 1 (measured: a loop of 60,000 outer
 * iterations, each running 8 inner loops of 1 trip, stopped after 3,855 =
 * 65,535 / 17).
 */
export function stepTrips(k: Kernel, plan?: ReductionPlan): number {
  return Math.ceil(invocations(k, plan) / WORKGROUP) * invocationTrips(k, plan) + 1;
}

/** Loop trips one invocation of a kernel costs: its reduction loop's and its helpers' (see stepTrips). */
export function invocationTrips(k: Kernel, plan?: ReductionPlan): number {
  const inner = innerLoopCost(k.expr) + (k.epilogue ? innerLoopCost(k.epilogue) : 0);
  if (!k.reduce) return (plan?.vec ?? 1) * (1 + inner);
  const vec = plan?.vec ?? 1;
  const chunk = plan?.chunk ?? k.reduce.size;
  const outs = (plan?.parts ?? 1) > 1 && k.size <= MAX_TOGETHER ? k.size : 1;
  return 2 + Math.ceil(chunk / vec) * (1 + vec * outs * innerLoopCost(k.expr)) + inner;
}

const copyTrips = (c: LoopCopy) => Math.ceil(c.size / WORKGROUP) + 1;

/**
 * Loop trips per invocation an iteration may cost in a loop shader. Its one
 * workgroup runs on one core, where separate dispatches would spread a big
 * step over all of them: past this (~10-20 µs of work on llvmpipe, about a
 * dispatch's overhead) the dispatches are faster.
 */
export const MAX_ITERATION_TRIPS = 2048;

/**
 * Loop trips an iteration may cost all the invocations of its kernels
 * together in a loop shader. The workgroup's invocations share one core
 * (llvmpipe runs them 8 at a time), so its time grows with their number
 * while dispatches spread it over all cores. The tutorial's 100-step scan
 * (~n / 4 lane trips a step), loop shader against one dispatch a step with
 * folding (see fold.ts): 16.4 against 17.9 ms at n = 1e4, 18.0 against 18.8
 * at 2e4, 22.0 against 19.1 at 3e4, 34.2 against 25.8 at 1e5.
 */
export const MAX_ITERATION_WORK = 6144;

/** Iterations one dispatch of the loop shader may run without passing llvmpipe's cap (0: not even one, or too slow). */
export function iterationsPerDispatch(s: LoopShader): number {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const once = sum(s.inits.map(copyTrips)) + sum(s.prologue.map((p) => stepTrips(p.kernel, p.plan)));
  const each = 1 + sum(s.steps.map((p) => stepTrips(p.kernel, p.plan))) +
    sum([...s.stacks, ...s.copies].map(copyTrips));
  const work = sum(s.steps.map((p) => invocations(p.kernel, p.plan) * invocationTrips(p.kernel, p.plan)));
  if (each > MAX_ITERATION_TRIPS || work > MAX_ITERATION_WORK) return 0;
  return Math.max(0, Math.floor((LOOP_BUDGET - once - 1) / each));
}

/** WGSL of the loop shader: binding `i` is `b{i}`, the scalar array follows them. */
export function renderLoop(s: LoopShader): string {
  const helpers = new Set<string>();
  const index = `bitcast<u32>(bitcast<i32>(sc[2]) ${s.dir > 0 ? "+" : "-"} it)`;
  const fn = (p: LoopStep, name: string) => {
    const bufs = p.kinds.map((k) => (k.kind === "buf" ? p.ins[k.binding - 1] : -1));
    const r = renderBody(p.kernel, p.kinds, p.types, p.plan, {
      out: `b${p.out}`,
      input: (i) => `b${bufs[i]}`,
      scalar: (slot) => (p.indexSlots.has(slot) ? index : `sc[${LOOP_HEADER + p.scalarBase + slot}]`),
    }, false);
    r.helpers.forEach((h) => helpers.add(h));
    // The workgroup's invocations take the kernel's invocations WORKGROUP apart.
    return `fn ${name}_at(gi: i32, it: i32) {\n  ${r.body}\n}\n` +
      `fn ${name}(li: i32, it: i32) {\n  for (var gi = li; gi < ${r.total}; gi += ${WORKGROUP}) { ${name}_at(gi, it); }\n}`;
  };
  const fns = [...s.prologue.map((p, j) => fn(p, `pro${j}`)), ...s.steps.map((p, j) => fn(p, `step${j}`))];
  const row = (c: LoopCopy) =>
    c.row === "index"
      ? `${index} * ${c.size}u + `
      : c.row === "first"
      ? `bitcast<u32>(bitcast<i32>(sc[2]) ${s.dir > 0 ? "-" : "+"} 1) * ${c.size}u + `
      : "";
  const copy = (c: LoopCopy) =>
    `for (var e = gi; e < ${c.size}; e += ${WORKGROUP}) { b${c.to}[${row(c)}u32(e)] = b${c.from}[e]; }`;
  const decls = s.bindings.map((t, i) =>
    `@group(0) @binding(${i}) var<storage, ${i < s.rw ? "read_write" : "read"}> b${i}: array<${t}>;`
  );
  return [
    ...decls,
    `@group(0) @binding(${s.bindings.length}) var<storage, read> sc: array<u32>;`,
    helperSource(helpers),
    ...fns,
    `@compute @workgroup_size(${WORKGROUP})`,
    `fn main(@builtin(local_invocation_index) li: u32) {`,
    `  let gi = i32(li);`,
    `  if (sc[0] == 1u) {\n${s.inits.map((c) => `    ${copy(c)}`).join("\n")}\n  }`,
    `  storageBarrier();`,
    ...s.prologue.map((_, j) => `  pro${j}(gi, 0);\n  storageBarrier();`),
    `  for (var it = 0; it < bitcast<i32>(sc[1]); it++) {`,
    ...s.steps.map((_, j) => `    step${j}(gi, it);\n    storageBarrier();`),
    ...s.stacks.map((c) => `    ${copy(c)}`),
    ...(s.stacks.length && s.copies.length ? [`    storageBarrier();`] : []),
    ...s.copies.map((c) => `    ${copy(c)}`),
    `    storageBarrier();`,
    `  }`,
    `}`,
  ].filter(Boolean).join("\n");
}

/** How a recorded kernel was rendered (see GpuBackend's dispatch). */
export interface StepRender {
  kernel: Kernel;
  kinds: InputKind[];
  types: DType[];
  /** A reduction's plan (a loop shader lays elementwise kernels out itself). */
  plan?: ReductionPlan;
  /** The plan its own dispatch used (an elementwise one's too), and its size's scalar slot (see sizeFree). */
  layout?: ReductionPlan;
  sizeSlot?: number;
}

/** What the recording of one loop iteration holds (see LoopRecorder in backend.ts). */
export interface RecordedLoop {
  cmds: readonly Command[];
  /** Per run command (by position): how its kernel was rendered, null when it is not a plain kernel. */
  renders: ReadonlyMap<number, StepRender | null>;
  /** Per run command: its scalar slots holding a tracked scalar, [slot, which] (which 0 = the loop index). */
  index: ReadonlyMap<number, [number, number][]>;
  /** Buffers the iteration allocated, and their dtypes. */
  allocated: ReadonlyMap<number, number>;
  dtypes: ReadonlyMap<number, { dtype: DType; size: number }>;
}

/**
 * What a binding of the loop shader holds: carry j's buffer, the stack of y
 * j's values, a recorded temporary, carry j's initial value, the first
 * iteration's y j, or a buffer the body only reads.
 */
export type LoopBinding =
  | { carry: number }
  | { stack: number }
  | { temp: number }
  | { init: number }
  | { first: number }
  | { fixed: number };

/** Where an output of an iteration (a carry's next value or a y) comes from (as GpuBackend.recordLoop's spec). */
export type CarryOut = { varying: number } | { alloc: number } | { fixed: number };

/** A loop shader for a recorded iteration, with what to bind and the body's fixed scalars; null when the loop does not fit one. */
export interface LoopPlan {
  code: string;
  rw: number;
  bindings: LoopBinding[];
  /** The steps' scalars, in the layout the shader reads after LOOP_HEADER. */
  scalars: number[];
  /** Iterations per dispatch (llvmpipe's cap). */
  perDispatch: number;
}

/**
 * Plans the loop shader of a recorded iteration, or null when it does not
 * fit one: a dispatch of more than MAX_LOOP_GROUPS workgroups or a matmul,
 * an iteration of more than MAX_ITERATION_TRIPS (per invocation) or MAX_ITERATION_WORK (in all), a carry swapped with
 * another, too many buffers, or not even one iteration within the loop cap.
 * `outs` are the iteration's outputs: the carries', then the ys.
 */
export function planLoop(
  rec: RecordedLoop,
  carries: { id: number; dtype: DType; size: number }[],
  ys: { dtype: DType; size: number }[],
  outs: CarryOut[],
  invariant: ReadonlySet<number>,
  dir: 1 | -1,
  maxBindings: number,
): LoopPlan | null {
  const m = carries.length;
  if (m === 0 || outs.length !== m + ys.length) return null;
  if (outs.slice(0, m).some((o, j) => "varying" in o && o.varying !== j)) return null;
  const carryOf = new Map(carries.map((c, j) => [c.id, j]));
  const temps: number[] = [];
  const fixed = new Map<number, DType>();
  const runs: { k: number; c: Extract<Command, { t: "run" }>; r: StepRender }[] = [];
  for (let k = 0; k < rec.cmds.length; k++) {
    const c = rec.cmds[k];
    if (c.t === "alloc") temps.push(c.id);
    if (c.t !== "run") continue;
    const r = rec.renders.get(k);
    if (!r || c.groups[0] * c.groups[1] > MAX_LOOP_GROUPS || !rec.allocated.has(c.out)) return null;
    runs.push({ k, c, r });
    let b = 0;
    r.kinds.forEach((kind, i) => {
      if (kind.kind !== "buf") return;
      const id = c.ins[b++];
      if (!rec.allocated.has(id) && !carryOf.has(id)) fixed.set(id, r.types[i]);
    });
  }
  const outType = (j: number) => (j < m ? carries[j].dtype : ys[j - m].dtype);
  outs.forEach((o, j) => "fixed" in o && !fixed.has(o.fixed) && fixed.set(o.fixed, outType(j)));
  const bindings: LoopBinding[] = [
    ...carries.map((_, j) => ({ carry: j })),
    ...ys.map((_, j) => ({ stack: j })),
    ...temps.map((id) => ({ temp: id })),
    ...carries.map((_, j) => ({ init: j })),
    ...ys.map((_, j) => ({ first: j })),
    ...[...fixed.keys()].map((id) => ({ fixed: id })),
  ];
  if (bindings.length + 1 > maxBindings) return null;
  const rw = m + ys.length + temps.length;
  const at = new Map<number, number>(); // recorded buffer id -> binding
  carries.forEach((c, j) => at.set(c.id, j));
  temps.forEach((id, i) => at.set(id, m + ys.length + i));
  [...fixed.keys()].forEach((id, i) => at.set(id, rw + m + ys.length + i));
  const types: string[] = bindings.map((b) =>
    storageType(
      "carry" in b
        ? carries[b.carry].dtype
        : "init" in b
        ? carries[b.init].dtype
        : "stack" in b
        ? ys[b.stack].dtype
        : "first" in b
        ? ys[b.first].dtype
        : "temp" in b
        ? rec.dtypes.get(b.temp)!.dtype
        : fixed.get(b.fixed)!,
    )
  );
  const scalars: number[] = [];
  const prologue: LoopStep[] = [], steps: LoopStep[] = [];
  for (const { k, c, r } of runs) {
    const indexSlots = new Set((rec.index.get(k) ?? []).filter(([, which]) => which === 0).map(([slot]) => slot));
    const step: LoopStep = {
      ...r,
      out: at.get(c.out)!,
      ins: c.ins.map((id) => at.get(id)!),
      scalarBase: scalars.length,
      indexSlots,
    };
    scalars.push(...(c.scalars ?? []));
    (invariant.has(c.out) ? prologue : steps).push(step);
  }
  const from = (o: CarryOut) => ("varying" in o ? o.varying : at.get("alloc" in o ? o.alloc : o.fixed)!);
  const copies = outs.slice(0, m).flatMap((o, j): LoopCopy[] =>
    "varying" in o ? [] : [{ from: from(o), to: j, size: carries[j].size }]
  );
  const stacks = ys.map((y, j): LoopCopy => ({ from: from(outs[m + j]), to: m + j, size: y.size, row: "index" }));
  const inits: LoopCopy[] = [
    ...carries.map((c, j) => ({ from: rw + j, to: j, size: c.size })),
    ...ys.map((y, j): LoopCopy => ({ from: rw + m + j, to: m + j, size: y.size, row: "first" })),
  ];
  const shader: LoopShader = { bindings: types, rw, prologue, steps, inits, stacks, copies, dir };
  const perDispatch = iterationsPerDispatch(shader);
  if (perDispatch < 1) return null;
  return { code: renderLoop(shader), rw, bindings, scalars, perDispatch };
}
