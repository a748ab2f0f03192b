/**
 * The Threefry-2x32 block cipher (20 rounds), as JAX's `threefry2x32_p`
 * computes it: the cpu backend's kernels call this; the webgpu backend has
 * the same rounds in WGSL (wgsl_lib.ts). Shared by both: the rotations.
 *
 * @module
 */

/** Rotation amounts of the even and the odd groups of four rounds. */
export const THREEFRY_ROTATIONS: readonly (readonly number[])[] = [[13, 15, 26, 6], [17, 29, 16, 24]];

/** The key schedule's parity constant. */
export const THREEFRY_PARITY = 0x1BD11BDA;

/** Word `word` (0 or 1) of Threefry-2x32 of the counter `(x0, x1)` under the key `(k0, k1)`; uint32 in and out. */
export function threefry2x32(k0: number, k1: number, x0: number, x1: number, word: number): number {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ THREEFRY_PARITY) >>> 0];
  let a = (x0 + ks[0]) >>> 0;
  let b = (x1 + ks[1]) >>> 0;
  for (let i = 0; i < 5; i++) {
    for (const r of THREEFRY_ROTATIONS[i % 2]) {
      a = (a + b) >>> 0;
      b = (a ^ ((b << r) | (b >>> (32 - r)))) >>> 0;
    }
    a = (a + ks[(i + 1) % 3]) >>> 0;
    b = (b + ks[(i + 2) % 3] + i + 1) >>> 0;
  }
  return word === 0 ? a : b;
}
