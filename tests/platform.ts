/**
 * Running test code on one platform: `onPlatform("webgpu", fn)` runs `fn`
 * with `jax_platforms` set (and any other settings given), then puts every
 * setting back, whatever `fn` did.
 */

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
