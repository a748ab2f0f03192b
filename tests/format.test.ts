import assert from "node:assert/strict";
import type { DType } from "../lib/dtype.ts";
import { formatRepr, formatScalar, formatStr } from "../lib/format.ts";
// A static JSON import needs no --allow-read.
import goldenJson from "./fixtures/format_golden.json" with { type: "json" };

/** One array as printed by real JAX; see scripts/gen_format_golden.py. */
interface GoldenCase {
  values: (number | "nan" | "inf" | "-inf")[];
  shape: number[];
  dtype: DType;
  weak_type: boolean;
  repr: string;
  str: string;
}

const golden = goldenJson as GoldenCase[];

const SPECIAL = { nan: NaN, inf: Infinity, "-inf": -Infinity };

function decode(values: GoldenCase["values"]): number[] {
  return values.map((v) => typeof v === "string" ? SPECIAL[v] : v);
}

Deno.test("format: golden cases match JAX repr() and str()", () => {
  assert.ok(golden.length > 100);
  const failures: string[] = [];
  for (const c of golden) {
    const values = decode(c.values);
    const repr = formatRepr(values, c.shape, c.dtype, c.weak_type);
    const str = formatStr(values, c.shape, c.dtype);
    if (repr !== c.repr) {
      failures.push(`repr:\n  want ${c.repr}\n  got  ${repr}`);
    }
    if (str !== c.str) failures.push(`str:\n  want ${c.str}\n  got  ${str}`);
  }
  assert.deepEqual(failures, []);
});

Deno.test("format: examples from the docs", () => {
  assert.equal(
    formatRepr([0, 1, 2], [3], "float32"),
    "Array([0., 1., 2.], dtype=float32)",
  );
  assert.equal(
    formatRepr([3], [], "float32", true),
    "Array(3., dtype=float32, weak_type=True)",
  );
  assert.equal(
    formatRepr([1, 0], [2], "bool"),
    "Array([ True, False], dtype=bool)",
  );
  assert.equal(
    formatRepr([1e10, 1], [2], "float32"),
    "Array([1.e+10, 1.e+00], dtype=float32)",
  );
  assert.equal(
    formatRepr([], [2, 0], "float32"),
    "Array([], shape=(2, 0), dtype=float32)",
  );
  assert.equal(formatRepr([1, 2], [2], "int32"), "Array([1, 2], dtype=int32)");
  assert.equal(
    formatRepr([1.5, 2, 3, 4], [2, 2], "float32"),
    "Array([[1.5, 2. ],\n       [3. , 4. ]], dtype=float32)",
  );
  assert.equal(formatStr([0, 1, 2], [3], "float32"), "[0. 1. 2.]");
  assert.equal(
    formatStr([1.5, 2, 3, 4], [2, 2], "float32"),
    "[[1.5 2. ]\n [3.  4. ]]",
  );
});

Deno.test("format: formatScalar", () => {
  assert.equal(formatScalar(Math.fround(0.61468804), "float32"), "0.61468804");
  assert.equal(formatScalar(Math.fround(0.1), "float32"), "0.1");
  assert.equal(formatScalar(0.1, "float32"), "0.1"); // rounded to float32 first
  assert.equal(formatScalar(0.1, "float64"), "0.1");
  assert.equal(formatScalar(1 / 3, "float64"), "0.3333333333333333");
  assert.equal(formatScalar(2, "float32"), "2.0");
  assert.equal(formatScalar(-0, "float32"), "-0.0");
  assert.equal(formatScalar(1e20, "float32"), "1e+20");
  assert.equal(formatScalar(123456789, "float32"), "1.2345679e+08");
  assert.equal(formatScalar(1e6, "float32"), "1e+06"); // float32 cut-off
  assert.equal(formatScalar(999999, "float32"), "999999.0");
  assert.equal(formatScalar(1000, "float16"), "1e+03"); // float16 cut-off
  assert.equal(formatScalar(1e15, "float64"), "1000000000000000.0");
  assert.equal(formatScalar(1e16, "float64"), "1e+16");
  assert.equal(formatScalar(1e-4, "float32"), "1e-04"); // float32(1e-4) < 1e-4
  assert.equal(formatScalar(0.65625, "float16"), "0.6562"); // tie: even digit
  assert.equal(formatScalar(2 ** -96, "float32"), "1.2621775e-29"); // below 2^k
  assert.equal(formatScalar(1e-5, "float16"), "1e-05");
  assert.equal(formatScalar(NaN, "float32"), "nan");
  assert.equal(formatScalar(-Infinity, "float16"), "-inf");
  assert.equal(formatScalar(1, "bool"), "True");
  assert.equal(formatScalar(0, "bool"), "False");
  assert.equal(formatScalar(3, "int32"), "3");
  assert.equal(formatScalar(4294967295, "uint32"), "4294967295");
});
