/**
 * numpy-style host random numbers (`np.random`): a seeded generator for
 * making data in scripts, like numpy's `default_rng`. It is not bit-identical
 * to numpy's streams; `jax.random` (threefry) is the JAX-exact one.
 *
 * @module
 */

import type { NDArray } from "./array.ts";
import { defaultFloat } from "./dtype.ts";
import { ValueError } from "./errors.ts";
import { fromHost } from "./runtime.ts";

/**
 * A seeded generator (xoshiro128** seeded by splitmix32).
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * const rng = new np.random.Generator(42);
 * rng.uniform(0, 1, 2).shape; // [2]
 * ```
 */
export class Generator {
  #s = new Uint32Array(4);
  #spare: number | null = null;

  /**
   * A generator seeded with `seed` (default: the clock).
   *
   * @param seed any integer
   */
  constructor(seed: number = Date.now()) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  #next(): number {
    const s = this.#s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /** A uniform double in [0, 1). */
  random(): number {
    return (this.#next() * 2 ** 21 + (this.#next() >>> 11)) / 2 ** 53;
  }

  #normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    let u = 0, v = 0, s = 0;
    do {
      u = this.random() * 2 - 1;
      v = this.random() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * f;
    return u * f;
  }

  #fill(size: number | number[] | undefined, f: () => number): NDArray {
    const shape = size === undefined ? [] : typeof size === "number" ? [size] : size;
    const n = shape.reduce((a, b) => a * b, 1);
    return fromHost(Array.from({ length: n }, f), shape, defaultFloat());
  }

  /** Normal samples with mean `loc` and standard deviation `scale`. */
  normal(loc = 0, scale = 1, size?: number | number[]): NDArray {
    if (scale < 0) throw new ValueError("normal: scale must be non-negative");
    return this.#fill(size, () => loc + scale * this.#normal());
  }

  /** Uniform samples in `[low, high)`. */
  uniform(low = 0, high = 1, size?: number | number[]): NDArray {
    return this.#fill(size, () => low + (high - low) * this.random());
  }

  /** Standard normal samples. */
  standard_normal(size?: number | number[]): NDArray {
    return this.normal(0, 1, size);
  }

  /** Poisson samples with rate `lam` (as floats). */
  poisson(lam = 1, size?: number | number[]): NDArray {
    if (lam < 0) throw new ValueError("poisson: lam must be non-negative");
    return this.#fill(size, () => {
      if (lam > 30) return Math.max(0, Math.round(lam + Math.sqrt(lam) * this.#normal()));
      const l = Math.exp(-lam);
      let k = 0, p = 1;
      do {
        k++;
        p *= this.random();
      } while (p > l);
      return k - 1;
    });
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let global = new Generator();

/**
 * A new seeded generator, `np.random.default_rng(seed)`.
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * const rng = np.random.default_rng(0);
 * rng.normal(0, 1, 3).shape; // [3]
 * ```
 */
export function default_rng(seed?: number): Generator {
  return new Generator(seed);
}

/**
 * Re-seeds the module-level generator.
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * np.random.seed(0);
 * np.random.uniform(0, 1, 2).shape; // [2]
 * ```
 */
export function seed(s: number): void {
  global = new Generator(s);
}

/**
 * Normal samples from the module-level generator.
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * np.random.seed(0);
 * np.random.normal(0.5, Math.sqrt(2), 100).shape; // [100]
 * ```
 */
export function normal(loc = 0, scale = 1, size?: number | number[]): NDArray {
  return global.normal(loc, scale, size);
}

/**
 * Uniform samples from the module-level generator.
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * np.random.uniform(-1, 1, [2, 3]).shape; // [2, 3]
 * ```
 */
export function uniform(low = 0, high = 1, size?: number | number[]): NDArray {
  return global.uniform(low, high, size);
}

/**
 * Poisson samples from the module-level generator.
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * np.random.poisson(3, 5).shape; // [5]
 * ```
 */
export function poisson(lam = 1, size?: number | number[]): NDArray {
  return global.poisson(lam, size);
}
