/**
 * The GPU worker: owns the WebGPU device, executes command batches from the
 * main thread in order (all dispatches of a batch in one command encoder and
 * one submit), pools buffers by size, and answers reads — synchronous ones
 * through shared memory and Atomics, asynchronous ones by message.
 *
 * @module
 */

import { parentPort } from "node:worker_threads";
import { type Command, DATA_OFFSET, mirrorRows, SLOT, TEX_WIDTH, type ToWorker } from "./protocol.ts";

let device: GPUDevice;
let sab: SharedArrayBuffer;
let slots: Int32Array;
const buffers = new Map<number, GPUBuffer>();
const pool = new Map<number, GPUBuffer[]>();
/**
 * Bind group layouts by (buffer inputs, has scalars, read-write bindings, texture bindings); the scalar binding
 * takes a dynamic offset into the ring.
 */
interface Layout {
  key: string;
  bgl: GPUBindGroupLayout;
  scalars: boolean;
  rw: number;
  tex: ReadonlySet<number>;
}
const layouts = new Map<string, Layout>();
function layoutFor(ins: number, scalars: boolean, rw = 1, tex: number[] = []): Layout {
  const key = `${ins}|${scalars}|${rw}|${tex}`;
  let l = layouts.get(key);
  if (!l) {
    const entries: GPUBindGroupLayoutEntry[] = [];
    for (let i = 0; i <= ins; i++) {
      const visibility = GPUShaderStage.COMPUTE;
      if (tex.includes(i)) entries.push({ binding: i, visibility, texture: { sampleType: "unfilterable-float" } });
      else entries.push({ binding: i, visibility, buffer: { type: i < rw ? "storage" : "read-only-storage" } });
    }
    if (scalars) {
      entries.push({
        binding: ins + 1,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: "read-only-storage", hasDynamicOffset: true },
      });
    }
    l = { key, bgl: device.createBindGroupLayout({ entries }), scalars, rw, tex: new Set(tex) };
    layouts.set(key, l);
  }
  return l;
}
const pipelines = new Map<number, { pipeline: GPUComputePipeline; layout: Layout }>();
let encoder: GPUCommandEncoder | null = null;
let pass: GPUComputePassEncoder | null = null;
let lost: string | null = null;

const USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
const bucket = (bytes: number) => Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(bytes, 4))));

function take(bytes: number): GPUBuffer {
  const b = bucket(bytes);
  return pool.get(b)?.pop() ?? device.createBuffer({ size: b, usage: USAGE });
}

/** Buffers and textures to destroy once the commands using them are submitted (destroying earlier invalidates the submit). */
let retired: (GPUBuffer | GPUTexture)[] = [];

/**
 * Texture mirrors of buffers (see TEX_WIDTH), made at a pipeline's first read
 * of a buffer through a texture and kept until the buffer is written or freed.
 */
const mirrors = new Map<number, { texture: GPUTexture; view: GPUTextureView; bytes: number }>();
let mirrorBytes = 0;

/** Bytes each buffer was allocated for (its pooled buffer may be bigger). */
const lengths = new Map<number, number>();

function mirrorOf(id: number, buf: GPUBuffer): GPUTextureView {
  const known = mirrors.get(id);
  if (known) return known.view;
  const rows = mirrorRows(lengths.get(id) ?? buf.size);
  const texture = device.createTexture({
    size: [TEX_WIDTH, rows],
    format: "rgba32float",
    usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
  });
  endPass();
  enc().copyBufferToTexture({ buffer: buf, bytesPerRow: TEX_WIDTH * 16 }, { texture }, [TEX_WIDTH, rows]);
  const m = { texture, view: texture.createView(), bytes: TEX_WIDTH * 16 * rows };
  if (DEBUG) console.error(`[gpu worker] mirror of buffer ${id}: ${rows} rows`);
  mirrors.set(id, m);
  setMirrorBytes(mirrorBytes + m.bytes);
  return m.view;
}

/** Drops buffer `id`'s mirror (it is written or freed). */
function unmirror(id: number) {
  const m = mirrors.get(id);
  if (!m) return;
  mirrors.delete(id);
  retired.push(m.texture);
  setMirrorBytes(mirrorBytes - m.bytes);
}

function setMirrorBytes(bytes: number) {
  mirrorBytes = bytes;
  Atomics.store(slots, SLOT.mirrorKiB, Math.ceil(bytes / 1024));
}

function give(buf: GPUBuffer) {
  const list = pool.get(buf.size) ?? [];
  // Keep up to 64 MiB per size (at least 64 buffers): small buffers churn in loops.
  if (list.length < Math.max(64, (64 << 20) / buf.size)) {
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

/** Scalar arguments: one persistent buffer of 256-byte slots, reused round-robin. */
const SLOT_BYTES = 256;
const SLOT_WORDS = SLOT_BYTES / 4;
const RING_SLOTS = 4096;
let ringBuf: GPUBuffer | null = null;
let ringNext = 0;
/** Slots written since the last submit (a slot may not be rewritten before its dispatch is submitted). */
let ringUsed = 0;
/**
 * The ring's contents on the host: slots are filled here and written to the
 * device once per submit (one writeBuffer per dispatch cost ~50 µs each).
 */
const ringHost = new Uint32Array(RING_SLOTS * SLOT_WORDS);
/** First slot written since the last submit. */
let ringFrom = 0;

/** Writes the slots filled since the last submit to the device (before the submit that reads them). */
function writeRing() {
  if (ringUsed === 0) return;
  const end = ringFrom + ringUsed;
  const write = (a: number, b: number) =>
    device.queue.writeBuffer(ring(), a * SLOT_BYTES, ringHost, a * SLOT_WORDS, (b - a) * SLOT_WORDS);
  if (end <= RING_SLOTS) write(ringFrom, end);
  else {
    write(ringFrom, RING_SLOTS);
    write(0, end - RING_SLOTS);
  }
}
function ring(): GPUBuffer {
  return (ringBuf ??= device.createBuffer({
    size: SLOT_BYTES * RING_SLOTS,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  }));
}

/** Bind groups by pipeline, buffers and scalar slot: pooled buffers recur, so loops hit this cache. */
const bindGroups = new Map<string, GPUBindGroup>();
const MAX_BIND_GROUPS = 50000;
const bufferNums = new WeakMap<GPUBuffer | GPUTextureView, number>();
let nextNum = 1;
function num(b: GPUBuffer | GPUTextureView): number {
  let n = bufferNums.get(b);
  if (n === undefined) bufferNums.set(b, n = nextNum++);
  return n;
}

/** Dispatches encoded since the last submit. */
let encoded = 0;
/**
 * A batch's work is submitted at its end (unless more of the batch follows)
 * once this much is waiting; otherwise at the next read. Eager work arrives
 * in batches of its own as it is queued, so the device starts on it while
 * the host traces on: the tutorial's un-jitted loop at n = 1e4 (333
 * dispatches), 78-87 ms with all of it submitted at the read, 67-71 ms so.
 */
const SUBMIT_AT = 64;
/** Dispatches one command buffer may hold. */
const MAX_ENCODED = 2048;

function submit() {
  endPass();
  writeRing();
  encoded = 0;
  ringUsed = 0;
  ringFrom = ringNext;
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

/** The slots the worker keeps up to date as it works (the others are set once, or are the read handshake). */
const COUNTERS = [SLOT.submits, SLOT.dispatches, SLOT.readbacks, SLOT.pipelines, SLOT.mirrorKiB];

function signal(ok: boolean) {
  Atomics.store(slots, SLOT.flag, ok ? 1 : 2);
  Atomics.notify(slots, SLOT.flag);
}

/** The bytes of buffers `ids`, one after another, copied to one staging buffer with one submit and one wait. */
async function readBack(ids: number[], bytes: number[]): Promise<ArrayBuffer> {
  const total = bytes.reduce((a, b) => a + b, 0);
  const rd = device.createBuffer({
    size: Math.max(4, total),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  endPass();
  let at = 0;
  ids.forEach((id, i) => {
    enc().copyBufferToBuffer(buffers.get(id)!, 0, rd, at, bytes[i]);
    at += bytes[i];
  });
  submit();
  const t0 = DEBUG ? performance.now() : 0;
  await rd.mapAsync(GPUMapMode.READ);
  if (DEBUG) console.error(`[gpu worker] read waited ${(performance.now() - t0).toFixed(1)} ms`);
  const data = rd.getMappedRange().slice(0, total);
  rd.unmap();
  rd.destroy();
  Atomics.add(slots, SLOT.readbacks, 1);
  return data;
}

async function exec(c: Command) {
  if ((c.t === "read" || c.t === "reads" || c.t === "fence") && pendingError) {
    const e = pendingError;
    pendingError = null;
    throw new Error(e);
  }
  switch (c.t) {
    case "alloc":
      buffers.set(c.id, take(c.bytes));
      lengths.set(c.id, c.bytes);
      return;
    case "write": {
      unmirror(c.id);
      const dst = buffers.get(c.id)!;
      const size = Math.ceil(c.data.byteLength / 4) * 4;
      if (size <= SLOT_BYTES && c.data.byteLength === size) {
        // A small write goes through a slot of the scalar ring (written at the submit, like the
        // dispatches' scalars) and a copy in command order: no staging buffer (~45 µs each here).
        if (ringUsed >= RING_SLOTS) submit();
        const slot = ringNext;
        ringNext = (ringNext + 1) % RING_SLOTS;
        ringUsed++;
        ringHost.set(new Uint32Array(c.data), slot * SLOT_WORDS);
        endPass();
        enc().copyBufferToBuffer(ring(), slot * SLOT_BYTES, dst, 0, size);
        return;
      }
      const staging = device.createBuffer({ size, usage: GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
      new Uint8Array(staging.getMappedRange()).set(new Uint8Array(c.data));
      staging.unmap();
      retired.push(staging);
      endPass();
      enc().copyBufferToBuffer(staging, 0, dst, 0, size);
      return;
    }
    case "pipe": {
      if (DUMP) console.error(`[gpu worker] pipeline ${c.pid}:\n${c.code}\n`);
      const t0 = DEBUG ? performance.now() : 0;
      const module = device.createShaderModule({ code: c.code });
      const info = await module.getCompilationInfo();
      const errs = info.messages.filter((m) => m.type === "error");
      if (errs.length) {
        throw new Error(
          `shader compile failed (pipeline ${c.pid}): ${
            errs.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("; ")
          }`,
        );
      }
      const layout = layoutFor(c.ins, c.scalars, c.rw, c.tex);
      const pipeline = device.createComputePipeline({
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout.bgl] }),
        compute: { module, entryPoint: "main" },
      });
      pipelines.set(c.pid, { pipeline, layout });
      Atomics.add(slots, SLOT.pipelines, 1);
      if (DEBUG) console.error(`[gpu worker] pipeline ${c.pid} compiled in ${(performance.now() - t0).toFixed(1)} ms`);
      return;
    }
    case "run": {
      // Very long command buffers are split (before this dispatch's own
      // buffers exist, since a submit destroys the retired ones).
      if (encoded >= MAX_ENCODED) submit();
      const compiled = pipelines.get(c.pid);
      if (!compiled) throw new Error(`shader compile failed (pipeline ${c.pid}): the pipeline is missing`);
      const { pipeline, layout } = compiled;
      const out = buffers.get(c.out)!;
      const ins = c.ins.map((id, i) => (layout.tex.has(i + 1) ? mirrorOf(id, buffers.get(id)!) : buffers.get(id)!));
      // Scalars go to a slot of a persistent ring buffer, bound with a dynamic
      // offset, so the bind group depends only on the buffers and is cached.
      let offset = 0;
      let scalarBuf: GPUBuffer | null = null;
      if (c.scalars && c.scalars.length <= SLOT_WORDS) {
        if (ringUsed >= RING_SLOTS) submit();
        offset = ringNext * SLOT_BYTES;
        ringNext = (ringNext + 1) % RING_SLOTS;
        ringUsed++;
        ringHost.set(c.scalars, offset / 4);
      } else if (c.scalars) {
        scalarBuf = device.createBuffer({
          size: c.scalars.length * 4,
          usage: GPUBufferUsage.STORAGE,
          mappedAtCreation: true,
        });
        new Uint32Array(scalarBuf.getMappedRange()).set(c.scalars);
        scalarBuf.unmap();
        retired.push(scalarBuf);
      }
      const key = scalarBuf ? "" : `${layout.key}|${num(out)}|${ins.map(num).join(",")}`;
      let group = key ? bindGroups.get(key) : undefined;
      if (!group) {
        const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: out } }];
        ins.forEach((b, i) => entries.push({ binding: i + 1, resource: b instanceof GPUBuffer ? { buffer: b } : b }));
        if (layout.scalars) {
          const resource = scalarBuf ? { buffer: scalarBuf } : { buffer: ring(), offset: 0, size: SLOT_BYTES };
          entries.push({ binding: ins.length + 1, resource });
        }
        group = device.createBindGroup({ layout: layout.bgl, entries });
        if (key) {
          if (bindGroups.size >= MAX_BIND_GROUPS) bindGroups.clear();
          bindGroups.set(key, group);
        }
      }
      if (!pass) pass = enc().beginComputePass();
      encoded++;
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group, layout.scalars ? [offset] : []);
      pass.dispatchWorkgroups(c.groups[0], c.groups[1]);
      Atomics.add(slots, SLOT.dispatches, 1);
      // What it writes has a stale mirror from now on.
      unmirror(c.out);
      for (let i = 0; i < layout.rw - 1; i++) unmirror(c.ins[i]);
      return;
    }
    case "free": {
      unmirror(c.id);
      lengths.delete(c.id);
      const b = buffers.get(c.id);
      buffers.delete(c.id);
      if (b) give(b);
      return;
    }
    case "read": {
      const data = await readBack([c.id], [c.bytes]);
      parentPort!.postMessage({ t: "data", req: c.req, data }, [data]);
      return;
    }
    case "reads": {
      const data = await readBack(c.ids, c.bytes);
      new Uint8Array(sab, DATA_OFFSET, data.byteLength).set(new Uint8Array(data));
      signal(true);
      return;
    }
    case "fence":
      submit();
      if (c.done) await device.queue.onSubmittedWorkDone(); // block_until_ready: the GPU has finished
      signal(true);
      return;
  }
}

let chain: Promise<unknown> = Promise.resolve();

/** JAXD_GPU_DEBUG=1 logs batches and read waits; JAXD_GPU_DUMP=1 prints every pipeline's WGSL. */
const [DEBUG, DUMP] = ["JAXD_GPU_DEBUG", "JAXD_GPU_DUMP"].map((name) => {
  try {
    return !!Deno.env.get(name);
  } catch {
    return false;
  }
});

async function runBatch(cmds: Command[], partial = false) {
  const t0 = DEBUG ? performance.now() : 0;
  if (DEBUG) console.error(`[gpu worker] batch of ${cmds.length}: ${[...new Set(cmds.map((c) => c.t))].join(",")}`);
  for (const c of cmds) {
    if (lost) {
      fail(c, lost);
      continue;
    }
    try {
      await exec(c);
    } catch (e) {
      // After a loss every call fails in its own way: report the loss.
      fail(c, lost ?? (e instanceof Error ? e.message : String(e)));
    }
  }
  // Small batches wait for the next read (so a scan or an eager loop goes out
  // as one command buffer); large ones start running now.
  if (encoded >= SUBMIT_AT && !partial) submit();
  if (DEBUG) console.error(`[gpu worker] batch took ${(performance.now() - t0).toFixed(1)} ms`);
}

function fail(c: Command, message: string) {
  if (c.t === "read") parentPort!.postMessage({ t: "error", req: c.req, message });
  else if (c.t === "reads" || c.t === "fence") {
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
        maxTextureDimension2D: l.maxTextureDimension2D,
      },
    });
    device.lost.then((info) => (lost = `device lost: ${info.message || info.reason}`));
    Atomics.store(slots, SLOT.maxStorageBuffers, l.maxStorageBuffersPerShaderStage);
    Atomics.store(slots, SLOT.f16, features.includes("shader-f16") ? 1 : 0);
    Atomics.store(slots, SLOT.timestamps, features.includes("timestamp-query") ? 1 : 0);
    Atomics.store(slots, SLOT.maxGroups, l.maxComputeWorkgroupsPerDimension);
    Atomics.store(slots, SLOT.maxTexture, l.maxTextureDimension2D);
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
        // The main thread copied the slots when it made the new buffer, before the batches queued
        // ahead of this switch ran: their counts are only in the old one.
        const next = new Int32Array(m.sab);
        for (const k of COUNTERS) next[k] = slots[k];
        sab = m.sab;
        slots = next;
      });
      return;
    case "batch":
      enqueue(() => runBatch(m.cmds, m.partial));
      return;
    case "lose":
      // Test hook: destroy the device as a driver reset would lose it.
      lost = "device lost: destroyed (test hook)";
      device.destroy();
      return;
  }
});
