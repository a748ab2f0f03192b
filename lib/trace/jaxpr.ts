/**
 * The jaxpr IR: typed variables, equations, and closed jaxprs with their
 * constants; a typechecker driven by the abstract-eval rules; `evalJaxpr`,
 * which itself calls `bind` (so evaluating a jaxpr is traceable); and JAX's
 * text format for printing.
 *
 * @module
 */

import { ConcreteArray, type NDArray } from "../array.ts";
import { InternalError } from "../errors.ts";
import type { Params, Primitive } from "../ops/primitives.ts";
import { ShapedArray } from "./aval.ts";
import { bind, isStaging, rules } from "./core.ts";

/** A jaxpr variable: a typed slot, named only when printed. */
export class Var {
  /** @param aval the variable's type */
  constructor(readonly aval: ShapedArray) {}
}

/** A scalar constant written inline in an equation, e.g. `2.0:f32[]`. */
export class Literal {
  /**
   * @param value the number (bools as 0/1)
   * @param aval a 0-d type
   */
  constructor(readonly value: number, readonly aval: ShapedArray) {}
}

/** An equation input. */
export type Atom = Var | Literal;

/** One equation: `outBinders = primitive[params] inputs`. */
export interface JaxprEqn<P extends Primitive = Primitive> {
  primitive: P;
  inputs: Atom[];
  params: Params[P];
  outBinders: Var[];
}

/** A jaxpr: constvars and invars in, equations, atoms out. */
export class Jaxpr {
  /**
   * @param constvars variables bound to the closed-over constants
   * @param invars the arguments
   * @param eqns equations in order
   * @param outs the results
   */
  constructor(
    readonly constvars: Var[],
    readonly invars: Var[],
    readonly eqns: JaxprEqn[],
    readonly outs: Atom[],
  ) {}

  /** Input avals (after the constvars). */
  get inAvals(): ShapedArray[] {
    return this.invars.map((v) => v.aval);
  }
  /** Output avals. */
  get outAvals(): ShapedArray[] {
    return this.outs.map((v) => v.aval);
  }

  /** JAX's text format. */
  toString(): string {
    return format(ppJaxpr(this, new Namer()));
  }
}

/** A jaxpr with the values of its constvars: what `make_jaxpr` returns. */
export class ClosedJaxpr {
  /**
   * @param jaxpr the jaxpr
   * @param consts one value per constvar
   */
  constructor(readonly jaxpr: Jaxpr, readonly consts: NDArray[]) {
    if (consts.length !== jaxpr.constvars.length) {
      throw new InternalError(`ClosedJaxpr: ${consts.length} consts for ${jaxpr.constvars.length} constvars`);
    }
  }
  /** Input avals. */
  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }
  /** Output avals. */
  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }
  /** JAX's text format: `{ lambda a:f32[100]; b:f32[2]. let ... in (r,) }`. */
  toString(): string {
    return this.jaxpr.toString();
  }
  /** Deno's console.log hook: print the text, as `print(jaxpr)` does. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
  /** Node's util.inspect hook. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Evaluates a jaxpr (simplified, see simplifyJaxpr) by binding each equation's primitive: traceable. */
export function evalJaxpr(traced: Jaxpr, consts: NDArray[], args: NDArray[]): NDArray[] {
  const jaxpr = simplifyJaxpr(traced);
  const env = new Map<Var, NDArray>();
  const read = (a: Atom): NDArray | number => a instanceof Literal ? a.value : env.get(a)!;
  const write = (v: Var, x: NDArray) => env.set(v, x);
  jaxpr.constvars.forEach((v, i) => write(v, consts[i]));
  jaxpr.invars.forEach((v, i) => write(v, args[i]));
  const frees = new IntermediateFrees(jaxpr, [...consts, ...args]);
  jaxpr.eqns.forEach((eqn, i) => {
    const ins = eqn.inputs.map((a) => a instanceof Literal ? literalArray(a) : env.get(a)!);
    const outs = bind(eqn.primitive, ins, eqn.params);
    eqn.outBinders.forEach((v, i) => write(v, outs[i]));
    frees.after(i, eqn, ins, outs, env);
  });
  return jaxpr.outs.map((a) => {
    const x = read(a);
    return typeof x === "number" ? literalArray(a as Literal) : x;
  });
}

/**
 * Frees a jaxpr evaluation's intermediate arrays right after their last use,
 * as a compiled program does: without it, each jit call or scan step leaves
 * its intermediates to the garbage collector, which does not see device
 * memory (small buffers carry no host ballast), so device memory grows with
 * the number of calls. Only arrays this evaluation made are freed, and only
 * those every consumer computed with at once (all-concrete inputs outside
 * jit staging); an array a transformation may have captured (mixed with
 * tracers, or while staging) is left to the garbage collector.
 */
class IntermediateFrees {
  readonly #lastUse = new Map<Var, number>();
  readonly #kept: Set<NDArray>;
  /** Live environment entries per array (an impl may return an input or one array twice). */
  readonly #holders = new Map<NDArray, number>();
  readonly #captured = new Set<NDArray>();
  readonly #outs: Set<Var>;

  constructor(jaxpr: Jaxpr, inputs: NDArray[]) {
    this.#kept = new Set(inputs);
    this.#outs = new Set(jaxpr.outs.filter((a): a is Var => a instanceof Var));
    jaxpr.eqns.forEach((e, i) => e.inputs.forEach((a) => a instanceof Var && this.#lastUse.set(a, i)));
  }

  after(i: number, eqn: JaxprEqn, ins: NDArray[], outs: NDArray[], env: Map<Var, NDArray>): void {
    if (isStaging() || !ins.every((x) => x instanceof ConcreteArray)) ins.forEach((x) => this.#captured.add(x));
    for (const o of outs) this.#holders.set(o, (this.#holders.get(o) ?? 0) + 1);
    const dead = new Set<Var>();
    for (const a of eqn.inputs) if (a instanceof Var && this.#lastUse.get(a) === i && !this.#outs.has(a)) dead.add(a);
    for (const v of eqn.outBinders) if (!this.#lastUse.has(v) && !this.#outs.has(v)) dead.add(v);
    for (const v of dead) {
      const x = env.get(v);
      env.delete(v);
      if (x === undefined || this.#kept.has(x)) continue;
      const n = (this.#holders.get(x) ?? 1) - 1;
      this.#holders.set(x, n);
      if (n === 0 && !this.#captured.has(x) && x instanceof ConcreteArray) x.dispose();
    }
  }
}

let makeLiteralArray: ((l: Literal) => NDArray) | undefined;
/** Installs how literals become arrays (lib/numpy provides it; avoids a cycle). */
export function installLiteralMaker(f: (l: Literal) => NDArray): void {
  makeLiteralArray = f;
}
function literalArray(l: Literal): NDArray {
  if (!makeLiteralArray) throw new InternalError("literal maker not installed");
  return makeLiteralArray(l);
}

/** Evaluates a closed jaxpr. */
export function evalClosed(cj: ClosedJaxpr, args: NDArray[]): NDArray[] {
  return evalJaxpr(cj.jaxpr, cj.consts, args);
}

/**
 * Checks a jaxpr's types: every variable bound once before use, and every
 * equation's out binders equal to its primitive's abstract evaluation.
 */
export function typecheckJaxpr(jaxpr: Jaxpr): void {
  const env = new Set<Var>();
  const bindVar = (v: Var) => {
    if (env.has(v)) throw new InternalError("typecheck: variable bound twice");
    env.add(v);
  };
  [...jaxpr.constvars, ...jaxpr.invars].forEach(bindVar);
  for (const eqn of jaxpr.eqns) {
    for (const a of eqn.inputs) {
      if (a instanceof Var && !env.has(a)) throw new InternalError(`typecheck: unbound variable in ${eqn.primitive}`);
    }
    const outs = rules[eqn.primitive].abstractEval(eqn.inputs.map((a) => a.aval), eqn.params as never);
    if (outs.length !== eqn.outBinders.length) {
      throw new InternalError(
        `typecheck: ${eqn.primitive} gives ${outs.length} outputs, binds ${eqn.outBinders.length}`,
      );
    }
    outs.forEach((o, i) => {
      if (!o.equals(eqn.outBinders[i].aval)) {
        throw new InternalError(
          `typecheck: ${eqn.primitive} output ${i} is ${o}, binder says ${eqn.outBinders[i].aval}`,
        );
      }
    });
    eqn.outBinders.forEach(bindVar);
  }
  for (const a of jaxpr.outs) {
    if (a instanceof Var && !env.has(a)) throw new InternalError("typecheck: unbound output variable");
  }
}

// ---- printing, in JAX's format ----

class Namer {
  #names = new Map<Var, string>();
  #next = 0;
  /** Names `vars` like `like` (JAX's suggest_same_var_names), where not named yet. */
  suggest(vars: Atom[], like: Atom[]): void {
    if (vars.length !== like.length) return;
    const taken = new Set<Var>();
    vars.forEach((v, i) => {
      const l = like[i];
      if (l instanceof Var && !taken.has(l) && v instanceof Var && !this.#names.has(v)) {
        taken.add(l);
        this.#names.set(v, this.name(l));
      }
    });
  }
  name(v: Var): string {
    let s = this.#names.get(v);
    if (s === undefined) {
      let n = this.#next++;
      s = "";
      do {
        s = String.fromCharCode(97 + (n % 26)) + s;
        n = Math.floor(n / 26);
      } while (n);
      this.#names.set(v, s);
    }
    return s;
  }
}

function ppLiteral(l: Literal): string {
  const d = l.aval.dtype;
  let v: string;
  if (d === "bool") v = l.value ? "True" : "False";
  else if (d.startsWith("float")) {
    v = Number.isNaN(l.value)
      ? "nan"
      : !Number.isFinite(l.value)
      ? (l.value > 0 ? "inf" : "-inf")
      : Number.isInteger(l.value)
      ? `${l.value}.0`
      : `${l.value}`;
  } else v = `${l.value}`;
  return `${v}:${l.aval}`;
}

// A port of JAX's pretty printer (jax/_src/pretty_printer.py, Lindig's "strictly pretty"): a group is laid
// out on one line when it fits in the remaining width (80), otherwise its breaks become newlines. The
// document structure follows jax/_src/core.py (pp_jaxpr_skeleton, pp_eqn, pp_kv_pairs, pp_jaxprs), so short
// jaxprs print on one line and long ones break exactly where JAX breaks them.

type Doc =
  | { kind: "text"; text: string }
  | { kind: "concat"; children: Doc[] }
  | { kind: "brk"; text: string }
  | { kind: "group"; child: Doc }
  | { kind: "nest"; n: number; child: Doc };

const text = (t: string): Doc => ({ kind: "text", text: t });
const concat = (...children: Doc[]): Doc => ({ kind: "concat", children });
const brk = (t = " "): Doc => ({ kind: "brk", text: t });
const group = (child: Doc): Doc => ({ kind: "group", child });
const nest = (n: number, child: Doc): Doc => ({ kind: "nest", n, child });
const join = (sep: Doc, docs: Doc[]): Doc => concat(...docs.flatMap((d, i) => (i ? [sep, d] : [d])));

/** Whether `doc`, laid out flat, fits in `width` columns. */
function fits(doc: Doc, width: number): boolean {
  const stack = [doc];
  while (width >= 0 && stack.length) {
    const d = stack.pop()!;
    if (d.kind === "text" || d.kind === "brk") width -= d.text.length;
    else if (d.kind === "concat") { for (let i = d.children.length - 1; i >= 0; i--) stack.push(d.children[i]); }
    else stack.push(d.child);
  }
  return width >= 0;
}

function format(doc: Doc, width = 80): string {
  const out: string[] = [];
  let column = 0;
  const agenda: [number, boolean, Doc][] = [[0, false, doc]];
  while (agenda.length) {
    const [indent, flat, d] = agenda.pop()!;
    switch (d.kind) {
      case "text":
        out.push(d.text);
        column += d.text.length;
        break;
      case "brk":
        if (flat) {
          out.push(d.text);
          column += d.text.length;
        } else {
          out.push("\n" + " ".repeat(indent));
          column = indent;
        }
        break;
      case "concat":
        for (let i = d.children.length - 1; i >= 0; i--) agenda.push([indent, flat, d.children[i]]);
        break;
      case "nest":
        agenda.push([indent + d.n, flat, d.child]);
        break;
      case "group":
        agenda.push([indent, flat || fits(d.child, width - column), d.child]);
        break;
      default:
        d satisfies never;
    }
  }
  return out.join("");
}

function ppVars(names: string[], separator = ""): Doc {
  return nest(2, group(join(concat(text(separator), group(brk())), names.map(text))));
}

/** A param printed as a Python list, `[1, 2]`, where JAX prints a list rather than a tuple. */
class PyList {
  constructor(readonly items: unknown[]) {}
}

/**
 * The params JAX shows for primitives with a custom pretty-printing rule
 * (jax/_src/lax/lax.py, custom_derivatives.py): what the binder's type
 * implies or what is trivial is left out.
 */
const PRINTED_PARAMS: Partial<Record<Primitive, (p: Record<string, unknown>) => Record<string, unknown>>> = {
  broadcast_in_dim: ({ shape: _, broadcast_dimensions: bd, ...rest }) =>
    (bd as number[]).length ? { broadcast_dimensions: bd, ...rest } : rest,
  dot_general: (p) => {
    const [[lc, rc], [lb, rb]] = p.dimension_numbers as number[][][];
    const shown = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null));
    const list = (a: number[]) => new PyList(a);
    return { ...shown, dimension_numbers: [[list(lc), list(rc)], [list(lb), list(rb)]] };
  },
  custom_jvp_call: ({ num_consts, ...rest }) => (num_consts ? { num_consts, ...rest } : rest),
};

/** Formats a param value that is not a jaxpr the way JAX prints it. */
function ppParamText(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v instanceof PyList) return `[${v.items.map(ppParamText).join(", ")}]`;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return `${v}`;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) {
    const items = v.map(ppParamText);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (typeof v === "function") return v.name || "<function>";
  return String(v);
}

function ppParam(v: unknown, namer: Namer): Doc {
  if (v instanceof ClosedJaxpr) return ppJaxpr(v.jaxpr, namer);
  if (Array.isArray(v) && v.length && v.every((x) => x instanceof ClosedJaxpr)) {
    const items = v.map((x: ClosedJaxpr) => ppJaxpr(x.jaxpr, namer));
    return group(concat(nest(2, concat(text("("), brk(""), join(brk(), items))), brk(""), text(")")));
  }
  return text(ppParamText(v));
}

function ppEqn(e: JaxprEqn, namer: Namer, used: Set<Var>): Doc {
  const binder = (v: Var) => `${used.has(v) ? namer.name(v) : "_"}:${v.aval}`;
  const lhs = ppVars(e.outBinders.map(binder));
  const shown = PRINTED_PARAMS[e.primitive];
  const params = shown ? shown(e.params as Record<string, unknown>) : e.params as Record<string, unknown>;
  const keys = Object.keys(params).sort();
  if (e.primitive === "pjit") {
    // As JAX's pjit rule: name first, and the inner jaxpr's variables named like the equation's.
    keys.splice(keys.indexOf("name"), 1);
    keys.unshift("name");
    const inner = (params.jaxpr as ClosedJaxpr).jaxpr;
    namer.suggest(inner.invars, e.inputs);
    const kept = e.outBinders.map((v, i) => [inner.outs[i], v] as const).filter(([, v]) => used.has(v));
    namer.suggest(kept.map(([o]) => o), kept.map(([, v]) => v));
  }
  const kv = keys.length
    ? group(concat(
      nest(
        2,
        concat(text("["), brk(""), join(brk(), keys.map((k) => concat(text(`${k}=`), ppParam(params[k], namer))))),
      ),
      brk(""),
      text("]"),
    ))
    : text("");
  const args = concat(text(" "), ppVars(e.inputs.map((a) => (a instanceof Literal ? ppLiteral(a) : namer.name(a)))));
  return e.outBinders.length
    ? concat(lhs, text(" = "), text(e.primitive), kv, args)
    : concat(text(e.primitive), kv, args);
}

function ppJaxpr(j: Jaxpr, namer: Namer): Doc {
  // Out binders that nothing reads print as `_`, as JAX's DropVar.
  const used = new Set<Var>();
  for (const e of j.eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a);
  for (const a of j.outs) if (a instanceof Var) used.add(a);
  const binder = (v: Var) => `${namer.name(v)}:${v.aval}`;
  const consts = ppVars(j.constvars.map(binder));
  const ins = ppVars(j.invars.map(binder));
  const eqns = join(brk("; "), j.eqns.map((e) => ppEqn(e, namer, used)));
  const outs = concat(
    text("("),
    ppVars(j.outs.map((a) => (a instanceof Literal ? ppLiteral(a) : namer.name(a))), ","),
    text(j.outs.length === 1 ? ",)" : ")"),
  );
  return concat(
    group(nest(
      2,
      concat(
        text("{ lambda "),
        consts,
        text("; "),
        ins,
        text(". let"),
        nest(2, concat(brk(), eqns)),
        brk(),
        text("in "),
        outs,
      ),
    )),
    text(" }"),
  );
}

export { ShapedArray };

// ---------------------------------------------------------------- simplification

// Before evaluation a jaxpr loses its duplicate equations (common-subexpression
// elimination: an equation repeating an earlier one's primitive, inputs and
// params reuses its outputs) and its dead ones (none of whose outputs is used).
// Every primitive is pure, so both are safe. Constant folding is left to the
// backends, which know host scalars and inline them. Printed jaxprs
// (make_jaxpr) stay as traced, as JAX prints them.

const simplified = new WeakMap<Jaxpr, Jaxpr>();

/**
 * The jaxpr with duplicate and dead equations removed (the same object when
 * there is nothing to remove). Its constvars, invars and output types are
 * unchanged, so it runs with the same arguments.
 */
export function simplifyJaxpr(jaxpr: Jaxpr): Jaxpr {
  let s = simplified.get(jaxpr);
  if (!s) simplified.set(jaxpr, s = dce(cse(jaxpr)));
  return s;
}

/** Drops equations whose outputs are never used. */
function dce(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>(jaxpr.outs.filter((a): a is Var => a instanceof Var));
  const kept: JaxprEqn[] = [];
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const e = jaxpr.eqns[i];
    if (!e.outBinders.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  if (kept.length === jaxpr.eqns.length) return jaxpr;
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, kept.reverse(), jaxpr.outs);
}

/** Reuses the outputs of an earlier identical equation. */
function cse(jaxpr: Jaxpr): Jaxpr {
  const ids = new Map<Var, number>();
  const idOf = (v: Var) => ids.get(v) ?? (ids.set(v, ids.size), ids.size - 1);
  const rename = new Map<Var, Var>();
  const atom = (a: Atom): Atom => (a instanceof Var ? rename.get(a) ?? a : a);
  const atomKey = (a: Atom) =>
    a instanceof Literal
      ? `L${Object.is(a.value, -0) ? "-0" : a.value}:${a.aval}${a.aval.weakType ? "w" : ""}`
      : `v${idOf(a)}`;
  const seen = new Map<string, Var[]>();
  const eqns: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    const inputs = e.inputs.map(atom);
    const key = `${e.primitive}(${inputs.map(atomKey).join(",")})${paramsKey(e.params)}`;
    const earlier = seen.get(key);
    if (earlier && earlier.every((v, i) => v.aval.equals(e.outBinders[i].aval))) {
      e.outBinders.forEach((v, i) => rename.set(v, earlier[i]));
      continue;
    }
    seen.set(key, e.outBinders);
    eqns.push(inputs.every((a, i) => a === e.inputs[i]) ? e : { ...e, inputs });
  }
  if (eqns.length === jaxpr.eqns.length) return jaxpr;
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outs.map(atom));
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** Params as text: numbers exactly, jaxprs and functions by identity. */
function paramsKey(params: unknown): string {
  return JSON.stringify(params, (_k, v) => {
    if (typeof v === "number") return Object.is(v, -0) ? "#-0" : Number.isFinite(v) ? v : `#${v}`;
    if (typeof v === "function" || v instanceof ClosedJaxpr || v instanceof Jaxpr) {
      let id = objectIds.get(v);
      if (id === undefined) objectIds.set(v, id = nextObjectId++);
      return `#obj${id}`;
    }
    return v;
  });
}
