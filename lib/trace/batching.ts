/**
 * Vectorisation: the batching trace. A BatchTracer carries a value and the
 * axis along which it is batched (null when it is the same for every batch
 * element); primitives apply their vmap rule.
 *
 * @module
 */

import { ConcreteArray, type NDArray } from "../array.ts";
import { ValueError } from "../errors.ts";
import type { Params, Primitive } from "../ops/primitives.ts";
import { moveBatchAxis } from "../ops/util.ts";
import { ShapedArray } from "./aval.ts";
import { type BatchDim, bind, fullRaise, type MainTrace, rules, Trace, Tracer, withMain } from "./core.ts";

/** A value under vmap. */
export class BatchTracer extends Tracer {
  /**
   * @param trace the owning batch trace
   * @param val the batched value
   * @param batchDim the batch axis of `val`, or null
   */
  constructor(readonly trace: BatchTrace, readonly val: NDArray, readonly batchDim: BatchDim) {
    super();
  }
  #aval: ShapedArray | undefined;
  /** The per-example type: the batch axis removed. */
  get aval(): ShapedArray {
    if (this.#aval) return this.#aval;
    const a = this.val.aval;
    if (this.batchDim === null) return a;
    return (this.#aval = new ShapedArray(a.shape.filter((_, i) => i !== this.batchDim), a.dtype, a.weakType));
  }
  /** An unbatched tracer is just its value. */
  override fullLower(): NDArray {
    if (this.batchDim === null) return this.val instanceof Tracer ? this.val.fullLower() : this.val;
    return this;
  }
  /** Batched values have no single concrete value. */
  override concreteValue(): ConcreteArray | null {
    if (this.batchDim !== null) return null;
    const v = this.val;
    return v instanceof ConcreteArray ? v : v instanceof Tracer ? v.concreteValue() : null;
  }
}

/** The batching interpreter; its global data is the batch size. */
export class BatchTrace extends Trace {
  /** @inheritdoc */
  pure(x: NDArray): NDArray {
    return new BatchTracer(this, x, null);
  }
  /** @inheritdoc */
  lift(x: Tracer): NDArray {
    return new BatchTracer(this, x, null);
  }
  /** The batch size. */
  get axisSize(): number {
    return this.main.globalData as number;
  }
  /** @inheritdoc */
  processPrimitive<P extends Primitive>(prim: P, args: NDArray[], params: Params[P]): NDArray[] {
    const ts = args as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.batchDim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params);
    const [outs, outDims] = rules[prim].vmap(vals, dims, params);
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i]));
  }
}

/**
 * Flat vmap: maps `f` over axis `inDims[i]` of each input (null: not mapped)
 * and puts the batch axis of each output at `outDims[i]`.
 */
export function vmapFlat(
  f: (...xs: NDArray[]) => NDArray[],
  axisSize: number,
  ins: NDArray[],
  inDims: BatchDim[],
  outDims: (outCount: number) => BatchDim[],
): NDArray[] {
  return withMain((m: MainTrace) => new BatchTrace(m), axisSize, (main) => {
    const trace = new BatchTrace(main);
    const tracers = ins.map((x, i) => new BatchTracer(trace, x, inDims[i]));
    const outs = f(...tracers).map((o) => fullRaise(trace, o) as BatchTracer);
    const want = outDims(outs.length);
    return outs.map((o, i) => {
      const d = want[i];
      if (d === null) {
        if (o.batchDim !== null) {
          throw new ValueError("vmap: an output with outAxes null must not depend on the mapped inputs");
        }
        return o.val;
      }
      return moveBatchAxis(o.val, o.batchDim, d < 0 ? d + o.aval.ndim + 1 : d, axisSize);
    });
  });
}
