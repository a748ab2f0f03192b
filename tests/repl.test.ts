/**
 * The REPL prelude (repl.ts), driven the way a user drives it: `deno repl`
 * (and `deno task repl`) with commands on piped stdin. The prelude changes
 * the working directory and globals, so it only ever runs in a subprocess.
 */

import { equal, ok } from "node:assert/strict";
import { jax, jnp, lax, np } from "@jaxd/jaxd";

const repoRoot = new URL("../", import.meta.url);
const replTs = new URL("../repl.ts", import.meta.url);
const version: string = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url))).version;

/** Runs `deno <args>` with `lines` on stdin (then `close()`); returns stdout and stderr. */
async function drive(args: string[], lines: string[], cwd: string | URL = repoRoot): Promise<[string, string]> {
  // A user's shell: no INIT_CWD inherited from an enclosing `deno task test`.
  const env = Deno.env.toObject();
  delete env.INIT_CWD;
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    clearEnv: true,
    env: { ...env, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode([...lines, "close()", ""].join("\n")));
  await writer.close();
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  equal(out.code, 0, `deno ${args.join(" ")} exited with ${out.code}:\n${stdout}\n${stderr}`);
  return [stdout, stderr];
}

function includes(text: string, part: string, what: string) {
  ok(text.includes(part), `${what}: expected ${JSON.stringify(part)} in:\n${text}`);
}

Deno.test("deno repl --eval-file=repl.ts: banner, globals, array display, help", async () => {
  const [stdout, stderr] = await drive(
    ["repl", "--allow-all", `--eval-file=${replTs.pathname}`],
    [
      "jnp.arange(4).mul(2)",
      "jax.grad((x) => x.mul(x).sum())(jnp.array([1, 2]))",
      "typeof lax.scan + ' ' + typeof np.random.normal",
      "help(jax.grad)",
      "help(jnp.tanh)",
      'help("lax.scan")',
    ],
  );
  ok(!/error/i.test(stderr), `stderr:\n${stderr}`);
  const banner = stdout.split("\n")[0];
  includes(banner, `jaxd ${version} on ${jax.devices()[0].platform}`, "banner");
  includes(banner, "help(", "banner");
  includes(stdout, "Array([0, 2, 4, 6], dtype=int32)", "jnp.arange(4).mul(2)");
  includes(stdout, "Array([2., 4.], dtype=float32)", "grad");
  includes(stdout, '"function function"', "lax and np globals");
  includes(stdout, "jax.grad(f, { argnums, hasAux }) -> function", "help(jax.grad)");
  includes(stdout, "jnp.tanh(x)", "help of a function outside the table (its signature)");
  includes(stdout, "lax.scan(f, init, xs, { length, reverse }) -> [carry, ys]", "help by name");
});

Deno.test("deno task repl works from a subdirectory and from outside the repo", async () => {
  const sub = new URL("fixtures/", import.meta.url);
  const [fromSub] = await drive(["task", "repl"], ["jnp.arange(4).mul(2)", "Deno.cwd()"], sub);
  includes(fromSub, "Array([0, 2, 4, 6], dtype=int32)", "deno task repl in tests/fixtures");
  // The session runs where the user started it, not in the repository root.
  includes(fromSub, JSON.stringify(Deno.realPathSync(sub).replace(/\/$/, "")), "cwd of the session");

  const outside = await Deno.makeTempDir({ dir: "/tmp", prefix: "jaxd-repl-" });
  try {
    const config = new URL("deno.json", repoRoot).pathname;
    const [fromOutside] = await drive(["task", "--config", config, "repl"], ["jnp.arange(4).mul(2)"], outside);
    includes(fromOutside, "Array([0, 2, 4, 6], dtype=int32)", "deno task --config .../deno.json repl");
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("every function in repl.ts's help table exists", () => {
  const source = Deno.readTextFileSync(replTs);
  const names = [...source.matchAll(/^\s*\["((?:jnp|jax|lax|np)\.[\w.]+)",/gm)].map((m) => m[1]);
  ok(names.length > 40, `found only ${names.length} rows in the help table`);
  const roots: Record<string, unknown> = { jnp, jax, lax, np };
  const missing = names.filter((name) => {
    const [root, ...rest] = name.split(".");
    // deno-lint-ignore no-explicit-any
    let v: any = roots[root];
    for (const k of rest) v = v?.[k];
    return v === undefined;
  });
  equal(missing.join(", "), "", "names in the help table that the library does not export");
});
