/**
 * jaxd as another project sees it. A temp directory outside the repository
 * gets a script and an import map `{"@jaxd/jaxd": "file:///…/mod.ts"}` (a
 * stand-in for `jsr:@jaxd/jaxd` while JSR is out of reach), and the script
 * runs type-checked with `deno run --check --import-map=…`.
 *
 * The README is checked the same way: its example runs as written and prints
 * what the README says, and every jaxd code span in its Python → jaxd table
 * is evaluated.
 */

import assert, { equal, ok } from "node:assert/strict";
import { ConcretizationError, jax, jnp, lax, np, plot } from "@jaxd/jaxd";

const modUrl = new URL("../mod.ts", import.meta.url).href;
const readme = Deno.readTextFileSync(new URL("../README.md", import.meta.url));

/** Writes `main.ts` and an import map to a fresh temp dir, runs it, returns stdout. */
async function runAsConsumer(source: string): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "jaxd-consumer-" });
  try {
    await Deno.writeTextFile(`${dir}/import_map.json`, JSON.stringify({ imports: { "@jaxd/jaxd": modUrl } }, null, 2));
    await Deno.writeTextFile(`${dir}/main.ts`, source);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--check", "--import-map=import_map.json", "main.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    equal(out.code, 0, `the consumer script failed (exit ${out.code}):\n${stdout}\n${stderr}`);
    return stdout;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a project outside the repo imports @jaxd/jaxd through an import map", async () => {
  const stdout = await runAsConsumer(`
import { jax, jnp, lax } from "@jaxd/jaxd";
import type { NDArray } from "@jaxd/jaxd";

const f = (x: NDArray): NDArray => jnp.sum(x.mul(x));
console.log(jax.grad(f)(jnp.array([1, 2, 3])));
console.log(jax.jit(f)(jnp.arange(4).astype("float32")).item());
const step = (c: NDArray, x: NDArray): [NDArray, NDArray] => [c.add(x), c];
const [total] = lax.scan(step, jnp.array(0.0), jnp.arange(5).astype("float32"));
console.log(\`\${total}\`);
`);
  equal(stdout, "Array([2., 4., 6.], dtype=float32)\n14\n10.0\n");
});

Deno.test("README: the example runs as written and prints what the README says", async () => {
  const code = /```ts\n([\s\S]*?)```/.exec(readme);
  const printed = /prints\n\n```text\n([\s\S]*?)```/.exec(readme);
  ok(code && printed, "README has a ```ts example followed by 'prints' and a ```text block");
  const stdout = await runAsConsumer(code[1]);
  ok(
    stdout.startsWith(printed[1]),
    `README example output differs.\nREADME says:\n${printed[1]}\nit prints:\n${stdout}`,
  );
});

/** The contents of markdown code spans: `a` and `` b`c ``. */
function codeSpans(text: string): string[] {
  const spans: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "`") continue;
    const fence = text.startsWith("``", i) ? "``" : "`";
    const end = text.indexOf(fence, i + fence.length);
    if (end < 0) break;
    spans.push(text.slice(i + fence.length, end).trim());
    i = end + fence.length - 1;
  }
  return spans;
}

Deno.test("README: every jaxd code span in the Python → jaxd table runs", async () => {
  const rows = readme.split("\n")
    .filter((l) => l.startsWith("| ") && l.endsWith(" |") && !l.startsWith("| ---") && !l.startsWith("| Python"))
    .map((l) => l.slice(2, -2).split(" | ").map((c) => c.trim()));
  ok(rows.length >= 25, `found only ${rows.length} rows in the README table`);
  // Names the snippets use, as in JAX's documentation.
  const x = jnp.array([1, 2, 3, 4]);
  const f = (a: jnp.NDArray) => jnp.sum(a.mul(a));
  const context: Record<string, unknown> = {
    jax,
    jnp,
    lax,
    np,
    x,
    y: jnp.array([4, 3, 2, 1]),
    A: jnp.arange(6).reshape(2, 3).astype("float32"),
    M: jnp.array([[2, 1], [1, 3]]),
    b: jnp.array([1, 2]),
    i: 1,
    j: 2,
    theta: jnp.array([0.5, 1.0, 2.0]),
    dx: jnp.ones([4]),
    ct: jnp.array(1.0),
    f,
    g: (a: jnp.NDArray) => jnp.sum(a).neg(),
    f_aux: (a: jnp.NDArray) => [jnp.sum(a.mul(a)), a.mul(2)],
    h: (a: jnp.NDArray, c: jnp.NDArray) => jnp.sum(a.mul(c)),
    k: (a: jnp.NDArray, n: number) => a.mul(n),
    step: (c: jnp.NDArray, _: null) => [c.add(1), c],
    init: jnp.array(0.0),
    body_i: (n: jnp.NDArray, c: jnp.NDArray) => c.add(n),
    cond: ([, n]: jnp.NDArray[]) => n.lt(3),
    body: ([a, n]: jnp.NDArray[]) => [a.mul(2), n.add(1)],
    plot,
    key: jax.random.key(0),
    tree: { w: jnp.ones([2]), b: [jnp.array(1.0)] },
    params: { w: jnp.ones([2]), b: 0 },
    y1: jnp.array([1, 2, 3, 4]),
    y2: jnp.array([2, 1, 0, 1]),
    t: "a title",
    a: "an axis label",
    // save() writes a file (tests/plot.test.ts checks it); here only that the call is right.
    fig: Object.assign(plot.line([1, 2]), { save: (path: string) => Promise.resolve(void path) }),
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const quiet = console.log;
  let ran = 0;
  for (const [python, jaxd] of rows) {
    for (const span of codeSpans(jaxd)) {
      if (span.startsWith("import ")) continue;
      const run = new AsyncFunction(...Object.keys(context), `{ ${span}\n}`);
      console.log = () => {};
      try {
        await run(...Object.values(context));
        ran++;
      } catch (e) {
        throw new Error(`README row ${python.replace(/^\| /, "")}: \`${span}\` failed: ${e}`);
      } finally {
        console.log = quiet;
      }
    }
  }
  jax.config.update("jax_enable_x64", false); // one row turns it on
  ok(ran >= 50, `only ${ran} snippets ran`);
});

Deno.test("README: the table's rows give JAX's values", async () => {
  const x = jnp.array([1, 2, 3, 4]);
  const A = jnp.arange(6).reshape(2, 3);
  const json = (a: jnp.NDArray) => JSON.stringify(a.tolist());
  equal(json(x.slice("1:3")), "[2,3]");
  equal(json(x.slice([1, 3])), "[2,3]");
  equal(json(A.slice(":, 0")), "[0,3]");
  equal(json(A.slice(null, 0)), "[0,3]");
  equal(json(x.slice("::-1")), "[4,3,2,1]");
  equal(json(A.slice("0, 1:")), "[1,2]");
  equal(A.get(1, 2).item(), 5);
  equal(x.get(-1).item(), 4);
  equal(json(x.at(1).set(5)), "[1,5,3,4]");
  equal(json(x.at(1).add(1)), "[1,3,3,4]");
  equal(jnp.zeros([3], { dtype: "int32" }).dtype, "int32");
  equal(json(jnp.sort(x, { descending: true })), "[4,3,2,1]");
  equal(json(jnp.argsort(x.neg())), "[3,2,1,0]");
  equal(jnp.median(x).item(), 2.5);
  equal([...A].length, 2);
  equal(json(jnp.sum(A, { axis: 0, keepdims: true })), "[[3,5,7]]");
  equal(
    json(jax.grad((a: jnp.NDArray, b: jnp.NDArray) => jnp.sum(a.mul(b)), { argnums: 1 })(x, x.mul(2))),
    "[1,2,3,4]",
  );
  const [v, g] = jax.value_and_grad((a: jnp.NDArray) => jnp.sum(a.mul(a)))(x);
  equal(v.item(), 30);
  equal(json(g), "[2,4,6,8]");
  const [carry, ys] = lax.scan(
    (c: jnp.NDArray, _: null): [jnp.NDArray, jnp.NDArray] => [c.add(1), c],
    jnp.array(0.0),
    null,
    {
      length: 3,
    },
  );
  equal(carry.item(), 3);
  equal(json(ys), "[0,1,2]");
  const [a, n] = lax.while_loop(([, n]: jnp.NDArray[]) => n.lt(3), ([a, n]: jnp.NDArray[]) => [a.mul(2), n.add(1)], [
    x,
    0,
  ]);
  equal(json(a), "[8,16,24,32]");
  equal(n.item(), 3);
  equal(json(lax.cond(x.sum().gt(0), (b: jnp.NDArray) => b.mul(2), (b: jnp.NDArray) => b.neg(), x)), "[2,4,6,8]");
  equal(json(jax.jit((b: jnp.NDArray) => jnp.where(b.gt(2), b, 0))(x)), "[0,0,3,4]");
  // The JS `if` pitfall, as documented: the branch is taken for negative values too.
  const pitfall = jax.jit((b: jnp.NDArray) => {
    if (b.sum().gt(0)) return b;
    return b.neg();
  });
  equal(json(pitfall(x.neg())), "[-1,-2,-3,-4]");
  // Reading a traced value raises inside jit and vmap; under grad values are concrete, as in JAX.
  assert.throws(() => jax.jit((b: jnp.NDArray) => (b.sum().item() > 0 ? b : b.neg()))(x), ConcretizationError);
  assert.throws(() => jax.vmap((b: jnp.NDArray) => (Number(b) > 0 ? b : b.neg()))(x), ConcretizationError);
  equal(
    jax.grad((b: jnp.NDArray) => (b.sum().item() > 0 ? jnp.sum(b) : jnp.sum(b).neg()))(x.neg()).tolist().join(),
    "-1,-1,-1,-1",
  );
  equal(`${x.sum()}`, "10.0");
  equal(x.repr(), "Array([1., 2., 3., 4.], dtype=float32)");
  equal([...(await x.data())].join(), "1,2,3,4");
});
