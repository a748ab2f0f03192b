/**
 * The GPU worker: owns the WebGPU device, executes command batches from the
 * main thread in order (all dispatches of a batch in one command encoder and
 * one submit), pools buffers by size, and answers reads — synchronous ones
 * through shared memory and Atomics, asynchronous ones by message.
 *
 * @module
 */

import { parentPort } from "node:worker_threads";
import { type Command, DATA_OFFSET, SLOT, type ToWorker } from "./protocol.ts";

let device: GPUDevice;
let sab: SharedArrayBuffer;
let slots: Int32Array;
const buffers = new Map<number, GPUBuffer>();
const pool = new Map<number, GPUBuffer[]>();
const pipelines = new Map<number, GPUComputePipeline>();
let encoder: GPUCommandEncoder | null = null;
let pass: GPUComputePassEncoder | null = null;
let lost: string | null = null;

const USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
const bucket = (bytes: number) => Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(bytes, 4))));

function take(bytes: number): GPUBuffer {
  const b = bucket(bytes);
  return pool.get(b)?.pop() ?? device.createBuffer({ size: b, usage: USAGE });
}

/** Buffers to destroy once the commands using them are submitted (destroying earlier invalidates the submit). */
let retired: GPUBuffer[] = [];

function give(buf: GPUBuffer) {
  const list = pool.get(buf.size) ?? [];
  if (list.length < 64) {
    list.push(buf);
    pool.set(buf.size, list);
  } else retired.push(buf);
}

function enc(): GPUCommandEncoder {
  return (encoder ??= device.createCommandEncoder());
}

function endPass() {
  pass?.end();
  pass = null;
}

/** Dispatches encoded since the last submit. */
let encoded = 0;
/** A batch's work is submitted at its end only when this much is waiting; otherwise at the next read. */
const SUBMIT_AT = 256;
/** Dispatches one command buffer may hold. */
const MAX_ENCODED = 2048;

function submit() {
  endPass();
  encoded = 0;
  if (encoder) {
    device.queue.submit([encoder.finish()]);
    encoder = null;
    Atomics.add(slots, SLOT.submits, 1);
  }
  for (const b of retired) b.destroy();
  retired = [];
}

function writeText(text: string) {
  const bytes = new TextEncoder().encode(text);
  const n = Math.min(bytes.length, sab.byteLength - DATA_OFFSET);
  new Uint8Array(sab, DATA_OFFSET, n).set(bytes.subarray(0, n));
  Atomics.store(slots, SLOT.errorLength, n);
}

function signal(ok: boolean) {
  Atomics.store(slots, SLOT.flag, ok ? 1 : 2);
  Atomics.notify(slots, SLOT.flag);
}

async function exec(c: Command) {
  if ((c.t === "read" || c.t === "fence") && pendingError) {
    const e = pendingError;
    pendingError = null;
    throw new Error(e);
  }
  switch (c.t) {
    case "alloc":
      buffers.set(c.id, take(c.bytes));
      return;
    case "write": {
      const dst = buffers.get(c.id)!;
      const size = Math.ceil(c.data.byteLength / 4) * 4;
      const staging = device.createBuffer({ size, usage: GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
      new Uint8Array(staging.getMappedRange()).set(new Uint8Array(c.data));
      staging.unmap();
      retired.push(staging);
      endPass();
      enc().copyBufferToBuffer(staging, 0, dst, 0, size);
      return;
    }
    case "pipe": {
      const module = device.createShaderModule({ code: c.code });
      const info = await module.getCompilationInfo();
      const errs = info.messages.filter((m) => m.type === "error");
      if (errs.length) {
        throw new Error(
          `shader compile failed: ${errs.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("; ")}`,
        );
      }
      pipelines.set(c.pid, device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } }));
      Atomics.add(slots, SLOT.pipelines, 1);
      return;
    }
    case "run": {
      // Very long command buffers are split (before this dispatch's own
      // buffers exist, since a submit destroys the retired ones).
      if (encoded >= MAX_ENCODED) submit();
      const pipe = pipelines.get(c.pid)!;
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: buffers.get(c.out)! } }];
      c.ins.forEach((id, i) => entries.push({ binding: i + 1, resource: { buffer: buffers.get(id)! } }));
      if (c.scalars) {
        const sc = device.createBuffer({
          size: Math.max(16, c.scalars.length * 4),
          usage: GPUBufferUsage.STORAGE,
          mappedAtCreation: true,
        });
        new Uint32Array(sc.getMappedRange()).set(c.scalars);
        sc.unmap();
        retired.push(sc);
        entries.push({ binding: c.ins.length + 1, resource: { buffer: sc } });
      }
      if (!pass) pass = enc().beginComputePass();
      encoded++;
      pass.setPipeline(pipe);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries }));
      pass.dispatchWorkgroups(c.groups[0], c.groups[1]);
      Atomics.add(slots, SLOT.dispatches, 1);
      return;
    }
    case "free": {
      const b = buffers.get(c.id);
      buffers.delete(c.id);
      if (b) give(b);
      return;
    }
    case "read": {
      const src = buffers.get(c.id)!;
      const size = Math.max(4, Math.ceil(c.bytes / 4) * 4);
      const rd = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      endPass();
      enc().copyBufferToBuffer(src, 0, rd, 0, size);
      submit();
      await rd.mapAsync(GPUMapMode.READ);
      const data = rd.getMappedRange().slice(0, c.bytes);
      rd.unmap();
      rd.destroy();
      Atomics.add(slots, SLOT.readbacks, 1);
      if (c.sync) {
        new Uint8Array(sab, DATA_OFFSET, c.bytes).set(new Uint8Array(data));
        signal(true);
      } else parentPort!.postMessage({ t: "data", req: c.req, data }, [data]);
      return;
    }
    case "fence":
      submit();
      signal(true);
      return;
  }
}

let chain: Promise<unknown> = Promise.resolve();

const DEBUG = (() => {
  try {
    return !!Deno.env.get("JAXD_GPU_DEBUG");
  } catch {
    return false;
  }
})();

async function runBatch(cmds: Command[]) {
  if (DEBUG) console.error(`[gpu worker] batch of ${cmds.length}: ${[...new Set(cmds.map((c) => c.t))].join(",")}`);
  for (const c of cmds) {
    if (lost) {
      fail(c, lost);
      continue;
    }
    try {
      await exec(c);
    } catch (e) {
      fail(c, e instanceof Error ? e.message : String(e));
    }
  }
  // Small batches wait for the next read (so a scan or an eager loop goes out
  // as one command buffer); large ones start running now.
  if (encoded >= SUBMIT_AT) submit();
}

function fail(c: Command, message: string) {
  if (c.t === "read" && !c.sync) parentPort!.postMessage({ t: "error", req: c.req, message });
  else if (c.t === "read" || c.t === "fence") {
    writeText(message);
    signal(false);
  } else pendingError ??= message;
}

/** A failure of a command nobody waits on, reported at the next read or fence. */
let pendingError: string | null = null;

async function init(shared: SharedArrayBuffer) {
  sab = shared;
  slots = new Int32Array(sab);
  try {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) throw new Error("no WebGPU adapter");
    const features: GPUFeatureName[] = [];
    for (const f of ["shader-f16", "timestamp-query"] as GPUFeatureName[]) {
      if (adapter.features.has(f)) features.push(f);
    }
    const l = adapter.limits;
    device = await adapter.requestDevice({
      requiredFeatures: features,
      requiredLimits: {
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      },
    });
    device.lost.then((info) => (lost = `device lost: ${info.message || info.reason}`));
    Atomics.store(slots, SLOT.maxStorageBuffers, l.maxStorageBuffersPerShaderStage);
    Atomics.store(slots, SLOT.f16, features.includes("shader-f16") ? 1 : 0);
    Atomics.store(slots, SLOT.timestamps, features.includes("timestamp-query") ? 1 : 0);
    Atomics.store(slots, SLOT.maxGroups, l.maxComputeWorkgroupsPerDimension);
    Atomics.store(
      slots,
      SLOT.maxBindingWords,
      Math.floor(Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize) / 4),
    );
    const info = adapter.info;
    writeText(
      `${info.description || info.vendor || "WebGPU adapter"}${
        adapter.info.isFallbackAdapter ? " (fallback adapter)" : ""
      }`,
    );
    signal(true);
  } catch (e) {
    writeText(e instanceof Error ? e.message : String(e));
    signal(false);
  }
}

/** Runs `fn` after everything queued; a failure is recorded, never stalls the queue. */
function enqueue(fn: () => unknown) {
  chain = chain.then(fn).catch((e) => {
    pendingError ??= `GPU worker: ${e instanceof Error ? e.message : String(e)}`;
    console.error("jaxd GPU worker:", e);
  });
}

parentPort!.on("message", (m: ToWorker) => {
  switch (m.t) {
    case "init":
      enqueue(() => init(m.sab));
      return;
    case "sab":
      enqueue(() => {
        sab = m.sab;
        slots = new Int32Array(sab);
      });
      return;
    case "batch":
      enqueue(() => runBatch(m.cmds));
      return;
    case "lose":
      enqueue(() => device.destroy());
      return;
  }
});
