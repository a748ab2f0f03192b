/**
 * `jax`: the transformations — jvp, vjp, linearize, grad, value_and_grad,
 * jacfwd, jacrev, hessian, vmap, jit, make_jaxpr, custom_jvp — over pytrees.
 * Each flattens its inputs, runs the flat transformation from lib/trace, and
 * rebuilds the output structure.
 *
 * @module
 */

import { type ArrayLike, NDArray } from "./array.ts";
import { type DType, isFloat } from "./dtype.ts";
import { AxisError, DTypeError, fmtShape, ShapeError, TreeError, ValueError } from "./errors.ts";
import * as lax from "./lax.ts";
import { asArray } from "./numpy/util.ts";
import { eyeBatch } from "./ops/linalg.ts";
import { fromHost } from "./runtime.ts";
import { ShapedArray } from "./trace/aval.ts";
import { bind, isStaging, releasingIntermediates, userCode } from "./trace/core.ts";
import type { ClosedJaxpr } from "./trace/jaxpr.ts";
import { hoistConsts } from "./trace/jaxpr_transforms.ts";
import { jvpFlat } from "./trace/jvp.ts";
import { vmapFlat } from "./trace/batching.ts";
import { linearizeFlat } from "./trace/partial_eval.ts";
import { traceToJaxpr } from "./trace/staging.ts";
import { vjpFlat } from "./trace/transpose.ts";
import { type PyTree, tree_flatten, tree_unflatten, type TreeDef } from "./tree.ts";

// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => any;

/** Flattens a pytree of arrays and numbers into arrays. */
function flatArrays(tree: PyTree, op: string): [NDArray[], TreeDef] {
  const [leaves, def] = tree_flatten(tree);
  return [
    leaves.map((l) => {
      if (l instanceof NDArray || typeof l === "number" || typeof l === "boolean") return asArray(l as ArrayLike);
      throw new TreeError(
        `${op}: pytree leaf of type ${typeof l} is not an array; pass it as a static argument or close over it`,
      );
    }),
    def,
  ];
}

/**
 * An eager transformation call that releases the arrays it made and does not
 * return (see releasingIntermediates): a synchronous loop of eager gradient
 * steps then holds no more device memory than its current values.
 */
function releasing<T extends PyTree>(fn: () => T): T {
  return releasingIntermediates(fn, (v) => tree_flatten(v)[0].filter((l): l is NDArray => l instanceof NDArray));
}

/** Runs `f` on flat arrays, recording the output structure. */
function flatten(f: Fn, inDef: TreeDef, op: string): [(...xs: NDArray[]) => NDArray[], () => TreeDef] {
  let outDef: TreeDef | undefined;
  const flat = (...xs: NDArray[]) => {
    const out = userCode(() => f(...tree_unflatten(inDef, xs)));
    const [leaves, def] = flatArrays(out, op);
    outDef = def;
    return leaves;
  };
  return [flat, () => outDef!];
}

/**
 * Forward-mode derivative: `[f(primals), df(primals)·tangents]`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [y, t] = jax.jvp((x: jnp.NDArray) => x.mul(x), [jnp.array(3)], [jnp.array(1)]);
 * t.item(); // 6
 * ```
 */
export function jvp(f: Fn, primals: PyTree[], tangents: PyTree[]): [PyTree, PyTree] {
  return releasing(() => {
    const [pl, pdef] = flatArrays(primals, "jvp");
    const [tl, tdef] = flatArrays(tangents, "jvp");
    if (!pdef.equals(tdef)) throw new TreeError(`jvp: primals ${pdef} and tangents ${tdef} have different structures`);
    pl.forEach((p, i) => {
      if (p.shape.join() !== tl[i].shape.join()) {
        throw new ShapeError(
          `jvp: primal and tangent ${i} shapes differ: ${fmtShape(p.shape)} vs ${fmtShape(tl[i].shape)}`,
        );
      }
    });
    const [flat, outDef] = flatten((...xs: PyTree[]) => f(...xs), pdef, "jvp");
    const [po, to] = jvpFlat(
      flat,
      pl,
      tl.map((t, i) => (t.dtype === pl[i].dtype ? t : lax.convert_element_type(t, pl[i].dtype))),
    );
    return [tree_unflatten(outDef(), po), tree_unflatten(outDef(), to)];
  });
}

/** Options of vjp. */
export interface VjpOptions {
  /** `f` returns `[output, aux]`; aux is returned as is. */
  hasAux?: boolean;
}

function splitOptions<T extends object>(args: PyTree[], key: keyof T): [PyTree[], T] {
  const last = args[args.length - 1];
  if (
    last && typeof last === "object" && !Array.isArray(last) && !(last instanceof NDArray) && key in last &&
    Object.keys(last).every((k) => k === key)
  ) {
    return [args.slice(0, -1), last as T];
  }
  return [args, {} as T];
}

/**
 * Reverse mode: `[f(...primals), pullback]` where `pullback(ct)` returns the
 * cotangents of the primals as an array. With `{ hasAux: true }` last, `f`
 * returns `[out, aux]` and vjp returns `[out, pullback, aux]`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [y, pullback] = jax.vjp((x: jnp.NDArray) => x.mul(x).sum(), jnp.array([1, 2]));
 * pullback(jnp.array(1))[0].tolist(); // [2, 4]
 * ```
 */
export function vjp(f: Fn, ...primalsAndOptions: PyTree[]): [PyTree, (ct: PyTree) => PyTree[], PyTree?] {
  const [primals, o] = splitOptions<VjpOptions>(primalsAndOptions, "hasAux");
  const [pl, pdef] = flatArrays(primals, "vjp");
  // Aux values leave the traced function as extra outputs (never as captured
  // tracers), so they come back concrete; their cotangents are zero.
  let auxDef: TreeDef | undefined;
  let nOut = 0;
  let outDefV: TreeDef | undefined;
  const flat = (...xs: NDArray[]) => {
    const r = userCode(() => f(...tree_unflatten(pdef, xs)));
    if (o.hasAux && (!Array.isArray(r) || r.length !== 2)) {
      throw new ValueError("vjp: with hasAux, f must return [output, aux]");
    }
    const [ol, od] = flatArrays(o.hasAux ? r[0] : r, "vjp");
    outDefV = od;
    nOut = ol.length;
    if (!o.hasAux) return ol;
    const [al, ad] = flatArrays(r[1], "vjp aux");
    auxDef = ad;
    return [...ol, ...al];
  };
  const outDef = () => outDefV!;
  const [all, pullbackFlat] = vjpFlat(flat, pl);
  const outs = all.slice(0, nOut);
  const auxVals = all.slice(nOut);
  const pullback = (ct: PyTree) => {
    const [cl, cdef] = flatArrays(ct, "vjp pullback");
    if (!cdef.equals(outDef())) {
      throw new TreeError(`vjp: cotangent structure ${cdef} differs from the output's ${outDef()}`);
    }
    const cts = cl.map((c, i) => {
      if (c.shape.join() !== outs[i].shape.join()) {
        throw new ShapeError(
          `vjp: cotangent ${i} has shape ${fmtShape(c.shape)}, the output has ${fmtShape(outs[i].shape)}`,
        );
      }
      return c.dtype === outs[i].dtype ? c : lax.convert_element_type(c, outs[i].dtype);
    });
    const auxCts = auxVals.map((a) => lax.full(a.shape, 0, a.dtype));
    return tree_unflatten(pdef, pullbackFlat([...cts, ...auxCts]));
  };
  const out = tree_unflatten(outDef(), outs);
  const aux = o.hasAux ? tree_unflatten(auxDef!, auxVals) : undefined;
  return o.hasAux ? [out, pullback, aux] : [out, pullback];
}

/**
 * Linearizes `f` at `primals`: `[f(primals), fJvp]`, where `fJvp(...tangents)`
 * evaluates the linear map without re-running `f`.
 */
export function linearize(f: Fn, ...primals: PyTree[]): [PyTree, (...tangents: PyTree[]) => PyTree] {
  const [pl, pdef] = flatArrays(primals, "linearize");
  const [flat, outDef] = flatten(f, pdef, "linearize");
  const { primalsOut, linear } = linearizeFlat(flat, pl);
  const fJvp = (...tangents: PyTree[]) => {
    const [tl] = flatArrays(tangents, "linearize");
    return tree_unflatten(outDef(), evalLinear(linear, tl));
  };
  return [tree_unflatten(outDef(), primalsOut), fJvp];
}

function evalLinear(linear: ClosedJaxpr, tangents: NDArray[]): NDArray[] {
  const [j, consts] = hoistConsts(linear);
  return bind("pjit", [...consts, ...tangents], { jaxpr: j, name: "linearized" });
}

/** Options of grad and value_and_grad. */
export interface GradOptions {
  /** Which positional argument(s) to differentiate (default 0). */
  argnums?: number | number[];
  /** `f` returns `[output, aux]`; aux is passed through. */
  hasAux?: boolean;
}

function checkGradInput(x: NDArray, op: string) {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(
      `${op} requires real-valued (float) inputs, but got ${x.dtype}. Convert it with .astype("float32"), ` +
        `or differentiate with respect to another argument (argnums).`,
    );
  }
}

/**
 * `[f(x), ∇f(x)]` for scalar-valued `f`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [v, g] = jax.value_and_grad((x: jnp.NDArray) => x.mul(x).sum())(jnp.array([1, 2]));
 * g.tolist(); // [2, 4]
 * ```
 */
export function value_and_grad(f: Fn, o: GradOptions = {}): Fn {
  const argnums = o.argnums ?? 0;
  const nums = typeof argnums === "number" ? [argnums] : argnums;
  return (...args: PyTree[]) => {
    return releasing(() => {
      nums.forEach((n) => {
        if (n < 0 || n >= args.length) {
          throw new AxisError(`grad: argnums ${n} is out of range for ${args.length} arguments`);
        }
      });
      const g = (...diff: PyTree[]) => {
        const full = [...args];
        nums.forEach((n, i) => (full[n] = diff[i]));
        return f(...full);
      };
      const diffArgs = nums.map((n) => args[n]);
      for (const leaf of flatArrays(diffArgs, "grad")[0]) checkGradInput(leaf, "grad");
      const res = o.hasAux ? vjp(g, ...diffArgs, { hasAux: true }) : vjp(g, ...diffArgs);
      const [out, pullback, aux] = res;
      if (!(out instanceof NDArray) || out.ndim !== 0) {
        const shape = out instanceof NDArray ? fmtShape(out.shape) : "a pytree";
        throw new ShapeError(
          `grad requires a scalar output, got ${shape}; use jacrev or vjp for non-scalar outputs, or sum it`,
        );
      }
      if (!isFloat(out.dtype)) throw new DTypeError(`grad requires a real (float) output, got ${out.dtype}`);
      const grads = pullback(lax.full([], 1, out.dtype));
      const gr = typeof argnums === "number" ? grads[0] : grads;
      return o.hasAux ? [[out, aux], gr] : [out, gr];
    });
  };
}

/**
 * The gradient of a scalar-valued function.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.grad((x: jnp.NDArray) => jnp.sin(x))(jnp.array(0)).item(); // 1
 * ```
 */
export function grad(f: Fn, o: GradOptions = {}): Fn {
  const vg = value_and_grad(f, o);
  return (...args: PyTree[]) =>
    releasing(() => {
      const [v, g] = vg(...args);
      return o.hasAux ? [g, v[1]] : g; // the value is released with the other intermediates
    });
}

/** Options of jacfwd/jacrev/hessian. */
export interface JacOptions {
  /** Which positional argument(s) to differentiate (default 0). */
  argnums?: number | number[];
}

function jacobian(f: Fn, o: JacOptions, mode: "fwd" | "rev"): Fn {
  const argnums = o.argnums ?? 0;
  const nums = typeof argnums === "number" ? [argnums] : argnums;
  return (...args: PyTree[]) => {
    return releasing(() => {
      const g = (...diff: PyTree[]) => {
        const full = [...args];
        nums.forEach((n, i) => (full[n] = diff[i]));
        return f(...full);
      };
      const diffArgs = nums.map((n) => args[n]);
      const [inLeaves, inDef] = flatArrays(diffArgs, mode === "fwd" ? "jacfwd" : "jacrev");
      inLeaves.forEach((x) => checkGradInput(x, mode === "fwd" ? "jacfwd" : "jacrev"));
      const [flat, outDefOf] = flatten(g, inDef, "jacobian");
      const sizes = inLeaves.map((x) => x.size);
      const n = sizes.reduce((a, b) => a + b, 0);
      let perOut: NDArray[][]; // [out leaf][in leaf] jacobian blocks
      if (mode === "fwd") {
        const basis = identity(n, inLeaves[0]?.dtype ?? "float32");
        const pieces = splitBasis(basis, sizes, inLeaves);
        const tangentsOut = vmapFlat(
          (...ts: NDArray[]) => jvpFlat(flat, inLeaves, ts)[1],
          n,
          pieces,
          pieces.map(() => 0),
          (k) => Array(k).fill(-1),
        );
        // Each tangent output is out.shape ++ [n]; split the last axis by input leaf.
        perOut = tangentsOut.map((t) => {
          const outShape = t.shape.slice(0, -1);
          let off = 0;
          return inLeaves.map((x, k) => {
            const blk = lax.slice_in_dim(t, off, off + sizes[k], 1, t.ndim - 1);
            off += sizes[k];
            return lax.reshape(blk, [...outShape, ...x.shape]);
          });
        });
      } else {
        const [outs, pullback] = vjpFlat(flat, inLeaves);
        const outSizes = outs.map((y) => y.size);
        const m = outSizes.reduce((a, b) => a + b, 0);
        const basis = identity(m, outs[0]?.dtype ?? "float32");
        const pieces = splitBasis(basis, outSizes, outs);
        const cts = vmapFlat(
          (...cs: NDArray[]) => pullback(cs),
          m,
          pieces,
          pieces.map(() => 0),
          (k) => Array(k).fill(0),
        );
        // cts[k] is [m, ...in_k.shape]; split the leading axis by output leaf.
        perOut = outs.map((y, j) => {
          const off = outSizes.slice(0, j).reduce((a, b) => a + b, 0);
          return cts.map((c, k) => {
            const blk = lax.slice_in_dim(c, off, off + outSizes[j], 1, 0);
            return lax.reshape(blk, [...y.shape, ...inLeaves[k].shape]);
          });
        });
      }
      const outDef = outDefOf();
      const jacs = perOut.map((blocks) => {
        const t = tree_unflatten(inDef, blocks) as PyTree[];
        return typeof argnums === "number" ? t[0] : t;
      });
      return tree_unflatten(outDef, jacs);
    });
  };
}

/** The n x n identity: JAX's iota and eq when staged (as its jaxprs show it), values from the host when eager. */
function identity(n: number, dtype: DType): NDArray {
  if (isStaging()) return eyeBatch(n, n, dtype);
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * (n + 1)] = 1;
  return fromHost(eye, [n, n], dtype);
}

/** Splits the rows of a basis matrix into per-leaf tangents shaped like the leaves. */
function splitBasis(basis: NDArray, sizes: number[], like: NDArray[]): NDArray[] {
  let off = 0;
  return sizes.map((s, k) => {
    const cols = lax.slice_in_dim(basis, off, off + s, 1, 1);
    off += s;
    return lax.reshape(cols, [basis.shape[0], ...like[k].shape]);
  });
}

/**
 * The Jacobian by forward mode (one jvp per input element, vectorised).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.jacfwd((x: jnp.NDArray) => x.mul(x))(jnp.array([1, 2])).tolist(); // [[2, 0], [0, 4]]
 * ```
 */
export function jacfwd(f: Fn, o: JacOptions = {}): Fn {
  return jacobian(f, o, "fwd");
}

/** The Jacobian by reverse mode (one vjp per output element, vectorised). */
export function jacrev(f: Fn, o: JacOptions = {}): Fn {
  return jacobian(f, o, "rev");
}

/** The Hessian, `jacfwd(jacrev(f))`. */
export function hessian(f: Fn, o: JacOptions = {}): Fn {
  return jacfwd(jacrev(f, o), o);
}

/** Options of vmap. */
export interface VmapOptions {
  /** Mapped axis per argument (a number for all, null for unmapped, or a list/pytree prefix). */
  inAxes?: PyTree;
  /** Where the mapped axis goes in each output (default 0). */
  outAxes?: PyTree;
  /** The batch size, needed when no input is mapped. */
  axisSize?: number;
}

/** Expands an axes prefix spec to one entry per leaf of `tree`. */
function broadcastPrefix(spec: PyTree, tree: PyTree, op: string): (number | null)[] {
  if (spec === null || typeof spec === "number") return tree_flatten(tree)[0].map(() => spec);
  if (Array.isArray(spec)) {
    if (!Array.isArray(tree) || tree.length !== spec.length) {
      throw new ValueError(
        `${op}: axes specification has ${spec.length} entries but there are ${
          Array.isArray(tree) ? tree.length : 1
        } values`,
      );
    }
    return spec.flatMap((s, i) => broadcastPrefix(s, tree[i], op));
  }
  if (typeof spec === "object") {
    return Object.keys(tree ?? {}).sort().flatMap((k) => broadcastPrefix(spec[k] ?? null, tree[k], op));
  }
  throw new ValueError(`${op}: invalid axes specification ${JSON.stringify(spec)}`);
}

/**
 * Vectorises `f` over an axis of its inputs.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = (a: jnp.NDArray, x: jnp.NDArray) => a.mul(x).sum();
 * jax.vmap(f, { inAxes: [null, 0] })(jnp.array([1, 2]), jnp.ones([3, 2])).tolist(); // [3, 3, 3]
 * ```
 */
export function vmap(f: Fn, o: VmapOptions = {}): Fn {
  return (...args: PyTree[]) => {
    return releasing(() => {
      // `null` is a real spec (nothing mapped), so only a missing option takes the default.
      const inAxes = o.inAxes === undefined ? 0 : o.inAxes;
      const axes = broadcastPrefix(
        Array.isArray(inAxes) ? inAxes : inAxes,
        Array.isArray(inAxes) ? args : args,
        "vmap in_axes",
      );
      const [leaves, def] = flatArrays(args, "vmap");
      const dims = leaves.map((x, i) => {
        const a = axes[i];
        if (a === null) return null;
        if (a < -x.ndim || a >= x.ndim) {
          throw new AxisError(
            `vmap was requested to map its argument along axis ${a}, which implies that its rank should be at least ${
              a + 1
            }, but is only ${x.ndim} (its shape is ${fmtShape(x.shape)})`,
          );
        }
        return a < 0 ? a + x.ndim : a;
      });
      const sizes = new Set(leaves.map((x, i) => (dims[i] === null ? -1 : x.shape[dims[i]!])).filter((s) => s >= 0));
      if (sizes.size > 1) {
        throw new ValueError(`vmap got inconsistent sizes for the array axes to be mapped: ${[...sizes].join(", ")}`);
      }
      const size = sizes.size ? [...sizes][0] : o.axisSize;
      if (size === undefined) {
        throw new ValueError("vmap must have at least one non-null value in inAxes (or give axisSize)");
      }
      const [flat, outDefOf] = flatten(f, def, "vmap");
      let outTree: PyTree;
      const outs = vmapFlat(flat, size, leaves, dims, (k) => {
        const spec = o.outAxes === undefined ? 0 : o.outAxes;
        if (spec === null || typeof spec === "number") return Array(k).fill(spec);
        outTree = tree_unflatten(outDefOf(), Array(k).fill(0));
        return broadcastPrefix(spec, outTree, "vmap out_axes");
      });
      return tree_unflatten(outDefOf(), outs);
    });
  };
}

/** Options of jit and make_jaxpr. */
export interface JitOptions {
  /** Positional arguments that are compile-time constants (hashed into the cache key). */
  staticArgnums?: number | number[];
}

interface Compiled {
  jaxpr: ClosedJaxpr;
  consts: NDArray[];
  outDef: TreeDef;
}

function staticKey(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function traceFor(args: PyTree[], o: JitOptions, op: string) {
  const st = o.staticArgnums === undefined
    ? []
    : typeof o.staticArgnums === "number"
    ? [o.staticArgnums]
    : o.staticArgnums;
  const dyn = args.map((a, i) => (st.includes(i) ? null : a));
  const dynArgs = dyn.filter((_, i) => !st.includes(i));
  const [leaves, def] = flatArrays(dynArgs, op);
  const key = `${def}|${leaves.map((l) => `${l.aval}${l.weakType ? "w" : ""}`).join(",")}|${
    st.map((i) => staticKey(args[i])).join(",")
  }`;
  const rebuild = (xs: NDArray[]) => {
    const d = tree_unflatten(def, xs) as PyTree[];
    let k = 0;
    return args.map((a, i) => (st.includes(i) ? a : d[k++]));
  };
  return { leaves, key, rebuild };
}

/**
 * Compiles `f`: traced once per input shapes/dtypes (and static args) into a
 * jaxpr, then run as one program.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = jax.jit((x: jnp.NDArray) => x.mul(2).sum());
 * f(jnp.arange(4)).item(); // 12
 * ```
 */
export function jit<F extends Fn>(f: F, o: JitOptions = {}): F {
  const cache = new Map<string, Compiled>();
  const name = f.name || "fn";
  const jitted = (...args: PyTree[]) => {
    const { leaves, key, rebuild } = traceFor(args, o, "jit");
    let c = cache.get(key);
    if (!c) {
      let outDef: TreeDef | undefined;
      const cj = traceToJaxpr((...xs: NDArray[]) => {
        const [ol, od] = flatArrays(f(...rebuild(xs)), "jit");
        outDef = od;
        return ol;
      }, leaves.map((l) => new ShapedArray(l.shape, l.dtype, l.weakType)));
      const [jaxpr, consts] = hoistConsts(cj);
      c = { jaxpr, consts, outDef: outDef! };
      cache.set(key, c);
    }
    const outs = bind("pjit", [...c.consts, ...leaves], { jaxpr: c.jaxpr, name });
    return tree_unflatten(c.outDef, outs);
  };
  return jitted as F;
}

/**
 * The jaxpr of `f` for given arguments, printed in JAX's format.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * console.log(jax.make_jaxpr((x: jnp.NDArray) => jnp.sin(x).mul(2))(jnp.array(1)).toString());
 * ```
 */
export function make_jaxpr(f: Fn, o: JitOptions = {}): (...args: PyTree[]) => ClosedJaxpr {
  return (...args: PyTree[]) => {
    const { leaves, rebuild } = traceFor(args, o, "make_jaxpr");
    return traceToJaxpr(
      (...xs: NDArray[]) => flatArrays(f(...rebuild(xs)), "make_jaxpr")[0],
      leaves.map((l) => new ShapedArray(l.shape, l.dtype, l.weakType)),
    );
  };
}

/** A function with a custom derivative rule (`jax.custom_jvp`). */
export interface CustomJvpFn {
  // deno-lint-ignore no-explicit-any
  (...args: any[]): any;
  /** Sets the rule: `jvp(primals, tangents)` returns `[primal_out, tangent_out]`. */
  defjvp(rule: (primals: PyTree[], tangents: PyTree[]) => [PyTree, PyTree]): CustomJvpFn;
}

/**
 * Gives `f` a custom jvp rule, used by jvp, grad and everything built on them.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = jax.custom_jvp((x: jnp.NDArray) => jnp.log1p(jnp.exp(x)));
 * f.defjvp(([x], [t]) => [f(x), t.mul(jax.lax.logistic(x))]);
 * ```
 */
export function custom_jvp(f: Fn): CustomJvpFn {
  let rule: ((primals: PyTree[], tangents: PyTree[]) => [PyTree, PyTree]) | null = null;
  const wrapped = ((...args: PyTree[]) => {
    if (!rule) throw new ValueError("custom_jvp: call defjvp(rule) before using the function");
    const [leaves, def] = flatArrays(args, "custom_jvp");
    let outDef: TreeDef | undefined;
    const cj = traceToJaxpr((...xs: NDArray[]) => {
      const [ol, od] = flatArrays(f(...tree_unflatten(def, xs)), "custom_jvp");
      outDef = od;
      return ol;
    }, leaves.map((l) => l.aval));
    const [jaxpr, consts] = hoistConsts(cj);
    const r = rule;
    const jvpFlatRule = (primals: unknown[], tangents: unknown[]) => {
      const [po, to] = r(tree_unflatten(def, primals), tree_unflatten(def, tangents));
      return [flatArrays(po, "custom_jvp rule")[0], flatArrays(to, "custom_jvp rule")[0]];
    };
    // Jaxprs print the rule by name (`jvp=softplus_jvp`), as JAX does.
    Object.defineProperty(jvpFlatRule, "name", { value: r.name || "<lambda>" });
    const outs = bind("custom_jvp_call", [...consts, ...leaves], {
      call_jaxpr: jaxpr,
      jvp: jvpFlatRule,
      num_consts: consts.length,
    });
    return tree_unflatten(outDef!, outs);
  }) as CustomJvpFn;
  wrapped.defjvp = (r) => {
    rule = r;
    return wrapped;
  };
  return wrapped;
}

/** Stops gradients flowing through `x` (applied to every leaf of a pytree). */
export function stop_gradient(x: PyTree): PyTree {
  const [leaves, def] = flatArrays(x, "stop_gradient");
  return tree_unflatten(def, leaves.map((l) => lax.stop_gradient(l)));
}
