/**
 * The jaxpr IR: typed variables, equations, and closed jaxprs with their
 * constants; a typechecker driven by the abstract-eval rules; `evalJaxpr`,
 * which itself calls `bind` (so evaluating a jaxpr is traceable); and JAX's
 * text format for printing.
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { InternalError } from "../errors.ts";
import type { Params, Primitive } from "../ops/primitives.ts";
import { ShapedArray } from "./aval.ts";
import { bind, rules } from "./core.ts";

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
    return ppJaxpr(this, new Namer(), "");
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

/** Evaluates a jaxpr by binding each equation's primitive: traceable. */
export function evalJaxpr(jaxpr: Jaxpr, consts: NDArray[], args: NDArray[]): NDArray[] {
  const env = new Map<Var, NDArray>();
  const read = (a: Atom): NDArray | number => a instanceof Literal ? a.value : env.get(a)!;
  const write = (v: Var, x: NDArray) => env.set(v, x);
  jaxpr.constvars.forEach((v, i) => write(v, consts[i]));
  jaxpr.invars.forEach((v, i) => write(v, args[i]));
  for (const eqn of jaxpr.eqns) {
    const ins = eqn.inputs.map((a) => a instanceof Literal ? literalArray(a) : env.get(a)!);
    const outs = bind(eqn.primitive, ins, eqn.params);
    eqn.outBinders.forEach((v, i) => write(v, outs[i]));
  }
  return jaxpr.outs.map((a) => {
    const x = read(a);
    return typeof x === "number" ? literalArray(a as Literal) : x;
  });
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
  name(v: Var): string {
    let s = this.#names.get(v);
    if (s === undefined) {
      let n = this.#names.size;
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

/** Formats one param value the way JAX prints it. */
export function ppParam(v: unknown, namer: Namer | undefined, indent: string): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return `${v}`;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => ppParam(x, namer, indent));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (v instanceof ClosedJaxpr) return ppJaxpr(v.jaxpr, namer ?? new Namer(), indent + "  ");
  if (typeof v === "function") return v.name || "<function>";
  return String(v);
}

function ppJaxpr(j: Jaxpr, namer: Namer, indent: string): string {
  // Out binders that nothing reads print as `_`, as JAX's DropVar.
  const used = new Set<Var>();
  for (const e of j.eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a);
  for (const a of j.outs) if (a instanceof Var) used.add(a);
  const binder = (v: Var) => `${namer.name(v)}:${v.aval}`;
  const atom = (a: Atom) => a instanceof Literal ? ppLiteral(a) : namer.name(a);
  const consts = j.constvars.map(binder).join(" ");
  const ins = j.invars.map(binder).join(" ");
  const head = `{ lambda ${consts}${consts ? "; " : ""}${ins}. let`;
  const lines = j.eqns.map((e) => {
    const outs = e.outBinders.map((v) => used.has(v) ? binder(v) : `_:${v.aval}`).join(" ");
    const keys = Object.keys(e.params).sort();
    const params = keys.length
      ? `[${
        keys.map((k) => `${k}=${ppParam((e.params as Record<string, unknown>)[k], namer, indent + "    ")}`).join(" ")
      }]`
      : "";
    return `${indent}    ${outs} = ${e.primitive}${params} ${e.inputs.map(atom).join(" ")}`.trimEnd();
  });
  const outs = j.outs.map(atom);
  const tail = `${indent}  in (${outs.join(", ")}${outs.length === 1 ? "," : ""}) }`;
  return [head, ...lines, tail].join("\n");
}

export { ShapedArray };
