/**
 * Backend selection and the bridge from kernels to arrays: making arrays from
 * host data, and running a kernel on arrays to get an array.
 *
 * Backends other than cpu register themselves here (lib/gpu does, from
 * mod.ts), so the frontend never imports them.
 *
 * @module
 */

import { ConcreteArray } from "./array.ts";
import type { Backend } from "./backend.ts";
import { config } from "./config.ts";
import { cpuBackend } from "./cpu/backend.ts";
import { castScalar, type DType, type HostArray, hostArray } from "./dtype.ts";
import { BackendError } from "./errors.ts";
import type { Kernel } from "./kernel/ir.ts";
import { ShapedArray } from "./trace/aval.ts";

/** Makes a backend, or says why it cannot (e.g. no adapter). */
export type BackendFactory = () => Backend | string;

const factories = new Map<string, BackendFactory>([["cpu", () => cpuBackend]]);
const made = new Map<string, Backend | string>();
let current: Backend | null = null;

/** Makes a backend available by name (`"webgpu"`); the factory runs on first use. */
export function registerBackend(name: string, factory: BackendFactory): void {
  factories.set(name, factory);
  made.delete(name);
  current = null;
}

config.onUpdate((name) => {
  if (name === "jax_platforms") current = null;
});

function make(name: string): Backend | string {
  let b = made.get(name);
  if (b === undefined) {
    const f = factories.get(name);
    if (!f) return `unknown platform '${name}'; available: ${[...factories.keys()].join(", ")}`;
    try {
      b = f();
    } catch (e) {
      b = e instanceof Error ? e.message : String(e);
    }
    made.set(name, b);
  }
  return b;
}

let warned = false;

/**
 * The backend new arrays are created on: the first available of
 * `jax_platforms` / `JAX_PLATFORMS` (comma-separated), or by default webgpu
 * when an adapter exists and cpu otherwise (saying so once on stderr).
 */
export function defaultBackend(): Backend {
  if (scoped) return scoped;
  if (current && current.available?.() !== false) return current;
  if (current) return (current = cpuBackend); // the device is gone (the backend said so on stderr)
  const spec = config.read("jax_platforms") || readEnv("JAX_PLATFORMS");
  const wanted = spec.split(",").map((s) => s.trim()).filter(Boolean);
  if (wanted.length) {
    const reasons: string[] = [];
    for (const name of wanted) {
      const b = make(name);
      if (typeof b !== "string") return (current = b);
      reasons.push(`${name}: ${b}`);
    }
    throw new BackendError(`JAX_PLATFORMS=${spec}: no usable platform (${reasons.join("; ")}); use "cpu" or "webgpu"`);
  }
  if (factories.has("webgpu")) {
    const b = make("webgpu");
    if (typeof b !== "string") return (current = b);
    if (!warned) {
      warned = true;
      console.error(`jaxd: WebGPU unavailable (${b}); using the cpu backend`);
    }
  }
  return (current = cpuBackend);
}

let scoped: Backend | null = null;

/** Runs `fn` with new arrays (constants, scalars) made on `backend` instead of the default one. */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const outer = scoped;
  scoped = backend;
  try {
    return fn();
  } finally {
    scoped = outer;
  }
}

/** An environment variable, or "" when unset or when env access is not granted. */
export function readEnv(name: string): string {
  try {
    return globalThis.Deno?.env.get(name) ?? "";
  } catch {
    return "";
  }
}

/** The backend named `name` (throws BackendError when it is unavailable). */
export function getBackend(name: string): Backend {
  const b = make(name);
  if (typeof b === "string") throw new BackendError(`backend '${name}' is unavailable: ${b}`);
  return b;
}

/** Whether a backend can be used here (e.g. "webgpu" with an adapter). */
export function hasBackend(name: string): boolean {
  return factories.has(name) && typeof make(name) !== "string";
}

/** Makes an array from flat host values (copied and rounded to `dtype`). */
export function fromHost(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  weakType = false,
  backend: Backend = defaultBackend(),
): ConcreteArray {
  // One value (a scalar operand) goes through an array kept per dtype: upload copies, and a typed array costs ~1 µs.
  const data = values.length === 1 ? (one[dtype] ??= hostArray(dtype, 1)) : hostArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) data[i] = castScalar(values[i], dtype);
  return new ConcreteArray(new ShapedArray(shape, dtype, weakType), backend, backend.upload(data, dtype));
}

const one: Partial<Record<DType, HostArray>> = {};

/** Wraps an existing typed array of the right dtype (no rounding) as an array. */
export function fromTyped(
  data: HostArray,
  shape: readonly number[],
  dtype: DType,
  backend: Backend = defaultBackend(),
): ConcreteArray {
  return new ConcreteArray(new ShapedArray(shape, dtype), backend, backend.upload(data, dtype));
}

/** A 0-d array holding one JS number; weak unless a dtype is forced. */
export function scalar(value: number, dtype: DType, weakType = true): ConcreteArray {
  return fromHost([value], [], dtype, weakType);
}

/** Runs a kernel whose inputs are `args`, giving an array of type `aval`. */
export function runKernel(kernel: Kernel, args: ConcreteArray[], aval: ShapedArray): ConcreteArray {
  const backend = args.length ? commonBackend(args) : defaultBackend();
  if (backend.share && args[0]?.backend === backend && keepsValues(kernel, args[0])) {
    return new ConcreteArray(aval, backend, backend.share(args[0].storage));
  }
  const storage = backend.run(kernel, args.map((a) => onBackend(a, backend).storage));
  return new ConcreteArray(aval, backend, storage);
}

/** Whether a kernel gives its first input's values in their order (a reshape, a squeeze, a full slice): no work to do. */
function keepsValues(k: Kernel, x: ConcreteArray): boolean {
  const e = k.expr;
  return !k.reduce && !k.matmul && k.size === x.size && k.dtype === x.dtype && e.op === "load" && e.input === 0 &&
    e.index.op === "idx";
}

function commonBackend(args: ConcreteArray[]): Backend {
  // Prefer a non-cpu backend: scalars made on the host join the device's work.
  // A backend whose device is gone for good leaves its work to the cpu.
  const live = (b: Backend) => b.available?.() !== false;
  return args.find((a) => a.backend !== cpuBackend && live(a.backend))?.backend ??
    (live(args[0].backend) ? args[0].backend : cpuBackend);
}

/** The values of several arrays, with one wait per device backend they live on (see Backend.readSyncMany). */
export function readAll(arrays: ConcreteArray[]): HostArray[] {
  const out: HostArray[] = new Array(arrays.length);
  const byBackend = new Map<Backend, number[]>();
  arrays.forEach((a, i) => byBackend.set(a.backend, [...(byBackend.get(a.backend) ?? []), i]));
  for (const [b, idx] of byBackend) {
    const data = b.readSyncMany
      ? b.readSyncMany(idx.map((i) => ({ storage: arrays[i].storage, dtype: arrays[i].dtype, size: arrays[i].size })))
      : idx.map((i) => b.readSync(arrays[i].storage, arrays[i].dtype, arrays[i].size));
    idx.forEach((i, k) => (out[i] = data[k].slice()));
  }
  return out;
}

/** The array on `backend`, copied there if it lives elsewhere. */
export function onBackend(a: ConcreteArray, backend: Backend): ConcreteArray {
  if (a.backend === backend) return a;
  return new ConcreteArray(a.aval, backend, backend.upload(a.dataSync(), a.dtype));
}
