/**
 * The JSDoc examples of mod.ts and lib/ run, as `deno test --doc mod.ts lib/`
 * runs them, but all in this one process: `deno test --doc` starts a new
 * isolate that loads the library per code block (~0.4 s each, minutes for all
 * of them), here a block is a module imported into the running test, with
 * the library already loaded. Type checking the blocks is `deno check --doc
 * mod.ts lib/` (in `deno task check` and `.ci/run`).
 *
 * Like `deno test --doc`: fenced blocks tagged ts/js (tsx, jsx, typescript,
 * javascript) inside JSDoc comments run, `ignore` blocks do not; `"@jaxd/jaxd"`
 * and relative imports resolve as they would from the documented file, and
 * the documented file's exports that a block uses without importing are
 * imported for it.
 * Unlike it, the blocks share one process, so each block's changes to
 * `jax.config` are undone after it.
 */

import assert from "node:assert/strict";
import { jax } from "../mod.ts";

const ROOT = new URL("../", import.meta.url);
const MOD = new URL("mod.ts", ROOT).href;
const RUNNABLE = new Set(["ts", "typescript", "js", "javascript", "tsx", "jsx"]);

/** A code block of a JSDoc comment. */
interface Block {
  /** `lib/plot.ts#41-47`: the file and the block's lines, named as `deno test --doc` names them. */
  name: string;
  file: URL;
  code: string;
}

function* sourceFiles(dir: URL): Generator<URL> {
  for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* sourceFiles(url);
    else if (e.name.endsWith(".ts")) yield url;
  }
}

/** The runnable fenced code blocks inside the JSDoc comments of a file. */
export function extractBlocks(file: URL, text: string): Block[] {
  const rel = file.href.slice(ROOT.href.length);
  const blocks: Block[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, m.index).split("\n").length;
    const lines = m[0].split("\n").map((l) => l.replace(/^\s*(\/\*\*|\*\/|\*)? ?/, "").replace(/\*\/$/, ""));
    let open: { line: number; run: boolean; body: string[] } | null = null;
    lines.forEach((l, i) => {
      const fence = /^\s*```\s*([\w-]*)\s*(.*)$/.exec(l);
      if (fence && open === null) {
        const attrs = fence[2].split(/\s+/);
        open = {
          line: firstLine + i,
          run: RUNNABLE.has(fence[1].toLowerCase()) && !attrs.includes("ignore"),
          body: [],
        };
      } else if (fence && open !== null) {
        if (open.run) {
          blocks.push({ name: `${rel}#${open.line}-${firstLine + i + 1}`, file, code: open.body.join("\n") });
        }
        open = null;
      } else if (open !== null) {
        open.body.push(l);
      }
    });
  }
  return blocks;
}

/** The block as a module: its imports resolved as from its own file, the file's exports it uses imported. */
function toModule(b: Block, exported: readonly string[] = []): string {
  const code = b.code.replace(/(from\s+|import\s+|import\()(["'])([^"']+)\2/g, (all, pre, q, spec: string) => {
    if (spec === "@jaxd/jaxd") return `${pre}${q}${MOD}${q}`;
    if (spec.startsWith("./") || spec.startsWith("../")) return `${pre}${q}${new URL(spec, b.file).href}${q}`;
    return all;
  });
  const imported = [...code.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}/g)].flatMap((m) =>
    m[1].split(",").map((n) => n.trim().split(/\s+as\s+/).at(-1)!.replace(/^type\s+/, ""))
  );
  const declared = [...code.matchAll(/\b(?:const|let|var|function|class)\s+(\w+)/g)].map((m) => m[1]);
  const used = exported.filter((n) =>
    n !== "default" && !imported.includes(n) && !declared.includes(n) && new RegExp(`(?<![\\w.$])${n}\\b`).test(code)
  );
  return (used.length ? `import { ${used.join(", ")} } from "${b.file.href}";\n` : "") + code;
}

const files = [new URL("mod.ts", ROOT), ...sourceFiles(new URL("lib/", ROOT))];
const blocks = files.flatMap((f) => extractBlocks(f, Deno.readTextFileSync(f)));

Deno.test("the extractor finds blocks, tags and lines as deno test --doc does", () => {
  const text = [
    "/**",
    " * Text.",
    " *",
    " * @example",
    " * ```ts",
    ' * import { jnp } from "@jaxd/jaxd";',
    " * jnp.ones([2]);",
    " * ```",
    " * ```sh",
    " * deno task test",
    " * ```",
    " * ```ts ignore",
    " * notRun();",
    " * ```",
    " */",
  ].join("\n");
  const found = extractBlocks(new URL("lib/x.ts", ROOT), "\n" + text);
  assert.deepEqual(found.map((b) => [b.name, b.code]), [[
    "lib/x.ts#6-10",
    'import { jnp } from "@jaxd/jaxd";\njnp.ones([2]);',
  ]]);
  assert.match(toModule(found[0]), new RegExp(`from "${MOD.replace(/[.]/g, "\\.")}"`));
  // Exports of the documented file that a block uses bare are imported from it.
  const own = toModule({ ...found[0], code: "const y = helper(2) + other;" }, ["helper", "y", "unused"]);
  assert.equal(own, `import { helper } from "${found[0].file.href}";\nconst y = helper(2) + other;`);
  assert.ok(blocks.length > 100, `only ${blocks.length} examples found`);
});

Deno.test({
  name: "every JSDoc example in mod.ts and lib/ runs",
  // Examples may start timers or leave resources (a backend, a temp file) behind.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "jaxd-doc-" });
    try {
      for (const [i, b] of blocks.entries()) {
        await t.step(b.name, async () => {
          const path = `${dir}/${i}_${b.name.replace(/[^\w.-]+/g, "_")}.ts`;
          const exported = Object.keys(await import(b.file.href));
          await Deno.writeTextFile(path, toModule(b, exported));
          const x64 = jax.config.read("jax_enable_x64"), platforms = jax.config.read("jax_platforms");
          try {
            await import(new URL(`file://${path}`).href);
          } finally {
            if (jax.config.read("jax_enable_x64") !== x64) jax.config.update("jax_enable_x64", x64);
            if (jax.config.read("jax_platforms") !== platforms) jax.config.update("jax_platforms", platforms);
          }
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
