/**
 * Higher-order primitives: pjit (a jit call), scan, while, cond and
 * custom_jvp_call. Each holds closed jaxprs in its params; its rules
 * transform those jaxprs (memoised, lib/trace/jaxpr_transforms.ts).
 *
 * Operand layouts, as in JAX:
 * - scan: `[consts..., init carry..., xs...]` → `[final carry..., stacked ys...]`
 * - while: `[cond consts..., body consts..., init carry...]` → `[final carry...]`
 * - cond: `[index, operands...]` → branch outputs
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { ConcreteArray } from "../array.ts";
import { DTypeError, InternalError, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import type { Backend, Storage } from "../backend.ts";
import { cpuBackend } from "../cpu/backend.ts";
import { defaultBackend, fromTyped, onBackend, readAll, withBackend } from "../runtime.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { ShapedArray as SA } from "../trace/aval.ts";
import { bind, type Rule, type Tangent, UndefPrimal, Zero } from "../trace/core.ts";
import { ClosedJaxpr, evalJaxpr, Jaxpr, Var } from "../trace/jaxpr.ts";
import { hoistConsts, jvpJaxpr, permuteJaxpr, transposeJaxpr, vmapJaxpr } from "../trace/jaxpr_transforms.ts";
import { partialEvalJaxpr, partialEvalRules, type PartialEvalTrace, type PETracer } from "../trace/partial_eval.ts";
import { traceToJaxpr } from "../trace/staging.ts";
import { backwardPass } from "../trace/transpose.ts";
import type { Params, Primitive } from "./primitives.ts";
import { batchSize, instantiate, moveBatchAxis } from "./util.ts";

type Rules<K extends Primitive> = { [P in K]: Rule<P> };
const range = (a: number, b: number) => [...Array(Math.max(0, b - a)).keys()].map((i) => i + a);
const isUndef = (x: unknown): x is UndefPrimal => x instanceof UndefPrimal;

// ---------------------------------------------------------------- pjit

const pjit: Rule<"pjit"> = {
  abstractEval: (avals, p) => {
    const want = p.jaxpr.inAvals;
    if (avals.length !== want.length || avals.some((a, i) => !a.equals(want[i]))) {
      throw new InternalError(`pjit ${p.name}: argument types ${avals.join(", ")} do not match ${want.join(", ")}`);
    }
    return p.jaxpr.outAvals;
  },
  lower: null,
  impl: (args, p) => ownOutputs(onHost(args, p) ?? program(args, () => jitCall(args, p)), [...args, ...p.jaxpr.consts]),
  jvp: (primals, tangents, p) => {
    const nz = tangents.map((t) => !(t instanceof Zero));
    const { jaxpr, outNonzeros } = jvpJaxpr(p.jaxpr, nz, p.jaxpr.outAvals.map(() => false));
    const outs = bind("pjit", [...primals, ...tangents.filter((t) => !(t instanceof Zero)) as NDArray[]], {
      jaxpr,
      name: p.name, // JAX keeps the name through jvp and transpose
    });
    const n = p.jaxpr.outAvals.length;
    let k = n;
    return [
      outs.slice(0, n),
      outNonzeros.map((b, i) => (b ? outs[k++] : new Zero(p.jaxpr.outAvals[i].withWeak(false)))),
    ];
  },
  transpose: (cts, args, p) => {
    const linear = args.map(isUndef);
    const tj = transposeJaxpr(p.jaxpr, linear);
    const outs = bind("pjit", [...args.filter((a) => !isUndef(a)) as NDArray[], ...cts.map(instantiate)], {
      jaxpr: tj,
      name: p.name,
    });
    let k = 0;
    return args.map((a) => (isUndef(a) ? outs[k++] : null));
  },
  vmap: (args, dims, p) => {
    const size = batchSize(args, dims);
    const moved = args.map((a, i) => (dims[i] === null ? a : moveBatchAxis(a, dims[i], 0, size)));
    const { jaxpr, outBatched } = vmapJaxpr(
      p.jaxpr,
      size,
      dims.map((d) => d !== null),
      p.jaxpr.outAvals.map(() => false),
    );
    return [bind("pjit", moved, { jaxpr, name: p.name }), outBatched.map((b) => (b ? 0 : null))];
  },
};

partialEvalRules.pjit = ((trace: PartialEvalTrace, tracers: PETracer[], p: Params["pjit"]) => {
  const unk = tracers.map((t) => !t.known);
  const pe = partialEvalJaxpr(p.jaxpr.jaxpr, unk);
  const known = new ClosedJaxpr(pe.known, p.jaxpr.consts);
  const knownOuts = bind("pjit", tracers.filter((t) => t.known).map((t) => t.known!), { jaxpr: known, name: p.name });
  const nKnownOut = pe.outUnknowns.filter((u) => !u).length;
  const residuals = knownOuts.slice(nKnownOut);
  const unknownJ = new ClosedJaxpr(pe.unknown, []);
  const ins = [
    ...residuals.map((r) => trace.instantiateConst(trace.pure(r) as PETracer)),
    ...tracers.filter((t) => !t.known),
  ];
  const unkOuts = trace.record("pjit", ins, { jaxpr: unknownJ, name: p.name }, pe.unknown.outAvals);
  let ki = 0, ui = 0;
  return pe.outUnknowns.map((u) => (u ? unkOuts[ui++] : knownOuts[ki++]));
}) as never;

// ---------------------------------------------------------------- scan

function scanSplit<T>(xs: T[], p: Params["scan"]): [T[], T[], T[]] {
  return [
    xs.slice(0, p.num_consts),
    xs.slice(p.num_consts, p.num_consts + p.num_carry),
    xs.slice(p.num_consts + p.num_carry),
  ];
}

const scanEval = (avals: ShapedArray[], p: Params["scan"]): ShapedArray[] => {
  const body = p.jaxpr;
  const [, carry, xs] = scanSplit(avals, p);
  const bodyIn = body.inAvals;
  const [, bCarry, bXs] = scanSplit(bodyIn, p);
  if (avals.length !== bodyIn.length) {
    throw new InternalError(`scan: ${avals.length} operands for a body of ${bodyIn.length} inputs`);
  }
  carry.forEach((a, i) => {
    if (!a.equals(bCarry[i])) throw new ShapeError(`scan: carry ${i} has type ${a}, the body expects ${bCarry[i]}`);
  });
  xs.forEach((a, i) => {
    if (a.shape[0] !== p.length || !new SA(a.shape.slice(1), a.dtype).equals(bXs[i])) {
      throw new ShapeError(`scan: xs ${i} has type ${a}; expected leading axis ${p.length} over ${bXs[i]}`);
    }
  });
  const outs = body.outAvals;
  return [
    ...outs.slice(0, p.num_carry),
    ...outs.slice(p.num_carry).map((a) => new SA([p.length, ...a.shape], a.dtype, a.weakType)),
  ];
};

/**
 * Stacks equally-shaped arrays along a new leading axis on their device, as a
 * tree of concatenates of at most 8 pieces (a kernel binds few buffers).
 */
function stack(items: NDArray[], aval: ShapedArray): NDArray {
  if (items.length === 0) return lax.full([...aval.shape], 0, aval.dtype);
  let parts = items.map((x) => lax.expand_dims(x, [0]));
  while (parts.length > 1) {
    const next: NDArray[] = [];
    for (let i = 0; i < parts.length; i += 8) {
      const group = parts.slice(i, i + 8);
      next.push(group.length === 1 ? group[0] : lax.concatenate(group, 0));
    }
    parts = next;
  }
  return parts[0];
}

/** Runs `fn` with the device work it queues in one batch (one submit), where the backend batches. */
function batched<T>(args: NDArray[], fn: () => T): T {
  const c = args.find((a) => a instanceof ConcreteArray) as ConcreteArray | undefined;
  const b = c?.backend ?? defaultBackend();
  return b.batch ? b.batch(fn) : fn();
}

/**
 * A jit call's outputs as arrays of their own, as JAX gives them: one that is
 * an input or a captured constant (an identity, a closed-over array) becomes
 * a new array sharing its buffer, so disposing it leaves those intact (the
 * next call would fail on a disposed constant).
 */
function ownOutputs(outs: NDArray[], ins: NDArray[]): NDArray[] {
  return outs.map((o) =>
    o instanceof ConcreteArray && ins.includes(o) && o.backend.share
      ? new ConcreteArray(o.aval, o.backend, o.backend.share(o.storage))
      : o
  );
}

/**
 * A jit call of a small straight-line program on values the host holds (a
 * jitted optimizer step on a few parameters) is evaluated op by op, so its
 * ops run on the host as eager tiny ops do (see Backend.runsOnHost):
 * recorded and replayed on a queued device, every call would cost its
 * dispatches and, at the end, a read-back, far more than its work. Null when
 * the program goes to the device as usual.
 */
function onHost(args: NDArray[], p: Params["pjit"]): NDArray[] | null {
  if (programDepth !== 0) return null;
  const arrays = [...p.jaxpr.consts, ...args];
  const b = (arrays.find((a) => a instanceof ConcreteArray) as ConcreteArray | undefined)?.backend;
  if (!b?.runsOnHost || !arrays.every((a) => a instanceof ConcreteArray && a.backend === b)) return null;
  const storages = (arrays as ConcreteArray[]).map((a) => a.storage);
  if (!b.runsOnHost(storages, largestWork(p.jaxpr.jaxpr))) return null;
  return evalJaxpr(p.jaxpr.jaxpr, p.jaxpr.consts, args);
}

const works = new WeakMap<Jaxpr, number>();

/**
 * The most element evaluations one equation of `j` (or of a jaxpr inside
 * it) needs: the biggest of its inputs and outputs, or for a product its
 * output times the contracted size. Infinity when `j` loops (scan, while):
 * the device runs a loop as one dispatch chain or one loop shader.
 */
function largestWork(j: Jaxpr): number {
  const known = works.get(j);
  if (known !== undefined) return known;
  let most = 0;
  const see = (n: number) => (most = Math.max(most, n));
  for (const v of [...j.constvars, ...j.invars]) see(v.aval.size);
  for (const e of j.eqns) {
    if (e.primitive === "scan" || e.primitive === "while") return Infinity;
    for (const v of e.outBinders) see(v.aval.size);
    for (const v of e.inputs) see(v.aval.size);
    if (e.primitive === "dot_general") {
      const [[contract]] = (e.params as Params["dot_general"]).dimension_numbers;
      see(e.outBinders[0].aval.size * contract.reduce((k, d) => k * e.inputs[0].aval.shape[d], 1));
    }
    for (const q of Object.values(e.params as Record<string, unknown>)) {
      for (const c of Array.isArray(q) ? q : [q]) if (c instanceof ClosedJaxpr) see(largestWork(c.jaxpr));
    }
  }
  works.set(j, most);
  return most;
}

/** Recorded jit programs by jaxpr and input kinds (see GpuBackend.recordProgram). */
const jitReplays = new WeakMap<ClosedJaxpr, Map<string, (inputs: Storage[]) => Storage[] | null>>();

/**
 * A jit call. On a backend that records programs, the first call on inputs
 * of given kinds (buffer or host scalar, and which are the same array) is
 * evaluated and recorded; later ones replay its device work with their
 * inputs substituted, so a jitted step in a host loop is not re-fused and
 * re-lowered on every call.
 */
function jitCall(args: NDArray[], p: Params["pjit"]): NDArray[] {
  const run = () => evalJaxpr(p.jaxpr.jaxpr, p.jaxpr.consts, args);
  const b = (args.find((a) => a instanceof ConcreteArray) as ConcreteArray | undefined)?.backend;
  // A while loop reads its predicate back between chunks, so a program holding one is evaluated each
  // call (a scan is recorded with it, loop shader and all).
  const loops = p.jaxpr.jaxpr.eqns.some((e) => e.primitive === "while");
  if (
    loops || programDepth !== 1 || !b?.recordProgram ||
    !args.every((a) => a instanceof ConcreteArray && a.backend === b)
  ) return run();
  const cs = args as ConcreteArray[];
  for (const a of [...p.jaxpr.consts, ...cs]) if (a instanceof ConcreteArray) b.materialize?.(a.storage);
  const key = cs.map((a) =>
    `${b.peek?.(a.storage) !== undefined ? "s" : "b"}${cs.findIndex((x) => x.storage === a.storage)}`
  ).join(",");
  const avals = p.jaxpr.outAvals;
  const wrap = (ss: Storage[]) => ss.map((s, j) => new ConcreteArray(avals[j], b, s));
  let cache = jitReplays.get(p.jaxpr);
  if (!cache) jitReplays.set(p.jaxpr, cache = new Map());
  const replayed = cache.get(key)?.(cs.map((a) => a.storage));
  if (replayed) return wrap(replayed);
  const r = b.recordProgram(cs.map((a) => a.storage), () => run().map((o) => onBackend(o as ConcreteArray, b).storage));
  if (r.replay) cache.set(key, r.replay);
  else cache.delete(key);
  return wrap(r.outs);
}

/** Depth of compiled-program evaluations (jit calls, scans) on the stack. */
let programDepth = 0;

/**
 * Runs a compiled program (a jit call or a scan) in one batch and, at the
 * outermost level, computes its outputs into device buffers. A program's
 * outputs are buffers, as in XLA: left lazy, the next call would inline the
 * previous call's unrun expressions, so every call's kernels would differ
 * (a pipeline compile per dispatch) and grow with the length of the queue.
 */
function program(args: NDArray[], fn: () => NDArray[]): NDArray[] {
  programDepth++;
  let outs: NDArray[];
  try {
    outs = batched(args, fn);
  } finally {
    programDepth--;
  }
  if (programDepth === 0) {
    for (const o of outs) if (o instanceof ConcreteArray) o.backend.materialize?.(o.storage);
  }
  return outs;
}

/**
 * A scan on a backend that records loops: the body is traced and fused once,
 * for the first iteration, and its device work replayed for the others with
 * the carries' buffers substituted and the index as a kernel argument
 * (`xs` are sliced by it on the device). Falls back to evaluating the body
 * per iteration when the first one cannot be replayed (it read a value).
 */
function loopScan(b: Backend, consts: NDArray[], init: NDArray[], xs: NDArray[], p: Params["scan"]): NDArray[] {
  const body = p.jaxpr;
  for (const a of [...body.consts, ...consts, ...xs]) if (a instanceof ConcreteArray) b.materialize?.(a.storage);
  const outAvals = body.outAvals;
  const scanAvals = scanEval([...consts, ...init, ...xs].map((x) => x.aval), p); // carries, then stacked ys
  const wrap = (ss: Storage[]) => ss.map((s, j) => new ConcreteArray(outAvals[j], b, s));
  const at = (k: number) => (p.reverse ? p.length - 1 - k : k);
  const indexArray = (i: number) => new ConcreteArray(new SA([], "int32"), b, b.loopIndex!(i));
  const evalBody = (ix: NDArray, carry: NDArray[]) => {
    const xi = xs.map((x) => {
      const rest = x.shape.slice(1);
      return lax.squeeze(lax.dynamic_slice(x, [ix, ...rest.map(() => 0)], [1, ...rest]), [0]);
    });
    return evalJaxpr(body.jaxpr, body.consts, [...consts, ...carry, ...xi]);
  };
  // The carries are buffers this loop owns (disposed once replaced).
  let carry = init.map((c) => new ConcreteArray(c.aval, b, b.toBuffer!((c as ConcreteArray).storage)));
  const ys: NDArray[][] = [];
  const ix0 = indexArray(at(0));
  const first = b.recordLoop!(
    ix0.storage,
    carry.map((c) => c.storage),
    () => evalBody(ix0, carry).map((o) => onBackend(o as ConcreteArray, b).storage),
  );
  let outs = wrap(first.outs);
  try {
    // The remaining iterations may run in one go (a loop shader), giving the ys stacked.
    const st = (xs: ConcreteArray[]) => xs.map((o) => o.storage);
    const rest = p.length > 1
      ? first.replay?.runAll(
        at(1),
        p.reverse ? -1 : 1,
        p.length - 1,
        st(outs.slice(0, p.num_carry)),
        st(outs.slice(p.num_carry)),
      )
      : null;
    if (rest) {
      carry.forEach((c) => c.dispose());
      outs.forEach((o) => o.dispose());
      return rest.map((s, j) => new ConcreteArray(scanAvals[j], b, s));
    }
    for (let k = 0;; k++) {
      carry.forEach((c) => c.dispose());
      carry = outs.slice(0, p.num_carry);
      ys[at(k)] = outs.slice(p.num_carry);
      if (k + 1 === p.length) break;
      const i = at(k + 1);
      if (first.replay) outs = wrap(first.replay.run(i, carry.map((c) => c.storage)));
      else {
        outs = wrap(evalBody(indexArray(i), carry).map((o) => b.toBuffer!(onBackend(o as ConcreteArray, b).storage)));
      }
    }
  } finally {
    first.replay?.end();
  }
  const stacked = scanAvals.slice(p.num_carry);
  return [...carry, ...stacked.map((a, j) => stack(ys.map((r) => r[j]), a))];
}

/**
 * `n` iterations of a while loop's guarded step on a backend that records
 * loops: the first is traced, fused and recorded, the others replay it with
 * the carries' buffers substituted. Evaluated afresh, each iteration would
 * inline the previous one's unrun expressions, so its kernels (and compiled
 * pipelines) would differ every time: gamma sampling compiled ~450 pipelines.
 */
function recordedChunk(b: Backend, init: ConcreteArray[], n: number, step: (c: NDArray[]) => NDArray[]): NDArray[] {
  const wrap = (ss: Storage[]) => ss.map((s, j) => new ConcreteArray(init[j].aval, b, s));
  let carry = init.map((c) => new ConcreteArray(c.aval, b, b.toBuffer!(c.storage)));
  const ix = new ConcreteArray(new SA([], "int32"), b, b.loopIndex!(0));
  const start = carry; // (the body runs now, before `carry` moves on)
  const first = b.recordLoop!(
    ix.storage,
    start.map((c) => c.storage),
    () => step(start).map((o) => onBackend(o as ConcreteArray, b).storage),
  );
  let outs = wrap(first.outs);
  try {
    for (let k = 1; k < n; k++) {
      carry.forEach((c) => c.dispose());
      carry = outs;
      outs = first.replay
        ? wrap(first.replay.run(0, carry.map((c) => c.storage)))
        : wrap(step(carry).map((o) => b.toBuffer!(onBackend(o as ConcreteArray, b).storage)));
    }
  } finally {
    first.replay?.end();
  }
  carry.forEach((c) => c.dispose());
  return outs;
}

const scanImpl: Rule<"scan">["impl"] = (args, p) =>
  program(args, () => {
    const [consts, init, xs] = scanSplit(args as NDArray[], p);
    const c = args.find((a) => a instanceof ConcreteArray) as ConcreteArray | undefined;
    const b = c?.backend ?? defaultBackend();
    if (b.recordLoop && p.length > 0 && args.every((a) => a instanceof ConcreteArray)) {
      return loopScan(b, consts, init, xs, p);
    }
    let carry = init;
    const ys: NDArray[][] = [];
    for (let k = 0; k < p.length; k++) {
      const i = p.reverse ? p.length - 1 - k : k;
      const xi = xs.map((x) => lax.squeeze(lax.slice_in_dim(x, i, i + 1), [0]));
      const outs = evalJaxpr(p.jaxpr.jaxpr, p.jaxpr.consts, [...consts, ...carry, ...xi]);
      carry = outs.slice(0, p.num_carry);
      // The carry goes to a buffer each step, as the outputs of a program do
      // (so every iteration runs the same kernels).
      for (const c of carry) if (c instanceof ConcreteArray) c.backend.materialize?.(c.storage);
      ys[i] = outs.slice(p.num_carry);
    }
    const outAvals = scanEval(args.map((a) => a.aval), p).slice(p.num_carry);
    return [...carry, ...outAvals.map((a, j) => stack(ys.map((r) => r[j]), a))];
  });

const scanJvp: Rule<"scan">["jvp"] = (primals, tangents, p) => {
  const nz = tangents.map((t) => !(t instanceof Zero));
  const [nzConsts, nzInit, nzXs] = scanSplit(nz, p);
  const nYs = p.jaxpr.outAvals.length - p.num_carry;
  let nzCarry = nzInit;
  let res: ReturnType<typeof jvpJaxpr>;
  for (;;) {
    res = jvpJaxpr(p.jaxpr, [...nzConsts, ...nzCarry, ...nzXs], [...nzCarry, ...Array(nYs).fill(false)]);
    const out = res.outNonzeros.slice(0, p.num_carry);
    if (out.every((b, i) => !b || nzCarry[i])) break;
    nzCarry = nzCarry.map((b, i) => b || out[i]);
  }
  const nIn = primals.length;
  const [nc, nk] = [p.num_consts, p.num_carry];
  const tc = nzConsts.filter(Boolean).length, tk = nzCarry.filter(Boolean).length;
  const tx = nzXs.filter(Boolean).length;
  // jvp jaxpr inputs: [consts, carry, xs, t_consts, t_carry, t_xs]; scan wants [consts, t_consts, carry, t_carry, xs, t_xs].
  const inOrder = [
    ...range(0, nc),
    ...range(nIn, nIn + tc),
    ...range(nc, nc + nk),
    ...range(nIn + tc, nIn + tc + tk),
    ...range(nc + nk, nIn),
    ...range(nIn + tc + tk, nIn + tc + tk + tx),
  ];
  const outNz = res.outNonzeros;
  const ty = outNz.slice(nk).filter(Boolean).length;
  const nOut = nk + nYs;
  const outOrder = [
    ...range(0, nk),
    ...range(nOut, nOut + tk),
    ...range(nk, nOut),
    ...range(nOut + tk, nOut + tk + ty),
  ];
  const body = permuteJaxpr(res.jaxpr, inOrder, outOrder);
  const [consts, init, xs] = scanSplit(primals, p);
  const [tConsts, tInit, tXs] = scanSplit(tangents, p);
  const args = [
    ...consts,
    ...tConsts.filter((_, i) => nzConsts[i]) as NDArray[],
    ...init,
    ...tInit.filter((_, i) => nzCarry[i]).map(instantiate),
    ...xs,
    ...tXs.filter((_, i) => nzXs[i]) as NDArray[],
  ];
  const outs = bind("scan", args, { ...p, jaxpr: body, num_consts: nc + tc, num_carry: nk + tk });
  const carryOut = outs.slice(0, nk), tCarryOut = outs.slice(nk, nk + tk);
  const ys = outs.slice(nk + tk, nk + tk + nYs), tYs = outs.slice(nk + tk + nYs);
  let a = 0, b = 0;
  const outAvals = scanEval(primals.map((x) => x.aval), p);
  const tangentsOut: Tangent[] = [
    ...nzCarry.map((z, i) => (z ? tCarryOut[a++] : new Zero(outAvals[i].withWeak(false)))),
    ...outNz.slice(nk).map((z, i) => (z ? tYs[b++] : new Zero(outAvals[nk + i].withWeak(false)))),
  ];
  return [[...carryOut, ...ys], tangentsOut];
};

const scanVmap: Rule<"scan">["vmap"] = (args, dims, p) => {
  const size = batchSize(args, dims);
  const b = dims.map((d) => d !== null);
  const [bConsts, bInit, bXs] = scanSplit(b, p);
  const nYs = p.jaxpr.outAvals.length - p.num_carry;
  let bCarry = bInit;
  let res: ReturnType<typeof vmapJaxpr>;
  for (;;) {
    res = vmapJaxpr(p.jaxpr, size, [...bConsts, ...bCarry, ...bXs], [...bCarry, ...Array(nYs).fill(false)]);
    const out = res.outBatched.slice(0, p.num_carry);
    if (out.every((x, i) => !x || bCarry[i])) break;
    bCarry = bCarry.map((x, i) => x || out[i]);
  }
  const [consts, init, xs] = scanSplit(args, p);
  const [dConsts, dInit, dXs] = scanSplit(dims, p);
  const moved = [
    ...consts.map((x, i) => (dConsts[i] === null ? x : moveBatchAxis(x, dConsts[i], 0, size))),
    ...init.map((x, i) => (bCarry[i] ? moveBatchAxis(x, dInit[i], 0, size) : x)),
    ...xs.map((x, i) => (dXs[i] === null ? x : moveBatchAxis(x, dXs[i], 1, size))),
  ];
  const outs = bind("scan", moved, { ...p, jaxpr: res.jaxpr });
  return [outs, [
    ...bCarry.map((x) => (x ? 0 : null)),
    ...res.outBatched.slice(p.num_carry).map((x) => (x ? 1 : null)),
  ]];
};

const scanTranspose: Rule<"scan">["transpose"] = (cts, args, p) => {
  const [consts, init, xs] = scanSplit(args, p);
  const nIres = consts.findIndex(isUndef) < 0 ? consts.length : consts.findIndex(isUndef);
  const firstEres = xs.findIndex((x) => !isUndef(x)) < 0 ? xs.length : xs.findIndex((x) => !isUndef(x));
  if (consts.slice(nIres).some((c) => !isUndef(c)) || xs.slice(firstEres).some(isUndef)) {
    throw new InternalError(
      "scan transpose: operands are not in the [non-linear consts, linear consts] / [linear xs, residual xs] layout",
    );
  }
  // A carry whose initial value is known (a zero tangent instantiated before partial evaluation) is still
  // used linearly by the body; it is transposed like the others and its cotangent dropped, as JAX does.
  const ires = consts.slice(0, nIres) as NDArray[];
  const eres = xs.slice(firstEres) as NDArray[];
  const nLinConsts = p.num_consts - nIres;
  const nLinXs = firstEres;
  const [ctCarry, ctYs] = [cts.slice(0, p.num_carry).map(instantiate), cts.slice(p.num_carry)];
  const ysZero = ctYs.map((c) => c instanceof Zero);
  const body = p.jaxpr;
  const bodyIn = body.inAvals;
  const linConstAvals = bodyIn.slice(nIres, p.num_consts).map((a) => a.withWeak(false));
  const carryAvals = bodyIn.slice(p.num_consts, p.num_consts + p.num_carry).map((a) => a.withWeak(false));
  const yAvals = body.outAvals.slice(p.num_carry);
  const eresAvals = bodyIn.slice(p.num_consts + p.num_carry + nLinXs);
  const trans = traceToJaxpr((...zs) => {
    let k = 0;
    const take = (n: number) => zs.slice(k, k += n);
    const [irs, ctC, ctK, ctY, ers] = [
      take(nIres),
      take(nLinConsts),
      take(p.num_carry),
      take(ysZero.filter((z) => !z).length),
      take(eresAvals.length),
    ];
    let y = 0;
    const bodyArgs = [
      ...irs,
      ...linConstAvals.map((a) => new UndefPrimal(a)),
      ...carryAvals.map((a) => new UndefPrimal(a)),
      ...bodyIn.slice(p.num_consts + p.num_carry, p.num_consts + p.num_carry + nLinXs).map((a) => new UndefPrimal(a)),
      ...ers,
    ];
    const outCts = [...ctK, ...yAvals.map((a, i) => (ysZero[i] ? new Zero(a.withWeak(false)) : ctY[y++]))];
    const r = backwardPass(body.jaxpr, body.consts, bodyArgs, outCts).map(instantiate);
    const ctConstsNew = r.slice(nIres, p.num_consts).map((c, i) => lax.add(ctC[i], c));
    return [
      ...ctConstsNew,
      ...r.slice(p.num_consts, p.num_consts + p.num_carry),
      ...r.slice(p.num_consts + p.num_carry, p.num_consts + p.num_carry + nLinXs),
    ];
  }, [
    ...bodyIn.slice(0, nIres),
    ...linConstAvals,
    ...carryAvals,
    ...yAvals.filter((_, i) => !ysZero[i]).map((a) => a.withWeak(false)),
    ...eresAvals,
  ]);
  const ctConsts0 = linConstAvals.map((a) => lax.full([...a.shape], 0, a.dtype));
  const outs = bind("scan", [
    ...ires,
    ...ctConsts0,
    ...ctCarry,
    ...ctYs.filter((c) => !(c instanceof Zero)) as NDArray[],
    ...eres,
  ], {
    jaxpr: trans,
    length: p.length,
    reverse: !p.reverse,
    num_consts: nIres,
    num_carry: nLinConsts + p.num_carry,
  });
  return [
    ...ires.map(() => null),
    ...outs.slice(0, nLinConsts),
    ...outs.slice(nLinConsts, nLinConsts + p.num_carry).map((c, i) => (isUndef(init[i]) ? c : null)),
    ...outs.slice(nLinConsts + p.num_carry),
    ...eres.map(() => null),
  ];
};

partialEvalRules.scan = ((trace: PartialEvalTrace, tracers: PETracer[], p: Params["scan"]) => {
  const unk = tracers.map((t) => !t.known);
  const [uConsts, uInit, uXs] = scanSplit(unk, p);
  const nYs = p.jaxpr.outAvals.length - p.num_carry;
  let uCarry = uInit;
  let pe: ReturnType<typeof partialEvalJaxpr>;
  for (;;) {
    pe = partialEvalJaxpr(p.jaxpr.jaxpr, [...uConsts, ...uCarry, ...uXs], [...uCarry, ...Array(nYs).fill(false)]);
    const out = pe.outUnknowns.slice(0, p.num_carry);
    if (out.every((u, i) => !u || uCarry[i])) break;
    uCarry = uCarry.map((u, i) => u || out[i]);
  }
  const body = p.jaxpr.jaxpr;
  // Residuals: loop-invariant ones (body constvars or known consts) go in as consts, the rest are stacked ys.
  const nResAll = pe.numRes;
  const residualVars = pe.known.outs.slice(pe.known.outs.length - nResAll) as Var[];
  const constIndex = (v: Var) => body.constvars.indexOf(v);
  const knownConstInvar = (v: Var) => {
    const i = body.invars.indexOf(v);
    return i >= 0 && i < p.num_consts && !uConsts[i] ? i : -1;
  };
  const invariant = residualVars.map((v) => constIndex(v) >= 0 || knownConstInvar(v) >= 0);
  const [tConsts, tInit, tXs] = scanSplit(tracers, p);
  // Known scan: outputs [known carry, known ys, per-iteration residuals].
  const nKnownOuts = pe.known.outs.length - nResAll;
  const knownOutsList = [...pe.known.outs.slice(0, nKnownOuts), ...residualVars.filter((_, i) => !invariant[i])];
  const known = new ClosedJaxpr(
    new Jaxpr(body.constvars, pe.known.invars, pe.known.eqns, knownOutsList),
    p.jaxpr.consts,
  );
  const kConsts = tConsts.filter((t) => t.known).map((t) => t.known!);
  const kInit = tInit.filter((_, i) => !uCarry[i]).map((t) => t.known!);
  const kXs = tXs.filter((t) => t.known).map((t) => t.known!);
  const nKCarry = kInit.length;
  const knownRes = bind("scan", [...kConsts, ...kInit, ...kXs], {
    ...p,
    jaxpr: known,
    num_consts: kConsts.length,
    num_carry: nKCarry,
  });
  const knownOuts = knownRes.slice(0, nKnownOuts);
  const stackedRes = knownRes.slice(nKnownOuts);
  // Unknown scan: consts [invariant residuals, unknown consts], carry [unknown carry], xs [unknown xs, stacked residuals].
  const invVals = residualVars.map((v, i) => {
    if (!invariant[i]) return null;
    const c = constIndex(v);
    return c >= 0 ? p.jaxpr.consts[c] : tConsts[knownConstInvar(v)].known!;
  }).filter((x): x is NDArray => x !== null);
  const uj = pe.unknown;
  const resIn = uj.invars.slice(0, nResAll);
  const rest = uj.invars.slice(nResAll);
  const nUConsts = uConsts.filter(Boolean).length, nUCarry = uCarry.filter(Boolean).length;
  const invars = [
    ...resIn.filter((_, i) => invariant[i]),
    ...rest.slice(0, nUConsts),
    ...rest.slice(nUConsts, nUConsts + nUCarry),
    ...rest.slice(nUConsts + nUCarry),
    ...resIn.filter((_, i) => !invariant[i]),
  ];
  const unknownBody = new ClosedJaxpr(new Jaxpr([], invars, uj.eqns, uj.outs), []);
  const inst = (x: NDArray) => trace.instantiateConst(trace.pure(x) as PETracer);
  const ins = [
    ...invVals.map(inst),
    ...tConsts.filter((t) => !t.known),
    ...tInit.filter((_, i) => uCarry[i]).map((t) => trace.instantiateConst(t)),
    ...tXs.filter((t) => !t.known),
    ...stackedRes.map(inst),
  ];
  const params: Params["scan"] = {
    ...p,
    jaxpr: unknownBody,
    num_consts: invVals.length + nUConsts,
    num_carry: nUCarry,
  };
  const unkOuts = trace.record("scan", ins, params, scanEval(ins.map((t) => t.aval), params));
  let ki = 0, ui = 0;
  return pe.outUnknowns.map((u) => (u ? unkOuts[ui++] : knownOuts[ki++]));
}) as never;

// ---------------------------------------------------------------- while

function whileSplit<T>(xs: T[], p: Params["while"]): [T[], T[], T[]] {
  return [
    xs.slice(0, p.cond_nconsts),
    xs.slice(p.cond_nconsts, p.cond_nconsts + p.body_nconsts),
    xs.slice(p.cond_nconsts + p.body_nconsts),
  ];
}

/** Elements (operands and carries together) up to which a while_loop on a queued device runs on the host. */
const HOST_LOOP_ELEMENTS = 4096;

const whileRule: Rule<"while"> = {
  abstractEval: (avals, p) => {
    const [, , carry] = whileSplit(avals, p);
    const out = p.body_jaxpr.outAvals;
    if (out.length !== carry.length || out.some((a, i) => !a.equals(carry[i]))) {
      throw new ShapeError(`while_loop: body output types ${out.join(", ")} differ from the carry ${carry.join(", ")}`);
    }
    const c = p.cond_jaxpr.outAvals;
    if (c.length !== 1 || c[0].dtype !== "bool" || c[0].ndim !== 0) {
      throw new DTypeError(`while_loop: cond_fun must return a bool scalar, got ${c.join(", ")}`);
    }
    return carry;
  },
  lower: null,
  impl: (args, p) => {
    const [cc, bc, init] = whileSplit(args as NDArray[], p);
    const [cond, bod] = [p.cond_jaxpr, p.body_jaxpr];
    // The loop itself, over operands [cond consts, body consts, init, cond jaxpr consts, body jaxpr consts].
    const plainLoop = ([c0, b0, init, kc, kb]: NDArray[][]) => {
      let c = init;
      while (evalJaxpr(cond.jaxpr, kc, [...c0, ...c])[0].item()) c = evalJaxpr(bod.jaxpr, kb, [...b0, ...c]);
      return c;
    };
    const groups = [cc, bc, init, cond.consts, bod.consts];
    const backend = (args.find((a) => a instanceof ConcreteArray) as ConcreteArray | undefined)?.backend;
    if (!backend?.batch) return plainLoop(groups);
    // A loop over small values only (an optimizer's state, a line search) runs on the host: on a queued
    // device each chunk waits for its predicate to be read back (10 ms or more in Deno), far longer than
    // such an iteration's work. The operands come over with one read-back; the results go back to the device.
    const operands = groups.flat();
    if (
      operands.every((a) => a instanceof ConcreteArray) &&
      operands.reduce((n, a) => n + a.size, 0) <= HOST_LOOP_ELEMENTS
    ) {
      const values = readAll(operands as ConcreteArray[]);
      const host = operands.map((a, i) => fromTyped(values[i], a.shape, a.dtype, cpuBackend));
      const hostGroups = groups.map((g) => host.splice(0, g.length));
      return withBackend(cpuBackend, () => plainLoop(hostGroups)).map((a) => onBackend(a as ConcreteArray, backend));
    }
    const pred = (c: NDArray[]) => evalJaxpr(cond.jaxpr, cond.consts, [...cc, ...c])[0];
    const body = (c: NDArray[]) => evalJaxpr(bod.jaxpr, bod.consts, [...bc, ...c]);
    let carry = init;
    // On a queued device, run chunks of iterations per submit with the predicate
    // evaluated on the device: finished iterations keep their carry (a select),
    // and only the predicate at the end of each chunk is read back.
    const step = (c: NDArray[]) => {
      const go = pred(c);
      return body(c).map((n, i) => lax.select(go, n, c[i]));
    };
    for (let chunk = 1; pred(carry).item(); chunk = Math.min(chunk * 2, 256)) {
      carry = backend.batch(() =>
        backend.recordLoop && carry.every((c) => c instanceof ConcreteArray && c.backend === backend)
          ? recordedChunk(backend, carry as ConcreteArray[], chunk, step)
          : Array.from({ length: chunk }).reduce((c: NDArray[]) => step(c), carry)
      );
    }
    return carry;
  },
  jvp: (primals, tangents, p) => {
    const nz = tangents.map((t) => !(t instanceof Zero));
    const [, nzB, nzInit] = whileSplit(nz, p);
    let nzCarry = nzInit;
    let res: ReturnType<typeof jvpJaxpr>;
    for (;;) {
      res = jvpJaxpr(p.body_jaxpr, [...nzB, ...nzCarry], nzCarry);
      if (res.outNonzeros.every((b, i) => !b || nzCarry[i])) break;
      nzCarry = nzCarry.map((b, i) => b || res.outNonzeros[i]);
    }
    const [cc, bc, init] = whileSplit(primals, p);
    const [, tB, tInit] = whileSplit(tangents, p);
    const nb = bc.length, nk = init.length;
    const tb = nzB.filter(Boolean).length, tk = nzCarry.filter(Boolean).length;
    // body jvp inputs [bconsts, carry, t_bconsts, t_carry] -> want [bconsts, t_bconsts, carry, t_carry]
    const body = permuteJaxpr(
      res.jaxpr,
      [
        ...range(0, nb),
        ...range(nb + nk, nb + nk + tb),
        ...range(nb, nb + nk),
        ...range(nb + nk + tb, nb + nk + tb + tk),
      ],
      [...range(0, nk), ...range(nk, nk + tk)],
    );
    // cond ignores tangents: [cconsts, carry, t_carry] -> pred
    const cj = p.cond_jaxpr;
    const tAvals = init.filter((_, i) => nzCarry[i]).map((x) => x.aval.withWeak(false));
    const cond = new ClosedJaxpr(
      new Jaxpr(
        cj.jaxpr.constvars,
        [...cj.jaxpr.invars, ...tAvals.map((a) => new Var(a))],
        cj.jaxpr.eqns,
        cj.jaxpr.outs,
      ),
      cj.consts,
    );
    const outs = bind("while", [
      ...cc,
      ...bc,
      ...tB.filter((_, i) => nzB[i]) as NDArray[],
      ...init,
      ...tInit.filter((_, i) => nzCarry[i]).map(instantiate),
    ], { cond_jaxpr: cond, body_jaxpr: body, cond_nconsts: cc.length, body_nconsts: nb + tb });
    let a = 0;
    return [outs.slice(0, nk), nzCarry.map((z, i) => (z ? outs[nk + a++] : new Zero(init[i].aval.withWeak(false))))];
  },
  transpose: null,
  vmap: (args, dims, p) => {
    const size = batchSize(args, dims);
    const b = dims.map((d) => d !== null);
    const [bC, bB, bInit] = whileSplit(b, p);
    let bCarry = bInit;
    let bodyRes: ReturnType<typeof vmapJaxpr>, condRes: ReturnType<typeof vmapJaxpr>;
    for (;;) {
      condRes = vmapJaxpr(p.cond_jaxpr, size, [...bC, ...bCarry], [false]);
      // A batched predicate makes every carry batched (elements finish at different times).
      if (condRes.outBatched[0] && !bCarry.every(Boolean)) {
        bCarry = bCarry.map(() => true);
        continue;
      }
      bodyRes = vmapJaxpr(p.body_jaxpr, size, [...bB, ...bCarry], bCarry);
      if (bodyRes.outBatched.every((x, i) => !x || bCarry[i])) break;
      bCarry = bCarry.map((x, i) => x || bodyRes.outBatched[i]);
    }
    const [cc, bc, init] = whileSplit(args, p);
    const [dC, dB, dInit] = whileSplit(dims, p);
    const mv = (xs: NDArray[], ds: (number | null)[]) =>
      xs.map((x, i) => (ds[i] === null ? x : moveBatchAxis(x, ds[i], 0, size)));
    const initM = init.map((x, i) => (bCarry[i] ? moveBatchAxis(x, dInit[i], 0, size) : x));
    if (!condRes.outBatched[0]) {
      const outs = bind("while", [...mv(cc, dC), ...mv(bc, dB), ...initM], {
        ...p,
        cond_jaxpr: condRes.jaxpr,
        body_jaxpr: bodyRes!.jaxpr,
      });
      return [outs, bCarry.map((x) => (x ? 0 : null))];
    }
    // Batched predicate: loop while any element runs; finished elements keep their carry.
    const condB = condRes.jaxpr, bodyB = bodyRes!.jaxpr;
    const nc = cc.length, nb = bc.length;
    const anyCond = traceToJaxpr((...zs) => {
      const [pred] = evalJaxpr(condB.jaxpr, condB.consts, zs);
      return [lax.reduce_max(pred, [0])];
    }, [...mv(cc, dC).map((x) => x.aval), ...initM.map((x) => x.aval)]);
    const selBody = traceToJaxpr((...zs) => {
      const cconsts = zs.slice(0, nc), bconsts = zs.slice(nc, nc + nb), carry = zs.slice(nc + nb);
      const [pred] = evalJaxpr(condB.jaxpr, condB.consts, [...cconsts, ...carry]);
      const next = evalJaxpr(bodyB.jaxpr, bodyB.consts, [...bconsts, ...carry]);
      return next.map((n, i) => {
        const pb = lax.broadcast_in_dim(pred, n.shape, [0]);
        return lax.select(pb, n, carry[i]);
      });
    }, [...mv(cc, dC).map((x) => x.aval), ...mv(bc, dB).map((x) => x.aval), ...initM.map((x) => x.aval)]);
    const outs = bind("while", [...mv(cc, dC), ...mv(cc, dC), ...mv(bc, dB), ...initM], {
      cond_jaxpr: anyCond,
      body_jaxpr: selBody,
      cond_nconsts: nc,
      body_nconsts: nc + nb,
    });
    return [outs, outs.map(() => 0)];
  },
};

/**
 * Partial evaluation of while, as JAX's `_while_partial_eval`: when the
 * predicate depends only on known values, a known loop computes the known
 * carries now and the whole loop is staged for the unknown ones (so
 * `linearize` of a while loop works; its transpose still raises).
 */
partialEvalRules.while = ((trace: PartialEvalTrace, tracers: PETracer[], p: Params["while"]) => {
  const unk = tracers.map((t) => !t.known);
  const [uC, uB, uInit] = whileSplit(unk, p);
  let uCarry = uInit;
  let body: ReturnType<typeof partialEvalJaxpr>;
  for (;;) {
    body = partialEvalJaxpr(p.body_jaxpr.jaxpr, [...uB, ...uCarry], uCarry);
    if (body.outUnknowns.every((u, i) => u === uCarry[i])) break;
    uCarry = uCarry.map((u, i) => u || body.outUnknowns[i]);
  }
  const cond = partialEvalJaxpr(p.cond_jaxpr.jaxpr, [...uC, ...uCarry]);
  const [tC, tB, tInit] = whileSplit(tracers, p);
  const carryAvals = tInit.map((t) => t.aval);
  const ins = tracers.map((t) => trace.instantiateConst(t));
  const staged = trace.record("while", ins, p, carryAvals);
  if (cond.outUnknowns[0] || uCarry.every(Boolean)) return staged;
  const nKnownCarry = uCarry.filter((u) => !u).length;
  const kb = body.known, kc = cond.known;
  const knownOuts = bind(
    "while",
    [
      ...tC.filter((t) => t.known).map((t) => t.known!),
      ...tB.filter((t) => t.known).map((t) => t.known!),
      ...tInit.filter((_, i) => !uCarry[i]).map((t) => t.known!),
    ],
    {
      cond_jaxpr: new ClosedJaxpr(
        new Jaxpr(kc.constvars, kc.invars, kc.eqns, kc.outs.slice(0, 1)),
        p.cond_jaxpr.consts,
      ),
      body_jaxpr: new ClosedJaxpr(
        new Jaxpr(kb.constvars, kb.invars, kb.eqns, kb.outs.slice(0, nKnownCarry)),
        p.body_jaxpr.consts,
      ),
      cond_nconsts: uC.filter((u) => !u).length,
      body_nconsts: uB.filter((u) => !u).length,
    },
  );
  let k = 0;
  return uCarry.map((u, i) => (u ? staged[i] : knownOuts[k++]));
}) as never;

// ---------------------------------------------------------------- cond

const condRule: Rule<"cond"> = {
  abstractEval: ([index, ...ops], p) => {
    if (index.ndim !== 0 || index.dtype !== "int32") {
      throw new DTypeError(`cond: the index must be an int32 scalar, got ${index}`);
    }
    const outs = p.branches[0].outAvals;
    p.branches.forEach((b, i) => {
      if (b.outAvals.length !== outs.length || b.outAvals.some((a, k) => !a.equals(outs[k]))) {
        throw new ShapeError(
          `cond: branch ${i} returns ${b.outAvals.join(", ")} but branch 0 returns ${
            outs.join(", ")
          }; branches must return the same types`,
        );
      }
      if (b.inAvals.length !== ops.length) throw new InternalError("cond: branch arity");
    });
    return outs;
  },
  lower: null,
  impl: ([index, ...ops], p) => {
    const i = Math.min(Math.max(index.item(), 0), p.branches.length - 1);
    const b = p.branches[i];
    return evalJaxpr(b.jaxpr, b.consts, ops);
  },
  jvp: ([index, ...ops], [, ...ts], p) => {
    const nz = ts.map((t) => !(t instanceof Zero));
    let outNz = p.branches[0].outAvals.map(() => false);
    for (const b of p.branches) outNz = outNz.map((z, i) => z || jvpJaxpr(b, nz, outNz).outNonzeros[i]);
    const branches = p.branches.map((b) => jvpJaxpr(b, nz, outNz).jaxpr);
    const outs = bind("cond", [index, ...ops, ...ts.filter((t) => !(t instanceof Zero)) as NDArray[]], { branches });
    const n = p.branches[0].outAvals.length;
    let k = n;
    return [
      outs.slice(0, n),
      outNz.map((z, i) => (z ? outs[k++] : new Zero(p.branches[0].outAvals[i].withWeak(false)))),
    ];
  },
  transpose: (cts, [index, ...ops], p) => {
    const linear = ops.map(isUndef);
    const branches = p.branches.map((b) => transposeJaxpr(b, linear));
    const outs = bind("cond", [
      index as NDArray,
      ...ops.filter((o) => !isUndef(o)) as NDArray[],
      ...cts.map(instantiate),
    ], { branches });
    let k = 0;
    return [null, ...ops.map((o) => (isUndef(o) ? outs[k++] : null))];
  },
  vmap: ([index, ...ops], [di, ...dops], p) => {
    const size = batchSize([index, ...ops], [di, ...dops]);
    const moved = ops.map((x, i) => (dops[i] === null ? x : moveBatchAxis(x, dops[i], 0, size)));
    const inB = dops.map((d) => d !== null);
    if (di !== null) {
      // A batched predicate: run every branch and select, as JAX does.
      const outsPer = p.branches.map((b) => {
        const { jaxpr } = vmapJaxpr(b, size, inB, b.outAvals.map(() => true));
        return evalJaxpr(jaxpr.jaxpr, jaxpr.consts, moved);
      });
      const idx = lax.max(lax.min(moveBatchAxis(index, di, 0, size), p.branches.length - 1), 0);
      const outs = outsPer[0].map((_, k) => {
        const cases = outsPer.map((o) => o[k]);
        const w = lax.broadcast_in_dim(idx, cases[0].shape, [0]);
        return p.branches.length === 2 ? lax.select_n(lax.ne(w, 0), ...cases) : lax.select_n(w, ...cases);
      });
      return [outs, outs.map(() => 0)];
    }
    let outB = p.branches[0].outAvals.map(() => false);
    for (const b of p.branches) outB = outB.map((x, i) => x || vmapJaxpr(b, size, inB, outB).outBatched[i]);
    const branches = p.branches.map((b) => vmapJaxpr(b, size, inB, outB).jaxpr);
    return [bind("cond", [index, ...moved], { branches }), outB.map((x) => (x ? 0 : null))];
  },
};

partialEvalRules.cond = ((trace: PartialEvalTrace, tracers: PETracer[], p: Params["cond"]) => {
  const [idx, ...ops] = tracers;
  if (!idx.known) {
    const ins = tracers.map((t) => trace.instantiateConst(t));
    return trace.record("cond", ins, p, p.branches[0].outAvals);
  }
  const unk = ops.map((t) => !t.known);
  let outUnk = p.branches[0].outAvals.map(() => false);
  for (const b of p.branches) outUnk = outUnk.map((u, i) => u || partialEvalJaxpr(b.jaxpr, unk, outUnk).outUnknowns[i]);
  const pes = p.branches.map((b) => partialEvalJaxpr(b.jaxpr, unk, outUnk));
  const resAvals = pes.map((pe) => pe.known.outs.slice(pe.known.outs.length - pe.numRes).map((v) => v.aval));
  const allRes = resAvals.flat();
  const knownIns = ops.filter((t) => t.known).map((t) => t.known!);
  const nKnownOut = outUnk.filter((u) => !u).length;
  const knownBranches = pes.map((pe, bi) =>
    traceToJaxpr((...xs) => {
      const outs = evalJaxpr(pe.known, p.branches[bi].consts, xs);
      const res = outs.slice(nKnownOut);
      const filled = resAvals.flatMap((
        avs,
        j,
      ) => (j === bi ? res : avs.map((a) => lax.full([...a.shape], 0, a.dtype))));
      return [...outs.slice(0, nKnownOut), ...filled];
    }, knownIns.map((x) => x.aval))
  );
  const knownOuts = bind("cond", [idx.known!, ...knownIns], { branches: knownBranches });
  const residuals = knownOuts.slice(nKnownOut);
  const unknownBranches = pes.map((pe, bi) => {
    const res = pe.unknown.invars.slice(0, pe.numRes);
    const invars = resAvals.flatMap((avs, j) => (j === bi ? res : avs.map((a) => new Var(a))));
    return new ClosedJaxpr(
      new Jaxpr([], [...invars, ...pe.unknown.invars.slice(pe.numRes)], pe.unknown.eqns, pe.unknown.outs),
      [],
    );
  });
  const inst = (x: NDArray) => trace.instantiateConst(trace.pure(x) as PETracer);
  const ins = [inst(idx.known!), ...residuals.map(inst), ...ops.filter((t) => !t.known)];
  void allRes;
  const unkOuts = trace.record("cond", ins, { branches: unknownBranches }, unknownBranches[0].outAvals);
  let ki = 0, ui = 0;
  return outUnk.map((u) => (u ? unkOuts[ui++] : knownOuts[ki++]));
}) as never;

// ---------------------------------------------------------------- custom_jvp_call

const customJvp: Rule<"custom_jvp_call"> = {
  abstractEval: (_, p) => p.call_jaxpr.outAvals,
  lower: null,
  impl: (args, p) => evalJaxpr(p.call_jaxpr.jaxpr, p.call_jaxpr.consts, args.slice(p.num_consts)),
  jvp: (primals, tangents, p) => {
    const args = primals.slice(p.num_consts);
    const ts = tangents.slice(p.num_consts).map(instantiate);
    const r = p.jvp(args, ts) as [NDArray[], NDArray[]];
    if (!Array.isArray(r) || r.length !== 2) {
      throw new ValueError("custom_jvp: the jvp rule must return [primal_out, tangent_out]");
    }
    return r;
  },
  transpose: null,
  vmap: (args, dims, p) => {
    const size = batchSize(args, dims);
    const moved = args.map((a, i) => (dims[i] === null ? a : moveBatchAxis(a, dims[i], 0, size)));
    const inB = dims.slice(p.num_consts).map((d) => d !== null);
    const n = p.call_jaxpr.outAvals.length;
    const { jaxpr } = vmapJaxpr(p.call_jaxpr, size, inB, Array(n).fill(true));
    const jvpB = (prim: unknown[], tan: unknown[]) => {
      const { jaxpr: jv } = vmapJaxpr(
        traceToJaxpr((...zs) => {
          const k = zs.length / 2;
          const [o, t] = p.jvp(zs.slice(0, k), zs.slice(k)) as [NDArray[], NDArray[]];
          return [...o, ...t];
        }, [...p.call_jaxpr.inAvals, ...p.call_jaxpr.inAvals.map((a) => a.withWeak(false))]),
        size,
        [...inB, ...inB.map(() => true)],
        Array(2 * n).fill(true),
      );
      const tanB = (tan as NDArray[]).map((t, i) => (inB[i] ? t : moveBatchAxis(t, null, 0, size)));
      const outs = evalJaxpr(jv.jaxpr, jv.consts, [...(prim as NDArray[]), ...tanB]);
      return [outs.slice(0, n), outs.slice(n)];
    };
    return [
      bind("custom_jvp_call", moved, { call_jaxpr: jaxpr, jvp: jvpB, num_consts: p.num_consts }),
      Array(n).fill(0),
    ];
  },
};

/** The rule records of the higher-order primitives. */
export const controlRules: Rules<"pjit" | "scan" | "while" | "cond" | "custom_jvp_call"> = {
  pjit,
  scan: { abstractEval: scanEval, lower: null, impl: scanImpl, jvp: scanJvp, transpose: scanTranspose, vmap: scanVmap },
  while: whileRule,
  cond: condRule,
  custom_jvp_call: customJvp,
};

export { hoistConsts };
