/**
 * Index simplification by range analysis. Fusion by substitution leaves
 * index chains such as `((idx * n + ridx) / n, (idx * n + ridx) % n)` (a
 * broadcast read inside a reduction over `n`): with `0 <= ridx < n` they are
 * just `idx` and `ridx`. Both backends run this before generating code, so a
 * fused reduction's loads become plain (and, on the GPU, vec4-able) reads.
 *
 * Only non-negative integer index arithmetic (add, mul, div and rem by a
 * positive constant over `idx`, `ridx` and non-negative constants) is
 * rewritten; anything else is left as it is.
 *
 * @module
 */

import { constant, type Expr, exprDType, exprKey } from "./ir.ts";

/** Largest value of a non-negative index expression, or null when unknown (or possibly negative). */
function upper(e: Expr, idxMax: number, ridxMax: number): number | null {
  if (e.op === "const") return e.dtype === "int32" && Number.isInteger(e.value) && e.value >= 0 ? e.value : null;
  if (e.op === "idx") return idxMax;
  if (e.op === "ridx") return ridxMax;
  if (e.op !== "binary" || e.dtype !== "int32") return null;
  const x = upper(e.x, idxMax, ridxMax), y = upper(e.y, idxMax, ridxMax);
  if (x === null || y === null) return null;
  switch (e.fn) {
    case "add":
      return x + y;
    case "mul":
      return x * y;
    case "div":
      return y > 0 && e.y.op === "const" ? Math.floor(x / y) : null;
    case "rem":
      return y > 0 && e.y.op === "const" ? Math.min(x, y - 1) : null;
    default:
      return null;
  }
}

/**
 * `(a / d) * d + a % d` is `a` (for non-negative a, as index arithmetic is):
 * a flat index split into coordinates and joined again, e.g. by a reshape.
 */
function unsplit(e: Expr & { op: "binary" }): Expr {
  const x = e.x, y = e.y;
  for (const [m, r] of [[x, y], [y, x]] as const) {
    if (
      m.op === "binary" && m.fn === "mul" && m.y.op === "const" && m.x.op === "binary" && m.x.fn === "div" &&
      m.x.y.op === "const" && m.x.y.value === m.y.value && r.op === "binary" && r.fn === "rem" &&
      r.y.op === "const" && r.y.value === m.y.value && m.y.value > 0 && exprKey(m.x.x) === exprKey(r.x)
    ) return r.x;
  }
  return e;
}

/** The additive terms of an index sum. */
function terms(e: Expr): Expr[] {
  return e.op === "binary" && e.fn === "add" && e.dtype === "int32" ? [...terms(e.x), ...terms(e.y)] : [e];
}

const sum = (ts: Expr[]): Expr =>
  ts.length === 0
    ? constant(0)
    : ts.reduce((a, b) => ({ op: "binary", fn: "add", x: a, y: b, dtype: "int32" }) as Expr);

/** `t / d` when `t` is a known multiple of `d` (a constant, or a product with such a constant), else null. */
function divExact(t: Expr, d: number): Expr | null {
  if (t.op === "const") return t.value % d === 0 ? constant(t.value / d) : null;
  if (t.op === "binary" && t.fn === "mul" && t.dtype === "int32") {
    for (const [c, o] of [[t.y, t.x], [t.x, t.y]] as const) {
      if (c.op === "const" && c.value % d === 0) {
        const q = c.value / d;
        return q === 1 ? o : { ...t, x: o, y: constant(q) };
      }
    }
    const x = divExact(t.x, d);
    if (x) return { ...t, x };
  }
  return null;
}

/** Rewrites `(a*d + r) / d` to `a` and `(a*d + r) % d` to `r` where `0 <= r < d`, bottom-up. */
export function simplifyIndices(e: Expr, idxSize: number, ridxSize: number): Expr {
  const idxMax = Math.max(0, idxSize - 1), ridxMax = Math.max(0, ridxSize - 1);
  const go = (e: Expr): Expr => {
    switch (e.op) {
      case "const":
      case "idx":
      case "ridx":
        return e;
      case "load": {
        const index = go(e.index);
        return index === e.index ? e : { ...e, index };
      }
      case "unary": {
        const x = go(e.x);
        return x === e.x ? e : { ...e, x };
      }
      case "cast": {
        const x = go(e.x);
        if (exprDType(x) === e.dtype) return x; // a cast to the type it has
        return x === e.x ? e : { ...e, x };
      }
      case "select": {
        const cond = go(e.cond), t = go(e.t), f = go(e.f);
        return cond === e.cond && t === e.t && f === e.f ? e : { ...e, cond, t, f };
      }
      case "nary": {
        const args = e.args.map(go);
        return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
      }
      case "binary": {
        const x = go(e.x), y = go(e.y);
        const s = x === e.x && y === e.y ? e : { ...e, x, y };
        if (s.fn === "add" && s.dtype === "int32") return unsplit(s);
        if ((s.fn !== "div" && s.fn !== "rem") || s.dtype !== "int32" || s.y.op !== "const") return s;
        const d = s.y.value;
        if (!(d > 0) || upper(s.x, idxMax, ridxMax) === null) return s;
        const ts = terms(s.x);
        const whole: Expr[] = [], rest: Expr[] = [];
        for (const t of ts) {
          const q = divExact(t, d);
          if (q) whole.push(q);
          else rest.push(t);
        }
        const restMax = upper(sum(rest), idxMax, ridxMax)!;
        if (s.fn === "rem") {
          if (restMax < d) return sum(rest);
          return whole.length ? { ...s, x: sum(rest) } : s;
        }
        return restMax < d ? sum(whole) : s;
      }
    }
  };
  return go(e);
}

/**
 * Folds integer arithmetic and comparisons of constants, and selects on a
 * constant condition (what remains of an output-index test once `idx` is
 * replaced by a constant).
 */
export function foldConstants(e: Expr): Expr {
  switch (e.op) {
    case "const":
    case "idx":
    case "ridx":
      return e;
    case "load": {
      const index = foldConstants(e.index);
      return index === e.index ? e : { ...e, index };
    }
    case "unary":
    case "cast": {
      const x = foldConstants(e.x);
      return x === e.x ? e : { ...e, x };
    }
    case "select": {
      const cond = foldConstants(e.cond);
      if (cond.op === "const") return foldConstants(cond.value ? e.t : e.f);
      const t = foldConstants(e.t), f = foldConstants(e.f);
      return cond === e.cond && t === e.t && f === e.f ? e : { ...e, cond, t, f };
    }
    case "nary": {
      const args = e.args.map(foldConstants);
      return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
    }
    case "binary": {
      const x = foldConstants(e.x), y = foldConstants(e.y);
      if (x.op === "const" && y.op === "const" && x.dtype === "int32" && y.dtype === "int32") {
        const a = x.value, b = y.value;
        const v = ({
          add: a + b,
          sub: a - b,
          mul: Math.imul(a, b),
          lt: Number(a < b),
          le: Number(a <= b),
          gt: Number(a > b),
          ge: Number(a >= b),
          eq: Number(a === b),
          ne: Number(a !== b),
        } as Record<string, number>)[e.fn];
        if (v !== undefined) return constant(e.dtype === "int32" ? v | 0 : v, e.dtype);
      }
      return x === e.x && y === e.y ? e : { ...e, x, y };
    }
  }
}
