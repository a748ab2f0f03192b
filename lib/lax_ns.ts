/**
 * The `lax` namespace: primitives and control flow.
 *
 * @module
 */

export * from "./lax.ts";
export { cond, fori_loop, map, scan, switch_ as switch, while_loop } from "./control.ts";
export type { ScanOptions } from "./control.ts";
