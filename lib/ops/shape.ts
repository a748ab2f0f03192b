/**
 * Shape and indexing primitives: iota, broadcast_in_dim, reshape, transpose,
 * squeeze, rev, slice, dynamic_slice, dynamic_update_slice, concatenate, pad,
 * split, gather and scatter. All but split and scatter are one kernel:
 * an index expression that reads the input where the output element comes from.
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { DTypeError, fmtShape, IndexError, ShapeError } from "../errors.ts";
import { constant, type Expr, iadd, IDX, imul, type Kernel, load, ravel, unravel } from "../kernel/ir.ts";
import * as lax from "../lax.ts";
import { fromTyped } from "../runtime.ts";
import { prod, stridesOf } from "../shape.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { bind, bind1, type Rule, UndefPrimal, Zero } from "../trace/core.ts";
import type { Params, Primitive, ScatterMode } from "./primitives.ts";
import { allZero, aval, batchSize, instantiate, kernelImpl, linearJvp, moveaxis, moveBatchAxis } from "./util.ts";

type Rules<K extends Primitive> = { [P in K]: Rule<P> };

const cmp = (fn: "lt" | "ge" | "eq", x: Expr, y: Expr): Expr => ({ op: "binary", fn, x, y, dtype: "bool" });
const and = (x: Expr, y: Expr): Expr => ({ op: "binary", fn: "and", x, y, dtype: "bool" });
const clampIdx = (e: Expr, hi: number): Expr => ({
  op: "binary",
  fn: "min",
  x: { op: "binary", fn: "max", x: e, y: constant(0), dtype: "int32" },
  y: constant(Math.max(hi, 0)),
  dtype: "int32",
});
/** Reads a scalar int input as an index expression. */
const scalarIn = (i: number): Expr => ({ op: "cast", x: load(i, constant(0), "int32"), dtype: "int32" });

/** Builds a rule whose single kernel is `x[index(coords)]` for an index map over the output coordinates. */
function gatherKernel(
  x: ShapedArray,
  out: ShapedArray,
  srcCoords: (outCoords: Expr[]) => Expr[],
): Kernel {
  const coords = unravel(IDX, out.shape);
  return { size: out.size, dtype: x.dtype, expr: load(0, ravel(srcCoords(coords), stridesOf(x.shape)), x.dtype) };
}

function withImpl<P extends Primitive>(r: Omit<Rule<P>, "impl">): Rule<P> {
  return { ...r, impl: kernelImpl(r.abstractEval, r.lower!) } as Rule<P>;
}

function checkPerm(op: string, perm: number[], ndim: number) {
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== ndim || sorted.some((p, i) => p !== i)) {
    throw new ShapeError(`${op}: permutation ${JSON.stringify(perm)} is not a permutation of ${ndim} axes`);
  }
}

// ---- iota ----
const iotaEval = (_: ShapedArray[], p: Params["iota"]) => {
  if (!Array.isArray(p.shape) || p.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`iota: shape must be a list of non-negative integers, got ${JSON.stringify(p.shape)}`);
  }
  if (!Number.isInteger(p.dimension) || p.dimension < 0 || p.dimension >= p.shape.length) {
    throw new ShapeError(`iota: dimension ${p.dimension} is out of range for shape ${fmtShape(p.shape)}`);
  }
  return [aval(p.shape, p.dtype)];
};
const iota: Rule<"iota"> = withImpl({
  abstractEval: iotaEval,
  lower: (_, p) => ({
    size: prod(p.shape),
    dtype: p.dtype,
    expr: { op: "cast", x: unravel(IDX, p.shape)[p.dimension], dtype: p.dtype },
  }),
  jvp: (_, __, p) => {
    const out = bind1("iota", [], p);
    return [[out], [new Zero(out.aval)]];
  },
  transpose: null,
  vmap: (_, __, p) => [[bind1("iota", [], p)], [null]],
});

// ---- broadcast_in_dim ----
const bidEval = ([x]: ShapedArray[], p: Params["broadcast_in_dim"]) => {
  const { shape, broadcast_dimensions: bd } = p;
  const ok = bd.length === x.ndim &&
    bd.every((d, i) =>
      d >= 0 && d < shape.length && (i === 0 || d > bd[i - 1]) &&
      (x.shape[i] === 1 || x.shape[i] === shape[d])
    );
  if (!ok) {
    throw new ShapeError(
      `broadcast_in_dim: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)} with broadcast_dimensions ${
        JSON.stringify(bd)
      }`,
    );
  }
  return [aval(shape, x.dtype, x.weakType)];
};
const broadcastInDim: Rule<"broadcast_in_dim"> = withImpl({
  abstractEval: bidEval,
  lower: ([x], p) => {
    const [out] = bidEval([x], p);
    return gatherKernel(x, out, (c) => p.broadcast_dimensions.map((d, i) => (x.shape[i] === 1 ? constant(0) : c[d])));
  },
  jvp: linearJvp("broadcast_in_dim"),
  transpose: ([ct], [x], p) => {
    if (ct instanceof Zero) return [null];
    const xa = (x as UndefPrimal).aval;
    const bd = p.broadcast_dimensions;
    const sumDims = p.shape.map((_, i) => i).filter((i) =>
      !bd.includes(i) || (xa.shape[bd.indexOf(i)] === 1 && p.shape[i] !== 1)
    );
    const summed = sumDims.length ? lax.reduce_sum(ct, sumDims) : ct;
    return [summed.shape.join() === xa.shape.join() ? summed : lax.reshape(summed, [...xa.shape])];
  },
  vmap: ([x], [d], p) => {
    const y = moveaxis0(x, d!);
    return [[lax.broadcast_in_dim(y, [y.shape[0], ...p.shape], [0, ...p.broadcast_dimensions.map((b) => b + 1)])], [0]];
  },
});

function moveaxis0(x: NDArray, d: number): NDArray {
  return d === 0 ? x : moveaxis(x, d, 0);
}

// ---- reshape and squeeze (same data order) ----
const reshapeEval = ([x]: ShapedArray[], p: Params["reshape"]) => {
  if (prod(p.new_sizes) !== x.size || p.new_sizes.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(
      `reshape: cannot reshape an array of shape ${fmtShape(x.shape)} (size ${x.size}) into shape ${
        fmtShape(p.new_sizes)
      }`,
    );
  }
  return [aval(p.new_sizes, x.dtype, x.weakType)];
};
const flatCopy = ([x]: ShapedArray[]): Kernel => ({ size: x.size, dtype: x.dtype, expr: load(0, IDX, x.dtype) });
const reshape: Rule<"reshape"> = withImpl({
  abstractEval: reshapeEval,
  lower: flatCopy,
  jvp: linearJvp("reshape"),
  transpose: ([ct], [x]) => [ct instanceof Zero ? null : lax.reshape(ct, [...(x as UndefPrimal).aval.shape])],
  vmap: ([x], [d], p) => {
    const y = moveaxis0(x, d!);
    return [[lax.reshape(y, [y.shape[0], ...p.new_sizes])], [0]];
  },
});

const squeezeEval = ([x]: ShapedArray[], p: Params["squeeze"]) => {
  for (const d of p.dimensions) {
    if (d < 0 || d >= x.ndim || x.shape[d] !== 1) {
      throw new ShapeError(`squeeze: cannot squeeze axis ${d} of shape ${fmtShape(x.shape)} (it must have size 1)`);
    }
  }
  return [aval(x.shape.filter((_, i) => !p.dimensions.includes(i)), x.dtype, x.weakType)];
};
const squeeze: Rule<"squeeze"> = withImpl({
  abstractEval: squeezeEval,
  lower: flatCopy,
  jvp: linearJvp("squeeze"),
  transpose: ([ct], [x]) => [ct instanceof Zero ? null : lax.reshape(ct, [...(x as UndefPrimal).aval.shape])],
  vmap: ([x], [d], p) => {
    const y = moveaxis0(x, d!);
    return [[lax.squeeze(y, p.dimensions.map((a) => a + 1))], [0]];
  },
});

// ---- transpose ----
const transposeEval = ([x]: ShapedArray[], p: Params["transpose"]) => {
  checkPerm("transpose", p.permutation, x.ndim);
  return [aval(p.permutation.map((a) => x.shape[a]), x.dtype, x.weakType)];
};
const transpose: Rule<"transpose"> = withImpl({
  abstractEval: transposeEval,
  lower: ([x], p) => {
    const [out] = transposeEval([x], p);
    return gatherKernel(x, out, (c) => {
      const src = new Array<Expr>(x.ndim);
      p.permutation.forEach((a, i) => (src[a] = c[i]));
      return src;
    });
  },
  jvp: linearJvp("transpose"),
  transpose: ([ct], _, p) => {
    if (ct instanceof Zero) return [null];
    const inv = new Array<number>(p.permutation.length);
    p.permutation.forEach((a, i) => (inv[a] = i));
    return [lax.transpose(ct, inv)];
  },
  vmap: ([x], [d], p) => {
    const y = moveaxis0(x, d!);
    return [[lax.transpose(y, [0, ...p.permutation.map((a) => a + 1)])], [0]];
  },
});

// ---- rev ----
const rev: Rule<"rev"> = withImpl({
  abstractEval: ([x]) => [x],
  lower: ([x], p) =>
    gatherKernel(
      x,
      x,
      (c) => c.map((e, i) => (p.dimensions.includes(i) ? iadd(constant(x.shape[i] - 1), imul(e, constant(-1))) : e)),
    ),
  jvp: linearJvp("rev"),
  transpose: ([ct], _, p) => [ct instanceof Zero ? null : lax.rev(ct, p.dimensions)],
  vmap: ([x], [d], p) => [[lax.rev(x, p.dimensions.map((a) => (a >= d! ? a + 1 : a)))], [d]],
});

// ---- slice ----
const sliceEval = ([x]: ShapedArray[], p: Params["slice"]) => {
  const { start_indices: s, limit_indices: l } = p;
  const st = p.strides ?? s.map(() => 1);
  const bad = s.length !== x.ndim || l.length !== x.ndim ||
    s.some((v, i) => v < 0 || l[i] > x.shape[i] || l[i] < v || st[i] < 1);
  if (bad) {
    throw new IndexError(
      `slice: start ${JSON.stringify(s)}, limit ${JSON.stringify(l)}, strides ${
        JSON.stringify(p.strides)
      } do not fit shape ${fmtShape(x.shape)}`,
    );
  }
  return [aval(s.map((v, i) => Math.ceil((l[i] - v) / st[i])), x.dtype, x.weakType)];
};
const slice: Rule<"slice"> = withImpl({
  abstractEval: sliceEval,
  lower: ([x], p) => {
    const [out] = sliceEval([x], p);
    if (out.size === x.size) return flatCopy([x]); // the whole array
    const st = p.strides ?? p.start_indices.map(() => 1);
    return gatherKernel(x, out, (c) => c.map((e, i) => iadd(constant(p.start_indices[i]), imul(e, constant(st[i])))));
  },
  jvp: linearJvp("slice"),
  transpose: ([ct], [x], p) => {
    if (ct instanceof Zero) return [null];
    const xs = (x as UndefPrimal).aval.shape;
    const st = p.strides ?? p.start_indices.map(() => 1);
    const cfg = xs.map((n, i): [number, number, number] => {
      const lo = p.start_indices[i];
      const used = ct.shape[i] === 0 ? 0 : lo + (ct.shape[i] - 1) * st[i] + 1;
      return [lo, n - Math.max(used, lo), ct.shape[i] === 0 ? 0 : st[i] - 1];
    });
    return [lax.pad(ct, 0, cfg)];
  },
  vmap: ([x], [d], p) => {
    const ins = (arr: number[], v: number) => [...arr.slice(0, d!), v, ...arr.slice(d!)];
    const st = p.strides ? ins(p.strides, 1) : null;
    return [[lax.slice(x, ins(p.start_indices, 0), ins(p.limit_indices, x.shape[d!]), st)], [d]];
  },
});

// ---- dynamic_slice ----
const dsEval = ([x, ...idx]: ShapedArray[], p: Params["dynamic_slice"]) => {
  if (idx.length !== x.ndim || p.slice_sizes.length !== x.ndim) {
    throw new IndexError(`dynamic_slice: needs ${x.ndim} start indices and slice sizes for shape ${fmtShape(x.shape)}`);
  }
  if (idx.some((a) => a.ndim !== 0 || a.dtype !== "int32")) {
    throw new DTypeError("dynamic_slice: start indices must be int32 scalars");
  }
  if (p.slice_sizes.some((s, i) => s < 0 || s > x.shape[i])) {
    throw new IndexError(
      `dynamic_slice: slice sizes ${JSON.stringify(p.slice_sizes)} exceed shape ${fmtShape(x.shape)}`,
    );
  }
  return [aval(p.slice_sizes, x.dtype, x.weakType)];
};
const dynamicSlice: Rule<"dynamic_slice"> = withImpl({
  abstractEval: dsEval,
  lower: ([x, ...idx], p) => {
    const [out] = dsEval([x, ...idx], p);
    return gatherKernel(
      x,
      out,
      (c) => c.map((e, i) => iadd(clampIdx(scalarIn(i + 1), x.shape[i] - p.slice_sizes[i]), e)),
    );
  },
  jvp: ([x, ...idx], [t], p) => {
    const out = bind1("dynamic_slice", [x, ...idx], p);
    return [[out], [t instanceof Zero ? new Zero(out.aval) : bind1("dynamic_slice", [t, ...idx], p)]];
  },
  transpose: ([ct], [x, ...idx]) => {
    if (ct instanceof Zero) return [null, ...idx.map(() => null)];
    const xa = (x as UndefPrimal).aval;
    return [
      lax.dynamic_update_slice(lax.full([...xa.shape], 0, xa.dtype), ct, idx as NDArray[]),
      ...idx.map(() => null),
    ];
  },
  vmap: ([x, ...idx], [dx, ...didx], p) => {
    if (didx.every((d) => d === null)) {
      const zero = lax.full([], 0, "int32");
      const starts = [...idx];
      starts.splice(dx!, 0, zero);
      const sizes = [...p.slice_sizes];
      sizes.splice(dx!, 0, x.shape[dx!]);
      return [[lax.dynamic_slice(x, starts, sizes)], [dx]];
    }
    // Batched start indices: a gather with one index array per axis.
    const size = dx !== null
      ? x.shape[dx]
      : idx[didx.findIndex((d) => d !== null)].shape[didx.find((d) => d !== null)!];
    const xb = moveBatchAxis(x, dx, 0, size);
    const outShape = [size, ...p.slice_sizes];
    const indices = [lax.iota("int32", outShape, 0)];
    idx.forEach((s, k) => {
      const sb = moveBatchAxis(s, didx[k], 0, size); // [B]
      const clamped = lax.max(lax.min(sb, xb.shape[k + 1] - p.slice_sizes[k]), 0);
      indices.push(lax.add(lax.broadcast_in_dim(clamped, outShape, [0]), lax.iota("int32", outShape, k + 1)));
    });
    return [[lax.gather(xb, indices, [...Array(x.ndim + (dx === null ? 1 : 0)).keys()])], [0]];
  },
});

// ---- dynamic_update_slice ----
const dusEval = ([x, u, ...idx]: ShapedArray[]) => {
  if (u.ndim !== x.ndim || u.shape.some((d, i) => d > x.shape[i]) || idx.length !== x.ndim) {
    throw new ShapeError(`dynamic_update_slice: update ${fmtShape(u.shape)} does not fit operand ${fmtShape(x.shape)}`);
  }
  if (u.dtype !== x.dtype) {
    throw new DTypeError(`dynamic_update_slice: update dtype ${u.dtype} differs from operand ${x.dtype}`);
  }
  return [x.withWeak(x.weakType && u.weakType)];
};
const dynamicUpdateSlice: Rule<"dynamic_update_slice"> = withImpl({
  abstractEval: dusEval,
  lower: ([x, u, ...idx]) => {
    const c = unravel(IDX, x.shape);
    const starts = idx.map((_, i) => clampIdx(scalarIn(i + 2), x.shape[i] - u.shape[i]));
    const rel = c.map((e, i) => iadd(e, imul(starts[i], constant(-1))));
    let inside: Expr = constant(1, "bool");
    rel.forEach((r, i) => (inside = and(inside, and(cmp("ge", r, constant(0)), cmp("lt", r, constant(u.shape[i]))))));
    const upd = load(1, ravel(rel.map((r, i) => clampIdx(r, u.shape[i] - 1)), stridesOf(u.shape)), u.dtype);
    return {
      size: x.size,
      dtype: x.dtype,
      expr: { op: "select", cond: inside, t: upd, f: load(0, IDX, x.dtype), dtype: x.dtype },
    };
  },
  jvp: ([x, u, ...idx], [tx, tu], p) => {
    const out = bind1("dynamic_update_slice", [x, u, ...idx], p);
    if (tx instanceof Zero && tu instanceof Zero) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1("dynamic_update_slice", [instantiate(tx), instantiate(tu), ...idx], p)]];
  },
  transpose: ([ct], [x, u, ...idx]) => {
    const ua = u instanceof UndefPrimal ? u.aval : (u as NDArray).aval;
    if (ct instanceof Zero) return [null, null, ...idx.map(() => null)];
    const starts = idx as NDArray[];
    const ctX = x instanceof UndefPrimal
      ? lax.dynamic_update_slice(ct, lax.full([...ua.shape], 0, ua.dtype), starts)
      : null;
    const ctU = u instanceof UndefPrimal ? lax.dynamic_slice(ct, starts, [...ua.shape]) : null;
    return [ctX, ctU, ...idx.map(() => null)];
  },
  vmap: (args, dims) => {
    const size = batchSize(args, dims);
    const [x, u, ...idx] = args.map((a, i) => (i < 2 ? moveBatchAxis(a, dims[i], 0, size) : a));
    if (dims.slice(2).every((d) => d === null)) {
      return [[lax.dynamic_update_slice(x, u, [lax.full([], 0, "int32"), ...idx])], [0]];
    }
    // Batched indices: one update per batch element, stacked (unrolled over the batch).
    const rows = [...Array(size).keys()].map((b) => {
      const pick = (
        a: NDArray,
        d: number | null,
      ) => (d === null ? a : lax.squeeze(lax.slice_in_dim(a, b, b + 1, 1, d), [d]));
      const xb = lax.squeeze(lax.slice_in_dim(x, b, b + 1), [0]);
      const ub = lax.squeeze(lax.slice_in_dim(u, b, b + 1), [0]);
      const r = lax.dynamic_update_slice(xb, ub, idx.map((s, k) => pick(s, dims[k + 2])));
      return lax.expand_dims(r, [0]);
    });
    return [[lax.concatenate(rows, 0)], [0]];
  },
});

// ---- concatenate ----
const concatEval = (xs: ShapedArray[], p: Params["concatenate"]) => {
  if (xs.length === 0) throw new ShapeError("concatenate: needs at least one array");
  const d = p.dimension;
  const first = xs[0];
  for (const x of xs) {
    if (x.ndim !== first.ndim || x.shape.some((n, i) => i !== d && n !== first.shape[i])) {
      throw new ShapeError(
        `concatenate: shapes ${xs.map((a) => fmtShape(a.shape)).join(", ")} differ outside axis ${d}`,
      );
    }
    if (x.dtype !== first.dtype) {
      throw new DTypeError(`concatenate: dtypes ${xs.map((a) => a.dtype).join(", ")} differ`);
    }
  }
  if (d < 0 || d >= first.ndim) throw new ShapeError(`concatenate: axis ${d} out of range for rank ${first.ndim}`);
  const shape = [...first.shape];
  shape[d] = xs.reduce((s, x) => s + x.shape[d], 0);
  return [aval(shape, first.dtype, xs.every((x) => x.weakType))];
};
const concatenate: Rule<"concatenate"> = withImpl({
  abstractEval: concatEval,
  lower: (xs, p) => {
    const [out] = concatEval(xs, p);
    const c = unravel(IDX, out.shape);
    const d = p.dimension;
    const offsets: number[] = [];
    xs.reduce((o, x) => (offsets.push(o), o + x.shape[d]), 0);
    const piece = (i: number) => {
      const src = c.map((e, k) => (k === d ? iadd(e, constant(-offsets[i])) : e));
      return load(i, ravel(src, stridesOf(xs[i].shape)), xs[i].dtype);
    };
    let expr = piece(xs.length - 1);
    for (let i = xs.length - 2; i >= 0; i--) {
      expr = { op: "select", cond: cmp("lt", c[d], constant(offsets[i + 1])), t: piece(i), f: expr, dtype: out.dtype };
    }
    return { size: out.size, dtype: out.dtype, expr };
  },
  jvp: (xs, ts, p) => {
    const out = bind1("concatenate", xs, p);
    if (allZero(ts)) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1("concatenate", ts.map(instantiate), p)]];
  },
  transpose: ([ct], xs, p) => {
    let off = 0;
    return xs.map((x) => {
      const n = x.aval.shape[p.dimension];
      const piece = ct instanceof Zero || !(x instanceof UndefPrimal)
        ? null
        : lax.slice_in_dim(ct, off, off + n, 1, p.dimension);
      off += n;
      return piece;
    });
  },
  vmap: (xs, dims, p) => {
    const size = batchSize(xs, dims);
    return [[lax.concatenate(xs.map((x, i) => moveBatchAxis(x, dims[i], 0, size)), p.dimension + 1)], [0]];
  },
});

// ---- pad ----
const padEval = ([x, v]: ShapedArray[], p: Params["pad"]) => {
  if (v.ndim !== 0) throw new ShapeError(`pad: padding value must be a scalar, got shape ${fmtShape(v.shape)}`);
  if (p.padding_config.length !== x.ndim) throw new ShapeError(`pad: needs ${x.ndim} (low, high, interior) triples`);
  const shape = x.shape.map((n, i) => {
    const [lo, hi, interior] = p.padding_config[i];
    if (interior < 0) throw new ShapeError("pad: interior padding must be non-negative");
    const s = lo + hi + n + Math.max(0, n - 1) * interior;
    if (s < 0) throw new ShapeError(`pad: negative padding makes axis ${i} of ${fmtShape(x.shape)} negative`);
    return s;
  });
  return [aval(shape, x.dtype, x.weakType)];
};
const pad: Rule<"pad"> = withImpl({
  abstractEval: padEval,
  lower: ([x, v], p) => {
    const [out] = padEval([x, v], p);
    const c = unravel(IDX, out.shape);
    let inside: Expr = constant(1, "bool");
    const src = c.map((e, i) => {
      const [lo, , interior] = p.padding_config[i];
      const pos = iadd(e, constant(-lo)); // position in the interior-dilated operand
      const step = interior + 1;
      const q: Expr = step === 1 ? pos : { op: "binary", fn: "div", x: pos, y: constant(step), dtype: "int32" };
      let ok = and(cmp("ge", pos, constant(0)), cmp("lt", pos, constant(Math.max(0, (x.shape[i] - 1) * step + 1))));
      if (step > 1) {
        ok = and(ok, cmp("eq", { op: "binary", fn: "rem", x: pos, y: constant(step), dtype: "int32" }, constant(0)));
      }
      inside = and(inside, ok);
      return clampIdx(q, x.shape[i] - 1);
    });
    const expr: Expr = {
      op: "select",
      cond: inside,
      t: load(0, ravel(src, stridesOf(x.shape)), x.dtype),
      f: load(1, constant(0), v.dtype),
      dtype: x.dtype,
    };
    return { size: out.size, dtype: x.dtype, expr };
  },
  jvp: ([x, v], [tx, tv], p) => {
    const out = bind1("pad", [x, v], p);
    if (tx instanceof Zero && tv instanceof Zero) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1("pad", [instantiate(tx), instantiate(tv)], p)]];
  },
  transpose: ([ct], [x, v], p) => {
    if (ct instanceof Zero) return [null, null];
    const unpad = lax.pad(ct, 0, p.padding_config.map(([lo, hi]) => [-lo, -hi, 0]));
    const ctX = lax.slice(unpad, unpad.shape.map(() => 0), unpad.shape, p.padding_config.map(([, , i]) => i + 1));
    const all = (a: NDArray) => lax.reduce_sum(a, [...Array(a.ndim).keys()]);
    return [
      x instanceof UndefPrimal ? ctX : null,
      v instanceof UndefPrimal ? lax.sub(all(ct), all(ctX)) : null,
    ];
  },
  vmap: ([x, v], [dx, dv], p) => {
    const size = dx !== null ? x.shape[dx] : v.shape[dv!];
    const xb = moveBatchAxis(x, dx, 0, size);
    const cfg: [number, number, number][] = [[0, 0, 0], ...p.padding_config];
    if (dv === null) return [[lax.pad(xb, v, cfg)], [0]];
    const padded = lax.pad(xb, lax.full([], 0, x.dtype), cfg);
    const mask = lax.pad(lax.full(xb.shape, true), false, cfg);
    const vb = lax.broadcast_in_dim(v, padded.shape, [0]);
    return [[lax.select(mask, padded, vb)], [0]];
  },
});

// ---- split ----
const splitEval = ([x]: ShapedArray[], p: Params["split"]) => {
  if (p.sizes.reduce((a, b) => a + b, 0) !== x.shape[p.axis]) {
    throw new ShapeError(
      `split: sizes ${JSON.stringify(p.sizes)} do not add up to axis ${p.axis} of ${fmtShape(x.shape)}`,
    );
  }
  return p.sizes.map((s) => aval(x.shape.map((n, i) => (i === p.axis ? s : n)), x.dtype, x.weakType));
};
const split: Rule<"split"> = {
  abstractEval: splitEval,
  lower: null,
  impl: ([x], p) => {
    let off = 0;
    return p.sizes.map((s) => lax.slice_in_dim(x, off, off += s, 1, p.axis));
  },
  jvp: ([x], [t], p) => {
    const outs = bind("split", [x], p);
    if (t instanceof Zero) return [outs, outs.map((o) => new Zero(o.aval))];
    return [outs, bind("split", [t], p)];
  },
  transpose: (cts, [x], p) => {
    const xa = (x as UndefPrimal).aval;
    const pieces = cts.map((c, i) =>
      instantiate(
        c instanceof Zero ? new Zero(aval(xa.shape.map((n, k) => (k === p.axis ? p.sizes[i] : n)), xa.dtype)) : c,
      )
    );
    return [lax.concatenate(pieces, p.axis)];
  },
  vmap: ([x], [d], p) => [bind("split", [x], { ...p, axis: p.axis >= d! ? p.axis + 1 : p.axis }), p.sizes.map(() => d)],
};

// ---- gather / scatter (index arrays along axes) ----
const gatherEval = ([x, ...idx]: ShapedArray[], p: Params["gather"]) => {
  if (idx.length !== p.axes.length || idx.length === 0) throw new IndexError("gather: needs one index array per axis");
  if (idx.some((a) => a.dtype !== "int32")) {
    throw new DTypeError(`gather: index arrays must be int32, got ${idx.map((a) => a.dtype).join(", ")}`);
  }
  if (idx.some((a) => a.shape.join() !== idx[0].shape.join())) {
    throw new ShapeError("gather: index arrays must share one shape");
  }
  if (p.axes.some((a) => a < 0 || a >= x.ndim)) {
    throw new IndexError(`gather: axes ${JSON.stringify(p.axes)} out of range for rank ${x.ndim}`);
  }
  const rest = x.shape.filter((_, i) => !p.axes.includes(i));
  return [aval([...idx[0].shape, ...rest], x.dtype, x.weakType)];
};
const gather: Rule<"gather"> = withImpl({
  abstractEval: gatherEval,
  lower: ([x, ...idx], p) => {
    const [out] = gatherEval([x, ...idx], p);
    const sShape = idx[0].shape;
    const c = unravel(IDX, out.shape);
    const sFlat = ravel(c.slice(0, sShape.length), stridesOf(sShape));
    const restC = c.slice(sShape.length);
    let r = 0;
    const src = x.shape.map((n, i) => {
      const k = p.axes.indexOf(i);
      return k >= 0 ? clampIdx(load(k + 1, sFlat, "int32"), n - 1) : restC[r++];
    });
    return { size: out.size, dtype: x.dtype, expr: load(0, ravel(src, stridesOf(x.shape)), x.dtype) };
  },
  jvp: ([x, ...idx], [t], p) => {
    const out = bind1("gather", [x, ...idx], p);
    return [[out], [t instanceof Zero ? new Zero(out.aval) : bind1("gather", [t, ...idx], p)]];
  },
  transpose: ([ct], [x, ...idx], p) => {
    if (ct instanceof Zero) return [null, ...idx.map(() => null)];
    const xa = (x as UndefPrimal).aval;
    // gather clamps its indices; the scatter must add where the gather read, not drop out-of-bounds ones.
    const clamped = (idx as NDArray[]).map((a, k) => lax.max(lax.min(a, xa.shape[p.axes[k]] - 1), 0));
    return [
      lax.scatter_add(lax.full([...xa.shape], 0, xa.dtype), clamped, ct, p.axes),
      ...idx.map(() => null),
    ];
  },
  vmap: ([x, ...idx], [dx, ...di], p) =>
    batchedIndexing(x, dx, idx, di, p.axes, (xb, ib, axes) => [lax.gather(xb, ib, axes)]),
});

/** Batches gather/scatter by adding the batch axis as one more indexed axis. */
function batchedIndexing(
  x: NDArray,
  dx: number | null,
  idx: NDArray[],
  di: (number | null)[],
  axes: number[],
  f: (xb: NDArray, ib: NDArray[], axes: number[]) => NDArray[],
  updates?: [NDArray, number | null],
): [NDArray[], (number | null)[]] {
  const all = [x, ...idx, ...(updates ? [updates[0]] : [])];
  const dims = [dx, ...di, ...(updates ? [updates[1]] : [])];
  const size = batchSize(all, dims);
  const xb = moveBatchAxis(x, dx, 0, size);
  const ib = idx.map((a, i) => moveBatchAxis(a, di[i], 0, size));
  const iotaB = lax.iota("int32", ib[0].shape, 0);
  const newAxes = [0, ...axes.map((a) => a + 1)];
  if (!updates) return [f(xb, [iotaB, ...ib], newAxes), [0]];
  const ub = moveBatchAxis(updates[0], updates[1], 0, size);
  return [f(xb, [iotaB, ...ib, ub], newAxes), [0]];
}

const scatterEval = ([x, u, ...idx]: ShapedArray[], p: Params["scatter"]) => {
  const [g] = gatherEval([x, ...idx], { axes: p.axes });
  if (g.shape.join() !== u.shape.join()) {
    throw new ShapeError(`scatter: updates ${fmtShape(u.shape)} must have shape ${fmtShape(g.shape)}`);
  }
  if (u.dtype !== x.dtype) throw new DTypeError(`scatter: updates dtype ${u.dtype} differs from operand ${x.dtype}`);
  return [x];
};

const COMBINE: Record<ScatterMode, (a: number, b: number) => number> = {
  set: (_, b) => b,
  add: (a, b) => a + b,
  mul: (a, b) => a * b,
  min: (a, b) => (a !== a || b !== b ? NaN : Math.min(a, b)),
  max: (a, b) => (a !== a || b !== b ? NaN : Math.max(a, b)),
};

const scatter: Rule<"scatter"> = {
  abstractEval: scatterEval,
  lower: null,
  impl: ([x, u, ...idx], p) => {
    // A scatter is not an elementwise map; this host loop is the reference.
    const out = x.dataSync();
    const ud = u.dataSync();
    const id = idx.map((a) => a.dataSync());
    const xs = stridesOf(x.shape);
    const sSize = idx[0].size;
    const restAxes = x.shape.map((_, i) => i).filter((i) => !p.axes.includes(i));
    const restShape = restAxes.map((i) => x.shape[i]);
    const restSize = prod(restShape);
    const restStrides = stridesOf(restShape);
    const combine = COMBINE[p.mode];
    for (let s = 0; s < sSize; s++) {
      let base = 0, inBounds = true;
      p.axes.forEach((a, k) => {
        const v = id[k][s];
        if (v < 0 || v >= x.shape[a]) inBounds = false;
        base += v * xs[a];
      });
      if (!inBounds) continue; // out-of-bounds updates are dropped, as in JAX
      for (let r = 0; r < restSize; r++) {
        let off = base;
        restAxes.forEach((a, j) => (off += (Math.floor(r / restStrides[j]) % restShape[j]) * xs[a]));
        out[off] = combine(out[off], ud[s * restSize + r]);
      }
    }
    return [fromTyped(out, x.shape, x.dtype, x.backend)];
  },
  jvp: ([x, u, ...idx], [tx, tu], p) => {
    const out = bind1("scatter", [x, u, ...idx], p);
    if (tx instanceof Zero && tu instanceof Zero) return [[out], [new Zero(out.aval)]];
    if (p.mode !== "add" && p.mode !== "set") {
      throw new DTypeError(
        `scatter: differentiating x.at[...].${
          p.mode === "mul" ? "multiply" : p.mode
        }() is not supported yet; use set/add`,
      );
    }
    return [[out], [bind1("scatter", [instantiate(tx), instantiate(tu), ...idx], p)]];
  },
  transpose: ([ct], [x, u, ...idx], p) => {
    if (ct instanceof Zero) return [null, null, ...idx.map(() => null)];
    const ids = idx as NDArray[];
    let ctX: NDArray | null = null;
    if (x instanceof UndefPrimal) {
      // Under "set" the overwritten positions get no cotangent.
      ctX = p.mode === "add" ? ct : lax.scatter(
        ct,
        ids,
        lax.full(
          gatherEval([ct.aval, ...ids.map((a) => a.aval)], { axes: p.axes })[0].shape as number[],
          0,
          ct.dtype,
        ),
        p.axes,
        "set",
      );
    }
    return [ctX, u instanceof UndefPrimal ? gatherOrZero(ct, ids, p.axes) : null, ...idx.map(() => null)];
  },
  vmap: ([x, u, ...idx], [dx, du, ...di], p) =>
    batchedIndexing(x, dx, idx, di, p.axes, (xb, ib, axes) => {
      const ub = ib.pop()!;
      return [lax.scatter(xb, ib, ub, axes, p.mode)];
    }, [u, du]),
};

/**
 * `x[idx]` along `axes` with zeros where an index is out of bounds: the
 * transpose of a scatter, which drops out-of-bounds updates (gather clamps).
 */
function gatherOrZero(x: NDArray, idx: NDArray[], axes: number[]): NDArray {
  const g = lax.gather(x, idx, axes);
  let ok = lax.full(idx[0].shape, true);
  idx.forEach((a, k) => (ok = lax.and(ok, lax.and(lax.ge(a, 0), lax.lt(a, x.shape[axes[k]])))));
  const okB = lax.broadcast_in_dim(ok, g.shape, [...Array(ok.ndim).keys()]);
  return lax.select(okB, g, lax.zeros_like(g));
}

/** The rule records of the shape and indexing primitives. */
export const shapeRules: Rules<
  | "iota"
  | "broadcast_in_dim"
  | "reshape"
  | "squeeze"
  | "transpose"
  | "rev"
  | "slice"
  | "dynamic_slice"
  | "dynamic_update_slice"
  | "concatenate"
  | "pad"
  | "split"
  | "gather"
  | "scatter"
> = {
  iota,
  broadcast_in_dim: broadcastInDim,
  reshape,
  squeeze,
  transpose,
  rev,
  slice,
  dynamic_slice: dynamicSlice,
  dynamic_update_slice: dynamicUpdateSlice,
  concatenate,
  pad,
  split,
  gather,
  scatter,
};
