/**
 * Pytrees: nested JS arrays, plain objects, `null`/`undefined`, and Partial
 * functions, with arrays and numbers at the leaves. Transformations flatten
 * their inputs and outputs through these functions (`jax.tree_util`).
 *
 * @module
 */

import { NDArray } from "./array.ts";
import { TreeError } from "./errors.ts";

/** A pytree: any nesting of arrays, objects and null with leaves. */
// deno-lint-ignore no-explicit-any
export type PyTree = any;

const PARTIAL = Symbol("jaxd.Partial");

/** A function with bound leading arguments that is also a pytree (its arguments are leaves). */
export interface PartialFn {
  // deno-lint-ignore no-explicit-any
  (...args: any[]): any;
  /** The wrapped function. */
  // deno-lint-ignore no-explicit-any
  readonly func: (...args: any[]) => any;
  /** The bound leading arguments. */
  readonly args: PyTree[];
  /** @internal */
  readonly [PARTIAL]: true;
}

/**
 * `jax.tree_util.Partial`: binds leading arguments of `func`; the bound
 * arguments are pytree leaves, so a Partial can be passed through jit.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = (x: jnp.NDArray, theta: jnp.NDArray) => x.mul(theta).sum();
 * const fx = jax.tree_util.Partial(f, jnp.array([1, 2]));
 * fx(jnp.array([3, 4])).item(); // 11
 * ```
 */
// deno-lint-ignore no-explicit-any
export function Partial(func: (...args: any[]) => any, ...args: PyTree[]): PartialFn {
  // deno-lint-ignore no-explicit-any
  const inner = func as any;
  const baseFunc = inner[PARTIAL] ? inner.func : func;
  const allArgs = inner[PARTIAL] ? [...inner.args, ...args] : args;
  // deno-lint-ignore no-explicit-any
  const p = (...rest: any[]) => baseFunc(...allArgs, ...rest);
  Object.defineProperties(p, {
    func: { value: baseFunc },
    args: { value: allArgs },
    [PARTIAL]: { value: true },
  });
  return p as unknown as PartialFn;
}

/** The structure of a pytree, without its leaves. */
export class TreeDef {
  /**
   * @param kind node type
   * @param children child structures
   * @param keys object keys (sorted) for "object" nodes
   * @param func the function of a "partial" node
   */
  constructor(
    readonly kind: "leaf" | "null" | "undefined" | "array" | "object" | "partial",
    readonly children: TreeDef[] = [],
    readonly keys: string[] = [],
    // deno-lint-ignore no-explicit-any
    readonly func?: (...args: any[]) => any,
  ) {}

  /** Number of leaves. */
  get numLeaves(): number {
    return this.kind === "leaf" ? 1 : this.children.reduce((n, c) => n + c.numLeaves, 0);
  }

  /** Structural equality. */
  equals(o: TreeDef): boolean {
    return this.kind === o.kind && this.func === o.func &&
      this.keys.join("\u0000") === o.keys.join("\u0000") &&
      this.children.length === o.children.length && this.children.every((c, i) => c.equals(o.children[i]));
  }

  /** JAX-like text: `PyTreeDef([*, {'a': *}])`. */
  toString(): string {
    const rec = (t: TreeDef): string => {
      switch (t.kind) {
        case "leaf":
          return "*";
        case "null":
          return "None";
        case "undefined":
          return "undefined";
        case "array":
          return `[${t.children.map(rec).join(", ")}]`;
        case "object":
          return `{${t.keys.map((k, i) => `'${k}': ${rec(t.children[i])}`).join(", ")}}`;
        case "partial":
          return `Partial(${t.func?.name || "<fn>"}, ${rec(t.children[0])})`;
      }
    };
    return `PyTreeDef(${rec(this)})`;
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Flattens a pytree into its leaves and structure. */
export function tree_flatten(tree: PyTree): [PyTree[], TreeDef] {
  const leaves: PyTree[] = [];
  const rec = (t: PyTree): TreeDef => {
    if (t === null) return new TreeDef("null");
    if (t === undefined) return new TreeDef("undefined");
    if (t instanceof NDArray || typeof t === "number" || typeof t === "boolean") {
      leaves.push(t);
      return new TreeDef("leaf");
    }
    if (Array.isArray(t)) return new TreeDef("array", t.map(rec));
    if (typeof t === "function" && t[PARTIAL]) {
      return new TreeDef("partial", [rec(t.args)], [], t.func);
    }
    if (isPlainObject(t)) {
      const keys = Object.keys(t).sort();
      return new TreeDef("object", keys.map((k) => rec(t[k])), keys);
    }
    leaves.push(t);
    return new TreeDef("leaf");
  };
  const def = rec(tree);
  return [leaves, def];
}

/** Rebuilds a pytree from a structure and leaves. */
export function tree_unflatten(def: TreeDef, leaves: PyTree[]): PyTree {
  if (leaves.length !== def.numLeaves) {
    throw new TreeError(`tree_unflatten: structure ${def} has ${def.numLeaves} leaves, got ${leaves.length}`);
  }
  let i = 0;
  const rec = (d: TreeDef): PyTree => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "null":
        return null;
      case "undefined":
        return undefined;
      case "array":
        return d.children.map(rec);
      case "object":
        return Object.fromEntries(d.keys.map((k, j) => [k, rec(d.children[j])]));
      case "partial":
        return Partial(d.func!, ...rec(d.children[0]));
    }
  };
  return rec(def);
}

/** The leaves of a pytree, in order. */
export function tree_leaves(tree: PyTree): PyTree[] {
  return tree_flatten(tree)[0];
}

/** The structure of a pytree. */
export function tree_structure(tree: PyTree): TreeDef {
  return tree_flatten(tree)[1];
}

/**
 * Applies `f` to corresponding leaves of one or more pytrees of the same structure.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.tree_util.tree_map((a: number, b: number) => a + b, [1, { x: 2 }], [10, { x: 20 }]); // [11, { x: 22 }]
 * ```
 */
export function tree_map(f: (...leaves: PyTree[]) => PyTree, tree: PyTree, ...rest: PyTree[]): PyTree {
  const [leaves, def] = tree_flatten(tree);
  const others = rest.map((r, k) => {
    const [l, d] = tree_flatten(r);
    if (!d.equals(def)) {
      throw new TreeError(`tree_map: argument ${k + 2} has structure ${d}, but the first has ${def}`);
    }
    return l;
  });
  return tree_unflatten(def, leaves.map((x, i) => f(x, ...others.map((o) => o[i]))));
}
