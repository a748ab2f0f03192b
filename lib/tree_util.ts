/**
 * `jax.tree_util`.
 *
 * @module
 */

export { Partial, tree_flatten, tree_leaves, tree_map, tree_structure, tree_unflatten, TreeDef } from "./tree.ts";
export type { PartialFn, PyTree } from "./tree.ts";
