/**
 * The `sort` primitive (JAX's `sort_p`): sorts operands of one shape along
 * `dimension`, ordered by the first `num_keys` of them compared in turn
 * (the others follow the same permutation). Floats compare in JAX's total
 * order: -0 equals 0 and NaNs go last. Computed on the host, like the
 * matrix decompositions; its jvp gathers the tangents with the permutation
 * (as JAX's `_sort_jvp`), so reverse mode comes from gather's transpose.
 *
 * @module
 */

import type { ConcreteArray, NDArray } from "../array.ts";
import { hostArray, isFloat } from "../dtype.ts";
import { AxisError, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { fromTyped } from "../runtime.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { bind, type Rule, Zero } from "../trace/core.ts";
import type { Params } from "./primitives.ts";
import { batchSize, instantiate, moveBatchAxis } from "./util.ts";

function sortEval(avals: ShapedArray[], p: Params["sort"]): ShapedArray[] {
  if (avals.length === 0) throw new ValueError("sort: needs at least one operand");
  const shape = avals[0].shape;
  if (avals.some((a) => a.shape.join() !== shape.join())) {
    throw new ShapeError(`sort: operands must share one shape, got ${avals.map((a) => `(${a.shape})`).join(", ")}`);
  }
  if (!Number.isInteger(p.dimension) || p.dimension < 0 || p.dimension >= shape.length) {
    throw new AxisError(`sort: dimension ${p.dimension} is out of range for an array of rank ${shape.length}`);
  }
  if (!Number.isInteger(p.num_keys) || p.num_keys < 1 || p.num_keys > avals.length) {
    throw new ValueError(`sort: num_keys must be between 1 and the number of operands, got ${p.num_keys}`);
  }
  return avals.map((a) => a.withWeak(false));
}

/** JAX's float order for sorting: NaN after everything, -0 equal to 0. */
function compareKey(a: number, b: number): number {
  const na = a !== a, nb = b !== b;
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortImpl(args: ConcreteArray[], p: Params["sort"]): NDArray[] {
  const shape = args[0].shape;
  const d = p.dimension;
  const n = shape[d];
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = args[0].size / Math.max(1, n * inner);
  const data = args.map((a) => a.dataSync());
  const keys = data.slice(0, p.num_keys);
  const outs = args.map((a) => hostArray(a.dtype, a.size));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (i: number) => o * n * inner + i * inner + j;
      for (let i = 0; i < n; i++) order[i] = i;
      // Array.prototype.sort is stable, so the stable and unstable sorts agree.
      order.sort((x, y) => {
        for (const k of keys) {
          const c = compareKey(Number(k[at(x)]), Number(k[at(y)]));
          if (c !== 0) return c;
        }
        return 0;
      });
      data.forEach((src, m) => {
        const dst = outs[m];
        for (let i = 0; i < n; i++) dst[at(i)] = src[at(order[i])];
      });
    }
  }
  return args.map((a, m) => fromTyped(outs[m], shape, a.dtype, a.backend));
}

/** The rules of sort. */
export const sortRules: { sort: Rule<"sort"> } = {
  sort: {
    abstractEval: sortEval,
    lower: null,
    impl: sortImpl,
    jvp: (primals, tangents, p) => {
      const shape = primals[0].shape;
      const iotas = shape.map((_, i) => lax.iota("int32", [...shape], i));
      const outs = bind("sort", [...primals, iotas[p.dimension]], p);
      const perm = outs[outs.length - 1];
      const index = iotas.map((io, i) => (i === p.dimension ? perm : io));
      const tangentsOut = tangents.map((t, i) =>
        t instanceof Zero || !isFloat(primals[i].dtype) ? new Zero(outs[i].aval) : lax.gather(instantiate(t), index, [
          ...shape.keys(),
        ])
      );
      return [outs.slice(0, -1), tangentsOut];
    },
    transpose: null,
    vmap: (args, dims, p) => {
      const size = batchSize(args, dims);
      const moved = args.map((x, i) => moveBatchAxis(x, dims[i], 0, size));
      const outs = bind("sort", moved, { ...p, dimension: p.dimension + 1 });
      return [outs, outs.map(() => 0)];
    },
  },
};
