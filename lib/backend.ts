/**
 * The interface every backend implements, and the registry that picks one.
 *
 * A backend stores buffers and runs kernel-IR kernels on them. It knows nothing
 * of tracers, primitives or jaxprs.
 *
 * @module
 */

import type { DType, HostArray } from "./dtype.ts";
import type { Kernel } from "./kernel/ir.ts";

/** A backend's handle to one buffer; only its backend looks inside. */
export type Storage = { readonly __storage: unique symbol } | object;

/** A compute backend: buffers plus kernels. */
export interface Backend {
  /** `"cpu"` or `"webgpu"`. */
  readonly name: string;
  /** Copies host data into a new buffer. */
  upload(data: HostArray, dtype: DType): Storage;
  /** Runs one kernel on input buffers (in the order of its `load` inputs) and returns its output. */
  run(kernel: Kernel, inputs: Storage[]): Storage;
  /** Reads a buffer back to the host, waiting for it as needed. */
  read(s: Storage, dtype: DType, size: number): Promise<HostArray>;
  /** Reads a buffer back synchronously. */
  readSync(s: Storage, dtype: DType, size: number): HostArray;
  /** Reads several buffers back synchronously with one wait for the device (else one readSync each). */
  readSyncMany?(items: { storage: Storage; dtype: DType; size: number }[]): HostArray[];
  /** Waits until the value of `s` is computed (the work before it in the queue too); backends that compute at once omit it. */
  ready?(s: Storage): void;
  /** Releases a buffer (the storage must not be used again). */
  release(s: Storage): void;
  /**
   * Another owner of the same buffer, for an array with the same values (a
   * reshape): the buffer stays until every owner has released it. Backends
   * without it copy instead.
   */
  share?(s: Storage): Storage;
  /**
   * Whether an array holding `s` must release it when the garbage collector
   * takes the array (true when omitted): false for storages holding host
   * memory only, or that the backend frees by itself.
   */
  releaseOnCollect?(s: Storage): boolean;
  /** The single value of a 1-element buffer when the host already knows it (no device wait), else undefined. */
  peek?(s: Storage): number | undefined;
  /** A description of the device, e.g. the adapter name. */
  readonly description?: string;
  /** Work counters, for backends that have a device queue. */
  counters?(): { submits: number; dispatches: number; readbacks: number; pipelines_compiled: number };
  /** Resets the counters. */
  resetCounters?(): void;
  /** Device memory statistics. */
  memoryStats?(): { bytes_in_use: number; peak_bytes_in_use: number; num_allocs: number };
  /**
   * Runs `fn` with all device work it queues kept in one batch (one submit),
   * unless it reads values. Backends without a queue just call `fn`.
   */
  batch?<T>(fn: () => T): T;
  /**
   * Computes a lazy (not yet run) value into device memory now, queued with
   * the rest of the batch (no wait). Backends without lazy values omit it.
   */
  materialize?(s: Storage): void;
  /**
   * Runs a compiled program on `inputs` (`body` evaluates it) and records its
   * device work; `replay` runs the same work on other inputs of the same
   * kinds without evaluating the program again (null when it cannot, e.g.
   * after a device loss), or is itself null. Output storages are owned by the caller.
   */
  recordProgram?(inputs: Storage[], body: () => Storage[]): {
    outs: Storage[];
    replay: ((inputs: Storage[]) => Storage[] | null) | null;
  };
  /**
   * Whether operations of at most `work` element evaluations on these
   * storages run on the host (where the host holds them all and tiny work is
   * placed there); a jit call of a small straight-line program then runs op
   * by op instead of being recorded for the device.
   */
  runsOnHost?(inputs: Storage[], work: number): boolean;
  /** False once the device is gone for good (new work then goes to the cpu backend). */
  available?(): boolean;
  /** The value of `s` in device memory, as a storage the caller owns (a new one when `s` is a host scalar). */
  toBuffer?(s: Storage): Storage;
  /** A loop index for `recordLoop`: an int32 scalar whose value the host does not fold into kernels. */
  loopIndex?(value: number): Storage;
  /**
   * Runs one loop iteration (`body`, reading `index` and the carries
   * `varying`) and records its device work; `replay` runs the same work for
   * another index and carries without re-tracing the body (`end` once the
   * loop is done), or is null when the iteration cannot be replayed.
   * Output storages are owned by the caller.
   */
  recordLoop?(index: Storage, varying: Storage[], body: () => Storage[]): {
    outs: Storage[];
    /**
     * `run` replays one iteration; `runAll` runs `count` iterations from
     * index `first` (moving by `dir`) in one go, after the iteration that
     * gave the carries `varying` and the ys `ys`, and gives the last carries
     * and each y stacked over all the iterations by loop index, or null
     * when the body does not fit (then `run` still works); `end` releases
     * what the replays kept (loop-invariant values).
     */
    replay: {
      run(index: number, varying: Storage[]): Storage[];
      runAll(first: number, dir: 1 | -1, count: number, varying: Storage[], ys: Storage[]): Storage[] | null;
      end(): void;
    } | null;
  };
}
