/**
 * Renders kernel-IR kernels as WGSL compute shaders: an op → template table
 * plus one kernel template. Reductions whose loop would be long are split
 * into passes (see `planReduction`), because llvmpipe silently stops a
 * shader invocation after 65,535 loop iterations in total.
 *
 * @module
 */

import type { DType } from "../dtype.ts";
import { BackendError } from "../errors.ts";
import { constant, eachLoad, type Expr, exprDType, type Kernel, substIndex, usesRidx } from "../kernel/ir.ts";
import { foldConstants, simplifyIndices } from "../kernel/simplify.ts";
import { TEX_WIDTH } from "./protocol.ts";
import { WGSL_DEPS, WGSL_HELPERS } from "./wgsl_lib.ts";

/** Threads per workgroup. */
export const WORKGROUP = 64;
/** Reductions with at most this many outputs compute all of them in each invocation (data read once). */
export const MAX_TOGETHER = 4;
/** Loop iterations one invocation may run (llvmpipe's cap is 65,535 in total). */
export const LOOP_BUDGET = 60000;

/**
 * How each kernel input is bound: a storage buffer (`tex`: it may be read
 * through its texture mirror, see TEX_WIDTH; `shared`: its values are in a
 * workgroup array instead, never read as vec4s, see fold.ts), or a slot of
 * the scalar array.
 */
export type InputKind =
  | { kind: "buf"; binding: number; tex?: boolean; shared?: boolean }
  | { kind: "scalar"; slot: number };

/** WGSL type used in expressions for a dtype. */
function wtype(d: DType): string {
  switch (d) {
    case "float32":
      return "f32";
    case "int32":
      return "i32";
    case "uint32":
      return "u32";
    case "bool":
      return "bool";
    default:
      throw new BackendError(
        `webgpu: dtype ${d} is not supported on this device; use the cpu backend (JAX_PLATFORMS=cpu)`,
      );
  }
}

/** WGSL element type of a storage buffer holding a dtype (bools are stored as u32). */
export function storageType(d: DType): string {
  return d === "bool" ? "u32" : wtype(d);
}

/**
 * Extra loop iterations per evaluation of an expression (helper functions
 * with loops), each loop counted with its final test, as llvmpipe counts it
 * (see loop_kernel.ts's stepTrips).
 */
export function innerLoopCost(e: Expr): number {
  const own = (fn: string): number =>
    ({ lgamma: 9, digamma: 11, polygamma: 56, igamma: 1002, igammac: 1002, erf: 28, erfc: 28 } as Record<
      string,
      number
    >)[fn] ?? 0;
  switch (e.op) {
    case "const":
    case "idx":
    case "ridx":
      return 0;
    case "load":
      return innerLoopCost(e.index);
    case "unary":
      return own(e.fn) + innerLoopCost(e.x);
    case "binary":
      return own(e.fn) + (e.fn === "pow" && exprDType(e.x) !== "float32" ? 33 : 0) + innerLoopCost(e.x) +
        innerLoopCost(e.y);
    case "select":
      return innerLoopCost(e.cond) + innerLoopCost(e.t) + innerLoopCost(e.f);
    case "nary":
      return e.args.reduce((n, a) => n + innerLoopCost(a), 0);
    case "cast":
      return innerLoopCost(e.x);
  }
}

class Emitter {
  helpers = new Set<string>();
  /** Inputs read as vec4s (see vecInputs), the vec4 `let`s of the current step, and the component being emitted. */
  vecs = new Set<number>();
  /** Of those, the ones read through a texture mirror. */
  texs = new Set<number>();
  vecLets = new Map<string, string>();
  comp = 0;
  /** In a vectorized elementwise kernel (see planElementwise), vec4 `vecs` are read at `gi`, not by ridx. */
  elementwise = false;
  /** Inside a reduction loop: ridx-free subexpressions are computed once before it (`hoisted`). */
  hoisting = false;
  hoisted = new Map<string, string>();
  constructor(readonly inputs: InputKind[], readonly inputTypes: DType[], readonly names: KernelNames = NAMES) {}

  /** The `let`s of the hoisted loop invariants, in order. */
  hoistedLets(indent: string): string[] {
    return [...this.hoisted].map(([text, name]) => `${indent}let ${name} = ${text};`);
  }

  use(name: string): string {
    if (!this.helpers.has(name)) {
      this.helpers.add(name);
      for (const d of WGSL_DEPS[name] ?? []) this.use(d);
    }
    return name;
  }

  lit(value: number, d: DType): string {
    switch (d) {
      case "float32":
        if (Number.isNaN(value)) return `${this.use("nan_f")}()`;
        if (!Number.isFinite(value)) return value > 0 ? `${this.use("inf_f")}()` : `-${this.use("inf_f")}()`;
        return `bitcast<f32>(${new Uint32Array(new Float32Array([value]).buffer)[0]}u)`;
      case "int32":
        return value === -2147483648 ? "(-2147483647 - 1)" : `${value | 0}`;
      case "uint32":
        return `${value >>> 0}u`;
      case "bool":
        return value ? "true" : "false";
      default:
        return wtype(d);
    }
  }

  expr(e: Expr): string {
    if (this.hoisting && e.op !== "const" && e.op !== "idx" && e.op !== "ridx" && !usesRidx(e)) {
      this.hoisting = false;
      const text = this.expr(e);
      this.hoisting = true;
      let name = this.hoisted.get(text);
      if (!name) this.hoisted.set(text, name = `h${this.hoisted.size}`);
      return name;
    }
    switch (e.op) {
      case "const":
        return this.lit(e.value, e.dtype);
      case "idx":
        return "idx";
      case "ridx":
        return "ridx";
      case "load": {
        if (e.input === -1) return "acc"; // the reduced value, in a kernel's epilogue
        const k = this.inputs[e.input];
        const d = this.inputTypes[e.input];
        if (k.kind === "scalar") {
          const raw = this.names.scalar(k.slot);
          return d === "float32"
            ? `bitcast<f32>(${raw})`
            : d === "int32"
            ? `bitcast<i32>(${raw})`
            : d === "bool"
            ? `(${raw} != 0u)`
            : raw;
        }
        let v: string;
        if (this.vecs.has(e.input)) {
          // Component `comp` of the step's vec4 at ridx = rb (rb and the offset are multiples of 4),
          // or in an elementwise kernel of the invocation's vec4 (every load of the input is at idx).
          const at = this.elementwise ? "gi" : `(rb + ${this.expr(ridxOffset(e.index)!)}) / 4`;
          const load = this.texs.has(e.input)
            ? `textureLoad(${this.names.input(e.input)}, vec2i((${at}) & ${TEX_WIDTH - 1}, (${at}) / ${TEX_WIDTH}), 0)`
            : `${this.names.input(e.input)}[${at}]`;
          let name = this.vecLets.get(load);
          if (!name) this.vecLets.set(load, name = `vl${this.vecLets.size}`);
          v = `${name}[${this.comp}]`;
        } else if (e.index.op === "const" && e.index.value < 0) {
          v = `${this.names.input(e.input)}[0]`; // only in a branch never taken (see renderKernel); WGSL rejects it
        } else v = `${this.names.input(e.input)}[${this.expr(e.index)}]`;
        return d === "bool" ? `(${v} != 0u)` : v;
      }
      case "cast":
        return this.cast(this.expr(e.x), exprDType(e.x), e.dtype);
      case "select":
        return `select(${this.expr(e.f)}, ${this.expr(e.t)}, ${this.expr(e.cond)})`;
      case "unary":
        return this.unary(e.fn, this.expr(e.x), exprDType(e.x));
      case "binary":
        return this.binary(e.fn, this.expr(e.x), this.expr(e.y), exprDType(e.x));
      case "nary": {
        // threefry2x32_0 / _1: one word of the cipher (the helper computes both).
        const [k0, k1, x0, x1] = e.args.map((a) => this.expr(a));
        return `${this.use("threefry2x32")}(vec2<u32>(${k0}, ${k1}), vec2<u32>(${x0}, ${x1}))[${e.fn.slice(-1)}]`;
      }
    }
  }

  cast(x: string, from: DType, to: DType): string {
    if (from === to) return x;
    if (to === "bool") return from === "bool" ? x : `(${x} != ${this.lit(0, from)})`;
    if (from === "bool") return `select(${this.lit(0, to)}, ${this.lit(1, to)}, ${x})`;
    if (from === "float32" && to === "int32") return `${this.use("f2i")}(${x})`;
    if (from === "float32" && to === "uint32") return `${this.use("f2u")}(${x})`;
    if (to === "float32") return `f32(${x})`;
    return `bitcast<${wtype(to)}>(${x})`; // int32 <-> uint32 keep their bits
  }

  unary(fn: string, x: string, t: DType): string {
    const f = t === "float32";
    switch (fn) {
      case "neg":
        return `(-${x})`;
      case "abs":
        return `abs(${x})`;
      case "sign":
        return f ? `${this.use("sign_f")}(${x})` : t === "int32" ? `sign(${x})` : `select(0u, 1u, ${x} != 0u)`;
      case "not":
        return t === "bool" ? `(!${x})` : `(~${x})`;
      case "is_finite":
        return `${this.use("isfinite_f")}(${x})`;
      case "rsqrt":
        return `inverseSqrt(${x})`;
      case "logistic":
        return `(1.0 / (1.0 + exp(-${x})))`;
      case "round":
      case "floor":
      case "ceil":
      case "exp":
      case "exp2":
      case "log":
      case "sqrt":
      case "sin":
      case "cos":
      case "tan":
      case "sinh":
      case "cosh":
      case "tanh":
      case "asinh":
      case "acosh":
      case "atanh":
        return `${fn}(${x})`;
      case "log_exact":
      case "log1p_exact":
      case "erf_exact":
      case "erf_inv_exact":
      case "log1p":
      case "expm1":
      case "cbrt":
      case "lgamma":
      case "digamma":
      case "erf":
      case "erfc":
      case "erf_inv":
      case "asin":
      case "acos":
      case "atan":
        return `${this.use(`${fn}_f`)}(${x})`;
      default:
        throw new BackendError(`internal: webgpu codegen has no unary ${fn}`);
    }
  }

  /**
   * `x - x` (or `x + -x`) in float32: Mesa folds it to 0 (and `x * 0.0` too),
   * which is wrong for NaN and inf; a bit test it cannot see through is exact.
   */
  selfCancel(x: string): string {
    return `select(${this.use("nan_f")}(), 0.0, ${this.use("isfinite_f")}(${x}))`;
  }

  binary(fn: string, x: string, y: string, t: DType): string {
    const f = t === "float32", s = t === "int32" ? "i" : "u";
    switch (fn) {
      case "add":
        if (f && (y === `(-${x})` || x === `(-${y})`)) return this.selfCancel(x); // see sub
        return t === "bool" ? `(${x} || ${y})` : `(${x} + ${y})`;
      case "sub":
        return f && x === y ? this.selfCancel(x) : `(${x} - ${y})`;
      case "mul":
        return t === "bool" ? `(${x} && ${y})` : `(${x} * ${y})`;
      case "div":
        return f ? `(${x} / ${y})` : `${this.use(`idiv_${s}`)}(${x}, ${y})`;
      case "rem":
        return f ? `${this.use("fmod_f")}(${x}, ${y})` : `${this.use(`irem_${s}`)}(${x}, ${y})`;
      case "pow":
        return f ? `${this.use("pow_f")}(${x}, ${y})` : `${this.use(`ipow_${s}`)}(${x}, ${y})`;
      case "max":
        return f ? `${this.use("max_f")}(${x}, ${y})` : t === "bool" ? `(${x} || ${y})` : `max(${x}, ${y})`;
      case "min":
        return f ? `${this.use("min_f")}(${x}, ${y})` : t === "bool" ? `(${x} && ${y})` : `min(${x}, ${y})`;
      case "atan2":
        return `${this.use("atan2_f")}(${x}, ${y})`;
      case "and":
        return t === "bool" ? `(${x} && ${y})` : `(${x} & ${y})`;
      case "or":
        return t === "bool" ? `(${x} || ${y})` : `(${x} | ${y})`;
      case "xor":
        return t === "bool" ? `(${x} != ${y})` : `(${x} ^ ${y})`;
      case "eq":
        return f ? (x === y ? `(!${this.use("isnan_f")}(${x}))` : `${this.use("eq_f")}(${x}, ${y})`) : `(${x} == ${y})`;
      case "ne":
        return f ? (x === y ? `${this.use("isnan_f")}(${x})` : `${this.use("ne_f")}(${x}, ${y})`) : `(${x} != ${y})`;
      case "lt":
        return f ? `${this.use("lt_f")}(${x}, ${y})` : `(${x} < ${y})`;
      case "le":
        return f ? `${this.use("le_f")}(${x}, ${y})` : `(${x} <= ${y})`;
      case "gt":
        return f ? `${this.use("lt_f")}(${y}, ${x})` : `(${x} > ${y})`;
      case "ge":
        return f ? `${this.use("le_f")}(${y}, ${x})` : `(${x} >= ${y})`;
      case "shift_left":
        return `select(${x} << bitcast<u32>(${y}), ${this.lit(0, t)}, bitcast<u32>(${y}) >= 32u)`;
      case "shift_right_logical":
        return t === "int32"
          ? `select(bitcast<i32>(bitcast<u32>(${x}) >> bitcast<u32>(${y})), 0, bitcast<u32>(${y}) >= 32u)`
          : `select(${x} >> ${y}, 0u, ${y} >= 32u)`;
      case "shift_right_arithmetic":
        return t === "int32"
          ? `(${x} >> min(bitcast<u32>(${y}), 31u))`
          : `bitcast<u32>(bitcast<i32>(${x}) >> min(${y}, 31u))`;
      case "igamma":
        return `${this.use("igamma_f")}(${x}, ${y})`;
      case "igammac":
        this.use("igamma_f"); // defines igammac_f too
        return `igammac_f(${x}, ${y})`;
      case "polygamma":
        return `${this.use("polygamma_f")}(${x}, ${y})`;
      default:
        throw new BackendError(`internal: webgpu codegen has no binary ${fn}`);
    }
  }
}

/** The source of WGSL helper functions, dependencies first. */
export function helperSource(helpers: Iterable<string>): string {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of WGSL_DEPS[n] ?? []) visit(d);
    order.push(n);
  };
  for (const h of helpers) visit(h);
  return order.map((n) => WGSL_HELPERS[n]).join("\n");
}

/** What a kernel body calls its output, its buffer inputs and its scalar arguments (raw u32 WGSL expressions). */
export interface KernelNames {
  out: string;
  input(i: number): string;
  scalar(slot: number): string;
}

const NAMES: KernelNames = { out: "out", input: (i) => `in${i}`, scalar: (slot) => `sc[${slot}]` };

/**
 * How a reduction kernel is split and laid out. Output `j`'s `parts` partial
 * results come from invocations `p = 0 .. parts-1`, grouped `width` at a
 * time: group `g` owns the contiguous block of ridx `[g * width * chunk,
 * (g + 1) * width * chunk)` and its lanes interleave within it, `vec`
 * consecutive elements each per step. `width = 1` is one contiguous run per
 * invocation; `width = parts` is the usual GPU layout, interleaved across
 * all of them.
 */
export interface ReductionPlan {
  /** Partial results per output (1 = single pass). */
  parts: number;
  /** Reduction steps (elements) per invocation. */
  chunk: number;
  /** Invocations interleaved within one contiguous block (default 1). */
  width?: number;
  /** Consecutive elements per lane per step: 4 uses vec4 loads where aligned (default 1). */
  vec?: number;
  /** An elementwise kernel's size is a multiple of `vec`: its outputs are stored as vec4s (see planElementwise). */
  aligned?: boolean;
}

/** How reductions lay out their partial results on one kind of adapter. */
export interface ReduceTuning {
  /** Invocations interleaved within a group that reads one contiguous block; 0 = across all of them. */
  width: number;
  /** Elements per invocation aimed at when a reduction over few outputs is split. */
  perThread: number;
  /** Whether lanes read 4 consecutive elements per step (vec4 loads where aligned). */
  vec4: boolean;
  /** Whether big float32 inputs read as vec4s come from texture mirrors (see TEX_WIDTH). */
  textures: boolean;
}

/**
 * Reduction layouts per adapter, first match wins. llvmpipe runs 8
 * invocations as the lanes of one SIMD register: lanes interleaved within
 * groups of 8, each group reading its own contiguous block, were 4-7x faster
 * there than the usual layout interleaved across the whole grid; vec4 loads
 * ~2x more; reading them from a texture mirror, ~1.5x more (0.62 against
 * 0.95 ms per 4 MB pass, the median of 15 here, for a 0.13 ms copy made
 * once per buffer); ~1,000-4,000 elements per invocation without barriers, then a
 * small second pass. A real GPU wants the coalesced layout.
 */
export const REDUCE_TUNING: { match: RegExp; tuning: ReduceTuning }[] = [
  {
    match: /llvmpipe|lavapipe|swiftshader|fallback/i,
    tuning: { width: 8, perThread: 4096, vec4: true, textures: true },
  },
  { match: /./, tuning: { width: 0, perThread: 256, vec4: true, textures: false } },
];

let reduceTuning: ReduceTuning = REDUCE_TUNING[0].tuning;

/** Selects the reduction layout for the adapter in use (by its description). */
export function selectReduceTuning(description: string): ReduceTuning {
  reduceTuning = REDUCE_TUNING.find((t) => t.match.test(description))!.tuning;
  return reduceTuning;
}

/** Outputs from which an elementwise kernel computes 4 per invocation, reading vec4s (where the adapter prefers them). */
const VEC_ELEMENTWISE_FROM = 4096;

/**
 * The layout of an elementwise kernel: with `vec: 4`, each invocation computes
 * 4 consecutive outputs, reads the inputs it loads at `idx` as one vec4 each
 * and, when the size is a multiple of 4, stores one vec4. On llvmpipe, 100
 * dispatches of `a * c + b` over 200k elements (raw WebGPU, one run): 260 ms
 * with one output per invocation, 218 with vec4 loads, 190 with vec4 loads
 * and stores. Undefined for one output per invocation.
 */
export function planElementwise(k: Kernel, tuning: ReduceTuning = reduceTuning): ReductionPlan | undefined {
  if (k.reduce || k.matmul || !tuning.vec4 || k.size < VEC_ELEMENTWISE_FROM) return undefined;
  return { parts: 1, chunk: 0, width: 1, vec: 4, aligned: k.size % 4 === 0 };
}

/** Chooses the split of a reduction so no invocation loops more than LOOP_BUDGET times. */
export function planReduction(k: Kernel, tuning: ReduceTuning = reduceTuning): ReductionPlan {
  const r = k.reduce!.size;
  const arg = k.reduce!.op === "argmax" || k.reduce!.op === "argmin";
  // argmax/argmin keep one contiguous run per invocation: the first of equal values must win.
  const vec = !arg && tuning.vec4 && r % 4 === 0 ? 4 : 1;
  // Few outputs are evaluated together in one invocation (see MAX_TOGETHER): their costs add up.
  const inner = innerLoopCost(k.expr) * (k.size <= MAX_TOGETHER ? k.size : 1);
  const maxChunk = vec * Math.max(1, Math.floor(LOOP_BUDGET / (1 + vec * inner)));
  // Long single loops are slow too; split anything over perThread when there are few outputs.
  const target = k.size >= 1024 ? maxChunk : Math.min(maxChunk, tuning.perThread);
  if (r <= target) return { parts: 1, chunk: r, width: 1, vec };
  let parts = Math.ceil(r / target);
  const width = arg ? 1 : tuning.width === 0 ? parts : Math.min(tuning.width, parts);
  parts = Math.ceil(parts / width) * width;
  const chunk = Math.ceil(r / parts / vec) * vec;
  return { parts, chunk, width, vec };
}

/**
 * Whether one invocation per part computes every output's partial (a few
 * outputs, such as a jvp's tangents, reduced together so the data they share
 * is read once; see MAX_TOGETHER).
 */
function reducedTogether(k: Kernel, plan?: ReductionPlan): boolean {
  const op = k.reduce?.op;
  return (plan?.parts ?? 1) > 1 && k.size <= MAX_TOGETHER && op !== "argmax" && op !== "argmin";
}

/** Invocations a kernel's dispatch runs: one per output, or per output and part; outputs reduced together share theirs. */
export function invocations(k: Kernel, plan?: ReductionPlan): number {
  if (!k.reduce) return Math.ceil(k.size / (plan?.vec ?? 1));
  if (!plan || plan.parts <= 1) return k.size;
  return reducedTogether(k, plan) ? plan.parts : k.size * plan.parts;
}

/** The value a single-pass reduction stores: its epilogue over `acc`, or `acc`. */
function epilogue(em: Emitter, k: Kernel, parts: number): string {
  if (!k.epilogue) return "acc";
  if (parts > 1) throw new BackendError("internal: a reduction epilogue in a multi-pass reduction");
  em.hoisting = false;
  em.vecs = new Set();
  return em.expr(foldConstants(k.epilogue));
}

/** `x` when `e` is `ridx + x` (x free of ridx), else null. */
function ridxOffset(e: Expr): Expr | null {
  if (e.op === "ridx") return { op: "const", value: 0, dtype: "int32" };
  if (e.op !== "binary" || e.fn !== "add") return null;
  if (!usesRidx(e.y)) {
    const x = ridxOffset(e.x);
    return x && { ...e, x };
  }
  if (!usesRidx(e.x)) {
    const y = ridxOffset(e.y);
    return y && { ...e, y };
  }
  return null;
}

/** A number every value of an index expression is a multiple of (1 when unknown). */
function multipleOf(e: Expr): number {
  const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
  if (e.op === "const") return e.value === 0 ? 0 : Math.abs(e.value);
  if (e.op === "binary" && e.fn === "add") return gcd(multipleOf(e.x), multipleOf(e.y));
  if (e.op === "binary" && e.fn === "mul") return multipleOf(e.x) * multipleOf(e.y);
  return 1;
}

/**
 * Buffer inputs every load of which `aligned` accepts, read as vec4s: in a
 * reduction, loads at `ridx + x` with x a multiple of 4; in a vectorized
 * elementwise kernel (see planElementwise), loads at `idx`.
 */
function vecInputs(e: Expr, inputs: InputKind[], aligned: (index: Expr) => boolean): Set<number> {
  const ok = new Set<number>(), bad = new Set<number>();
  eachLoad(e, (l) => {
    const k = inputs[l.input];
    (k.kind === "buf" && !k.shared && aligned(l.index) ? ok : bad).add(l.input);
  });
  for (const b of bad) ok.delete(b);
  return ok;
}

/** A reduction's load index `ridx + x` with x a multiple of 4. */
const alongRidx = (index: Expr): boolean => {
  const x = ridxOffset(index);
  return x !== null && multipleOf(x) % 4 === 0;
};

const INIT: Record<string, (d: DType) => string> = {
  sum: (d) => (d === "float32" ? "0.0" : d === "uint32" ? "0u" : d === "bool" ? "false" : "0"),
  prod: (d) => (d === "float32" ? "1.0" : d === "uint32" ? "1u" : d === "bool" ? "true" : "1"),
  max: (d) => (d === "float32" ? "-inf_f()" : d === "uint32" ? "0u" : d === "bool" ? "false" : "(-2147483647 - 1)"),
  min: (d) => (d === "float32" ? "inf_f()" : d === "uint32" ? "0xffffffffu" : d === "bool" ? "true" : "2147483647"),
};

/**
 * Whether an elementwise kernel's source can leave its size out: `idx`
 * appears only as a whole load index or converted to a value (an iota), so
 * nothing but the bounds check depends on the size, which then comes from
 * the scalars (see renderKernel's `sizeSlot`). One pipeline then serves
 * every length (a new shape costs no compile).
 */
export function sizeFree(k: Kernel): boolean {
  if (k.reduce || k.matmul || k.epilogue) return false;
  const ok = (e: Expr): boolean => {
    switch (e.op) {
      case "const":
        return true;
      case "idx":
      case "ridx":
        return false;
      case "load":
        return e.index.op === "idx" || e.index.op === "const";
      case "unary":
        return ok(e.x);
      case "cast":
        return e.x.op === "idx" || ok(e.x);
      case "binary":
        return ok(e.x) && ok(e.y);
      case "select":
        return ok(e.cond) && ok(e.t) && ok(e.f);
      case "nary":
        return e.args.every(ok);
    }
  };
  return ok(k.expr);
}

/**
 * WGSL source of one kernel, and the bindings it reads through texture
 * mirrors. With a reduction plan of several parts, this is the first pass:
 * output `j` is partial `j % parts` of output `j / parts` (argmax/argmin
 * partials hold the winning reduction index). With `sizeSlot`, the size in
 * the bounds check is scalar `sizeSlot` (see sizeFree).
 */
export function renderKernel(
  k: Kernel,
  inputs: InputKind[],
  inputTypes: DType[],
  plan?: ReductionPlan,
  sizeSlot?: number,
): { code: string; textures: number[] } {
  const size = sizeSlot === undefined ? undefined : `bitcast<i32>(sc[${sizeSlot}])`;
  const { body, total, helpers, vecs, texs } = renderBody(k, inputs, inputTypes, plan, NAMES, true, size);
  const bound = invocationBound(k, plan, total, size);
  const decls = [outDecl(k, plan), ...inputDecls(inputs, inputTypes, vecs, texs, (i) => `in${i}`)];
  const nScalars = inputs.filter((i) => i.kind === "scalar").length;
  if (nScalars || sizeSlot !== undefined) {
    const b = 1 + inputs.filter((i) => i.kind === "buf").length;
    decls.push(`@group(0) @binding(${b}) var<storage, read> sc: array<u32>;`);
  }
  const code = [
    ...decls,
    helperSource(helpers),
    MAIN,
    `  if (gi >= ${bound}) { return; }`,
    `  ${body}`,
    `}`,
  ].filter(Boolean).join("\n");
  return { code, textures: texBindings(inputs, texs) };
}

/** The invocations that compute (WGSL): `total`, or from the size in the scalars (see sizeFree). */
export function invocationBound(k: Kernel, plan: ReductionPlan | undefined, total: number, size?: string): string {
  const per = k.reduce ? 1 : plan?.vec ?? 1; // outputs per invocation
  return size === undefined ? `${total}` : per > 1 ? `(${size} + ${per - 1}) / ${per}` : size;
}

/** The entry point's header: invocation `gi` of the grid. */
export const MAIN = [
  `@compute @workgroup_size(${WORKGROUP})`,
  `fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {`,
  `  let gi = i32((wid.x + wid.y * nwg.x) * ${WORKGROUP}u + li);`,
].join("\n");

/** A kernel's output binding (0): vec4s when an elementwise kernel stores 4 at a time. */
export function outDecl(k: Kernel, plan?: ReductionPlan): string {
  const t = storageType(k.dtype);
  return `@group(0) @binding(0) var<storage, read_write> out: array<${!k.reduce && plan?.aligned ? `vec4<${t}>` : t}>;`;
}

/** The bindings of a kernel's buffer inputs (shared ones have none): textures, vec4 arrays or arrays. */
export function inputDecls(
  inputs: InputKind[],
  types: DType[],
  vecs: Set<number>,
  texs: Set<number>,
  name: (i: number) => string,
): string[] {
  return inputs.flatMap((inp, i) => {
    if (inp.kind !== "buf" || inp.shared) return [];
    const t = storageType(types[i]);
    return texs.has(i)
      ? [`@group(0) @binding(${inp.binding}) var ${name(i)}: texture_2d<${t}>;`]
      : [`@group(0) @binding(${inp.binding}) var<storage, read> ${name(i)}: array<${vecs.has(i) ? `vec4<${t}>` : t}>;`];
  });
}

/** The bindings read through texture mirrors. */
export function texBindings(inputs: InputKind[], texs: Set<number>): number[] {
  return [...texs].sort((a, b) => a - b).map((i) => (inputs[i] as { binding: number }).binding);
}

/**
 * The statements of one kernel for invocation `gi` (which must be below
 * `total`), with its buffers and scalars named by `names`, and the helper
 * functions and vec4-read inputs (when `vec4Loads`) they need. An
 * elementwise kernel with a plan (see planElementwise) computes `plan.vec`
 * outputs per invocation, those below `size` (WGSL; default the kernel's).
 */
export function renderBody(
  k: Kernel,
  inputs: InputKind[],
  inputTypes: DType[],
  plan: ReductionPlan | undefined,
  names: KernelNames,
  vec4Loads: boolean,
  size?: string,
): { body: string; total: number; helpers: Set<string>; vecs: Set<number>; texs: Set<number> } {
  // Constant-folded too: a branch a select never takes may hold a read at a negative
  // constant index (a concatenation's piece at a constant idx), which WGSL rejects.
  k = { ...k, expr: foldConstants(simplifyIndices(k.expr, k.size, k.reduce?.size ?? 0)) };
  const em = new Emitter(inputs, inputTypes, names);
  const outT = k.dtype;
  const lanes = plan?.vec && plan.vec > 1 ? plan.vec : 1;
  const vec = k.reduce ? lanes : 1; // a reduction's elements per lane and step
  const per = k.reduce ? 1 : lanes; // an elementwise kernel's outputs per invocation
  if (vec > 1 && vec4Loads) em.vecs = vecInputs(k.expr, inputs, alongRidx);
  if (per > 1 && vec4Loads) {
    em.vecs = vecInputs(k.expr, inputs, (index) => index.op === "idx");
    em.elementwise = true;
  }
  em.texs = new Set([...em.vecs].filter((i) => inputs[i].kind === "buf" && inputs[i].tex));
  const { vecs, texs } = em; // (an epilogue is rendered with none)
  const store = (v: string) => (outT === "bool" ? `select(0u, 1u, ${v})` : v);
  let body: string;
  const total = invocations(k, plan);
  if (!k.reduce && per === 1) {
    body = `let idx = gi;\n  ${names.out}[gi] = ${store(em.expr(k.expr))};`;
  } else if (!k.reduce) {
    // Each component's expression sees its own idx; vec4 reads come from lets made once.
    const comps = [...Array(per).keys()].map((c) => {
      em.comp = c;
      return { c, v: store(em.expr(k.expr)) };
    });
    const lets = [...em.vecLets].map(([l, name]) => `let ${name} = ${l};`);
    const at = (c: number) => `let idx = gi * ${per} + ${c};`;
    const stores = plan?.aligned
      ? [
        `var o: vec4<${storageType(outT)}>;`,
        ...comps.map(({ c, v }) => `{ ${at(c)} o[${c}] = ${v}; }`),
        `${names.out}[gi] = o;`,
      ]
      : comps.map(({ c, v }) => `{ ${at(c)} if (idx < ${size ?? k.size}) { ${names.out}[idx] = ${v}; } }`);
    body = [...lets, ...stores].join("\n  ");
  } else {
    const vt = exprDType(k.expr);
    const r = k.reduce.size;
    const parts = plan?.parts ?? 1;
    const chunk = plan?.chunk ?? r;
    const head = parts > 1
      ? `let idx = gi / ${parts};\n  let r0 = (gi % ${parts}) * ${chunk};\n  let r1 = min(r0 + ${chunk}, ${r});`
      : `let idx = gi;\n  let r0 = 0;\n  let r1 = ${r};`;
    const op = k.reduce.op;
    em.hoisting = true;
    if (op === "argmax" || op === "argmin") {
      const v = em.expr(k.expr);
      em.use("isnan_f");
      const better = op === "argmax" ? ">" : "<";
      const nanCheck = vt === "float32" ? ` || isnan_f(v)` : "";
      body =
        `${head}\n${em.hoistedLets("  ").join("\n")}\n  var best = ${
          INIT[op === "argmax" ? "max" : "min"](vt)
        };\n  var bi = r0;\n` +
        `  for (var ridx = r0; ridx < r1; ridx++) {\n    let v = ${v};\n` +
        `    if (v ${better} best${nanCheck}) { best = v; bi = ridx;${
          vt === "float32" ? " if (isnan_f(v)) { break; }" : ""
        } }\n  }\n` +
        `  ${names.out}[gi] = ${outT === "int32" ? "bi" : "u32(bi)"};`;
      if (vt === "float32") em.use("inf_f");
    } else {
      if (vt === "float32") em.use("inf_f");
      const combine = op === "sum"
        ? (vt === "bool" ? "acc = acc || v;" : "acc = acc + v;")
        : op === "prod"
        ? (vt === "bool" ? "acc = acc && v;" : "acc = acc * v;")
        : op === "max"
        ? (vt === "float32"
          ? `acc = ${em.use("max_f")}(acc, v);`
          : vt === "bool"
          ? "acc = acc || v;"
          : "acc = max(acc, v);")
        : (vt === "float32"
          ? `acc = ${em.use("min_f")}(acc, v);`
          : vt === "bool"
          ? "acc = acc && v;"
          : "acc = min(acc, v);");
      // Lanes of a group interleave within its block, `vec` consecutive elements each per step.
      const width = plan?.width ?? 1;
      const headL = parts > 1
        ? `let idx = gi / ${parts};\n  let p = gi % ${parts};\n  let blk = (p / ${width}) * ${width * chunk};\n` +
          `  let r0 = blk + (p % ${width}) * ${vec};\n  let r1 = min(blk + ${width * chunk}, ${r});`
        : head;
      const together = reducedTogether(k, plan) ? k.size : 0;
      const outs = together ? [...Array(together).keys()] : [-1];
      const exprOf = (o: number) => (o < 0 ? k.expr : foldConstants(substIndex(k.expr, constant(o))));
      const accOf = (o: number) => (o < 0 ? "acc" : `acc${o}`);
      const comps = [...Array(vec).keys()].flatMap((c) =>
        outs.map((o) => {
          em.comp = c;
          return `    { let ridx = rb + ${c}; let v = ${em.expr(exprOf(o))}; ${combine.replaceAll("acc", accOf(o))} }`;
        })
      );
      const lets = [...em.vecLets].map(([l, name]) => `    let ${name} = ${l};`);
      const headT = together
        ? `${headL.replace(`let idx = gi / ${parts};`, `if (gi >= ${parts}) { return; }`)}`
        : headL;
      const signOfZero = op === "sum" && vt === "float32"
        ? outs.map((o) => `  ${accOf(o)} = ${em.use("plus0_f")}(${accOf(o)});\n`).join("")
        : "";
      body = `${headT}\n${em.hoistedLets("  ").join("\n")}\n` +
        outs.map((o) => `  var ${accOf(o)}: ${wtype(vt)} = ${INIT[op](vt)};\n`).join("") +
        `  for (var rb = r0; rb < r1; rb += ${width * vec}) {\n${[...lets, ...comps].join("\n")}\n  }\n` + signOfZero +
        (together
          ? outs.map((o) => `  ${names.out}[${o * parts} + gi] = ${store(accOf(o))};`).join("\n")
          : `  ${names.out}[gi] = ${store(epilogue(em, k, parts))};`);
    }
  }
  return { body, total, helpers: em.helpers, vecs, texs };
}
