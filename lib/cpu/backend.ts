/**
 * The cpu backend: buffers are host typed arrays, kernels are compiled JS.
 * It is always available and is the semantic reference for the others.
 *
 * @module
 */

import type { Backend, Storage } from "../backend.ts";
import { type DType, type HostArray, hostArray } from "../dtype.ts";
import type { Kernel } from "../kernel/ir.ts";
import { compile } from "./codegen.ts";

/** The cpu backend singleton. */
export const cpuBackend: Backend = {
  name: "cpu",
  upload(data: HostArray, dtype: DType): Storage {
    const out = hostArray(dtype, data.length);
    out.set(data as ArrayLike<number> as never);
    return out;
  },
  run(kernel: Kernel, inputs: Storage[]): Storage {
    const out = hostArray(kernel.dtype, kernel.size);
    compile(kernel)(inputs as HostArray[], out);
    return out;
  },
  read(s: Storage): Promise<HostArray> {
    return Promise.resolve(s as HostArray);
  },
  readSync(s: Storage): HostArray {
    return s as HostArray;
  },
  release(): void {},
  peek(s: Storage): number | undefined {
    return (s as HostArray)[0] as number;
  },
};
