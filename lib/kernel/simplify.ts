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

import { constant, type Expr } from "./ir.ts";

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
      case "load":
        return { ...e, index: go(e.index) };
      case "unary":
      case "cast":
        return { ...e, x: go(e.x) };
      case "select":
        return { ...e, cond: go(e.cond), t: go(e.t), f: go(e.f) };
      case "binary": {
        const s = { ...e, x: go(e.x), y: go(e.y) };
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
