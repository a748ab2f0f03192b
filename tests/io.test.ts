/**
 * np.loadtxt and jnp.load_csv: headers, delimiters, column selection,
 * comments/skiprows, dtype, the reference fixtures, and a named error with the
 * line number for each kind of bad input.
 */

import assert from "node:assert/strict";
import { jnp, np } from "../mod.ts";
import { ValueError } from "../lib/errors.ts";

const dir = Deno.makeTempDirSync({ dir: "/tmp", prefix: "jaxd_io_" });
let n = 0;
/** Writes `text` to a fresh temp file and returns its path. */
function tmp(text: string): string {
  const p = `${dir}/f${n++}.csv`;
  Deno.writeTextFileSync(p, text);
  return p;
}

function close(got: number[], want: number[], rtol = 1e-6) {
  assert.equal(got.length, want.length);
  got.forEach((g, i) =>
    assert.ok(Math.abs(g - want[i]) <= rtol * Math.abs(want[i]) + 1e-7, `${i}: ${g} vs ${want[i]}`)
  );
}

function throwsValue(f: () => unknown, ...patterns: RegExp[]) {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected ValueError, got ${e}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
/** The fixture column parsed independently (plain split), as reference. */
function reference(name: string): number[] {
  return Deno.readTextFileSync(fixture(name)).trim().split("\n").slice(1).map(Number);
}

Deno.test("loadtxt: whitespace default, comments, 2-d and 1-d results", () => {
  const p = tmp("# a comment\n1 2  3\n\n4\t5 6 # trailing\n");
  const a = np.loadtxt(p);
  assert.deepEqual(a.shape, [2, 3]);
  assert.equal(a.dtype, "float32");
  assert.deepEqual(a.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(np.loadtxt(p, { usecols: 1 }).tolist(), [2, 5]);
  assert.deepEqual(np.loadtxt(p, { usecols: [0, -1] }).tolist(), [[1, 3], [4, 6]]);
  // One row squeezes to 1-d, as numpy.
  assert.deepEqual(np.loadtxt(tmp("7 8 9\n")).shape, [3]);
  // One column gives 1-d.
  assert.deepEqual(np.loadtxt(tmp("1\n2\n3\n")).tolist(), [1, 2, 3]);
});

Deno.test("loadtxt: delimiter, skiprows, custom comments, dtype", () => {
  const p = tmp("x,y\n% note\n1,2\n3,4\n");
  assert.deepEqual(np.loadtxt(p, { delimiter: ",", skiprows: 1, comments: "%" }).tolist(), [[1, 2], [3, 4]]);
  const i = np.loadtxt(p, { delimiter: ",", skiprows: 2, dtype: "int32" });
  assert.equal(i.dtype, "int32");
  assert.deepEqual(i.tolist(), [[1, 2], [3, 4]]);
  throwsValue(() => np.loadtxt(tmp("1.5 2\n"), { dtype: "int32" }), /"1\.5"/, /line 1/, /int32/);
  // nan / inf are accepted as in numpy.
  const s = np.loadtxt(tmp("nan inf -inf 1e3\n")).tolist() as number[];
  assert.ok(Number.isNaN(s[0]));
  assert.deepEqual(s.slice(1), [Infinity, -Infinity, 1000]);
});

Deno.test("load_csv: header, columns by name and index, object of named columns", () => {
  const p = tmp("x,y,z\n1,2,3\n4,5,6\n7,8,9\n");
  const all = jnp.load_csv(p);
  assert.deepEqual(all.shape, [3, 3]);
  assert.deepEqual(jnp.load_csv(p, { columns: ["y"] }).tolist(), [2, 5, 8]);
  assert.deepEqual(jnp.load_csv(p, { columns: "z" }).tolist(), [3, 6, 9]);
  assert.deepEqual(jnp.load_csv(p, { columns: [0, 2] }).tolist(), [[1, 3], [4, 6], [7, 9]]);
  assert.deepEqual(jnp.load_csv(p, { columns: -1 }).tolist(), [3, 6, 9]);
  const { x, z } = jnp.load_csv(p, { columns: ["x", "z"] });
  assert.deepEqual(x.tolist(), [1, 4, 7]);
  assert.deepEqual(z.tolist(), [3, 6, 9]);
});

Deno.test("load_csv: no header, delimiter, quoted fields, dtype", () => {
  const p = tmp('1;"2"\n3;4\n');
  const a = jnp.load_csv(p, { header: false, delimiter: ";" });
  assert.deepEqual(a.tolist(), [[1, 2], [3, 4]]);
  assert.deepEqual(jnp.load_csv(p, { header: false, delimiter: ";", columns: [1] }).tolist(), [2, 4]);
  const i = jnp.load_csv(p, { header: false, delimiter: ";", dtype: "int32" });
  assert.equal(i.dtype, "int32");
  throwsValue(() => jnp.load_csv(p, { header: false, delimiter: ";", columns: ["x"] }), /needs a header/);
  throwsValue(() => jnp.load_csv(p, { header: false, delimiter: ";", columns: [5] }), /out of range/);
});

Deno.test("fixtures load to the right sizes and values", () => {
  const x = jnp.load_csv(fixture("normal100.csv"), { columns: ["x"] });
  assert.deepEqual(x.shape, [100]);
  close(x.tolist() as number[], reference("normal100.csv"));
  const t = np.loadtxt(fixture("normal100.csv"), { skiprows: 1 });
  assert.deepEqual(t.shape, [100]);
  close(t.tolist() as number[], reference("normal100.csv"));

  const p = jnp.load_csv(fixture("poisson1000.csv"), { dtype: "int32" });
  assert.deepEqual(p.shape, [1000]);
  assert.equal(p.dtype, "int32");
  assert.deepEqual(p.tolist(), reference("poisson1000.csv"));
  const pt = np.loadtxt(fixture("poisson1000.csv"), { skiprows: 1 });
  assert.deepEqual(pt.shape, [1000]);
  const want = reference("poisson1000.csv");
  assert.ok(Math.abs(jnp.mean(pt).item() - want.reduce((a, b) => a + b) / want.length) < 1e-4);
});

Deno.test("bad input: non-numeric field names line and column", () => {
  const p = tmp("x,y\n1,2\n3,4\n5,6\n7,8\n9,10\nabc,12\n");
  throwsValue(() => jnp.load_csv(p), /non-numeric field "abc"/, /line 7/, /column x/, new RegExp(p));
  throwsValue(() => np.loadtxt(p, { delimiter: ",", skiprows: 1 }), /non-numeric field "abc"/, /line 7/, /column 0/);
  throwsValue(() => jnp.load_csv(tmp("x,y\n1,\n")), /empty field/, /line 2/, /column y/);
});

Deno.test("bad input: ragged rows", () => {
  throwsValue(() => jnp.load_csv(tmp("x,y\n1,2\n3\n")), /ragged/, /line 3 has 1 field/, /expected 2/);
  throwsValue(() => np.loadtxt(tmp("1 2\n3 4 5\n")), /ragged/, /line 2 has 3 field/);
});

Deno.test("bad input: missing column name, empty file, header only, malformed", () => {
  throwsValue(() => jnp.load_csv(tmp("x,y\n1,2\n"), { columns: ["w"] }), /missing column name "w"/, /line 1/, /"x"/);
  throwsValue(() => jnp.load_csv(tmp("")), /empty file/);
  throwsValue(() => np.loadtxt(tmp("# only a comment\n\n")), /empty file/);
  throwsValue(() => jnp.load_csv(tmp("x,y\n")), /no data rows/);
  throwsValue(() => jnp.load_csv(tmp('x\n"1\n')), /malformed CSV/, /line/);
});

Deno.test("file not found names the path", () => {
  const missing = `${dir}/does-not-exist.csv`;
  for (const f of [() => jnp.load_csv(missing), () => np.loadtxt(missing)]) {
    assert.throws(f, (e: unknown) => {
      assert.ok(e instanceof Deno.errors.NotFound);
      assert.match((e as Error).message, /file not found/);
      assert.ok((e as Error).message.includes(missing));
      return true;
    });
  }
});

Deno.test({
  name: "cleanup temp files",
  fn: () => Deno.removeSync(dir, { recursive: true }),
});
