/**
 * The notebook path end to end: a real `deno jupyter` kernel, driven by
 * Python's jupyter_client (Debian's python3-jupyter-client; `.ci/run`
 * installs it), runs cells that import jaxd and checks what the kernel
 * sends the notebook: an array's text/html table and text/plain repr, a
 * figure's image/svg+xml, and `Deno.jupyter.display(fig)` mid-cell. Ignored
 * when jupyter_client is not installed.
 */

import assert from "node:assert/strict";

const MOD = new URL("../mod.ts", import.meta.url).href;

/** A python3 that can import jupyter_client, or null. */
async function findPython(): Promise<string | null> {
  for (const py of ["/usr/bin/python3", "python3"]) {
    try {
      const r = await new Deno.Command(py, { args: ["-c", "import jupyter_client"], stdout: "null", stderr: "null" })
        .output();
      if (r.success) return py;
    } catch {
      // not there
    }
  }
  return null;
}
const python = await findPython();

/** Runs the cells in one kernel; prints one JSON line per result the kernel sends. */
const DRIVER = `
import json, os, queue, sys
from jupyter_client.manager import start_new_kernel
cells = json.loads(sys.argv[1])
km, kc = start_new_kernel(kernel_name="deno", cwd=os.environ["CELL_CWD"])
cell_of, results = {}, []
def take(m):
    i = cell_of.get(m["parent_header"].get("msg_id"))
    t = m["msg_type"]
    if i is None:
        return None
    if t in ("execute_result", "display_data"):
        results.append({"cell": i, "type": t, "data": m["content"]["data"]})
    elif t == "error":
        results.append({"cell": i, "type": "error", "data": {"text/plain": m["content"]["evalue"]}})
    return i if t == "status" and m["content"]["execution_state"] == "idle" else None
try:
    for i, code in enumerate(cells):
        cell_of[kc.execute(code)] = i
        while take(kc.get_iopub_msg(timeout=120)) != i:
            pass
    # A busy kernel may publish a cell's result just after its idle status: drain what is left.
    try:
        while True:
            take(kc.get_iopub_msg(timeout=1))
    except queue.Empty:
        pass
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
for r in sorted(results, key=lambda r: r["cell"]):
    print(json.dumps(r), flush=True)
`;

interface Output {
  cell: number;
  type: string;
  data: Record<string, string>;
}

Deno.test({
  name: "deno jupyter: arrays show as tables, figures as inline SVG",
  ignore: python === null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "jaxd-jupyter-" });
    try {
      await Deno.mkdir(`${dir}/kernels/deno`, { recursive: true });
      await Deno.writeTextFile(
        `${dir}/kernels/deno/kernel.json`,
        JSON.stringify({
          argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
          display_name: "Deno",
          language: "typescript",
        }),
      );
      const cells = [
        `import { jnp, plot } from "${MOD}";\njnp.array([[1, 2], [3, 4]]);`,
        `plot.line([1, 3, 2], undefined, { title: "a <title>", label: "y" }).scatter([0, 1, 2], [2, 2, 2]);`,
        `const fig = plot.hist([1, 2, 2, 3], { bins: 3 });\nawait Deno.jupyter.display(fig);\n"after"`,
      ];
      const out = await new Deno.Command(python!, {
        args: ["-c", DRIVER, JSON.stringify(cells)],
        env: { JUPYTER_PATH: dir, CELL_CWD: dir, JAX_PLATFORMS: "cpu", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.ok(out.success, `the driver failed:\n${stderr}`);
      const results: Output[] = new TextDecoder().decode(out.stdout).trim().split("\n").filter((l) => l)
        .map((l) => JSON.parse(l));
      const errors = results.filter((r) => r.type === "error");
      assert.deepEqual(errors, [], "no cell raised");
      const [array, figure, shown, after] = results;

      assert.equal(array.cell, 0);
      assert.equal(array.type, "execute_result");
      assert.equal(array.data["text/plain"], "Array([[1., 2.],\n       [3., 4.]], dtype=float32)");
      assert.match(array.data["text/html"], /^<table class="jaxd-array">.*<td>4\.0<\/td>.*<\/table>$/);

      assert.equal(figure.cell, 1);
      assert.match(figure.data["image/svg+xml"], /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>$/);
      assert.ok(figure.data["image/svg+xml"].includes("a &lt;title&gt;"));
      assert.equal(
        figure.data["text/plain"],
        '<Figure "a <title>" 640x400, 2 series: line "y" (3 points), scatter (3 points)>',
      );

      assert.deepEqual([shown.cell, shown.type], [2, "display_data"]);
      assert.match(shown.data["image/svg+xml"], /^<svg /);
      assert.deepEqual([after.cell, after.type, after.data["text/plain"]], [2, "execute_result", '"after"']);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
