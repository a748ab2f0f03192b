/**
 * The complete rule table. Its type is the mapped type over every primitive,
 * so a primitive without rules is a compile error here.
 *
 * @module
 */

import { registerRules, type RuleTable } from "../trace/core.ts";
import { controlRules } from "./control.ts";
import { elementwiseRules } from "./elementwise.ts";
import { linalgRules } from "./linalg.ts";
import { decompRules } from "./linalg_decomp.ts";
import { reduceRules } from "./reduce.ts";
import { shapeRules } from "./shape.ts";
import { sortRules } from "./sort.ts";
import { threefryRules } from "./threefry.ts";

/** Every primitive's rules. */
export const ruleTable: RuleTable = {
  ...elementwiseRules,
  ...shapeRules,
  ...reduceRules,
  ...linalgRules,
  ...decompRules,
  ...controlRules,
  ...threefryRules,
  ...sortRules,
};

registerRules(ruleTable);
