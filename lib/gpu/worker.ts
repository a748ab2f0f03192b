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

function give(buf: GPUBuffer) {
  const list = pool.get(buf.size) ?? [];
  if (list.length < 64) {
    list.push(buf);
    pool.set(buf.size, list);
  } else buf.destroy();
}

function enc(): GPUCommandEncoder {
  return (encoder ??= device.createCommandEncoder());
}

function endPass() {
  pass?.end();
  pass = null;
}

function submit() {
  endPass();
  if (encoder) {
    device.queue.submit([encoder.finish()]);
    encoder = null;
    Atomics.add(slots, SLOT.submits, 1);
  }
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
      endPass();
      enc().copyBufferToBuffer(staging, 0, dst, 0, size);
      return;
    }
    case "pipe": {
      const module = device.createShaderModule({ code: c.code });
      const info = await module.getCompilationInfo();
      const errs = info.messages.filter((m) => m.type === "error");
      if (errs.length) throw new Error(`shader compile failed: ${errs.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("; ")}`);
      pipelines.set(c.pid, device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } }));
      Atomics.add(slots, SLOT.pipelines, 1);
      return;
    }
    case "run": {
      const pipe = pipelines.get(c.pid)!;
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: buffers.get(c.out)! } }];
      c.ins.forEach((id, i) => entries.push({ binding: i + 1, resource: { buffer: buffers.get(id)! } }));
      if (c.scalars) {
        const sc = device.createBuffer({ size: Math.max(16, c.scalars.length * 4), usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
        new Uint32Array(sc.getMappedRange()).set(c.scalars);
        sc.unmap();
        entries.push({ binding: c.ins.length + 1, resource: { buffer: sc } });
      }
      if (!pass) pass = enc().beginComputePass();
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

let chain: Promise<void> = Promise.resolve();

async function runBatch(cmds: Command[]) {
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
  submit();
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
    for (const f of ["shader-f16", "timestamp-query"] as GPUFeatureName[]) if (adapter.features.has(f)) features.push(f);
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
    Atomics.store(slots, SLOT.maxBindingWords, Math.floor(Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize) / 4));
    const info = adapter.info;
    writeText(`${info.description || info.vendor || "WebGPU adapter"}${adapter.info.isFallbackAdapter ? " (fallback adapter)" : ""}`);
    signal(true);
  } catch (e) {
    writeText(e instanceof Error ? e.message : String(e));
    signal(false);
  }
}

parentPort!.on("message", (m: ToWorker) => {
  switch (m.t) {
    case "init":
      chain = chain.then(() => init(m.sab));
      return;
    case "sab":
      chain = chain.then(() => {
        sab = m.sab;
        slots = new Int32Array(sab);
      });
      return;
    case "batch":
      chain = chain.then(() => runBatch(m.cmds));
      return;
    case "lose":
      chain = chain.then(() => device.destroy());
      return;
  }
});
