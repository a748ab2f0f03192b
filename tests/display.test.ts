/**
 * Notebook display: NDArray's `[Symbol.for("Jupyter.display")]()` MIME bundle
 * (text/plain = repr, text/html = a table or a summary), HTML escaping, and
 * tracers shown as text without reading their values.
 */

import assert from "node:assert/strict";
import { jax, jnp } from "../mod.ts";
import type { NDArray } from "../mod.ts";
import { displayBundle, escapeHtml } from "../lib/display.ts";

const JUPYTER = Symbol.for("Jupyter.display");
const bundle = (x: NDArray): Record<string, string> =>
  (x as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER]();
const count = (s: string, sub: string) => s.split(sub).length - 1;

Deno.test("the Jupyter.display method returns displayBundle's text and html", () => {
  const x = jnp.array([1, 2, 3]);
  const b = bundle(x);
  assert.deepEqual(Object.keys(b).sort(), ["text/html", "text/plain"]);
  assert.equal(b["text/plain"], x.repr());
  assert.deepEqual(b, displayBundle(x));
});

Deno.test("0-d: a single cell", () => {
  const b = bundle(jnp.asarray(2.5, { dtype: "float32" }));
  assert.equal(b["text/plain"], "Array(2.5, dtype=float32)");
  const h = b["text/html"];
  assert.match(h, /^<table[^>]*>.*<\/table>$/);
  assert.equal(count(h, "<td>"), 1);
  assert.match(h, /<td>2\.5<\/td>/);
});

Deno.test("1-d: one row of cells", () => {
  const h = bundle(jnp.array([1, 2, 3], { dtype: "int32" }))["text/html"];
  assert.equal(count(h, "<tr>"), 1);
  assert.equal(count(h, "<td>"), 3);
  assert.match(h, /<td>1<\/td><td>2<\/td><td>3<\/td>/);
  assert.match(h, /<caption>Array int32\(3,\)<\/caption>/);
});

Deno.test("2-d: a table with row and column indices", () => {
  const h = bundle(jnp.array([[1.5, 2], [3, 4], [5, 6]]))["text/html"];
  assert.equal(count(h, "<tr>"), 4); // header + 3 rows
  assert.equal(count(h, "<td>"), 6);
  assert.match(h, /<tr><th><\/th><th>0<\/th><th>1<\/th><\/tr>/);
  assert.match(h, /<tr><th>2<\/th><td>5\.0<\/td><td>6\.0<\/td><\/tr>/);
  assert.match(h, /<caption>Array float32\(3, 2\)<\/caption>/);
});

Deno.test("bool arrays and weak types", () => {
  const b = bundle(jnp.array([true, false]));
  assert.match(b["text/html"], /<td>True<\/td><td>False<\/td>/);
  assert.match(bundle(jnp.array(3))["text/html"], /weak_type=True/);
});

Deno.test(">2-d, >1000 elements and empty arrays: a summary and the repr in <pre>", () => {
  for (
    const [x, shape] of [[jnp.ones([2, 2, 2]), "(2, 2, 2)"], [jnp.arange(2000), "(2000,)"], [
      jnp.zeros([0]),
      "(0,)",
    ]] as const
  ) {
    const b = bundle(x);
    const h = b["text/html"];
    assert.ok(!h.includes("<td>"), h.slice(0, 200));
    assert.ok(h.includes(`Array of shape ${shape}`), h.slice(0, 200));
    assert.ok(h.includes(`<pre>${escapeHtml(b["text/plain"])}</pre>`));
  }
  // The big one is summarised with "..." as the repr is.
  assert.match(bundle(jnp.arange(2000))["text/html"], /\.\.\./);
});

Deno.test("HTML escaping", () => {
  assert.equal(escapeHtml(`<a href="x">&'</a>`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  // inf and nan are plain text; nothing unescaped gets into the html.
  const h = bundle(jnp.array([Infinity, NaN, -1]))["text/html"];
  assert.match(h, /<td>inf<\/td><td>nan<\/td><td>-1\.0<\/td>/);
  const pre = bundle(jnp.ones([2, 1, 1]))["text/html"];
  assert.ok(!/<pre>[^<]*[<>"][^<]*<\/pre>/.test(pre));
});

Deno.test("tracers are not read: text only, no concretization error", () => {
  const seen: Record<string, string>[] = [];
  const f = (x: NDArray) => {
    seen.push(bundle(x));
    return x.mul(2);
  };
  jax.jit(f)(jnp.array([1, 2]));
  jax.make_jaxpr(f)(jnp.array([1, 2]));
  jax.vmap(f)(jnp.array([[1, 2]]));
  jax.grad((x: NDArray) => f(x).sum())(jnp.array([1, 2]));
  assert.equal(seen.length, 4);
  for (const b of seen) {
    assert.deepEqual(Object.keys(b), ["text/plain"]);
    assert.match(b["text/plain"], /^Traced</);
  }
});
