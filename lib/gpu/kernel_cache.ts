/**
 * Pipelines by kernel structure: a recurring kernel (every step of an eager
 * loop) finds its pipeline by a numeric hash of its IR and a full structural
 * comparison, instead of being rendered to WGSL again and looked up by its
 * source text (rendering was about a fifth of an eager op's host time).
 *
 * @module
 */

import type { DType } from "../dtype.ts";
import { hashKernel, hashMix as mix, type Kernel, nameCode, sameKernel } from "../kernel/ir.ts";
import type { ReductionPlan } from "./wgsl.ts";

/** What else renderKernel reads: per input, whether it is a scalar, may be a texture, and its dtype; the reduction plan. */
export interface KernelShape {
  kernel: Kernel;
  scalars: boolean[];
  tex: boolean[];
  types: DType[];
  plan?: ReductionPlan;
}

const samePlan = (a?: ReductionPlan, b?: ReductionPlan) =>
  a === b ||
  (a !== undefined && b !== undefined && a.parts === b.parts && a.chunk === b.chunk && a.width === b.width &&
    a.vec === b.vec && a.aligned === b.aligned);

function sameShape(a: KernelShape, b: KernelShape): boolean {
  return a.scalars.length === b.scalars.length &&
    a.scalars.every((s, i) => s === b.scalars[i] && a.tex[i] === b.tex[i] && a.types[i] === b.types[i]) &&
    samePlan(a.plan, b.plan) && sameKernel(a.kernel, b.kernel);
}

function hashShape(s: KernelShape): number {
  let h = hashKernel(s.kernel);
  s.scalars.forEach((sc, i) => (h = mix(mix(h, sc ? 1 : s.tex[i] ? 3 : 2), nameCode(s.types[i]))));
  if (s.plan) {
    h = mix(mix(mix(mix(mix(h, s.plan.parts), s.plan.chunk), s.plan.width ?? 0), s.plan.vec ?? 0), +!!s.plan.aligned);
  }
  return h;
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
