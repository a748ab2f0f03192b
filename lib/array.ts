/**
 * `NDArray`, the array type users hold, and `ConcreteArray`, an array whose
 * values live in a backend buffer. Tracers (lib/trace) are the other kind of
 * NDArray: stand-ins for values inside a transformation.
 *
 * The arithmetic methods (`x.add(y)`, `x.sum()`, `x.get(0)`, ...) are the jnp
 * functions, installed by lib/numpy so this module needs no import of them.
 *
 * @module
 */

import type { Backend, Storage } from "./backend.ts";
import type { DType, HostArray } from "./dtype.ts";
import { ConcretizationError, fmtShape, InternalError, ValueError } from "./errors.ts";
import { formatRepr, formatStr } from "./format.ts";
import { displayBundle } from "./display.ts";
import type { ShapedArray } from "./trace/aval.ts";

/**
 * Anything jnp accepts where an array is expected.
 *
 * @example
 * ```ts
 * import { jnp, type ArrayLike } from "@jaxd/jaxd";
 * const data: ArrayLike = [[1, 2], [3, 4]];
 * jnp.asarray(data).shape; // [2, 2]
 * ```
 */
export type ArrayLike = NDArray | number | boolean | NestedNumbers | TypedNumbers;
/**
 * A typed array, the JS counterpart of a 1-d numpy array: Float32Array gives
 * float32, Float64Array the default float (float32 unless x64 is enabled,
 * as JAX converts numpy float64), Uint32Array uint32, the other integer
 * arrays int32.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.array(new Float32Array([1, 2, 3])).dtype; // "float32"
 * ```
 */
export type TypedNumbers =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;
/**
 * Nested JS arrays of numbers or booleans.
 *
 * @example
 * ```ts
 * import { jnp, type NestedNumbers } from "@jaxd/jaxd";
 * const rows: NestedNumbers = [[1, 2], [3, 4]];
 * jnp.array(rows).sum(); // Array(10., dtype=float32)
 * ```
 */
export type NestedNumbers = readonly (number | boolean | NestedNumbers)[];

/**
 * One entry of an index: an integer, a slice, `null` (all), `"..."` or `"newaxis"`.
 *
 * @example
 * ```ts
 * import { jnp, type IndexSpec } from "@jaxd/jaxd";
 * const A = jnp.arange(6).reshape([2, 3]);
 * const idx: IndexSpec[] = [1, [0, 2]];
 * A.slice(...idx); // Array([3, 4], dtype=int32)
 * ```
 */
export type IndexSpec =
  | number
  | NDArray
  | null
  | string
  | readonly [start?: number | null, stop?: number | null, step?: number | null];

/**
 * Options of the reductions.
 *
 * @example
 * ```ts
 * import { jnp, type ReduceOptions } from "@jaxd/jaxd";
 * const o: ReduceOptions = { axis: 1, keepdims: true };
 * jnp.ones([2, 3]).sum(o);
 * // Array([[3.],
 * //        [3.]], dtype=float32)
 * ```
 */
export interface ReduceOptions {
  /** Axis or axes to reduce; all when omitted. */
  axis?: number | number[] | null;
  /** Keep reduced axes as size-1 dimensions. */
  keepdims?: boolean;
}

/** The functions behind NDArray's methods, installed by lib/numpy. */
export interface ArrayMethodImpls {
  add(x: ArrayLike, y: ArrayLike): NDArray;
  subtract(x: ArrayLike, y: ArrayLike): NDArray;
  multiply(x: ArrayLike, y: ArrayLike): NDArray;
  divide(x: ArrayLike, y: ArrayLike): NDArray;
  floor_divide(x: ArrayLike, y: ArrayLike): NDArray;
  remainder(x: ArrayLike, y: ArrayLike): NDArray;
  power(x: ArrayLike, y: ArrayLike): NDArray;
  negative(x: ArrayLike): NDArray;
  abs(x: ArrayLike): NDArray;
  less(x: ArrayLike, y: ArrayLike): NDArray;
  less_equal(x: ArrayLike, y: ArrayLike): NDArray;
  greater(x: ArrayLike, y: ArrayLike): NDArray;
  greater_equal(x: ArrayLike, y: ArrayLike): NDArray;
  equal(x: ArrayLike, y: ArrayLike): NDArray;
  not_equal(x: ArrayLike, y: ArrayLike): NDArray;
  matmul(x: ArrayLike, y: ArrayLike): NDArray;
  reshape(x: ArrayLike, shape: number[]): NDArray;
  transpose(x: ArrayLike, axes?: number[]): NDArray;
  ravel(x: ArrayLike): NDArray;
  squeeze(x: ArrayLike, axis?: number | number[]): NDArray;
  astype(x: ArrayLike, dtype: DType): NDArray;
  getitem(x: NDArray, index: IndexSpec[]): NDArray;
  setitem(x: NDArray, index: IndexSpec[], v: ArrayLike, mode: AtMode): NDArray;
  sum(x: ArrayLike, o?: ReduceOptions): NDArray;
  mean(x: ArrayLike, o?: ReduceOptions): NDArray;
  max(x: ArrayLike, o?: ReduceOptions): NDArray;
  min(x: ArrayLike, o?: ReduceOptions): NDArray;
  prod(x: ArrayLike, o?: ReduceOptions): NDArray;
  any(x: ArrayLike, o?: ReduceOptions): NDArray;
  all(x: ArrayLike, o?: ReduceOptions): NDArray;
  var(x: ArrayLike, o?: ReduceOptions & { ddof?: number }): NDArray;
  std(x: ArrayLike, o?: ReduceOptions & { ddof?: number }): NDArray;
  argmax(x: ArrayLike, o?: { axis?: number; keepdims?: boolean }): NDArray;
  argmin(x: ArrayLike, o?: { axis?: number; keepdims?: boolean }): NDArray;
  cumsum(x: ArrayLike, o?: { axis?: number }): NDArray;
}

/** How `x.at(...)` combines the new values with the old. */
export type AtMode = "set" | "add" | "multiply" | "min" | "max";

let impls: ArrayMethodImpls | undefined;

/** Installs the functions behind NDArray's methods (called once by lib/numpy). */
export function installArrayMethods(f: ArrayMethodImpls): void {
  impls = f;
}

function m(): ArrayMethodImpls {
  if (!impls) throw new InternalError("array methods used before lib/numpy was loaded");
  return impls;
}

/**
 * An n-dimensional array: a concrete array or, inside a transformation, a
 * tracer. Methods mirror numpy's operators and array methods.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const x = jnp.arange(3).astype("float32");
 * console.log(x.mul(2).add(1).sum().item()); // 9
 * ```
 */
export abstract class NDArray {
  /** Shape, dtype and weak type. */
  abstract get aval(): ShapedArray;

  /** Dimensions. */
  get shape(): number[] {
    return [...this.aval.shape];
  }
  /** Element type. */
  get dtype(): DType {
    return this.aval.dtype;
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.aval.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return this.aval.size;
  }
  /** Whether this value came from a JS number and adopts other operands' dtype. */
  get weakType(): boolean {
    return this.aval.weakType;
  }

  /** `x + y` */
  add(y: ArrayLike): NDArray {
    return m().add(this, y);
  }
  /** `x - y` */
  sub(y: ArrayLike): NDArray {
    return m().subtract(this, y);
  }
  /** `x * y` */
  mul(y: ArrayLike): NDArray {
    return m().multiply(this, y);
  }
  /** `x / y` (true division) */
  div(y: ArrayLike): NDArray {
    return m().divide(this, y);
  }
  /** `x // y` */
  floordiv(y: ArrayLike): NDArray {
    return m().floor_divide(this, y);
  }
  /** `x % y` (sign of the divisor, as Python) */
  mod(y: ArrayLike): NDArray {
    return m().remainder(this, y);
  }
  /** `x ** y` */
  pow(y: ArrayLike): NDArray {
    return m().power(this, y);
  }
  /** `-x` */
  neg(): NDArray {
    return m().negative(this);
  }
  /** `abs(x)` */
  abs(): NDArray {
    return m().abs(this);
  }
  /** `x < y` */
  lt(y: ArrayLike): NDArray {
    return m().less(this, y);
  }
  /** `x <= y` */
  le(y: ArrayLike): NDArray {
    return m().less_equal(this, y);
  }
  /** `x > y` */
  gt(y: ArrayLike): NDArray {
    return m().greater(this, y);
  }
  /** `x >= y` */
  ge(y: ArrayLike): NDArray {
    return m().greater_equal(this, y);
  }
  /** `x == y` (elementwise) */
  eq(y: ArrayLike): NDArray {
    return m().equal(this, y);
  }
  /** `x != y` (elementwise) */
  ne(y: ArrayLike): NDArray {
    return m().not_equal(this, y);
  }
  /** `x @ y` */
  matmul(y: ArrayLike): NDArray {
    return m().matmul(this, y);
  }

  /**
   * Indexing, `x[i, j]`: integers (negative count from the end), 0-d integer
   * arrays (dynamic index) or integer arrays (gather).
   */
  get(...index: IndexSpec[]): NDArray {
    return m().getitem(this, index);
  }
  /**
   * Iteration over the leading axis, as in Python: `const [k1, k2] =
   * jax.random.split(key)`, `for (const row of A)`.
   *
   * @example
   * ```ts
   * import { jnp } from "@jaxd/jaxd";
   * const [a, b] = jnp.array([[1, 2], [3, 4]]);
   * console.log(b.tolist()); // [3, 4]
   * ```
   */
  *[Symbol.iterator](): Iterator<NDArray> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d array (it has no leading axis)");
    const n = this.shape[0];
    for (let i = 0; i < n; i++) yield this.get(i);
  }
  /**
   * Slicing, `x[1:3]` or `A[:, 0]`. One spec per axis: an integer, a
   * `[start, stop, step]` triple (`null` entries take the default), `null`
   * for a whole axis, `"..."`, `"newaxis"`, or Python syntax as one string:
   * `A.slice(":, 0")`, `x.slice("1:3")`, `x.slice("::-1")`.
   */
  slice(...index: IndexSpec[]): NDArray {
    return m().getitem(this, index);
  }
  /** `x.at[index]`: functional updates, `x.at(0).set(5)`. */
  at(...index: IndexSpec[]): AtIndexer {
    return new AtIndexer(this, index);
  }
  /** A new shape with the same data; one entry may be -1. */
  reshape(...shape: number[] | [number[]]): NDArray {
    const s = Array.isArray(shape[0]) ? shape[0] : shape as number[];
    return m().reshape(this, s);
  }
  /** Permutes axes (reverses them when none are given). */
  transpose(...axes: number[] | [number[]]): NDArray {
    const a = Array.isArray(axes[0]) ? axes[0] : axes as number[];
    return m().transpose(this, a.length ? a : undefined);
  }
  /** The transpose, `x.T`. */
  get T(): NDArray {
    return m().transpose(this);
  }
  /** Flattens to one dimension. */
  ravel(): NDArray {
    return m().ravel(this);
  }
  /** Flattens to one dimension. */
  flatten(): NDArray {
    return m().ravel(this);
  }
  /** Removes size-1 axes. */
  squeeze(axis?: number | number[]): NDArray {
    return m().squeeze(this, axis);
  }
  /** Converts to another dtype. */
  astype(dtype: DType): NDArray {
    return m().astype(this, dtype);
  }

  /** Sum of elements. */
  sum(o?: ReduceOptions): NDArray {
    return m().sum(this, o);
  }
  /** Mean of elements. */
  mean(o?: ReduceOptions): NDArray {
    return m().mean(this, o);
  }
  /** Maximum. */
  max(o?: ReduceOptions): NDArray {
    return m().max(this, o);
  }
  /** Minimum. */
  min(o?: ReduceOptions): NDArray {
    return m().min(this, o);
  }
  /** Product of elements. */
  prod(o?: ReduceOptions): NDArray {
    return m().prod(this, o);
  }
  /** Whether any element is true. */
  any(o?: ReduceOptions): NDArray {
    return m().any(this, o);
  }
  /** Whether all elements are true. */
  all(o?: ReduceOptions): NDArray {
    return m().all(this, o);
  }
  /** Variance. */
  var(o?: ReduceOptions & { ddof?: number }): NDArray {
    return m().var(this, o);
  }
  /** Standard deviation. */
  std(o?: ReduceOptions & { ddof?: number }): NDArray {
    return m().std(this, o);
  }
  /** Index of the maximum. */
  argmax(o?: { axis?: number; keepdims?: boolean }): NDArray {
    return m().argmax(this, o);
  }
  /** Index of the minimum. */
  argmin(o?: { axis?: number; keepdims?: boolean }): NDArray {
    return m().argmin(this, o);
  }
  /** Cumulative sum. */
  cumsum(o?: { axis?: number }): NDArray {
    return m().cumsum(this, o);
  }

  /** The values as a flat typed array (a copy), waiting for the device as needed. */
  abstract data(): Promise<HostArray>;
  /** The values as a flat typed array (a copy), synchronously. */
  abstract dataSync(): HostArray;

  /**
   * Releases the array's device buffer now instead of when the array becomes
   * unreachable (never required; for hot loops). A traced value holds no
   * buffer: disposing it does nothing.
   *
   * @example
   * ```ts
   * import { jnp } from "@jaxd/jaxd";
   * const x = jnp.ones([1000]);
   * console.log(jnp.sum(x).item()); // 1000
   * x.dispose();
   * ```
   */
  dispose(): void {}

  /**
   * Waits until this array's value is computed on its device and returns the
   * array, as JAX's `x.block_until_ready()`: for timing, since nothing waits
   * for the GPU until a value is read. No values are copied to the host.
   *
   * @example
   * ```ts
   * import { jnp } from "@jaxd/jaxd";
   * const t0 = performance.now();
   * jnp.ones([1000, 1000]).mul(2).block_until_ready();
   * const ms = performance.now() - t0;
   * ```
   */
  block_until_ready(): this {
    return this;
  }

  /** `using x = ...` releases the buffer at the end of the scope (see dispose). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The values as nested JS arrays (a number for a 0-d array). */
  tolist(): NestedList {
    return nest(this.dataSync(), this.aval.shape, this.dtype === "bool");
  }
  /** The single element of a size-1 array as a JS number (a bool array gives 0 or 1, usable in `if`). */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(
        `item: only size-1 arrays can be converted to a JS number, this one has shape ${fmtShape(this.shape)}`,
      );
    }
    return this.dataSync()[0];
  }

  /** `Number(x)`, `+x`, `` `${x}` ``: the value of a size-1 array, or its text. */
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") return this.toString();
    return this.item();
  }

  /** numpy's `str(x)`. */
  toString(): string {
    return formatStr(this.dataSync(), this.aval.shape, this.dtype);
  }

  /** JAX's `repr(x)`: `Array([1., 2.], dtype=float32)`. */
  repr(): string {
    return formatRepr(this.dataSync(), this.aval.shape, this.dtype, this.weakType);
  }

  /** Deno's console.log hook. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.repr();
  }
  /** The notebook display hook (`deno jupyter`): a MIME bundle with text and an HTML table. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayBundle(this);
  }
  /** Node's util.inspect hook. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.repr();
  }
}

/**
 * Nested JS arrays as returned by `tolist()`.
 *
 * @example
 * ```ts
 * import { jnp, type NestedList } from "@jaxd/jaxd";
 * const l: NestedList = jnp.eye(2).tolist();
 * l; // [[1, 0], [0, 1]]
 * ```
 */
export type NestedList = number | boolean | NestedList[];

function nest(data: HostArray, shape: readonly number[], bool: boolean): NestedList {
  const get = (i: number): number | boolean => bool ? data[i] !== 0 : Number(data[i]);
  if (shape.length === 0) return get(0);
  const rec = (dim: number, offset: number, stride: number): NestedList[] => {
    const n = shape[dim];
    const inner = stride / n;
    const out: NestedList[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? get(offset + i) : rec(dim + 1, offset + i * inner, inner));
    }
    return out;
  };
  return rec(0, 0, data.length || shape.reduce((a, b) => a * b, 1));
}

/**
 * The object `x.at(...)` returns: `.set(v)`, `.add(v)`, `.multiply(v)`, `.min(v)`, `.max(v)`, `.get()`.
 *
 * @example
 * ```ts
 * import { jnp, type AtIndexer } from "@jaxd/jaxd";
 * const x = jnp.zeros([3]);
 * const at: AtIndexer = x.at(1);
 * at.set(5); // Array([0., 5., 0.], dtype=float32)
 * ```
 */
export class AtIndexer {
  /** @internal */
  constructor(private readonly x: NDArray, private readonly index: IndexSpec[]) {}
  /** `x.at[i].set(v)` */
  set(v: ArrayLike): NDArray {
    return m().setitem(this.x, this.index, v, "set");
  }
  /** `x.at[i].add(v)` */
  add(v: ArrayLike): NDArray {
    return m().setitem(this.x, this.index, v, "add");
  }
  /** `x.at[i].multiply(v)` */
  multiply(v: ArrayLike): NDArray {
    return m().setitem(this.x, this.index, v, "multiply");
  }
  /** `x.at[i].min(v)` */
  min(v: ArrayLike): NDArray {
    return m().setitem(this.x, this.index, v, "min");
  }
  /** `x.at[i].max(v)` */
  max(v: ArrayLike): NDArray {
    return m().setitem(this.x, this.index, v, "max");
  }
  /** `x.at[i].get()` */
  get(): NDArray {
    return m().getitem(this.x, this.index);
  }
}

/**
 * Where arrays made by transformation rules go while an eager transformation
 * call runs (set by trace/core.ts's `releasingIntermediates`), so they can be
 * released when it returns; null when nothing collects them.
 */
export const intermediates: { made: Set<ConcreteArray> | null } = { made: null };

const registry = new FinalizationRegistry<{ backend: Backend; storage: Storage }>(
  ({ backend, storage }) => backend.release(storage),
);

/**
 * An array with values: a buffer on a backend. Created by jnp functions and
 * by evaluating primitives; released when unreachable, or by `dispose()`.
 */
export class ConcreteArray extends NDArray {
  #storage: Storage | null;
  readonly #aval: ShapedArray;
  /** The backend holding the buffer. */
  readonly backend: Backend;

  /**
   * @param aval shape and dtype
   * @param backend where the buffer lives
   * @param storage the buffer (owned from now on by this array)
   */
  constructor(aval: ShapedArray, backend: Backend, storage: Storage) {
    super();
    this.#aval = aval;
    this.backend = backend;
    this.#storage = storage;
    // Host-only storages (cpu buffers, a device's host-held values) are not
    // registered: that would only keep them alive, as the registry's held
    // value, until the event loop runs the cleanup, which a synchronous loop
    // never lets it do (eager gradient steps at n = 1e6 on cpu grew RSS by
    // ~19 MB a step).
    if (backend.releaseOnCollect?.(storage) ?? true) registry.register(this, { backend, storage }, this);
    intermediates.made?.add(this);
  }

  /** Shape, dtype and weak type. */
  get aval(): ShapedArray {
    return this.#aval;
  }

  /** The backend buffer. Throws if the array was disposed. */
  get storage(): Storage {
    if (this.#storage === null) {
      throw new ValueError("this array was disposed; it cannot be used any more");
    }
    return this.#storage;
  }

  /** The values as a flat typed array (a copy). */
  override async data(): Promise<HostArray> {
    return (await this.backend.read(this.storage, this.dtype, this.size)).slice();
  }

  /** The values as a flat typed array (a copy), synchronously. */
  override dataSync(): HostArray {
    return this.backend.readSync(this.storage, this.dtype, this.size).slice();
  }

  /** The value of a 0-d array if the host already has it (no device wait); else undefined. */
  peekScalar(): number | undefined {
    if (this.ndim !== 0 || this.#storage === null) return undefined;
    return this.backend.peek?.(this.#storage);
  }

  /** @inheritdoc */
  override block_until_ready(): this {
    this.backend.ready?.(this.storage);
    return this;
  }

  /** Releases the buffer now instead of when the array becomes unreachable. */
  override dispose(): void {
    if (this.#storage !== null) {
      registry.unregister(this);
      this.backend.release(this.#storage);
      this.#storage = null;
    }
  }
}

/** Raised by value reads on tracers: shared helper for Tracer subclasses. */
export function concretizationError(what: string, aval: ShapedArray): ConcretizationError {
  return new ConcretizationError(
    `${what}: this value is traced (an abstract ${aval.toString()} inside jit, vmap or make_jaxpr), so it has no concrete value. ` +
      `Use lax.cond or lax.select instead of a JS if, lax.while_loop / lax.fori_loop instead of a JS loop over it, ` +
      `or mark the argument static with jit(f, { staticArgnums: [...] }).`,
  );
}
