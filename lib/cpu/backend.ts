/**
 * The cpu backend: buffers are host typed arrays, kernels are compiled JS.
 * It is always available and is the semantic reference for the others.
 *
 * Big elementwise results are lazy: running one records it, and a later
 * kernel that reads it inlines its expression (fusion by substitution, as on
 * the GPU), so an eager chain such as `sum(exp(sin(x) * 2 + 1))` runs as one
 * loop instead of one pass (and one array) per operation. Every operation
 * still rounds as it would alone (the codegen rounds each op to its dtype),
 * so results are bit-identical to the unfused evaluation.
 *
 * @module
 */

import type { Backend, Storage } from "../backend.ts";
import { type DType, type HostArray, hostArray } from "../dtype.ts";
import { countNodes, type Kernel, mapLoads, substIndex } from "../kernel/ir.ts";
import { compile } from "./codegen.ts";

/** A recorded elementwise kernel, computed when read or when a consumer cannot inline it. */
interface Lazy {
  kernel: Kernel | null;
  inputs: Storage[];
  /** Longest chain of lazy nodes below this one. */
  depth: number;
  /** Consumers it has been inlined into. */
  fused: number;
  value: HostArray | null;
}

/** Elementwise kernels at least this big are recorded rather than run. */
const LAZY_FROM = 4096;
/** Expression nodes a fused kernel may reach. */
const MAX_NODES = 240;
/** Lazy chains longer than this are cut (an eager loop would otherwise grow one expression forever). */
const MAX_DEPTH = 12;
/** Consumers a lazy node is inlined into (recomputed by each) before it is computed once instead. */
const MAX_FUSED = 2;
/** Expressions up to this size are cheap enough to inline even where they are read several times. */
const CHEAP_NODES = 4;

const lazy = new WeakSet<object>();
const isLazy = (s: Storage): s is Storage & Lazy => lazy.has(s as object);

/** The host array of a storage, computing a lazy node (once) if needed. */
function realize(s: Storage): HostArray {
  if (!isLazy(s)) return s as HostArray;
  if (!s.value) {
    const k = s.kernel!;
    const out = hostArray(k.dtype, k.size);
    compile(k)(s.inputs.map(realize), out);
    s.value = out;
    s.kernel = null;
    s.inputs = [];
  }
  return s.value;
}

/** Runs a kernel with lazy elementwise inputs inlined where that stays cheap. */
function fuse(kernel: Kernel, inputs: Storage[]): { kernel: Kernel; inputs: Storage[] } {
  if (kernel.matmul) return { kernel, inputs: inputs.map(realize) }; // the template reads its operands in place
  const uses = new Map<Storage, number>();
  mapLoads(kernel.expr, (l) => (uses.set(inputs[l.input], (uses.get(inputs[l.input]) ?? 0) + 1), l));
  let nodes = countNodes(kernel.expr);
  const inline = new Set<Storage>();
  for (const [s, count] of uses) {
    if (!isLazy(s) || s.value) continue;
    const n = countNodes(s.kernel!.expr);
    if (
      s.depth >= MAX_DEPTH || s.fused >= MAX_FUSED || (count > 1 && n > CHEAP_NODES) || nodes + n * count > MAX_NODES
    ) {
      realize(s);
      continue;
    }
    inline.add(s);
    s.fused++;
    nodes += n * count;
  }
  const slots: Storage[] = [];
  const slot = (s: Storage) => {
    const at = slots.indexOf(s);
    return at >= 0 ? at : slots.push(s) - 1;
  };
  const expr = mapLoads(kernel.expr, (l) => {
    const s = inputs[l.input];
    if (!inline.has(s) || !isLazy(s)) return { ...l, input: slot(s) };
    const inner = mapLoads(s.kernel!.expr, (m) => ({ ...m, input: slot(s.inputs[m.input]) }));
    return substIndex(inner, l.index);
  });
  return { kernel: { ...kernel, expr }, inputs: slots };
}

/** The cpu backend singleton. */
export const cpuBackend: Backend = {
  name: "cpu",
  upload(data: HostArray, dtype: DType): Storage {
    const out = hostArray(dtype, data.length);
    out.set(data as ArrayLike<number> as never);
    return out;
  },
  run(kernel: Kernel, inputs: Storage[]): Storage {
    const f = inputs.some((s) => isLazy(s) && !s.value) ? fuse(kernel, inputs) : { kernel, inputs };
    if (!kernel.reduce && !kernel.matmul && kernel.size >= LAZY_FROM) {
      const depth = 1 + Math.max(0, ...f.inputs.map((s) => (isLazy(s) && !s.value ? s.depth : 0)));
      const node: Lazy = { kernel: f.kernel, inputs: f.inputs, depth, fused: 0, value: null };
      lazy.add(node);
      return node;
    }
    const out = hostArray(kernel.dtype, kernel.size);
    compile(f.kernel)(f.inputs.map(realize), out);
    return out;
  },
  read(s: Storage): Promise<HostArray> {
    return Promise.resolve(realize(s));
  },
  readSync(s: Storage): HostArray {
    return realize(s);
  },
  release(): void {},
  share(s: Storage): Storage {
    return s; // buffers are never written after they are made, and release is a no-op
  },
  releaseOnCollect(): boolean {
    return false; // host memory: the collector takes it with the array
  },
  peek(s: Storage): number | undefined {
    return realize(s)[0] as number;
  },
};
