/**
 * Global configuration, mirroring `jax.config`.
 *
 * @module
 */

/** The settings `jax.config.update` accepts. */
export interface ConfigValues {
  /** Use float64 as the default float type (cpu backend only). */
  jax_enable_x64: boolean;
  /** Backend choice: `"cpu"` or `"webgpu"`; empty string means the default. */
  jax_platforms: string;
  /**
   * On a device backend, run tiny operations (at most 4,096 element
   * evaluations) whose inputs the host already holds on the host, instead of
   * dispatching them and reading their results back, and jit calls of small
   * straight-line programs on such values too (default true). Turn it off to
   * make every operation run on the device, e.g. to test its kernels.
   */
  jaxd_small_ops_on_host: boolean;
  /**
   * On webgpu, fold a loop step's last kernel, when it is small, into the
   * next step's first: one dispatch a step instead of two for a scan over
   * big data that ends in a small update (default true). Turn it off to
   * compare.
   */
  jaxd_fold_loop_steps: boolean;
}

const values: ConfigValues = {
  jax_enable_x64: false,
  jax_platforms: "",
  jaxd_small_ops_on_host: true,
  jaxd_fold_loop_steps: true,
};

const listeners: Array<(name: keyof ConfigValues) => void> = [];

/**
 * The `jax.config` object.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.config.update("jax_enable_x64", true);
 * jax.config.update("jax_enable_x64", false);
 * ```
 */
/** The type of `jax.config`. */
export interface Config {
  /** Set one configuration value. */
  update<K extends keyof ConfigValues>(name: K, value: ConfigValues[K]): void;
  /** Read one configuration value. */
  read<K extends keyof ConfigValues>(name: K): ConfigValues[K];
  /** Called after every update. */
  onUpdate(fn: (name: keyof ConfigValues) => void): void;
  /** True when float64 is the default float type. */
  readonly x64: boolean;
}

export const config: Config = {
  /** Set one configuration value. */
  update<K extends keyof ConfigValues>(name: K, value: ConfigValues[K]): void {
    if (!(name in values)) {
      throw new Error(
        `config.update: unknown option '${String(name)}'; known: ${Object.keys(values).join(", ")}`,
      );
    }
    values[name] = value;
    for (const fn of listeners) fn(name);
  },
  /** Read one configuration value. */
  read<K extends keyof ConfigValues>(name: K): ConfigValues[K] {
    return values[name];
  },
  /** Called after every update (used by backends to react to `jax_platforms`). */
  onUpdate(fn: (name: keyof ConfigValues) => void): void {
    listeners.push(fn);
  },
  /** True when float64 is the default float type. */
  get x64(): boolean {
    return values.jax_enable_x64;
  },
};
