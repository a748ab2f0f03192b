/**
 * Registers the webgpu backend with the runtime (imported for its effect by
 * mod.ts, so the frontend never imports lib/gpu).
 *
 * @module
 */

import { registerBackend } from "../runtime.ts";
import { GpuBackend } from "./backend.ts";

registerBackend("webgpu", () => {
  if (typeof navigator === "undefined" || !("gpu" in navigator)) return "this runtime has no navigator.gpu";
  return GpuBackend.create();
});
