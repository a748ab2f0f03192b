/**
 * Pipelines by kernel structure: a recurring kernel (every step of an eager
 * loop) finds its pipeline by a numeric hash of its IR and a full structural
 * comparison, instead of being rendered to WGSL again and looked up by its
 * source text (rendering was about a fifth of an eager op's host time).
 *
 * @module
 */

import type { DType } from "../dtype.ts";
import type { Expr, Kernel } from "../kernel/ir.ts";
import type { ReductionPlan } from "./wgsl.ts";

/** What else renderKernel reads: per input, whether it is a scalar, may be a texture, and its dtype; the reduction plan. */
export interface KernelShape {
  kernel: Kernel;
  scalars: boolean[];
  tex: boolean[];
  types: DType[];
  plan?: ReductionPlan;
}

const names = new Map<string, number>();
const nameCode = (s: string) => {
  let c = names.get(s);
  if (c === undefined) names.set(s, c = names.size + 1);
  return c;
};
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const mix = (h: number, v: number) => Math.imul(h ^ v, 16777619) >>> 0;

function hashExpr(e: Expr, h: number): number {
  h = mix(h, nameCode(e.op));
  switch (e.op) {
    case "idx":
    case "ridx":
      return h;
    case "const":
      f64[0] = e.value;
      return mix(mix(mix(h, nameCode(e.dtype)), u32[0]), u32[1]);
    case "load":
      return hashExpr(e.index, mix(mix(h, e.input), nameCode(e.dtype)));
    case "unary":
      return hashExpr(e.x, mix(mix(h, nameCode(e.fn)), nameCode(e.dtype)));
    case "cast":
      return hashExpr(e.x, mix(h, nameCode(e.dtype)));
    case "binary":
      return hashExpr(e.y, hashExpr(e.x, mix(mix(h, nameCode(e.fn)), nameCode(e.dtype))));
    case "select":
      return hashExpr(e.f, hashExpr(e.t, hashExpr(e.cond, mix(h, nameCode(e.dtype)))));
    case "nary":
      return e.args.reduce((g, a) => hashExpr(a, g), mix(mix(h, nameCode(e.fn)), nameCode(e.dtype)));
  }
}

function sameExpr(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.op !== b.op) return false;
  switch (a.op) {
    case "idx":
    case "ridx":
      return true;
    case "const": {
      const o = b as typeof a;
      return a.dtype === o.dtype && Object.is(a.value, o.value);
    }
    case "load": {
      const o = b as typeof a;
      return a.input === o.input && a.dtype === o.dtype && sameExpr(a.index, o.index);
    }
    case "unary": {
      const o = b as typeof a;
      return a.fn === o.fn && a.dtype === o.dtype && sameExpr(a.x, o.x);
    }
    case "cast": {
      const o = b as typeof a;
      return a.dtype === o.dtype && sameExpr(a.x, o.x);
    }
    case "binary": {
      const o = b as typeof a;
      return a.fn === o.fn && a.dtype === o.dtype && sameExpr(a.x, o.x) && sameExpr(a.y, o.y);
    }
    case "select": {
      const o = b as typeof a;
      return a.dtype === o.dtype && sameExpr(a.cond, o.cond) && sameExpr(a.t, o.t) && sameExpr(a.f, o.f);
    }
    case "nary": {
      const o = b as typeof a;
      return a.fn === o.fn && a.dtype === o.dtype && a.args.length === o.args.length &&
        a.args.every((x, i) => sameExpr(x, o.args[i]));
    }
  }
}

const samePlan = (a?: ReductionPlan, b?: ReductionPlan) =>
  a === b ||
  (a !== undefined && b !== undefined && a.parts === b.parts && a.chunk === b.chunk && a.width === b.width &&
    a.vec === b.vec);

function sameShape(a: KernelShape, b: KernelShape): boolean {
  const [k, l] = [a.kernel, b.kernel];
  return k.size === l.size && k.dtype === l.dtype && k.reduce?.op === l.reduce?.op &&
    k.reduce?.size === l.reduce?.size && a.scalars.length === b.scalars.length &&
    a.scalars.every((s, i) => s === b.scalars[i] && a.tex[i] === b.tex[i] && a.types[i] === b.types[i]) &&
    samePlan(a.plan, b.plan) &&
    sameExpr(k.expr, l.expr) &&
    (k.epilogue === l.epilogue || (!!k.epilogue && !!l.epilogue && sameExpr(k.epilogue, l.epilogue)));
}

function hashShape(s: KernelShape): number {
  const k = s.kernel;
  let h = mix(mix(2166136261, k.size), nameCode(k.dtype));
  if (k.reduce) h = mix(mix(h, nameCode(k.reduce.op)), k.reduce.size);
  s.scalars.forEach((sc, i) => (h = mix(mix(h, sc ? 1 : s.tex[i] ? 3 : 2), nameCode(s.types[i]))));
  if (s.plan) h = mix(mix(mix(mix(h, s.plan.parts), s.plan.chunk), s.plan.width ?? 0), s.plan.vec ?? 0);
  return hashExpr(k.expr, k.epilogue ? hashExpr(k.epilogue, mix(h, 7)) : h);
}

/** Pipeline ids by kernel structure. */
export class KernelCache {
  #byHash = new Map<number, { shape: KernelShape; pid: number }[]>();

  /** The pipeline id of a kernel of this structure, if one was made. */
  get(shape: KernelShape): number | undefined {
    return this.#byHash.get(hashShape(shape))?.find((e) => sameShape(e.shape, shape))?.pid;
  }

  /** Remembers the pipeline of a kernel structure. */
  set(shape: KernelShape, pid: number): void {
    const h = hashShape(shape);
    const list = this.#byHash.get(h) ?? [];
    list.push({ shape, pid });
    this.#byHash.set(h, list);
  }

  /** Forgets a pipeline (it failed to compile). */
  forget(pid: number): void {
    for (const [h, list] of this.#byHash) {
      const kept = list.filter((e) => e.pid !== pid);
      if (kept.length) this.#byHash.set(h, kept);
      else this.#byHash.delete(h);
    }
  }

  /** Forgets everything (the device was replaced). */
  clear(): void {
    this.#byHash.clear();
  }
}
