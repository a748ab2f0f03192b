/**
 * Compiles kernel-IR kernels into JavaScript functions over typed arrays.
 * Each distinct kernel is compiled once (keyed by its text) with `new Function`,
 * so an elementwise chain runs as one tight loop rather than a tree walk per
 * element.
 *
 * @module
 */

import type { DType, HostArray } from "../dtype.ts";
import {
  type Expr,
  exprDType,
  hashKernel,
  type Kernel,
  kernelKey,
  type MatmulOperand,
  type MatmulSpec,
  sameKernel,
} from "../kernel/ir.ts";
import { simplifyIndices } from "../kernel/simplify.ts";
import * as special from "../kernel/special.ts";
import { threefry2x32 } from "../kernel/threefry.ts";
import { erf32, erfInv32, log1p32, log32 } from "../xla_f32.ts";

/** A compiled kernel: reads `ins`, writes `out`. */
export type CompiledKernel = (ins: HostArray[], out: HostArray) => void;

/** Helpers the generated code calls. */
const LIB = {
  fr: Math.fround,
  f16: Math.f16round,
  rint(x: number): number {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  pow(a: number, b: number): number {
    return a === 1 || b === 0 ? 1 : Math.pow(a, b);
  },
  ipow(a: number, b: number): number {
    if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 ? -1 : 1) : 0;
    let r = 1;
    while (b > 0) {
      if (b & 1) r = Math.imul(r, a);
      a = Math.imul(a, a);
      b >>>= 1;
    }
    return r;
  },
  toI32(x: number): number {
    return x !== x ? 0 : x >= 2147483647 ? 2147483647 : x <= -2147483648 ? -2147483648 : Math.trunc(x);
  },
  toU32(x: number): number {
    return x !== x ? 0 : x >= 4294967295 ? 4294967295 : x <= 0 ? 0 : Math.trunc(x);
  },
  idiv(a: number, b: number): number {
    return b === 0 ? -1 : (a / b) | 0;
  },
  udiv(a: number, b: number): number {
    return b === 0 ? 4294967295 : Math.trunc(a / b) >>> 0;
  },
  irem(a: number, b: number): number {
    return b === 0 ? a : a % b;
  },
  logistic(x: number): number {
    return 1 / (1 + Math.exp(-x));
  },
  ...special,
  threefry2x32,
  log32,
  log1p32,
  erf32,
  erfInv32,
};

/** The `accuracy: "highest"` ops in float32: XLA:CPU's algorithms (lib/xla_f32.ts); in float64 the plain ones. */
const EXACT_F32: Record<string, string> = {
  log_exact: "log32",
  log1p_exact: "log1p32",
  erf_exact: "erf32",
  erf_inv_exact: "erfInv32",
};

/** Matmul kernels by their text key; the others by a numeric hash of their structure, compared in full on a hit. */
const matmuls = new Map<string, CompiledKernel>();
const cache = new Map<number, { kernel: Kernel; fn: CompiledKernel }[]>();
let count = 0;

/** Compiles (or fetches from the cache) the JS function for a kernel. */
export function compile(kernel: Kernel): CompiledKernel {
  if (kernel.matmul) {
    const key = kernelKey(kernel);
    let fn = matmuls.get(key);
    if (!fn) {
      matmuls.set(key, fn = build(kernel));
      count++;
    }
    return fn;
  }
  const h = hashKernel(kernel);
  const list = cache.get(h) ?? cache.set(h, []).get(h)!;
  for (const e of list) if (sameKernel(e.kernel, kernel)) return e.fn;
  const fn = build(kernel);
  list.push({ kernel, fn });
  count++;
  return fn;
}

/** Number of distinct kernels compiled so far. */
export function compiledCount(): number {
  return count;
}

function build(k: Kernel): CompiledKernel {
  if (k.matmul) return buildMatmul(k.matmul, k.dtype);
  const inputs = new Set<number>();
  const value = gen(simplifyIndices(k.expr, k.size, k.reduce?.size ?? 0), inputs);
  const head = [...inputs].map((i) => `const in${i} = ins[${i}];`).join("\n");
  let body: string;
  if (!k.reduce) {
    body = `for (let i = 0; i < ${k.size}; i++) out[i] = ${value};`;
  } else {
    const vt = exprDType(k.expr);
    body = `for (let i = 0; i < ${k.size}; i++) {\n${reduceLoop(k.reduce.op, k.reduce.size, value, vt)}\n}`;
  }
  const src = `"use strict";\nconst {${Object.keys(LIB).join(", ")}} = lib;\n` +
    `return function kernel(ins, out) {\n${head}\n${body}\n};`;
  return new Function("lib", src)(LIB) as CompiledKernel;
}

/**
 * A matmul as a cache-friendly loop: for each output row, accumulate
 * `a[i, k] * b[k, :]` into a row buffer (i-k-j), so the inner loop walks `b`
 * and the accumulator contiguously. When `b` is stored transposed (its k
 * axis contiguous) and `a`'s rows are contiguous, dot products (i-j-k) are
 * the contiguous order instead.
 */
function buildMatmul(m: MatmulSpec, dt: DType): CompiledKernel {
  const int = isInt(dt);
  const [a0, a1, a2] = m.a.strides, [b0, b1, b2] = m.b.strides;
  const at = (o: MatmulOperand, idx: string) => genCast(`in${o.input}[${idx}]`, o.dtype, dt);
  const madd = (acc: string, x: string, y: string) =>
    int ? `${acc} = (${acc} + Math.imul(${x}, ${y})) | 0;` : `${acc} += ${x} * ${y};`;
  const term = (s: number, v: string) => (s === 0 ? "" : s === 1 ? ` + ${v}` : ` + ${v} * ${s}`);
  let inner: string;
  if (b2 !== 1 && a2 === 1 && b1 === 1) {
    inner = `for (let j = 0; j < ${m.n}; j++) {\n` +
      `  const bj = ob${term(b2, "j")};\n  let s = 0;\n` +
      `  for (let k = 0; k < ${m.k}; k++) { ${madd("s", at(m.a, "ai + k"), at(m.b, "bj + k"))} }\n` +
      `  acc[j] = s;\n}`;
  } else {
    inner = `acc.fill(0);\nfor (let k = 0; k < ${m.k}; k++) {\n` +
      `  const av = ${at(m.a, `ai${term(a2, "k")}`)};\n  const bk = ob${term(b1, "k")};\n` +
      `  for (let j = 0; j < ${m.n}; j++) { ${madd("acc[j]", "av", at(m.b, `bk${term(b2, "j")}`))} }\n}`;
  }
  const src = `"use strict";\nconst {${Object.keys(LIB).join(", ")}} = lib;\n` +
    `return function matmul(ins, out) {\n` +
    `const in${m.a.input} = ins[${m.a.input}], in${m.b.input} = ins[${m.b.input}];\n` +
    `const acc = new ${int ? "Int32Array" : "Float64Array"}(${m.n});\n` +
    `for (let bt = 0; bt < ${m.batch}; bt++) {\n` +
    `const oa = ${m.a.offset}${term(a0, "bt")}, ob = ${m.b.offset}${term(b0, "bt")};\n` +
    `for (let i = 0; i < ${m.m}; i++) {\nconst ai = oa${term(a1, "i")};\n${inner}\n` +
    `out.set(acc, (bt * ${m.m} + i) * ${m.n});\n}\n}\n};`;
  return new Function("lib", src)(LIB) as CompiledKernel;
}

function reduceLoop(op: string, n: number, value: string, dt: DType): string {
  const loop = (init: string, step: string, result = "acc") =>
    `let acc = ${init};\nfor (let r = 0; r < ${n}; r++) { const v = ${value}; ${step} }\nout[i] = ${result};`;
  const lo = dt === "int32" ? "-2147483648" : dt === "uint32" || dt === "bool" ? "0" : "-Infinity";
  const hi = dt === "int32" ? "2147483647" : dt === "uint32" ? "4294967295" : dt === "bool" ? "1" : "Infinity";
  switch (op) {
    case "sum":
      return loop("0", isInt(dt) ? `acc = ${fix("acc + v", dt)};` : "acc += v;");
    case "prod":
      return loop("1", `acc = ${dt === "int32" || dt === "uint32" ? "Math.imul(acc, v)" : "acc * v"};`);
    case "max":
      return loop(lo, "if (v > acc || v !== v) acc = v; if (acc !== acc) break;");
    case "min":
      return loop(hi, "if (v < acc || v !== v) acc = v; if (acc !== acc) break;");
    case "argmax":
      return `let best = ${lo}, bi = 0;\nfor (let r = 0; r < ${n}; r++) { const v = ${value}; ` +
        `if (v > best || (v !== v)) { best = v; bi = r; if (v !== v) break; } }\nout[i] = bi;`;
    case "argmin":
      return `let best = ${hi}, bi = 0;\nfor (let r = 0; r < ${n}; r++) { const v = ${value}; ` +
        `if (v < best || (v !== v)) { best = v; bi = r; if (v !== v) break; } }\nout[i] = bi;`;
    default:
      throw new Error(`internal: unknown reduction ${op}`);
  }
}

/** Wraps a JS expression so its result is rounded/wrapped to `dt`. */
function fix(js: string, dt: DType): string {
  switch (dt) {
    case "float32":
      return `fr(${js})`;
    case "float16":
      return `f16(${js})`;
    case "float64":
      return `(${js})`;
    case "int32":
      return `((${js}) | 0)`;
    case "uint32":
      return `((${js}) >>> 0)`;
    case "bool":
      return `((${js}) ? 1 : 0)`;
  }
}

const isInt = (d: DType) => d === "int32" || d === "uint32";
const isFloatT = (d: DType) => d === "float32" || d === "float64" || d === "float16";

function gen(e: Expr, inputs: Set<number>): string {
  switch (e.op) {
    case "const":
      return Number.isNaN(e.value) ? "NaN" : Object.is(e.value, -0) ? "-0" : `${e.value}`;
    case "idx":
      return "i";
    case "ridx":
      return "r";
    case "load":
      inputs.add(e.input);
      return `in${e.input}[${gen(e.index, inputs)}]`;
    case "cast":
      return genCast(gen(e.x, inputs), exprDType(e.x), e.dtype);
    case "select":
      return `(${gen(e.cond, inputs)} ? ${gen(e.t, inputs)} : ${gen(e.f, inputs)})`;
    case "unary":
      return genUnary(e.fn, gen(e.x, inputs), exprDType(e.x), e.dtype);
    case "binary": {
      // Index arithmetic divides by nonzero constants: inline, without the helpers' zero checks.
      if (
        (e.fn === "div" || e.fn === "rem") && e.dtype === "int32" && exprDType(e.x) === "int32" &&
        e.y.op === "const" && e.y.value !== 0
      ) {
        const x = gen(e.x, inputs);
        return e.fn === "div" ? `((${x} / ${e.y.value}) | 0)` : `(${x} % ${e.y.value})`;
      }
      return genBinary(e.fn, gen(e.x, inputs), gen(e.y, inputs), exprDType(e.x), e.dtype);
    }
    case "nary":
      return `threefry2x32(${e.args.map((a) => gen(a, inputs)).join(", ")}, ${e.fn.slice(-1)})`;
  }
}

function genCast(x: string, from: DType, to: DType): string {
  if (from === to) return x;
  switch (to) {
    case "int32":
      return isFloatT(from) ? `toI32(${x})` : `(${x} | 0)`;
    case "uint32":
      return isFloatT(from) ? `toU32(${x})` : `(${x} >>> 0)`;
    case "bool":
      return `(${x} !== 0 ? 1 : 0)`;
    default:
      return fix(x, to);
  }
}

const MATH1: Record<string, string> = {
  exp: "Math.exp",
  log: "Math.log",
  log1p: "Math.log1p",
  // float64 rounded once to float32: XLA:CPU's float32 results, as the "_exact" ops promise (golden-checked).
  log_exact: "Math.log",
  log1p_exact: "Math.log1p",
  expm1: "Math.expm1",
  sqrt: "Math.sqrt",
  cbrt: "Math.cbrt",
  sin: "Math.sin",
  cos: "Math.cos",
  tan: "Math.tan",
  asin: "Math.asin",
  acos: "Math.acos",
  atan: "Math.atan",
  sinh: "Math.sinh",
  cosh: "Math.cosh",
  tanh: "Math.tanh",
  asinh: "Math.asinh",
  acosh: "Math.acosh",
  atanh: "Math.atanh",
  floor: "Math.floor",
  ceil: "Math.ceil",
  round: "rint",
  lgamma: "lgamma",
  digamma: "digamma",
  erf: "erf",
  erfc: "erfc",
  erf_inv: "erfinv",
  erf_exact: "erf",
  erf_inv_exact: "erfinv",
  logistic: "logistic",
  sign: "Math.sign",
  abs: "Math.abs",
};

function genUnary(fn: string, x: string, xt: DType, dt: DType): string {
  switch (fn) {
    case "neg":
      return fix(`-${x}`, dt);
    case "not":
      return xt === "bool" ? `(${x} ? 0 : 1)` : fix(`~${x}`, dt);
    case "is_finite":
      return `(Number.isFinite(${x}) ? 1 : 0)`;
    case "exp2":
      return fix(`2 ** ${x}`, dt);
    case "rsqrt":
      return fix(`1 / Math.sqrt(${x})`, dt);
    default: {
      if (EXACT_F32[fn] && dt === "float32") return `${EXACT_F32[fn]}(${x})`;
      const f = MATH1[fn];
      if (!f) throw new Error(`internal: cpu codegen has no unary ${fn}`);
      return fix(`${f}(${x})`, dt);
    }
  }
}

function genBinary(fn: string, x: string, y: string, xt: DType, dt: DType): string {
  const int = isInt(xt) || xt === "bool";
  switch (fn) {
    case "add":
      return fix(`${x} + ${y}`, dt);
    case "sub":
      return fix(`${x} - ${y}`, dt);
    case "mul":
      return int ? fix(`Math.imul(${x}, ${y})`, dt) : fix(`${x} * ${y}`, dt);
    case "div":
      if (xt === "int32") return `idiv(${x}, ${y})`;
      if (xt === "uint32") return `udiv(${x}, ${y})`;
      return fix(`${x} / ${y}`, dt);
    case "rem":
      return int ? fix(`irem(${x}, ${y})`, dt) : fix(`${x} % ${y}`, dt);
    case "pow":
      return int ? fix(`ipow(${x}, ${y})`, dt) : fix(`pow(${x}, ${y})`, dt);
    case "max":
      return fix(`Math.max(${x}, ${y})`, dt);
    case "min":
      return fix(`Math.min(${x}, ${y})`, dt);
    case "atan2":
      return fix(`Math.atan2(${x}, ${y})`, dt);
    case "and":
      return fix(`${x} & ${y}`, dt);
    case "or":
      return fix(`${x} | ${y}`, dt);
    case "xor":
      return fix(`${x} ^ ${y}`, dt);
    case "eq":
      return `(${x} === ${y} ? 1 : 0)`;
    case "ne":
      return `(${x} !== ${y} ? 1 : 0)`;
    case "lt":
      return `(${x} < ${y} ? 1 : 0)`;
    case "le":
      return `(${x} <= ${y} ? 1 : 0)`;
    case "gt":
      return `(${x} > ${y} ? 1 : 0)`;
    case "ge":
      return `(${x} >= ${y} ? 1 : 0)`;
    case "igamma":
      return fix(`igamma(${x}, ${y})`, dt);
    case "igammac":
      return fix(`igammac(${x}, ${y})`, dt);
    case "shift_left":
      // Shifts by 32 or more give 0 (XLA semantics), unlike JS which masks the count.
      return fix(`(${y} >>> 0) >= 32 ? 0 : ${x} << ${y}`, dt);
    case "shift_right_logical":
      return fix(`(${y} >>> 0) >= 32 ? 0 : (${x} >>> 0) >>> ${y}`, dt);
    case "shift_right_arithmetic":
      return fix(`(${y} >>> 0) >= 32 ? (${x} | 0) >> 31 : (${x} | 0) >> ${y}`, dt);
    case "polygamma":
      return fix(`polygamma(${x}, ${y})`, dt);
    default:
      throw new Error(`internal: cpu codegen has no binary ${fn}`);
  }
}
