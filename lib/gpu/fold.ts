/**
 * Folding a loop iteration's last kernel into the next iteration's first:
 * one dispatch per step instead of two, where a step over big data ends in
 * a small kernel.
 *
 * The tutorial's gradient descent at n = 1e6 is such a step. A reduction's
 * first pass over x writes a few hundred partial sums; a small last pass
 * adds them up and applies `theta - lr * grad`, the new carry; the next
 * step's first pass reads that carry. On llvmpipe the small dispatch,
 * between two passes over megabytes, cost ~100 µs a step (an empty one as
 * much), about a seventh of the step.
 *
 * Folded, the next step's first kernel (the head) begins with the small
 * kernel (the tail): the first `size` invocations of every workgroup compute
 * it into workgroup memory, one barrier, workgroup 0 also stores it as the
 * carry, and the head reads the carry from workgroup memory. Every workgroup
 * runs the same code on the same inputs, so they all see the values stored.
 *
 * @module
 */

import type { Command } from "./protocol.ts";
import { invocationTrips, type RecordedLoop, type StepRender } from "./loop_kernel.ts";
import {
  helperSource,
  inputDecls,
  type InputKind,
  invocationBound,
  LOOP_BUDGET,
  MAIN,
  outDecl,
  renderBody,
  storageType,
  texBindings,
  WORKGROUP,
} from "./wgsl.ts";

type Run = Extract<Command, { t: "run" }>;

/**
 * Loop trips the fold may add to the head's dispatch in all: the tail's,
 * once per workgroup. About a dispatch's overhead on llvmpipe (as
 * MAX_ITERATION_TRIPS): a 2-output tail reducing 4,000 values, folded into
 * a head of 63 workgroups, made a step 7x slower (192 against 29 ms for 100
 * steps), while the tutorial's at n = 1e6 (248 values, 4 workgroups) saves
 * a seventh of the step.
 */
const FOLD_TRIPS = 2048;

/** A fold of a recorded iteration's tail into its head (see planFold). */
export interface Fold {
  /**
   * Positions, among the recorded commands, of the tail (the last run that
   * writes a carry's next value) and of the head (the first run that reads
   * that carry).
   */
  head: number;
  tail: number;
  /** The carry's buffer in the recorded iteration: the head reads it, the tail writes its next value. */
  carry: number;
  /** Positions among the head's buffer inputs that read the carry. */
  carryIns: ReadonlySet<number>;
  /** The folded pipeline: its source, its bindings after the output, the texture ones, and whether it reads scalars. */
  code: string;
  ins: number;
  tex: number[];
  scalars: boolean;
}

/**
 * Plans the fold of a recorded iteration, or null when it has none. `carries`
 * are the carries' recorded buffers and `next[j]` the buffer the iteration
 * allocated for carry j's next value (-1 when none). The tail must write a
 * carry that the head reads, have at most WORKGROUP outputs and be a
 * single-pass kernel whose loop trips, once per workgroup of the head, add
 * up to at most FOLD_TRIPS; head and tail together stay within LOOP_BUDGET
 * and `maxBindings`.
 */
export function planFold(
  rec: RecordedLoop,
  carries: readonly number[],
  next: readonly number[],
  maxBindings: number,
): Fold | null {
  const runs = rec.cmds.flatMap((c) => (c.t === "run" ? [c] : []));
  // Runs after the tail and before the head are queued ahead of the held tail: each must write
  // a buffer of its own and not read the tail's output.
  if (runs.length < 2 || runs.some((c) => !rec.allocated.has(c.out))) return null;
  const t = runs.findLastIndex((c) => next.includes(c.out)), tc = runs[t];
  if (t < 0 || runs.slice(t + 1).some((c) => c.ins.includes(tc.out))) return null;
  const j = next.indexOf(tc.out);
  const hc = runs.find((c) => c.ins.includes(carries[j]));
  if (!hc || runs.indexOf(hc) >= t) return null; // the head runs before the tail
  const head = rec.cmds.indexOf(hc), tail = rec.cmds.indexOf(tc);
  const h = rec.renders.get(head), tr = rec.renders.get(tail);
  if (!h || !tr) return null; // a matmul
  if (
    tr.kernel.size > WORKGROUP || (tr.layout?.parts ?? 1) > 1 || tr.kinds.some((k) => k.kind === "buf" && k.tex)
  ) return null;
  const tailTrips = invocationTrips(tr.kernel, tr.layout);
  if (tailTrips * hc.groups[0] * hc.groups[1] > FOLD_TRIPS) return null;
  if (invocationTrips(h.kernel, h.layout) + tailTrips > LOOP_BUDGET) return null;
  const carryIns = new Set(hc.ins.flatMap((id, n) => (id === carries[j] ? [n] : [])));
  const ins = 1 + hc.ins.length - carryIns.size + tc.ins.length; // the carry, the head's other inputs, the tail's
  if (1 + ins + 1 > maxBindings) return null;
  return { head, tail, carry: carries[j], carryIns, ins, ...renderFolded(h, hc, carryIns, tr, tc) };
}

/** The run of a folded pipeline `pid` for a head and its tail (ids and scalars as they are queued). */
export function foldedRun(f: Fold, pid: number, head: Run, tail: Run): Run {
  const scalars = [...(head.scalars ?? []), ...(tail.scalars ?? [])];
  return {
    t: "run",
    pid,
    out: head.out,
    ins: [tail.out, ...head.ins.filter((_, n) => !f.carryIns.has(n)), ...tail.ins],
    scalars: scalars.length ? scalars : null,
    groups: head.groups,
  };
}

/**
 * WGSL of a head with its tail folded in. Bindings: the head's output, the
 * tail's (the carry), the head's buffer inputs but the carry, the tail's,
 * then the scalars: the head's, then the tail's.
 */
function renderFolded(
  h: StepRender,
  hc: Run,
  carryIns: ReadonlySet<number>,
  t: StepRender,
  tc: Run,
): { code: string; tex: number[]; scalars: boolean } {
  let binding = 2, n = 0;
  const headKinds = h.kinds.map((k): InputKind => {
    if (k.kind !== "buf") return k;
    return carryIns.has(n++) ? { kind: "buf", binding: -1, shared: true } : { ...k, binding: binding++ };
  });
  const tailKinds = t.kinds.map((k): InputKind => (k.kind === "buf" ? { kind: "buf", binding: binding++ } : k));
  const headScalars = hc.scalars?.length ?? 0;
  const size = h.sizeSlot === undefined ? undefined : `bitcast<i32>(sc[${h.sizeSlot}])`;
  const headName = (i: number) => ((headKinds[i] as { shared?: boolean }).shared ? "wp" : `in${i}`);
  const head = renderBody(
    h.kernel,
    headKinds,
    h.types,
    h.layout,
    {
      out: "out",
      input: headName,
      scalar: (slot) => `sc[${slot}]`,
    },
    true,
    size,
  );
  const tail = renderBody(t.kernel, tailKinds, t.types, t.layout, {
    out: "wp",
    input: (i) => `t${i}`,
    scalar: (slot) => `sc[${headScalars + slot}]`,
  }, false);
  const scalars = headScalars + (tc.scalars?.length ?? 0) > 0;
  const m = t.kernel.size, carryT = storageType(t.kernel.dtype);
  const code = [
    outDecl(h.kernel, h.layout),
    `@group(0) @binding(1) var<storage, read_write> tout: array<${carryT}>;`,
    ...inputDecls(headKinds, h.types, head.vecs, head.texs, headName),
    ...inputDecls(tailKinds, t.types, tail.vecs, tail.texs, (i) => `t${i}`),
    scalars ? `@group(0) @binding(${binding}) var<storage, read> sc: array<u32>;` : "",
    `var<workgroup> wp: array<${carryT}, ${m}>;`,
    helperSource(new Set([...head.helpers, ...tail.helpers])),
    `fn tail(gi: i32) {\n  ${tail.body}\n}`,
    MAIN,
    `  if (li < ${m}u) { tail(i32(li)); }`,
    `  workgroupBarrier();`,
    `  if (gi < ${m}) { tout[gi] = wp[gi]; }`,
    `  if (gi >= ${invocationBound(h.kernel, h.layout, head.total, size)}) { return; }`,
    `  ${head.body}`,
    `}`,
  ].filter(Boolean).join("\n");
  return { code, tex: texBindings(headKinds, head.texs), scalars };
}
