/**
 * The webgpu backend (main-thread side). A GPU worker owns the device; this
 * side queues commands and sends them in batches, so nothing waits on the GPU
 * until a value is read. Synchronous reads block on Atomics.wait until the
 * worker has copied the data into shared memory.
 *
 * Arrays are lazy: running an elementwise kernel records it instead of
 * dispatching it, and a later kernel that reads it inlines its expression
 * (fusion by substitution). Intermediates that are only read by fused
 * consumers never get a buffer, which is what keeps eager loops from piling
 * up device memory faster than the garbage collector frees it.
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import type { Backend, Storage } from "../backend.ts";
import { config } from "../config.ts";
import { compile } from "../cpu/codegen.ts";
import { type DType, type HostArray, hostArray } from "../dtype.ts";
import { BackendError, DeviceLostError, ShaderCompileError } from "../errors.ts";
import {
  constant,
  countNodes,
  eachLoad,
  type Expr,
  exprDType,
  exprKey,
  iadd,
  IDX,
  imul,
  type Kernel,
  load,
  RIDX,
  substIndex,
  usesRidx,
} from "../kernel/ir.ts";
import { simplifyIndices } from "../kernel/simplify.ts";
import { exitWithoutTeardown } from "./exit.ts";
import { KernelCache } from "./kernel_cache.ts";
import type { Command, FromWorker } from "./protocol.ts";
import { DATA_OFFSET, mirrorRows, SLOT } from "./protocol.ts";
import {
  type InputKind,
  invocations,
  MAX_TOGETHER,
  planElementwise,
  planReduction,
  type ReductionPlan,
  renderKernel,
  selectReduceTuning,
  sizeFree,
  WORKGROUP,
} from "./wgsl.ts";
import { canMatmul, type MatmulPlan, matmulTuning, planMatmul, renderMatmul } from "./wgsl_matmul.ts";
import { type LoopPlan, planLoop, type StepRender } from "./loop_kernel.ts";
import { type Fold, foldedRun, planFold } from "./fold.ts";

type GpuStorage =
  | {
    kind: "buf";
    id: number;
    bytes: number;
    dtype: DType;
    size: number;
    refs: number;
    ballast?: ArrayBuffer;
    /** The device generation the buffer lives on (see #recover). */
    epoch: number;
    /** The values, when the host knows them (uploaded or read): they survive a device loss. */
    host?: HostArray;
    /**
     * Made on the host (#hostValue): the arrays holding it do not release it
     * when they are collected, so once it is uploaded the backend frees its
     * buffer when the storage itself is collected (#collected).
     */
    loose?: boolean;
  }
  | { kind: "scalar"; value: number; dtype: DType; refs: number; opaque?: boolean }
  | {
    kind: "pending";
    kernel: Kernel;
    inputs: GpuStorage[];
    dtype: DType;
    size: number;
    depth: number;
    refs: number;
    /** How many consumers have inlined it so far. */
    fused?: number;
    /** countNodes of its expression, once computed. */
    nodes?: number;
  };

/** Counters of GPU work, as `jax.profiler.counters()` reports them. */
export interface GpuCounters {
  submits: number;
  dispatches: number;
  readbacks: number;
  pipelines_compiled: number;
}

/** Device memory statistics, as `jax.devices()[0].memory_stats()` reports them. */
export interface MemoryStats {
  bytes_in_use: number;
  peak_bytes_in_use: number;
  num_allocs: number;
}

const MAX_EXPR_NODES = 400;
const MAX_PENDING_DEPTH = 48;
/** Commands queued before they go to the worker (a synchronous loop never yields to a microtask). */
const FLUSH_AT = 64;
const BALLAST_FROM = 1 << 16;
/** Elements from which a float32 reduction input is read through a texture mirror, where the adapter prefers it. */
const MIRROR_FROM = 1 << 16;
/** Elements under which a pending node is cheap to keep as a buffer. */
const SMALL = 4096;
/** Expression size up to which a small value is still inlined into a bigger kernel. */
const SMALL_INLINE_NODES = 24;
/** Element evaluations an inlined small value may cost (about one dispatch's worth on llvmpipe). */
const INLINE_WORK = 50_000;
/** Consumers a big pending node may be inlined into before it gets a buffer. */
const REUSE_LIMIT = 3;
/** Bytes of released host arrays kept for reuse (see SpareArrays). */
const SPARE_BYTES = 1 << 20;
/** Element evaluations up to which a kernel whose inputs the host holds runs on the host (see #onHost). */
const HOST_WORK = 4096;
/** The epoch of a buffer that is on no device yet: its values are on the host, uploaded at first use (#fresh). */
const HOST_ONLY = -1;

/**
 * mapLoads that shares what it does not change: a subtree whose loads all
 * map to themselves is returned as is, so fusing mostly reuses expressions
 * instead of copying every node (allocation was a large part of an eager op).
 */
function remapLoads(e: Expr, f: (l: Extract<Expr, { op: "load" }>) => Expr): Expr {
  switch (e.op) {
    case "const":
    case "idx":
    case "ridx":
      return e;
    case "load": {
      const index = remapLoads(e.index, f);
      return f(index === e.index ? e : { ...e, index });
    }
    case "unary":
    case "cast": {
      const x = remapLoads(e.x, f);
      return x === e.x ? e : { ...e, x };
    }
    case "binary": {
      const x = remapLoads(e.x, f), y = remapLoads(e.y, f);
      return x === e.x && y === e.y ? e : { ...e, x, y };
    }
    case "select": {
      const cond = remapLoads(e.cond, f), t = remapLoads(e.t, f), fl = remapLoads(e.f, f);
      return cond === e.cond && t === e.t && fl === e.f ? e : { ...e, cond, t, f: fl };
    }
    case "nary": {
      const args = e.args.map((a) => remapLoads(a, f));
      return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
    }
  }
}

/**
 * What inlining a value for input `input` of `kernel` would cost: how many
 * times it is evaluated (once per output element of an elementwise kernel;
 * inside a reduction, once per loop step, unless every read of it is free of
 * `ridx` — a scalar broadcast over the reduced axis — which the codegen
 * hoists out of the loop, once per invocation) and at how many distinct
 * sites (hoisted reads at the same index are emitted once).
 */
function inlineCost(kernel: Kernel, input: number, count: number): { evals: number; sites: number; hoisted: boolean } {
  if (!kernel.reduce) return { evals: kernel.size * count, sites: count, hoisted: false };
  const r = kernel.reduce.size;
  let inLoop = false;
  const at = new Set<string>();
  eachLoad(kernel.expr, (l) => {
    if (l.input !== input) return;
    const index = simplifyIndices(l.index, kernel.size, r);
    if (usesRidx(index)) inLoop = true;
    at.add(exprKey(index));
  });
  if (inLoop) return { evals: kernel.size * r * count, sites: count, hoisted: false };
  return { evals: kernel.size * planReduction(kernel).parts * at.size, sites: at.size, hoisted: true };
}

/** Per input of `e`: whether every load of it reads at `idx` (so an epilogue can take its value from `acc`). */
function readOnlyAtIdx(e: Expr): Map<number, boolean> {
  const atIdx = new Map<number, boolean>();
  eachLoad(e, (l) => atIdx.set(l.input, (atIdx.get(l.input) ?? true) && l.index.op === "idx"));
  return atIdx;
}

/** Whether the host holds a storage's values (a scalar, not a loop index; a buffer whose values were uploaded, read or computed on the host). */
function hostHeld(s: GpuStorage): boolean {
  return s.kind === "scalar" ? !s.opaque : s.kind === "buf" && s.host !== undefined;
}

/** countNodes of a pending node's expression, memoised on the node. */
function nodeCount(s: GpuStorage & { kind: "pending" }): number {
  return (s.nodes ??= countNodes(s.kernel.expr));
}

const bytesOf = (dtype: DType, size: number) => Math.max(4, size * 4) * (dtype === "float64" ? 2 : 1);

/** The webgpu backend. Construct with `GpuBackend.create()`, which returns null without an adapter. */
export class GpuBackend implements Backend {
  readonly name = "webgpu";
  #worker: Worker;
  #sab: SharedArrayBuffer;
  #slots: Int32Array;
  #queue: Command[] = [];
  #nextId = 1;
  #pipelines = new Map<string, number>();
  /** Pipelines by kernel structure, checked before rendering (see kernel_cache.ts). */
  #shapes = new KernelCache();
  #nextPid = 1;
  #reqs = new Map<number, { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void }>();
  #nextReq = 1;
  #flushScheduled = false;
  #live = 0;
  #peak = 0;
  /** Whether big float32 reduction inputs are read through texture mirrors here, and the largest texture side. */
  #textures = false;
  #maxTexture = 0;
  #allocs = 0;
  /** The adapter's description. */
  readonly description: string;
  /** Storage buffers a shader may bind. */
  readonly maxStorageBuffers: number;
  /** Whether the device supports shader-f16. */
  readonly hasF16: boolean;
  /** Whether the device supports timestamp queries. */
  readonly hasTimestamps: boolean;
  #maxGroups: number;

  private constructor(worker: Worker, sab: SharedArrayBuffer) {
    this.#worker = worker;
    this.#sab = sab;
    this.#slots = new Int32Array(sab);
    this.description = this.#text();
    this.#textures = selectReduceTuning(this.description).textures; // reduction layout per adapter (issue 4, codegen)
    this.#maxTexture = this.#slots[SLOT.maxTexture];
    this.maxStorageBuffers = this.#slots[SLOT.maxStorageBuffers];
    this.hasF16 = this.#slots[SLOT.f16] === 1;
    this.hasTimestamps = this.#slots[SLOT.timestamps] === 1;
    this.#maxGroups = this.#slots[SLOT.maxGroups] || 65535;
    this.#listen(worker);
  }

  #listen(worker: Worker) {
    worker.on("message", (m: FromWorker) => {
      if (worker !== this.#worker) return;
      const r = this.#reqs.get(m.req);
      if (!r) return;
      this.#reqs.delete(m.req);
      if (this.#reqs.size === 0) worker.unref();
      if (m.t === "data") r.resolve(m.data);
      else r.reject(this.#fault(m.message));
    });
  }

  /** Starts the GPU worker and waits for its device; null (with the reason) when there is none. */
  static create(): GpuBackend | string {
    const w = GpuBackend.#start();
    return typeof w === "string" ? w : new GpuBackend(w.worker, w.sab);
  }

  static #start(): { worker: Worker; sab: SharedArrayBuffer } | string {
    let worker: Worker;
    try {
      worker = new Worker(new URL("./worker.ts", import.meta.url));
    } catch (e) {
      return `cannot start the GPU worker (${e instanceof Error ? e.message : e})`;
    }
    worker.unref();
    const sab = new SharedArrayBuffer(DATA_OFFSET + (1 << 20));
    const slots = new Int32Array(sab);
    worker.postMessage({ t: "init", sab });
    const r = Atomics.wait(slots, SLOT.flag, 0, 20000);
    if (r === "timed-out" || slots[SLOT.flag] !== 1) {
      const why = r === "timed-out"
        ? "the GPU worker did not answer"
        : new TextDecoder().decode(new Uint8Array(sab, DATA_OFFSET, slots[SLOT.errorLength]).slice());
      worker.terminate();
      return why;
    }
    exitWithoutTeardown();
    return { worker, sab };
  }

  /** The device generation: bumped when a lost device is replaced. */
  #epoch = 0;
  /** Why the GPU is unusable (the device was lost and no new one could be made), else null. */
  #dead: string | null = null;

  /** @inheritdoc */
  available(): boolean {
    return this.#dead === null;
  }

  /** The error for a failure the worker reported; a lost device is replaced first. */
  #fault(message: string): BackendError {
    const text = `webgpu: ${message}`;
    if (message.startsWith("device lost")) {
      this.#recover(message);
      return new DeviceLostError(
        `${text}. Arrays whose values the host knew (uploaded or read) keep them; ` +
          `values only that device held are gone${this.#dead ? "" : "; a new device runs the next operations"}`,
      );
    }
    const compile = /^shader compile failed \(pipeline (\d+)\)/.exec(message);
    if (compile) {
      // Forget the pipeline so the kernel is compiled again if it recurs.
      for (const [code, pid] of this.#pipelines) if (pid === Number(compile[1])) this.#pipelines.delete(code);
      this.#shapes.forget(Number(compile[1]));
      return new ShaderCompileError(text);
    }
    return new BackendError(text);
  }

  /**
   * Replaces a lost device by a new worker and device. Buffers of the old
   * one become stale: those whose values the host knows are uploaded again
   * when next used (#fresh), the others raise DeviceLostError. When no new
   * device can be made the backend reports itself unavailable and new work
   * goes to the cpu backend.
   */
  #recover(reason: string) {
    if (this.#dead) return;
    this.#epoch++;
    this.#worker.terminate();
    for (const r of this.#reqs.values()) r.reject(new DeviceLostError(`webgpu: ${reason}`));
    this.#reqs.clear();
    this.#queue = [];
    this.#held = null;
    this.#pipelines.clear();
    this.#shapes.clear();
    this.#live = 0;
    const w = GpuBackend.#start();
    if (typeof w === "string") {
      this.#dead = `${reason}; no new device (${w})`;
      console.error(`jaxd: the WebGPU device was lost and none could be made again (${w}); using the cpu backend`);
      return;
    }
    this.#worker = w.worker;
    this.#sab = w.sab;
    this.#slots = new Int32Array(w.sab);
    this.#listen(w.worker);
  }

  /** A buffer on the current device: a stale one is uploaded again from its host values, or raises. */
  #fresh(s: GpuStorage & { kind: "buf" }): void {
    if (s.epoch === this.#epoch) return;
    if (this.#dead) throw new DeviceLostError(`webgpu: ${this.#dead}`);
    if (!s.host) {
      throw new DeviceLostError(
        "webgpu: this array's value was on a GPU device that was lost (it was computed there and never read back)",
      );
    }
    const fresh = this.#upload(s.host, s.dtype);
    Object.assign(s, { id: fresh.id, epoch: this.#epoch, bytes: fresh.bytes });
    if (s.loose) {
      this.#collected.unregister(s);
      this.#collected.register(s, { id: s.id, bytes: s.bytes, epoch: s.epoch }, s);
    }
  }

  /**
   * Frees the device buffers of loose storages (see GpuStorage) that the
   * garbage collector took: no array releases those. Registering only what
   * reaches the device keeps the registry (whose weak cells are costly to
   * collect, and whose held values wait for the event loop) out of eager
   * work that stays on the host.
   */
  #collected = new FinalizationRegistry<{ id: number; bytes: number; epoch: number }>(({ id, bytes, epoch }) => {
    if (epoch !== this.#epoch) return;
    this.#push({ t: "free", id });
    this.#live -= bytes;
  });

  /** @inheritdoc */
  releaseOnCollect(s: Storage): boolean {
    const g = s as GpuStorage;
    return g.kind === "pending" || (g.kind === "buf" && !g.loose);
  }

  /** Test hook: destroys the device, as a driver reset would lose it. */
  loseDevice(): void {
    this.flush();
    this.#worker.postMessage({ t: "lose" });
  }

  /** Test hook: queues a pipeline built from `code` (e.g. invalid WGSL); a failure shows at the next read. */
  compileForTest(code: string): void {
    const pid = this.#nextPid++;
    this.#pipelines.set(code, pid);
    this.#push({ t: "pipe", pid, code, ins: 0, scalars: false });
  }

  #text(): string {
    return new TextDecoder().decode(new Uint8Array(this.#sab, DATA_OFFSET, this.#slots[SLOT.errorLength]).slice());
  }

  #batchDepth = 0;

  /**
   * Runs `fn` with the work it queues kept in one batch: one submit unless it
   * reads (a jit call, a loop). Eager work is not batched: the worker submits
   * it in parts as it comes.
   */
  batch<T>(fn: () => T): T {
    this.#batchDepth++;
    try {
      return fn();
    } finally {
      this.#batchDepth--;
    }
  }

  /**
   * A loop iteration's last kernel, held back to fold into the next
   * iteration's first (see fold.ts), with the frees queued after it: they
   * wait for it. Anything else but an alloc first lets it go.
   */
  #held: { fold: Fold; pid: number; run: Extract<Command, { t: "run" }>; frees: Command[] } | null = null;

  #push(c: Command) {
    if (this.#held) {
      if (c.t === "free") return void this.#held.frees.push(c);
      if (c.t !== "alloc" && c.t !== "pipe") this.#release();
    }
    this.#emit(c);
  }

  /** Queues the held kernel, or `head` with it folded in, and the frees that waited for it. */
  #release(head?: Extract<Command, { t: "run" }>) {
    const h = this.#held;
    if (!h) return;
    this.#held = null;
    this.#emit(head ? foldedRun(h.fold, h.pid, head, h.run) : h.run);
    for (const f of h.frees) this.#emit(f);
  }

  #emit(c: Command) {
    for (const r of this.#recs) r.note(c);
    this.#queue.push(c);
    // Sent in parts as it grows (inside a batch too), so the worker encodes while this thread traces on.
    if (this.#queue.length >= FLUSH_AT) this.flush(this.#batchDepth > 0);
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Sends queued commands to the worker; `partial` when they are the first part of a batch. */
  flush(partial = false): void {
    if (!partial) this.#release();
    this.#flushScheduled = false;
    if (this.#queue.length === 0) return;
    const cmds = this.#queue;
    this.#queue = [];
    const transfer = cmds.flatMap((c) => (c.t === "write" ? [c.data] : []));
    this.#worker.postMessage({ t: "batch", cmds, partial }, transfer);
  }

  #alloc(dtype: DType, size: number): GpuStorage & { kind: "buf" } {
    const bytes = bytesOf(dtype, size);
    // A bigger buffer cannot be bound to a shader: it would read back as zeros.
    const maxBytes = this.#slots[SLOT.maxBindingWords] * 4;
    if (maxBytes > 0 && bytes > maxBytes) {
      throw new BackendError(
        `webgpu: an array of ${size} ${dtype} elements (${(bytes / 2 ** 20).toFixed(1)} MiB) exceeds this device's ` +
          `largest storage binding (${(maxBytes / 2 ** 20).toFixed(1)} MiB); split it, reduce it inside the same ` +
          `computation (fused reductions need no buffer), or use the cpu backend (JAX_PLATFORMS=cpu)`,
      );
    }
    const id = this.#nextId++;
    for (const r of this.#recs) r.dtypes.set(id, { dtype, size });
    this.#push({ t: "alloc", id, bytes });
    this.#live += bytes;
    this.#peak = Math.max(this.#peak, this.#live);
    this.#allocs++;
    // Big buffers carry host "ballast" of the same size: V8 counts it as
    // external memory, so device memory held by unreachable arrays makes the
    // garbage collector run (and the FinalizationRegistry free them) just as
    // host memory would. Without it a 200-byte wrapper can pin 4 MB on the GPU.
    const ballast = bytes >= BALLAST_FROM ? new ArrayBuffer(bytes) : undefined;
    return { kind: "buf", id, bytes, dtype, size, refs: 1, ballast, epoch: this.#epoch };
  }

  /** @inheritdoc */
  upload(data: HostArray, dtype: DType): Storage {
    this.#checkDType(dtype);
    // Small arrays go to the device when a kernel there first reads them (many never do: see #onHost).
    if (data.length < SMALL) return this.#hostValue(data.length === 1 ? data : data.slice(), dtype); // (one value is read, not kept)
    return this.#upload(data.slice(), dtype);
  }

  /** A value the host holds: a scalar, or a buffer on no device yet (uploaded by #fresh when a kernel needs it). */
  #hostValue(host: HostArray, dtype: DType): GpuStorage {
    if (host.length === 1) return { kind: "scalar", value: Number(host[0]), dtype, refs: 1 };
    return {
      kind: "buf",
      id: -1,
      bytes: bytesOf(dtype, host.length),
      dtype,
      size: host.length,
      refs: 1,
      epoch: HOST_ONLY,
      host,
      loose: true,
    };
  }

  /**
   * Runs a tiny kernel on the host when the host holds all of its inputs (a
   * small eager loop's scalars, a few hundred samples uploaded from host data):
   * its result is then known without a dispatch or a read-back, which cost far
   * more than such a kernel's work on any adapter (on llvmpipe ~30 µs a
   * dispatch, ≥ 10 ms a read). The host runs the cpu backend's code for the
   * same kernel, so it computes what the cpu backend computes. Never while
   * a jit program or loop is being recorded: their replays run on the device.
   */
  #onHost(kernel: Kernel, ins: GpuStorage[]): GpuStorage | null {
    const work = kernel.size * (kernel.matmul ? kernel.matmul.k : kernel.reduce?.size ?? 1);
    if (!this.#hostWork(work)) return null;
    // Scalars are read from one-element arrays kept for the purpose (allocating a typed array costs ~1 µs here).
    const values: HostArray[] = new Array(ins.length);
    let k = 0;
    for (let i = 0; i < ins.length; i++) {
      const s = ins[i];
      if (!hostHeld(s)) return null;
      if (s.kind === "scalar") {
        const a = this.#scratchArray(s.dtype, k++);
        a[0] = s.value;
        values[i] = a;
      } else values[i] = (s as { host: HostArray }).host;
    }
    if (kernel.size === 1) {
      const out = this.#scratchArray(kernel.dtype, k);
      compile(kernel)(values, out);
      return { kind: "scalar", value: Number(out[0]), dtype: kernel.dtype, refs: 1 };
    }
    const out = this.#spare.take(kernel.dtype, kernel.size) ?? hostArray(kernel.dtype, kernel.size);
    compile(kernel)(values, out);
    return this.#hostValue(out, kernel.dtype);
  }

  /** Whether work of this size may go to the host now (see #onHost). */
  #hostWork(work: number): boolean {
    return work <= HOST_WORK && this.#recs.length === 0 && config.read("jaxd_small_ops_on_host");
  }

  /** @inheritdoc */
  runsOnHost(inputs: Storage[], work: number): boolean {
    return this.#hostWork(work) &&
      (inputs as GpuStorage[]).every(hostHeld);
  }

  /** Host arrays of released loose storages, for #onHost's results. */
  #spare = new SpareArrays();

  /** One-element arrays per dtype for #onHost's scalar inputs and outputs. */
  #scratch = new Map<DType, HostArray[]>();

  #scratchArray(dtype: DType, k: number): HostArray {
    let list = this.#scratch.get(dtype);
    if (!list) this.#scratch.set(dtype, list = []);
    return (list[k] ??= hostArray(dtype, 1));
  }

  /** Uploads host values, which the buffer keeps (as its ballast, and to survive a device loss). */
  #upload(host: HostArray, dtype: DType): GpuStorage & { kind: "buf" } {
    const s = this.#alloc(dtype, host.length);
    s.ballast = undefined;
    s.host = host;
    const words = dtype === "bool" ? Uint32Array.from(host as Uint8Array) : host.slice();
    this.#push({ t: "write", id: s.id, data: words.buffer as ArrayBuffer });
    return s;
  }

  #checkDType(d: DType) {
    if (d === "float64") {
      throw new BackendError(
        "webgpu: float64 is not supported on GPUs here; use the cpu backend (JAX_PLATFORMS=cpu) for x64",
      );
    }
    if (d === "float16") {
      throw new BackendError(
        `webgpu: float16 needs the shader-f16 feature${
          this.hasF16 ? " (not yet wired)" : ", which this adapter lacks"
        }`,
      );
    }
  }

  /** @inheritdoc */
  run(kernel: Kernel, inputs: Storage[]): Storage {
    this.#checkDType(kernel.dtype);
    const ins = inputs as GpuStorage[];
    const onHost = this.#onHost(kernel, ins);
    if (onHost) return onHost;
    // ---- matmul kernels (issue 4, codegen): see #matmulNode ----
    if (kernel.matmul) {
      const node = this.#matmulNode(kernel, ins);
      if (node) return node;
      kernel = { size: kernel.size, dtype: kernel.dtype, expr: kernel.expr, reduce: kernel.reduce };
    }
    // Decide per distinct input whether to inline it (a pending elementwise
    // kernel), within the expression-size and buffer-binding budgets. The
    // inputs of inlined producers are then decided in the same way, in the
    // consumer's context (a scalar that an elementwise producer would
    // recompute per element is hoisted out of a reduction's loop).
    let expr = kernel.expr;
    let newInputs: GpuStorage[] = ins;
    const considered = new Set<GpuStorage>();
    for (let round = 0; round < 4; round++) {
      const r = this.#fuseRound({ ...kernel, expr }, newInputs, considered);
      expr = r.expr;
      newInputs = r.inputs;
      if (!r.fused) break;
    }
    // Index chains left by substitution (a reshape's split and join of an index) are
    // shortened now, so the node counts that decide fusion see what the codegen emits.
    expr = simplifyIndices(expr, kernel.size, kernel.reduce?.size ?? 0);
    const epi = kernel.reduce ? null : this.#withEpilogue(kernel, expr, newInputs);
    if (epi) {
      kernel = epi.kernel;
      expr = epi.kernel.expr;
      newInputs = epi.inputs;
    }
    // Long chains of pending work (a carry updated in a loop) are cut by
    // computing their deepest inputs now; those are usually small (the carry),
    // while the new node may be big and would keep its buffer until GC.
    const depthOf = (x: GpuStorage) => (x.kind === "pending" ? x.depth : 0);
    for (const x of newInputs) {
      if (depthOf(x) < MAX_PENDING_DEPTH || refreshDepth(x, new Map()) < MAX_PENDING_DEPTH) continue;
      // Walk down the deep path to a small node and cut there.
      let cut = x as GpuStorage & { kind: "pending" };
      while (cut.size > SMALL) {
        const deeper = cut.inputs.filter((i): i is GpuStorage & { kind: "pending" } => i.kind === "pending");
        if (!deeper.length) break;
        cut = deeper.reduce((a, b) => (a.depth >= b.depth ? a : b));
      }
      this.#realize(cut);
    }
    const depth = 1 + Math.max(0, ...newInputs.map(depthOf));
    for (const x of newInputs) x.refs++;
    return {
      kind: "pending",
      kernel: { ...kernel, expr },
      inputs: newInputs,
      dtype: kernel.dtype,
      size: kernel.size,
      depth,
      refs: 1,
    };
  }

  /**
   * An elementwise kernel reading a small single-pass reduction of its own
   * size only at `idx` (an update `theta - lr * grad`) becomes that reduction
   * with the kernel as its epilogue: one dispatch instead of two. The
   * reduction is cheap to compute again should another consumer need it.
   */
  #withEpilogue(kernel: Kernel, expr: Expr, ins: GpuStorage[]): { kernel: Kernel; inputs: GpuStorage[] } | null {
    const atIdx = readOnlyAtIdx(expr);
    const r = ins.findIndex((x, j) => {
      if (x.kind !== "pending" || !atIdx.get(j) || x.size !== kernel.size) return false;
      const k = x.kernel;
      if (!k.reduce || k.matmul || k.reduce.op === "argmax" || k.reduce.op === "argmin") return false;
      return (k.epilogue !== undefined || exprDType(k.expr) === x.dtype) && planReduction(k).parts === 1;
    });
    if (r < 0) return null;
    const red = ins[r] as GpuStorage & { kind: "pending" };
    const others = ins.filter((_, j) => j !== r);
    // Sibling reductions it also reads are better computed together with this one (see #mergeReductions).
    if (others.some((x) => x.kind === "pending" && x.kernel.reduce)) return null;
    const nBufs = [...red.inputs, ...others].filter((x) => x.kind !== "scalar").length;
    if (nBufs > this.maxStorageBuffers - 2) return null;
    const base = red.inputs.length;
    const epilogue = remapLoads(expr, (l) => {
      if (l.input === r) return red.kernel.epilogue ?? load(-1, IDX, red.dtype); // read at idx: composes
      const i = base + (l.input < r ? l.input : l.input - 1);
      return i === l.input ? l : { ...l, input: i };
    });
    return {
      kernel: { size: kernel.size, dtype: kernel.dtype, expr: red.kernel.expr, reduce: red.kernel.reduce, epilogue },
      inputs: [...red.inputs, ...others],
    };
  }

  /**
   * One round of fusion for a kernel being queued: which of its (not yet
   * considered) pending inputs are inlined, which get a buffer now, and the
   * expression over the remaining inputs.
   */
  #fuseRound(kernel: Kernel, ins: GpuStorage[], considered: Set<GpuStorage>): {
    expr: Expr;
    inputs: GpuStorage[];
    fused: boolean;
  } {
    const newInputs: GpuStorage[] = [];
    const slot = (s: GpuStorage) => {
      let i = newInputs.indexOf(s);
      if (i < 0) i = newInputs.push(s) - 1;
      return i;
    };
    const budget = this.maxStorageBuffers - 2;
    const isBuf = (x: GpuStorage) => x.kind !== "scalar";
    const uses = new Map<GpuStorage, number>();
    eachLoad(kernel.expr, (l) => uses.set(ins[l.input], (uses.get(ins[l.input]) ?? 0) + 1));
    const fuse = new Set<GpuStorage>();
    const bufs = new Set<GpuStorage>();
    let nodes = countNodes(kernel.expr);
    for (const [s, count] of uses) {
      if (considered.has(s)) {
        if (isBuf(s)) bufs.add(s);
        continue;
      }
      considered.add(s);
      // A big node inlined into many consumers is recomputed by each: give it a buffer instead.
      if (s.kind === "pending" && !s.kernel.reduce && s.size >= SMALL && (s.fused ?? 0) >= REUSE_LIMIT) {
        this.#realize(s);
      }
      // Small values feeding a bigger kernel (a scalar broadcast over an array)
      // with a big expression get a buffer now, so a loop's kernels keep one
      // shape and reuse their pipelines (and a value several consumers read
      // is computed once). Cheap ones that inlining would re-evaluate per
      // output element at more than a dispatch's cost stay inputs, computed
      // into a buffer when the consumer is, unless the consumer is itself
      // inlined into one that evaluates them cheaply (a reduction, which
      // hoists a read free of the reduction index out of its loop).
      let sites = count;
      if (s.kind === "pending" && s.size < SMALL && s.size !== kernel.size) {
        const n = nodeCount(s);
        const cost = inlineCost(kernel, ins.indexOf(s), count);
        sites = cost.sites;
        // A reduction re-evaluating it at most a dispatch's worth more often than it has elements
        // costs less inlined (an elementwise slice of it may not: its other consumers would compute
        // it again).
        const free = kernel.reduce && n * (cost.evals - s.size) <= INLINE_WORK;
        if (!free && n > SMALL_INLINE_NODES) this.#realize(s);
        else if (!free && n * cost.evals > INLINE_WORK) {
          bufs.add(s);
          continue;
        }
      }
      if (s.kind === "pending" && !s.kernel.reduce) {
        const n = nodeCount(s) * sites;
        const added = s.inputs.filter((x) => isBuf(x) && !bufs.has(x));
        const rest = [...uses.keys()].filter((x) => x !== s && isBuf(x) && !fuse.has(x) && !bufs.has(x)).length;
        if (nodes + n <= MAX_EXPR_NODES && bufs.size + added.length + rest <= budget) {
          fuse.add(s);
          s.fused = (s.fused ?? 0) + 1;
          nodes += n;
          added.forEach((x) => bufs.add(x));
          continue;
        }
      }
      if (isBuf(s)) bufs.add(s);
    }
    const expr = remapLoads(kernel.expr, (l) => {
      const s = ins[l.input];
      if (!fuse.has(s)) {
        const i = slot(s);
        return i === l.input ? l : { ...l, input: i };
      }
      const p = s as GpuStorage & { kind: "pending" };
      const inner = remapLoads(p.kernel.expr, (m) => {
        const i = slot(p.inputs[m.input]);
        return i === m.input ? m : { ...m, input: i };
      });
      return substIndex(inner, l.index);
    });
    return { expr, inputs: newInputs, fused: fuse.size > 0 };
  }

  /**
   * Turns a pending node into a buffer in place (for reads, and to cut long
   * chains). The pending nodes it depends on are computed into temporaries
   * that are freed right after: they keep their recipes and no buffer, so an
   * intermediate never outlives the dispatches that need it (the garbage
   * collector cannot be relied on inside a synchronous loop).
   */
  #realize(s: GpuStorage): void {
    if (s.kind !== "pending") return;
    const memo = new Map<GpuStorage, GpuStorage & { kind: "buf" }>();
    try {
      this.#realizeNested(s, memo);
    } finally {
      for (const buf of memo.values()) this.#decRef(buf);
    }
  }

  /**
   * Realizes a node in place within a realization session: the node keeps the
   * buffer (it leaves the session's temporaries) and drops its recipe.
   */
  #realizeNested(s: GpuStorage & { kind: "pending" }, memo: Map<GpuStorage, GpuStorage & { kind: "buf" }>): void {
    const out = this.#compute(s, memo);
    memo.delete(s);
    for (const i of s.inputs) this.#decRef(i);
    Object.assign(s, {
      kind: "buf",
      id: out.id,
      bytes: out.bytes,
      ballast: out.ballast,
      epoch: out.epoch,
      kernel: undefined,
      inputs: undefined,
    });
  }

  /** Computes a pending node into a new buffer (memoised per realization). */
  #compute(
    s: GpuStorage & { kind: "pending" },
    memo: Map<GpuStorage, GpuStorage & { kind: "buf" }>,
  ): GpuStorage & { kind: "buf" } {
    const known = memo.get(s);
    if (known) return known;
    this.#mergeReductions(s, memo);
    const last = this.#lastPassOf(s, memo);
    const node = last ? last.red : s; // the node whose kernel runs (with s as its last pass's epilogue)
    const kernel = node.kernel;
    const inputs = this.#inputsOf(node.inputs, memo);
    const out = this.#alloc(s.kernel.dtype, s.kernel.size);
    const plan = kernel.reduce ? planReduction(kernel) : { parts: 1, chunk: 0 };
    if (kernel.matmul) this.#matmul(kernel, inputs, out);
    else if (kernel.reduce && plan.parts > 1 && (kernel.reduce.op === "argmax" || kernel.reduce.op === "argmin")) {
      this.#argReduceMultiPass(kernel, inputs, out, plan.parts, plan.chunk);
    } else if (kernel.reduce && plan.parts > 1) {
      const epilogue = last && { expr: last.epilogue, dtype: s.dtype, inputs: this.#inputsOf(last.others, memo) };
      this.#reduceMultiPass(kernel, inputs, out, plan, epilogue);
    } else this.#dispatch(kernel, inputs, out, kernel.reduce ? plan : planElementwise(kernel)); // layout (vec4) from the plan
    memo.set(s, out);
    return out;
  }

  /** A kernel's inputs as buffers or scalars: small pending ones realized in place and kept, big ones computed into temporaries. */
  #inputsOf(
    ins: GpuStorage[],
    memo: Map<GpuStorage, GpuStorage & { kind: "buf" }>,
  ): GpuStorage[] {
    const bufCount = ins.filter((i) => i.kind !== "scalar").length;
    if (bufCount > this.maxStorageBuffers - 2) {
      throw new BackendError(
        `webgpu: a kernel reads ${bufCount} buffers but the device allows ${this.maxStorageBuffers - 2}`,
      );
    }
    // Small pending inputs (scalars, reduction results) are realized in place and kept,
    // so later realizations don't recompute them; big ones go to temporaries.
    for (const i of ins) if (i.kind === "pending" && i.size < SMALL) this.#realizeNested(i, memo);
    return ins.map((i) => (i.kind === "pending" ? this.#compute(i, memo) : i));
  }

  /**
   * A multi-pass reduction: pass 1 writes `parts` partial results per output,
   * the next passes combine them; the last one may apply an epilogue (see
   * #lastPassOf) over the partials' sum and its own inputs.
   */
  #reduceMultiPass(
    kernel: Kernel,
    inputs: GpuStorage[],
    out: GpuStorage & { kind: "buf" },
    plan: ReductionPlan,
    epilogue?: { expr: Expr; dtype: DType; inputs: GpuStorage[] } | null,
  ) {
    const partial = this.#alloc(kernel.dtype, kernel.size * plan.parts);
    this.#dispatch(kernel, inputs, partial, plan);
    const at: Expr = iadd(imul(IDX, constant(plan.parts)), RIDX);
    const next: Kernel = {
      size: kernel.size,
      dtype: kernel.dtype,
      expr: load(0, at, kernel.dtype),
      reduce: { op: kernel.reduce!.op, size: plan.parts },
    };
    if (epilogue) {
      this.#dispatch({ ...next, dtype: epilogue.dtype, epilogue: epilogue.expr }, [partial, ...epilogue.inputs], out);
    } else if (planReduction(next).parts > 1) {
      const tmp: GpuStorage & { kind: "pending" } = {
        kind: "pending",
        kernel: next,
        inputs: [partial],
        dtype: kernel.dtype,
        size: kernel.size,
        depth: 1,
        refs: 1,
      };
      partial.refs++;
      const r = this.#compute(tmp, new Map());
      this.#dispatch({ size: kernel.size, dtype: kernel.dtype, expr: load(0, IDX, kernel.dtype) }, [r], out);
      this.#decRef(r);
      this.#decRef(tmp);
    } else this.#dispatch(next, [partial], out);
    this.#decRef(partial);
  }

  /**
   * An elementwise node reading, only at `idx`, a multi-pass reduction of its
   * own size that nothing else holds any more (an update `theta - lr * grad`
   * whose gradient the program has let go) runs as that reduction's last
   * pass: one dispatch less, and the reduction's value is never stored. Only
   * at realization is it known that nothing else will read the reduction,
   * so the big first pass is never run twice.
   */
  #lastPassOf(
    s: GpuStorage & { kind: "pending" },
    memo: Map<GpuStorage, GpuStorage & { kind: "buf" }>,
  ): { red: GpuStorage & { kind: "pending" }; epilogue: Expr; others: GpuStorage[] } | null {
    const k = s.kernel;
    if (k.reduce || k.matmul || k.epilogue) return null;
    const atIdx = readOnlyAtIdx(k.expr);
    const j = s.inputs.findIndex((x, i) => {
      if (x.kind !== "pending" || x.refs !== 1 || memo.has(x) || !atIdx.get(i) || x.size !== s.size) return false;
      const r = x.kernel;
      if (!r.reduce || r.matmul || r.epilogue || r.reduce.op === "argmax" || r.reduce.op === "argmin") return false;
      if (exprDType(r.expr) !== x.dtype) return false;
      const plan = planReduction(r);
      if (plan.parts <= 1) return false;
      // A two-pass reduction only (its second pass is the last).
      return planReduction({ ...r, reduce: { op: r.reduce.op, size: plan.parts } }).parts === 1;
    });
    if (j < 0) return null;
    const red = s.inputs[j] as GpuStorage & { kind: "pending" };
    const epilogue = remapLoads(k.expr, (l) => {
      if (l.input === j) return load(-1, IDX, red.dtype);
      const i = 1 + (l.input < j ? l.input : l.input - 1); // after the partials
      return i === l.input ? l : { ...l, input: i };
    });
    return { red, epilogue, others: s.inputs.filter((_, i) => i !== j) };
  }

  /**
   * Sibling reductions over the same extent that `s` reads (a jacobian's
   * sums and the value's, say) are computed by one multi-output kernel,
   * which reads their shared data once: its outputs are the members'
   * outputs one after another. `s` is rewritten to read them there, and each
   * member becomes a view of its part (inlined by any later consumer).
   */
  #mergeReductions(s: GpuStorage & { kind: "pending" }, memo: Map<GpuStorage, GpuStorage & { kind: "buf" }>): void {
    if (s.kernel.epilogue) return; // its epilogue reads inputs too (not rewritten here)
    const groups = new Map<string, (GpuStorage & { kind: "pending" })[]>();
    for (const i of new Set(s.inputs)) {
      if (i.kind !== "pending" || !i.kernel.reduce || i.kernel.matmul || memo.has(i)) continue;
      const op = i.kernel.reduce.op;
      if (op === "argmax" || op === "argmin" || i.size > MAX_TOGETHER) continue;
      const key = `${op}|${i.kernel.reduce.size}|${partDType(i)}|${exprDType(i.kernel.expr)}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    for (const all of groups.values()) {
      // Members in order, while the outputs fit one invocation and the inputs the binding budget.
      const members: (GpuStorage & { kind: "pending" })[] = [];
      const bufs = new Set<GpuStorage>();
      let total = 0;
      for (const m of all) {
        // Computed by an earlier group's kernel, or turned into a view of it meanwhile.
        if (m.kind !== "pending" || !m.kernel.reduce) continue;
        const more = m.inputs.filter((x) => x.kind !== "scalar" && !bufs.has(x));
        if (total + m.size > MAX_TOGETHER || bufs.size + more.length > this.maxStorageBuffers - 2) continue;
        // Members must not depend on each other (one reduction reading another's result).
        if (members.some((o) => dependsOn(m, o) || dependsOn(o, m))) continue;
        members.push(m);
        more.forEach((x) => bufs.add(x));
        total += m.size;
      }
      if (members.length < 2) continue;
      const inputs: GpuStorage[] = [];
      const slot = (x: GpuStorage) => {
        let i = inputs.indexOf(x);
        if (i < 0) i = inputs.push(x) - 1;
        return i;
      };
      const offsets: number[] = [];
      let off = 0;
      const parts = members.map((m) => {
        offsets.push(off);
        const e = remapLoads(m.kernel.expr, (l) => {
          const i = slot(m.inputs[l.input]);
          return i === l.input ? l : { ...l, input: i };
        });
        const part = off === 0
          ? e
          : substIndex(e, { op: "binary", fn: "sub", x: IDX, y: constant(off), dtype: "int32" });
        off += m.size;
        return part;
      });
      let expr = parts[parts.length - 1];
      for (let j = parts.length - 2; j >= 0; j--) {
        const cond: Expr = { op: "binary", fn: "lt", x: IDX, y: constant(offsets[j + 1]), dtype: "bool" };
        expr = { op: "select", cond, t: parts[j], f: expr, dtype: exprDType(parts[j]) };
      }
      const first = members[0].kernel, dtype = partDType(members[0]);
      const merged: GpuStorage & { kind: "pending" } = {
        kind: "pending",
        kernel: { size: total, dtype, expr, reduce: { ...first.reduce! } },
        inputs,
        dtype,
        size: total,
        depth: 1,
        refs: 1,
      };
      for (const x of inputs) x.refs++;
      this.#realizeNested(merged, memo);
      const out = merged as unknown as GpuStorage & { kind: "buf" };
      // s reads each member's part of the merged output.
      const sIn: GpuStorage[] = [];
      const sSlot = (x: GpuStorage) => {
        let i = sIn.indexOf(x);
        if (i < 0) i = sIn.push(x) - 1;
        return i;
      };
      s.kernel = {
        ...s.kernel,
        expr: remapLoads(s.kernel.expr, (l) => {
          const src = s.inputs[l.input];
          const j = members.indexOf(src as GpuStorage & { kind: "pending" });
          if (j < 0) {
            const i = sSlot(src);
            return i === l.input ? l : { ...l, input: i };
          }
          const index: Expr = offsets[j] === 0
            ? l.index
            : { op: "binary", fn: "add", x: l.index, y: constant(offsets[j]), dtype: "int32" };
          const m = members[j], epi = m.kernel.epilogue;
          if (!epi) return { ...l, input: sSlot(out), index };
          // A member with an epilogue: s computes the epilogue from the member's part.
          const at = offsets[j] === 0 ? IDX : iadd(IDX, constant(offsets[j]));
          const e = remapLoads(
            epi,
            (ml) => ml.input === -1 ? load(sSlot(out), at, ml.dtype) : { ...ml, input: sSlot(m.inputs[ml.input]) },
          );
          return substIndex(e, l.index);
        }),
      };
      for (const x of sIn) x.refs++;
      for (const x of s.inputs) this.#decRef(x);
      s.inputs = sIn;
      // Each member becomes a view of its part.
      members.forEach((m, j) => {
        if (m.kind !== "pending") return; // computed meanwhile (cannot happen for independent members)
        const old = m.inputs;
        const at = offsets[j] === 0 ? IDX : iadd(IDX, constant(offsets[j]));
        out.refs++;
        const epi = m.kernel.epilogue;
        m.inputs = epi ? [out, ...old] : [out];
        m.kernel = {
          size: m.size,
          dtype: m.dtype,
          expr: epi
            ? remapLoads(epi, (ml) => (ml.input === -1 ? load(0, at, ml.dtype) : { ...ml, input: ml.input + 1 }))
            : load(0, at, m.dtype),
        };
        if (epi) {
          m.nodes = undefined;
          m.depth = 1 + Math.max(0, ...old.map((x) => (x.kind === "pending" ? x.depth : 0)));
          return;
        }
        m.nodes = undefined;
        m.depth = 1;
        for (const x of old) this.#decRef(x);
      });
      this.#decRef(out);
    }
  }

  /** argmax/argmin over a long axis: chunk winners, then the winner among them, then its index. */
  #argReduceMultiPass(
    k: Kernel,
    inputs: GpuStorage[],
    out: GpuStorage & { kind: "buf" },
    parts: number,
    chunk: number,
  ) {
    const idxs = this.#alloc("int32", k.size * parts);
    this.#dispatch({ ...k, dtype: "int32" }, inputs, idxs, { parts, chunk });
    // Pass 2: which part wins, evaluating the value at each part's winning index.
    const at = iadd(imul(IDX, constant(parts)), RIDX);
    const n = inputs.length;
    const value = substIndex(k.expr, IDX, load(n, at, "int32"));
    const best = this.#alloc("int32", k.size);
    this.#dispatch({ size: k.size, dtype: "int32", expr: value, reduce: { op: k.reduce!.op, size: parts } }, [
      ...inputs,
      idxs,
    ], best);
    // Pass 3: the index held by the winning part.
    const pick = load(0, iadd(imul(IDX, constant(parts)), load(1, IDX, "int32")), "int32");
    this.#dispatch(
      { size: k.size, dtype: k.dtype, expr: k.dtype === "int32" ? pick : { op: "cast", x: pick, dtype: k.dtype } },
      [idxs, best],
      out,
    );
    this.#decRef(idxs);
    this.#decRef(best);
  }

  // ---- matmul kernels (issue 4, codegen side): register-blocked template from wgsl_matmul.ts ----

  /**
   * A pending node for a matmul kernel run by the matmul template, or null
   * for the generic path (an operand held as a host scalar, a dtype the
   * template lacks). Operands are read where they lie, so pending producers
   * are computed first rather than fused.
   */
  #matmulNode(kernel: Kernel, ins: GpuStorage[]): GpuStorage | null {
    const mm = kernel.matmul!;
    if (!canMatmul(mm, kernel.dtype) || ins.some((s) => s.kind === "scalar")) return null;
    for (const s of ins) if (s.kind === "pending") this.#realize(s);
    for (const s of ins) s.refs++;
    return { kind: "pending", kernel, inputs: [...ins], dtype: kernel.dtype, size: kernel.size, depth: 1, refs: 1 };
  }

  /** Runs a matmul kernel: one pass, or partial products over k chunks and a pass summing them. */
  #matmul(k: Kernel, inputs: GpuStorage[], out: GpuStorage & { kind: "buf" }) {
    const mm = planMatmul(k.matmul!, matmulTuning(this.description));
    const operands = [inputs[k.matmul!.a.input], inputs[k.matmul!.b.input]];
    if (mm.splits === 1) return this.#dispatch(k, operands, out, undefined, mm);
    const partial = this.#alloc(k.dtype, k.size * mm.splits);
    this.#dispatch(k, operands, partial, undefined, mm);
    const at: Expr = iadd(imul(RIDX, constant(k.size)), IDX);
    const sum: Kernel = {
      size: k.size,
      dtype: k.dtype,
      expr: load(0, at, k.dtype),
      reduce: { op: "sum", size: mm.splits },
    };
    this.#dispatch(sum, [partial], out, planReduction(sum));
    this.#decRef(partial);
  }

  // ---- end of matmul kernels ----

  /** The id of the pipeline of this source, declared to the worker when new. */
  #pipeline(p: Omit<Extract<Command, { t: "pipe" }>, "t" | "pid">): number {
    let pid = this.#pipelines.get(p.code);
    if (pid === undefined) {
      this.#pipelines.set(p.code, pid = this.#nextPid++);
      this.#push({ t: "pipe", pid, ...p });
    }
    return pid;
  }

  #dispatch(
    kernel: Kernel,
    inputs: GpuStorage[],
    out: GpuStorage & { kind: "buf" },
    plan?: { parts: number; chunk: number },
    mm?: MatmulPlan,
  ) {
    this.#release(); // before the recordings hear about this run
    for (const s of inputs) if (s.kind === "buf") this.#fresh(s);
    let binding = 1, slotN = 0;
    const kinds: InputKind[] = inputs.map((s) =>
      s.kind === "scalar"
        ? { kind: "scalar", slot: slotN++ }
        : { kind: "buf", binding: binding++, tex: !!kernel.reduce && !mm && this.#mirrorable(s) }
    );
    const types = inputs.map((s) => s.dtype);
    // A kernel whose source needs no size gets it as a last scalar: one pipeline for every length.
    const sizeSlot = !mm && sizeFree(kernel) ? slotN : undefined;
    const shape = mm ? null : {
      kernel: sizeSlot === undefined ? kernel : { ...kernel, size: 0 },
      scalars: inputs.map((s) => s.kind === "scalar"),
      tex: kinds.map((k) => k.kind === "buf" && !!k.tex),
      types,
      plan,
    };
    let pid = shape ? this.#shapes.get(shape) : undefined;
    if (pid === undefined) {
      const { code, textures } = mm
        ? { code: renderMatmul(kernel.matmul!, kernel.dtype, mm, [1, 2]), textures: [] }
        : renderKernel(kernel, kinds, types, plan, sizeSlot);
      const nBufs = inputs.filter((s) => s.kind !== "scalar").length;
      const tex = textures.length ? textures : undefined;
      pid = this.#pipeline({ code, ins: nBufs, scalars: nBufs < inputs.length || sizeSlot !== undefined, tex });
      if (shape) this.#shapes.set(shape, pid);
    }
    const scalarIns = inputs.filter((s) => s.kind === "scalar");
    const scalars = scalarIns.map((s) => scalarBits((s as { value: number }).value, s.dtype));
    if (sizeSlot !== undefined) scalars.push(kernel.size);
    for (const r of this.#recs) {
      r.about(
        scalarIns.flatMap((s, k): [number, number][] => {
          const t = r.tracked.get(s);
          return t === undefined ? [] : [[k, t]];
        }),
        // A loop shader lays elementwise kernels out itself (one output per invocation).
        mm ? null : {
          kernel,
          kinds,
          types,
          plan: kernel.reduce ? plan as ReductionPlan | undefined : undefined,
          layout: plan as ReductionPlan | undefined,
          sizeSlot,
        },
      );
    }
    const groups = mm ? mm.groups : Math.max(1, Math.ceil(invocations(kernel, plan as ReductionPlan) / WORKGROUP));
    const gx = Math.min(groups, this.#maxGroups);
    const gy = Math.ceil(groups / gx);
    this.#push({
      t: "run",
      pid,
      out: out.id,
      ins: inputs.filter((s) => s.kind === "buf").map((s) => (s as { id: number }).id),
      scalars: scalars.length ? scalars : null,
      groups: [gx, gy],
    });
  }

  /** Whether a buffer input may be read through a texture mirror (see TEX_WIDTH): a big float32 one, here. */
  #mirrorable(s: GpuStorage): boolean {
    if (!this.#textures || s.kind !== "buf" || s.dtype !== "float32" || s.size < MIRROR_FROM) return false;
    return mirrorRows(s.bytes) <= this.#maxTexture;
  }

  #decRef(s: GpuStorage) {
    if (--s.refs > 0) return;
    if (s.kind === "buf") {
      s.ballast = undefined;
      if (s.loose) {
        this.#collected.unregister(s);
        if (s.host) this.#spare.give(s.host, s.dtype); // the storage's own copy, handed out by no read (see read)
      }
      s.host = undefined;
      if (s.epoch !== this.#epoch) return;
      this.#push({ t: "free", id: s.id });
      this.#live -= s.bytes;
    } else if (s.kind === "pending") {
      for (const i of s.inputs) this.#decRef(i);
      s.inputs = [];
    }
  }

  /** @inheritdoc */
  materialize(s: Storage): void {
    const g = s as GpuStorage;
    if (g.kind === "pending") this.#realize(g);
    else if (g.kind === "buf") this.#fresh(g);
  }

  /** @inheritdoc */
  toBuffer(st: Storage): Storage {
    const s = st as GpuStorage;
    if (s.kind !== "scalar") {
      this.materialize(s);
      s.refs++;
      return s;
    }
    // A host scalar: a one-element kernel writes it (a dispatch, so a loop recording can replay it).
    const tmp: GpuStorage & { kind: "pending" } = {
      kind: "pending",
      kernel: { size: 1, dtype: s.dtype, expr: load(0, constant(0), s.dtype) },
      inputs: [s],
      dtype: s.dtype,
      size: 1,
      depth: 1,
      refs: 1,
    };
    s.refs++;
    this.materialize(tmp);
    return tmp;
  }

  /** @inheritdoc */
  loopIndex(value: number): Storage {
    return { kind: "scalar", value, dtype: "int32", refs: 1, opaque: true } as GpuStorage;
  }

  /**
   * The recordings being made, outermost first: a jit program's, and the
   * loops' inside it (each records what is queued while it is open).
   */
  #recs: LoopRecorder[] = [];

  /**
   * Runs one loop iteration and records the commands it queues, so later
   * iterations replay them with buffer ids substituted instead of being
   * traced and fused again (the body is compiled once). `index` is the
   * opaque index storage the iteration reads; `varying` the carries.
   * Replay is refused (null) when the iteration read, wrote host data or
   * freed a buffer it did not make: its commands then depend on more than
   * the buffers' ids and the index.
   */
  recordLoop(index: Storage, varying: Storage[], body: () => Storage[]): {
    outs: Storage[];
    replay: {
      run(index: number, varying: Storage[]): Storage[];
      runAll(first: number, dir: 1 | -1, count: number, varying: Storage[], ys: Storage[]): Storage[] | null;
      end(): void;
    } | null;
  } {
    const vs = varying as GpuStorage[];
    if (vs.some((v) => v.kind !== "buf") || new Set(vs).size !== vs.length) {
      return { outs: this.#recorded(null, body), replay: null };
    }
    for (const v of vs) this.materialize(v); // a value the host held is uploaded outside the recording
    const rec = new LoopRecorder(new Map([[index as GpuStorage, 0]]));
    const outs = this.#recorded(rec, body);
    if (!rec.ok) return { outs, replay: null };
    const varyingIds = vs.map((v) => (v as { id: number }).id);
    rec.varying = varyingIds;
    const spec = outSpec(outs, vs, rec);
    // Loop-invariant kernels (reading neither the carries nor the index, e.g.
    // a constant basis) run once, into buffers kept until the loop ends.
    const writes = new Map<number, number>();
    for (const c of rec.cmds) if (c.t === "run") writes.set(c.out, (writes.get(c.out) ?? 0) + 1);
    const outIds = new Set(spec.flatMap((o) => ("alloc" in o ? [o.alloc] : [])));
    const varied = new Set(varyingIds);
    const invariant = new Set<number>();
    rec.cmds.forEach((c, k) => {
      if (
        c.t === "run" && !rec.index.has(k) && rec.allocated.has(c.out) && writes.get(c.out) === 1 &&
        !outIds.has(c.out) &&
        c.ins.every((id) => invariant.has(id) || (!rec.allocated.has(id) && !varied.has(id)))
      ) invariant.add(c.out);
    });
    const kept = new Map<number, { id: number; bytes: number }>();
    let fold: { fold: Fold; pid: number } | null | undefined;
    const folding = () => {
      if (fold === undefined) {
        const next = varyingIds.map((_, j) => ("alloc" in spec[j] ? (spec[j] as { alloc: number }).alloc : -1));
        const f = config.read("jaxd_fold_loop_steps") ? planFold(rec, varyingIds, next, this.maxStorageBuffers) : null;
        fold = f &&
          { fold: f, pid: this.#pipeline({ code: f.code, ins: f.ins, scalars: f.scalars, rw: 2, tex: f.tex }) };
      }
      return fold;
    };
    return {
      outs,
      replay: {
        run: (i, now) =>
          this.batch(() =>
            this.#replay(
              rec,
              varyingIds,
              spec,
              [scalarBits(i, "int32")],
              now as GpuStorage[],
              invariant,
              kept,
              folding(),
            )
          ),
        runAll: (first, dir, count, now, ys) =>
          this.batch(() =>
            this.#runLoop(rec, spec, invariant, first, dir, count, now as GpuStorage[], ys as GpuStorage[])
          ),
        end: () => {
          if (fold && this.#held?.fold === fold.fold) this.#release();
          for (const { id, bytes } of kept.values()) {
            this.#live -= bytes;
            this.#push({ t: "free", id });
          }
          kept.clear();
        },
      },
    };
  }

  /**
   * Runs `count` iterations of a recorded loop, from index `first` moving by
   * `dir`, as a loop shader (see loop_kernel.ts): one dispatch per chunk of
   * iterations instead of the iteration's dispatches each time. `now` are
   * the carries and `ys` the ys of the iteration before (index first - dir,
   * the recorded one). Gives the final carries and each y stacked over all
   * `count + 1` iterations (row = loop index), or null when the iteration
   * does not fit a loop shader.
   */
  #runLoop(
    rec: LoopRecorder,
    spec: OutSpec[],
    invariant: Set<number>,
    first: number,
    dir: 1 | -1,
    count: number,
    now: GpuStorage[],
    ys: GpuStorage[],
  ): Storage[] | null {
    if ([...now, ...ys].some((s) => s.kind !== "buf")) return null;
    const carries = now as (GpuStorage & { kind: "buf" })[];
    const firstYs = ys as (GpuStorage & { kind: "buf" })[];
    if (rec.loop === undefined) {
      const outs = spec.map((o) => ("fixed" in o ? { fixed: (o.fixed as { id: number }).id } : o));
      const plan = planLoop(
        rec,
        carries.map((c, j) => ({ id: rec.varying[j], dtype: c.dtype, size: c.size })),
        firstYs.map((y) => ({ dtype: y.dtype, size: y.size })),
        outs,
        invariant,
        dir,
        this.maxStorageBuffers,
      );
      const pid = plan
        ? this.#pipeline({ code: plan.code, ins: plan.bindings.length - 1, scalars: true, rw: plan.rw })
        : -1;
      rec.loop = plan && { plan, pid };
    }
    if (!rec.loop) return null;
    const { plan, pid } = rec.loop;
    for (const c of [...carries, ...firstYs]) this.#fresh(c);
    const state = carries.map((c) => this.#alloc(c.dtype, c.size));
    const stacks = firstYs.map((y) => this.#alloc(y.dtype, y.size * (count + 1)));
    const temps = new Map<number, GpuStorage & { kind: "buf" }>();
    for (const b of plan.bindings) {
      if ("temp" in b) {
        const d = rec.dtypes.get(b.temp)!;
        temps.set(b.temp, this.#alloc(d.dtype, d.size));
      }
    }
    const ids = plan.bindings.map((b) =>
      "carry" in b
        ? state[b.carry].id
        : "stack" in b
        ? stacks[b.stack].id
        : "temp" in b
        ? temps.get(b.temp)!.id
        : "init" in b
        ? carries[b.init].id
        : "first" in b
        ? firstYs[b.first].id
        : b.fixed
    );
    for (let done = 0; done < count; done += plan.perDispatch) {
      const n = Math.min(plan.perDispatch, count - done);
      const head = [done === 0 ? 1 : 0, n, scalarBits(first + dir * done, "int32")];
      const scalars = [...head, ...plan.scalars];
      // An enclosing recording whose scalars vary (a jit program's host-scalar inputs) cannot see
      // which of these come from them: it is not replayed.
      for (const r of this.#recs) if (r.tracked.size) r.ok = false;
      this.#push({ t: "run", pid, out: ids[0], ins: ids.slice(1), scalars, groups: [1, 1] });
    }
    for (const t of temps.values()) this.#decRef(t);
    return [...state, ...stacks];
  }

  /** Runs `body` in one batch, recorded by `rec` when given, and gives its outputs as buffers. */
  #recorded(rec: LoopRecorder | null, body: () => Storage[]): (GpuStorage & { kind: "buf" })[] {
    if (rec) this.#recs.push(rec);
    try {
      return this.batch(() => body().map((o) => this.toBuffer(o) as GpuStorage & { kind: "buf" }));
    } finally {
      if (rec) this.#recs.pop();
    }
  }

  /**
   * Runs a compiled program (a jit call) on `inputs` and records its
   * commands, so later calls on inputs of the same kinds replay them with
   * the inputs' buffer ids and scalar values substituted instead of
   * evaluating the jaxpr again. `replay` returns null once the device was
   * replaced; it is null itself when the program cannot be replayed (it
   * read a value).
   */
  recordProgram(inputs: Storage[], body: () => Storage[]): {
    outs: Storage[];
    replay: ((inputs: Storage[]) => Storage[] | null) | null;
  } {
    const ins = inputs as GpuStorage[];
    const bufs = ins.filter((s) => s.kind === "buf");
    for (const b of bufs) this.materialize(b); // a value the host held is uploaded outside the recording
    if (
      this.#recs.length || ins.some((s) => s.kind === "pending" || (s.kind === "scalar" && s.opaque)) ||
      new Set(bufs).size !== bufs.length
    ) return { outs: this.#recorded(null, body), replay: null };
    const tracked = new Map<GpuStorage, number>();
    ins.forEach((s, j) => s.kind === "scalar" && !tracked.has(s) && tracked.set(s, j));
    const rec = new LoopRecorder(tracked);
    const outs = this.#recorded(rec, body);
    if (!rec.ok) return { outs, replay: null };
    const varyingIds = ins.map((s) => (s.kind === "buf" ? s.id : -1));
    const spec = outSpec(outs, ins, rec);
    const epoch = this.#epoch;
    return {
      outs,
      replay: (now) => {
        if (this.#epoch !== epoch || this.#recs.length) return null;
        const n = now as GpuStorage[];
        const values = n.map((s) => (s.kind === "scalar" ? scalarBits(s.value, s.dtype) : 0));
        return this.batch(() => this.#replay(rec, varyingIds, spec, values, n, new Set(), new Map()));
      },
    };
  }

  #replay(
    rec: LoopRecorder,
    varyingIds: number[],
    spec: OutSpec[],
    values: number[],
    now: GpuStorage[],
    invariant: Set<number>,
    kept: Map<number, { id: number; bytes: number }>,
    fold?: { fold: Fold; pid: number } | null,
  ): Storage[] {
    for (const s of now) this.materialize(s);
    const ids = new Map<number, number>();
    const computed = new Set(kept.keys());
    for (const [rid, k] of kept) ids.set(rid, k.id);
    varyingIds.forEach((id, j) => id >= 0 && ids.set(id, (now[j] as { id: number }).id));
    const map = (id: number) => ids.get(id) ?? id;
    const made = new Map<number, number>(); // fresh id -> bytes, while not freed
    const cmds = rec.cmds;
    for (let k = 0; k < cmds.length; k++) {
      const c = cmds[k];
      if (invariant.has((c as { id?: number }).id ?? (c as { out?: number }).out ?? -1)) {
        // A loop-invariant buffer: allocated and computed in the first replay, then kept.
        const rid = c.t === "run" ? c.out : (c as { id: number }).id;
        if (computed.has(rid) || c.t === "free") continue;
        if (c.t === "alloc") {
          const id = this.#nextId++;
          ids.set(rid, id);
          kept.set(rid, { id, bytes: c.bytes });
          this.#live += c.bytes;
          this.#allocs++;
          this.#push({ t: "alloc", id, bytes: c.bytes });
          for (const r of this.#recs) r.dtypes.set(id, rec.dtypes.get(c.id)!); // an enclosing recording's output
          continue;
        }
      }
      if (c.t === "alloc") {
        const id = this.#nextId++;
        ids.set(c.id, id);
        made.set(id, c.bytes);
        this.#live += c.bytes;
        this.#allocs++;
        this.#push({ t: "alloc", id, bytes: c.bytes });
        for (const r of this.#recs) r.dtypes.set(id, rec.dtypes.get(c.id)!); // an enclosing recording's output
      } else if (c.t === "free") {
        const id = map(c.id);
        this.#live -= made.get(id) ?? 0;
        made.delete(id);
        this.#push({ t: "free", id });
      } else if (c.t === "run") {
        const at = rec.index.get(k);
        let scalars = c.scalars;
        if (at) {
          scalars = scalars!.slice();
          for (const [q, t] of at) scalars[q] = values[t];
        }
        const run = { t: "run" as const, pid: c.pid, out: map(c.out), ins: c.ins.map(map), scalars, groups: c.groups };
        const f = fold?.fold;
        if (f && k === f.tail) {
          // Held for the next iteration's head (see fold.ts); the frees after it wait.
          this.#release();
          this.#held = { fold: f, pid: fold!.pid, run, frees: [] };
        } else if (f && k === f.head && this.#held?.fold === f && this.#held.run.out === map(f.carry)) {
          this.#release(run);
        } else if (f && (k < f.head || k > f.tail) && this.#held?.fold === f) {
          this.#emit(run); // queued ahead of the held tail: it does not read the tail's output (see planFold)
        } else this.#push(run);
      }
    }
    this.#peak = Math.max(this.#peak, this.#live);
    const outs = new Map<number, GpuStorage>();
    const result = spec.map((o): GpuStorage => {
      const s = "varying" in o ? now[o.varying] : "fixed" in o ? o.fixed : outs.get(map(o.alloc));
      if (s) {
        s.refs++;
        return s;
      }
      const id = map((o as { alloc: number }).alloc);
      const bytes = made.get(id)!;
      made.delete(id);
      const dtype = rec.dtypes.get((o as { alloc: number }).alloc)!;
      const b: GpuStorage = {
        kind: "buf",
        id,
        bytes,
        dtype: dtype.dtype,
        size: dtype.size,
        refs: 1,
        ballast: bytes >= BALLAST_FROM ? new ArrayBuffer(bytes) : undefined,
        epoch: this.#epoch,
      };
      outs.set(id, b);
      return b;
    });
    // What the recorded iteration left to its arrays' owners has no owner here.
    for (const [id, bytes] of made) {
      this.#live -= bytes;
      this.#push({ t: "free", id });
    }
    return result;
  }

  /** @inheritdoc */
  peek(st: Storage): number | undefined {
    const s = st as GpuStorage;
    return s.kind === "scalar" && !s.opaque ? s.value : undefined;
  }

  /** @inheritdoc */
  release(s: Storage): void {
    this.#decRef(s as GpuStorage);
  }

  /** @inheritdoc */
  share(s: Storage): Storage {
    (s as GpuStorage).refs++;
    return s;
  }

  #hostOf(s: GpuStorage, raw: ArrayBuffer, size: number): HostArray {
    switch (s.dtype) {
      case "float32":
        return new Float32Array(raw, 0, size);
      case "int32":
        return new Int32Array(raw, 0, size);
      case "uint32":
        return new Uint32Array(raw, 0, size);
      case "bool":
        return Uint8Array.from(new Uint32Array(raw, 0, size));
      default:
        throw new BackendError(`webgpu: cannot read dtype ${s.dtype}`);
    }
  }

  #scalarArray(s: GpuStorage & { kind: "scalar" }, size: number): HostArray {
    const a = s.dtype === "float32"
      ? new Float32Array(size)
      : s.dtype === "int32"
      ? new Int32Array(size)
      : s.dtype === "uint32"
      ? new Uint32Array(size)
      : new Uint8Array(size);
    a.fill(s.value);
    return a;
  }

  /** @inheritdoc */
  readSync(storage: Storage, dtype: DType, size: number): HostArray {
    return this.readSyncMany([{ storage, dtype, size }])[0];
  }

  /** @inheritdoc */
  readSyncMany(items: { storage: Storage; dtype: DType; size: number }[]): HostArray[] {
    const out: HostArray[] = new Array(items.length);
    const need: { i: number; b: GpuStorage & { kind: "buf" }; bytes: number }[] = [];
    items.forEach(({ storage }) => this.#realize(storage as GpuStorage));
    items.forEach(({ storage, size }, i) => {
      const s = storage as GpuStorage;
      if (s.kind === "scalar") out[i] = this.#scalarArray(s, size);
      else if ((s as GpuStorage & { kind: "buf" }).host) out[i] = (s as GpuStorage & { kind: "buf" }).host!;
      else {
        const b = s as GpuStorage & { kind: "buf" };
        this.#fresh(b);
        need.push({ i, b, bytes: Math.max(4, size * 4) });
      }
    });
    if (need.length === 0) return out;
    const total = need.reduce((a, n) => a + n.bytes, 0);
    if (DATA_OFFSET + total > this.#sab.byteLength) this.#growShared(DATA_OFFSET + total);
    Atomics.store(this.#slots, SLOT.flag, 0);
    this.#push({ t: "reads", ids: need.map((n) => n.b.id), bytes: need.map((n) => n.bytes) });
    this.flush();
    const r = Atomics.wait(this.#slots, SLOT.flag, 0, 120000);
    if (r === "timed-out") throw new BackendError("webgpu: the GPU did not answer a read within 120 s");
    if (this.#slots[SLOT.flag] === 2) throw this.#fault(this.#text());
    let at = DATA_OFFSET;
    for (const { i, b, bytes } of need) {
      const raw = new ArrayBuffer(bytes);
      new Uint8Array(raw).set(new Uint8Array(this.#sab, at, bytes));
      at += bytes;
      out[i] = b.host = this.#hostOf(b, raw, items[i].size);
    }
    return out;
  }

  /** @inheritdoc */
  read(st: Storage, _dtype: DType, size: number): Promise<HostArray> {
    const s = st as GpuStorage;
    if (s.kind === "scalar") return Promise.resolve(this.#scalarArray(s, size));
    this.#realize(s); // queued ahead of the read, which submits it
    const b = s as GpuStorage & { kind: "buf" };
    if (b.host) return Promise.resolve(b.host.slice()); // a copy: a released loose storage's array is reused
    this.#fresh(b);
    const req = this.#nextReq++;
    const p = new Promise<ArrayBuffer>((resolve, reject) => this.#reqs.set(req, { resolve, reject }));
    this.#worker.ref();
    this.#push({ t: "read", id: b.id, bytes: size * 4, req });
    this.flush();
    return p.then((raw) => (b.host = this.#hostOf(s, raw, size)));
  }

  #growShared(bytes: number) {
    const next = new SharedArrayBuffer(2 ** Math.ceil(Math.log2(bytes)));
    new Int32Array(next).set(this.#slots.subarray(0, DATA_OFFSET / 4));
    this.flush();
    this.#worker.postMessage({ t: "sab", sab: next });
    this.#sab = next;
    this.#slots = new Int32Array(next);
  }

  /** @inheritdoc */
  ready(st: Storage): void {
    const s = st as GpuStorage;
    if (s.kind === "scalar" || hostHeld(s)) return; // nothing for the device to compute
    this.#realize(s);
    this.sync(true);
  }

  /** Waits until the worker has run everything queued, and with `done` until the GPU has (reports an earlier failure). */
  sync(done = false): void {
    Atomics.store(this.#slots, SLOT.flag, 0);
    this.#push({ t: "fence", done });
    this.flush();
    Atomics.wait(this.#slots, SLOT.flag, 0, 120000);
    if (this.#slots[SLOT.flag] === 2) throw this.#fault(this.#text());
  }

  /** Work counters (flushes and waits for queued work first). */
  counters(): GpuCounters {
    this.sync();
    const s = this.#slots;
    return {
      submits: s[SLOT.submits],
      dispatches: s[SLOT.dispatches],
      readbacks: s[SLOT.readbacks],
      pipelines_compiled: s[SLOT.pipelines],
    };
  }

  /** Resets the counters. */
  resetCounters(): void {
    this.sync();
    for (const k of [SLOT.submits, SLOT.dispatches, SLOT.readbacks, SLOT.pipelines]) Atomics.store(this.#slots, k, 0);
  }

  /**
   * Device memory in use by arrays and their texture mirrors (pooled free
   * buffers excluded). The mirrors are counted when they exist, so the peak
   * includes them as of the reads and calls of this that saw them.
   */
  memoryStats(): MemoryStats {
    const live = this.#live + this.#slots[SLOT.mirrorKiB] * 1024;
    this.#peak = Math.max(this.#peak, live);
    return { bytes_in_use: live, peak_bytes_in_use: this.#peak, num_allocs: this.#allocs };
  }
}

/**
 * Typed arrays of released host-held values, kept to be filled again by the
 * next tiny kernel of the same dtype and length: making a typed array costs
 * ~1 µs here, more than such a kernel's work. At most SPARE_BYTES are kept.
 */
class SpareArrays {
  #byType = new Map<DType, Map<number, HostArray[]>>();
  #bytes = 0;

  /** A spare array of this dtype and length, if one is kept. */
  take(dtype: DType, size: number): HostArray | undefined {
    const a = this.#byType.get(dtype)?.get(size)?.pop();
    if (a) this.#bytes -= a.byteLength;
    return a;
  }

  /** Keeps an array of `dtype` that nothing else holds, within the budget. */
  give(a: HostArray, dtype: DType): void {
    if (this.#bytes + a.byteLength > SPARE_BYTES) return;
    let bySize = this.#byType.get(dtype);
    if (!bySize) this.#byType.set(dtype, bySize = new Map());
    let list = bySize.get(a.length);
    if (!list) bySize.set(a.length, list = []);
    list.push(a);
    this.#bytes += a.byteLength;
  }
}

/** The commands one loop iteration queued, for replay (see GpuBackend.recordLoop). */
class LoopRecorder {
  readonly cmds: Command[] = [];
  /** Buffers the iteration allocated (id -> bytes). */
  readonly allocated = new Map<number, number>();
  readonly dtypes = new Map<number, { dtype: DType; size: number }>();
  /** Per recorded run command (by position), its scalar slots that hold a tracked scalar: [slot, which]. */
  readonly index = new Map<number, [number, number][]>();
  /** The carries' buffers in the recorded iteration (of a loop recording). */
  varying: number[] = [];
  /** Per recorded run command, how its kernel was rendered (null for a matmul), for a loop shader. */
  readonly renders = new Map<number, StepRender | null>();
  ok = true;
  /** The loop shader planned for this iteration, once asked for (null: it does not fit one). */
  loop?: { plan: LoopPlan; pid: number } | null;
  #slots: [number, number][] = [];
  #render: StepRender | null = null;

  /** @param tracked host scalars whose values vary between replays (the loop index, a program's scalar inputs) */
  constructor(readonly tracked: Map<GpuStorage, number>) {}

  /** About the run command about to be queued: its scalar slots that read a tracked scalar, and its kernel. */
  about(slots: [number, number][], render: StepRender | null): void {
    this.#slots = slots;
    this.#render = render;
  }

  note(c: Command): void {
    if (c.t === "run") {
      if (this.#slots.length) this.index.set(this.cmds.length, this.#slots);
      this.renders.set(this.cmds.length, this.#render);
    }
    this.#slots = [];
    this.#render = null;
    if (c.t === "alloc") this.allocated.set(c.id, c.bytes);
    else if (c.t === "free" ? !this.allocated.has(c.id) : c.t !== "run" && c.t !== "pipe") this.ok = false;
    this.cmds.push(c);
  }
}

/**
 * Where a recording's output comes from, for its replays: input `varying`
 * (a carry, a program input), the buffer the recording allocated as
 * `alloc`, or a buffer that existed before it (`fixed`).
 */
type OutSpec = { varying: number } | { alloc: number } | { fixed: GpuStorage };

function outSpec(outs: (GpuStorage & { kind: "buf" })[], ins: GpuStorage[], rec: LoopRecorder): OutSpec[] {
  return outs.map((o) => {
    const j = ins.indexOf(o);
    return j >= 0 ? { varying: j } : rec.allocated.has(o.id) ? { alloc: o.id } : { fixed: o };
  });
}

/** The dtype a reduction node's reduced values have where they are stored (before any epilogue). */
function partDType(s: GpuStorage & { kind: "pending" }): DType {
  return s.kernel.epilogue ? exprDType(s.kernel.expr) : s.dtype;
}

/** Whether pending node `a` reads `b`, directly or through other pending nodes. */
function dependsOn(a: GpuStorage & { kind: "pending" }, b: GpuStorage): boolean {
  const seen = new Set<GpuStorage>();
  const walk = (x: GpuStorage): boolean => {
    if (x === b) return true;
    if (x.kind !== "pending" || seen.has(x)) return false;
    seen.add(x);
    return x.inputs.some(walk);
  };
  return a.inputs.some(walk);
}

/** Recomputes a pending node's depth (ancestors realized since make it shallower). */
function refreshDepth(s: GpuStorage, memo: Map<GpuStorage, number>): number {
  if (s.kind !== "pending") return 0;
  let d = memo.get(s);
  if (d === undefined) {
    d = 1 + Math.max(0, ...s.inputs.map((i) => refreshDepth(i, memo)));
    s.depth = d;
    memo.set(s, d);
  }
  return d;
}

function scalarBits(v: number, dtype: DType): number {
  if (dtype === "float32") return new Uint32Array(new Float32Array([v]).buffer)[0];
  if (dtype === "bool") return v ? 1 : 0;
  return v >>> 0;
}
