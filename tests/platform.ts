/**
 * Running test code on one platform: `onPlatform("webgpu", fn)` runs `fn`
 * with `jax_platforms` set (and any other settings given), then puts every
 * setting back, whatever `fn` did; and comparing what two platforms gave.
 */

import assert from "node:assert/strict";
import { jax } from "../mod.ts";
import type { ConfigValues } from "../lib/config.ts";

/** Runs `fn` on `platform` with `settings` applied, restoring all of them afterwards. */
export function onPlatform<T>(platform: string, fn: () => T, settings: Partial<ConfigValues> = {}): T {
  const all = { ...settings, jax_platforms: platform } as Partial<ConfigValues>;
  const before = Object.keys(all).map((k) => [k, jax.config.read(k as keyof ConfigValues)] as const);
  for (const [k, v] of Object.entries(all)) jax.config.update(k as keyof ConfigValues, v as never);
  try {
    return fn();
  } finally {
    for (const [k, v] of before) jax.config.update(k as keyof ConfigValues, v as never);
  }
}

/** An array's values as plain numbers. */
export function numbers(x: { dataSync(): ArrayLike<number | bigint | boolean> }): number[] {
  return Array.from(x.dataSync(), Number);
}

/** Asserts each output of `got` is within `1e-6 + rtol * |want|` of `want`'s, element by element. */
export function assertClose(got: number[][], want: number[][], rtol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} outputs, not ${want.length}`);
  want.forEach((w, j) =>
    w.forEach((c, i) => {
      const v = got[j][i];
      assert.ok(Math.abs(v - c) <= 1e-6 + rtol * Math.abs(c), `${what} out ${j}[${i}]: ${v} vs ${c}`);
    })
  );
}
