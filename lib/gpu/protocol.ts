/**
 * Messages between the main thread and the GPU worker that owns the device,
 * and the layout of the shared memory used for synchronous reads.
 *
 * @module
 */

/** One command; the worker executes a batch of them in order. */
export type Command =
  | { t: "alloc"; id: number; bytes: number }
  | { t: "write"; id: number; data: ArrayBuffer }
  /**
   * A pipeline whose bindings are the output, `ins` read-only buffers and maybe the scalars; with `rw`, the first
   * `rw` bindings (output included) are read-write; the bindings in `tex` read their buffer's texture mirror.
   */
  | { t: "pipe"; pid: number; code: string; ins: number; scalars: boolean; rw?: number; tex?: number[] }
  | { t: "run"; pid: number; out: number; ins: number[]; scalars: number[] | null; groups: [number, number] }
  | { t: "free"; id: number }
  /** An asynchronous read (`bytes` a multiple of 4), answered by a message with request number `req`. */
  | { t: "read"; id: number; bytes: number; req: number }
  /** Synchronous reads of one or more buffers with one wait: their bytes one after another (each a multiple of 4). */
  | { t: "reads"; ids: number[]; bytes: number[] }
  | { t: "fence"; done?: boolean };

/** Messages from the main thread. */
export type ToWorker =
  | { t: "init"; sab: SharedArrayBuffer }
  | { t: "sab"; sab: SharedArrayBuffer }
  /** `partial`: more of the same batch follows (its submit waits for the rest). */
  | { t: "batch"; cmds: Command[]; partial?: boolean }
  | { t: "lose" };

/** Messages from the worker. */
export type FromWorker =
  | { t: "data"; req: number; data: ArrayBuffer }
  | { t: "error"; req: number; message: string };

/** Int32 slots at the start of the shared buffer. */
export const SLOT = {
  /** 0 = waiting, 1 = done, 2 = error. */
  flag: 0,
  submits: 1,
  dispatches: 2,
  readbacks: 3,
  pipelines: 4,
  /** Length in bytes of an error message written at DATA_OFFSET. */
  errorLength: 5,
  /** maxStorageBuffersPerShaderStage of the device. */
  maxStorageBuffers: 6,
  /** 1 if the device has shader-f16. */
  f16: 7,
  /** 1 if the device has timestamp-query. */
  timestamps: 8,
  /** maxComputeWorkgroupsPerDimension. */
  maxGroups: 9,
  /** maxStorageBufferBindingSize / 4 (in 4-byte words). */
  maxBindingWords: 10,
  /** maxTextureDimension2D. */
  maxTexture: 11,
  /** KiB of device memory the worker's texture mirrors hold. */
  mirrorKiB: 12,
} as const;

/**
 * A float32 buffer read through a texture (faster on llvmpipe, see
 * ReduceTuning.textures) is mirrored in an rgba32float texture this many
 * texels (4 elements each) wide, row after row: texel `t` holds elements
 * `4t .. 4t+3`. Its rows are 64 KiB, so a pooled buffer (a power of two)
 * of at least that size covers whole rows.
 */
export const TEX_WIDTH = 4096;

/** Rows of the texture mirror of a buffer of `bytes` bytes. */
export function mirrorRows(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / (TEX_WIDTH * 16)));
}

/** Where read data (or an error or adapter description) starts in the shared buffer. */
export const DATA_OFFSET = 64;
