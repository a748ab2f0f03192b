/**
 * The `threefry2x32` primitive (JAX's `threefry2x32_p`): both words of the
 * Threefry-2x32 block cipher of 64-bit counters under a 64-bit key, every
 * operand uint32 and broadcast elementwise. One primitive instead of its 20
 * rounds of lax ops keeps a random draw one kernel (the rounds, inlined
 * into each other, grew as a tree and split into ~50 kernels).
 *
 * @module
 */

import { DTypeError } from "../errors.ts";
import type { Expr, Kernel } from "../kernel/ir.ts";
import { runKernel } from "../runtime.ts";
import { ShapedArray } from "../trace/aval.ts";
import { bind, type Rule, Zero } from "../trace/core.ts";
import { broadcastBatcher, broadcastLoad, elementwiseShape } from "./util.ts";

function abstractEval(avals: ShapedArray[]): ShapedArray[] {
  if (avals.length !== 4 || avals.some((a) => a.dtype !== "uint32")) {
    throw new DTypeError(`threefry2x32: takes four uint32 arrays (k0, k1, x0, x1), got ${avals.join(", ")}`);
  }
  const out = new ShapedArray(elementwiseShape("threefry2x32", avals), "uint32");
  return [out, out];
}

/** The kernel of word `word` of the cipher. */
function wordKernel(avals: ShapedArray[], out: ShapedArray, word: 0 | 1): Kernel {
  const args = avals.map((a, i) => broadcastLoad(i, a, out.shape));
  const expr: Expr = { op: "nary", fn: word ? "threefry2x32_1" : "threefry2x32_0", args, dtype: "uint32" };
  return { size: out.size, dtype: "uint32", expr };
}

/** The rules of threefry2x32. */
export const threefryRules: { threefry2x32: Rule<"threefry2x32"> } = {
  threefry2x32: {
    abstractEval,
    lower: null,
    impl: (args) => {
      const avals = args.map((a) => a.aval);
      const [out] = abstractEval(avals);
      return [runKernel(wordKernel(avals, out, 0), args, out), runKernel(wordKernel(avals, out, 1), args, out)];
    },
    jvp: (primals) => {
      const outs = bind("threefry2x32", primals, {});
      return [outs, outs.map((o) => new Zero(o.aval))];
    },
    transpose: null,
    vmap: broadcastBatcher("threefry2x32"),
  },
};
