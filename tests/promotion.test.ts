/**
 * dtype promotion against real JAX: the promote_types table of bool, int32,
 * uint32, float16 and float32, and weak types (JS numbers mixed with arrays
 * take the array's dtype kind), from the "promotion" section of
 * tests/fixtures/jnp_golden.json.
 */

import assert from "node:assert/strict";
import { jnp } from "../mod.ts";
import { golden, type GoldenCase, type PromoteCase, registerCases } from "./golden_harness.ts";

const table = golden.promotion.filter((c): c is PromoteCase => "kind" in c);
const weakCases = golden.promotion.filter((c): c is GoldenCase => !("kind" in c));

for (const c of table) {
  Deno.test(`promotion: ${c.id}`, () => {
    assert.equal(jnp.promote_types(c.a, c.b), c.promote_types, "promote_types");
    const x = jnp.zeros([2], { dtype: c.a }), y = jnp.zeros([2], { dtype: c.b });
    const sum = jnp.add(x, y);
    assert.equal(sum.dtype, c.add_dtype, "dtype of add");
    assert.equal(sum.weakType, false, "strong operands give a strong result");
  });
}

registerCases("promotion", weakCases, {}, { weak: true });

Deno.test("promotion: promote_types is symmetric and idempotent", () => {
  const dts = ["bool", "int32", "uint32", "float16", "float32"];
  for (const a of dts) {
    assert.equal(jnp.promote_types(a, a), a);
    for (const b of dts) assert.equal(jnp.promote_types(a, b), jnp.promote_types(b, a), `${a} ${b}`);
  }
});

Deno.test("promotion: result_type with weak scalars", () => {
  const i32 = jnp.zeros([2], { dtype: "int32" }), f16 = jnp.zeros([2], { dtype: "float16" });
  assert.equal(jnp.result_type(i32, 2), "int32");
  assert.equal(jnp.result_type(i32, 2.5), "float32");
  assert.equal(jnp.result_type(f16, 2.5), "float16");
  assert.equal(jnp.result_type(f16, i32), "float16");
  assert.equal(jnp.result_type(2, 2.5), "float32");
  assert.equal(jnp.result_type(true, 2), "int32");
});

Deno.test("promotion: chains keep the strong dtype (x.mul(2).add(1.5) on float16)", () => {
  const x = jnp.array([1, 2], { dtype: "float16" });
  const y = x.mul(2).add(1.5).sub(1).div(2);
  assert.equal(y.dtype, "float16");
  assert.equal(y.weakType, false);
  assert.deepEqual(y.tolist(), [1.25, 2.25]);
});

Deno.test("promotion: zeros and ones are strong (do not adopt float16)", () => {
  const h = jnp.ones([2], { dtype: "float16" });
  assert.equal(jnp.zeros([2]).add(h).dtype, "float32");
  assert.equal(jnp.ones([2]).mul(h).dtype, "float32");
  assert.equal(jnp.zeros_like(jnp.zeros([2])).add(h).dtype, "float32");
  assert.equal(jnp.full([2], 1.5).add(h).dtype, "float16", "full of a JS number is weak, as in JAX");
});

Deno.test("promotion: unknown dtype names are rejected", () => {
  assert.throws(() => jnp.promote_types("int64x", "int32"), { name: "DTypeError" });
});
