/**
 * scripts/fit.ts as a subprocess: the estimates match the closed-form MLE
 * computed here from the CSV, and bad arguments exit 2 with a message.
 */

import assert from "node:assert/strict";

const script = new URL("../scripts/fit.ts", import.meta.url).pathname;
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function fit(...args: string[]): Promise<Run> {
  return await fitWith(["--allow-read", "--allow-env"], ...args);
}

async function fitWith(permissions: string[], ...args: string[]): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, script, ...args],
    env: { JAX_PLATFORMS: "cpu", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

interface Result {
  estimate: Record<string, number>;
  closed_form: Record<string, number>;
  n: number;
}
async function fitJson(...args: string[]): Promise<Result> {
  const r = await fit(...args, "--json");
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

/** Sample mean and (ddof 0) variance of a one-column CSV, computed independently. */
function stats(name: string): { mean: number; variance: number } {
  const v = Deno.readTextFileSync(fixture(name)).trim().split("\n").slice(1).map(Number);
  const mean = v.reduce((a, b) => a + b) / v.length;
  return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
}

function rel(got: number, want: number, tol: number, what: string) {
  assert.ok(Math.abs(got - want) <= tol * Math.abs(want), `${what}: ${got} vs ${want} (rtol ${tol})`);
}

const normal = fixture("normal100.csv");
const poisson = fixture("poisson1000.csv");

Deno.test("normal, Newton: sample mean and variance to ~1e-5", async () => {
  const s = stats("normal100.csv");
  const r = await fitJson("--csv", normal, "--model", "normal", "--method", "newton", "--steps", "20");
  assert.equal(r.n, 100);
  rel(r.estimate.mu, s.mean, 1e-5, "mu");
  rel(r.estimate.variance, s.variance, 1e-5, "variance");
  // The closed form is of the data as loaded (float32 here).
  rel(r.closed_form.mu, s.mean, 1e-6, "closed-form mu");
  rel(r.closed_form.variance, s.variance, 1e-6, "closed-form variance");
});

Deno.test("normal, Newton in float64: to 1e-10", async () => {
  const s = stats("normal100.csv");
  const r = await fitJson("--csv", normal, "--model", "normal", "--method", "newton", "--steps", "20", "--x64");
  rel(r.estimate.mu, s.mean, 1e-10, "mu");
  rel(r.estimate.variance, s.variance, 1e-10, "variance");
});

Deno.test("normal, gradient descent (jit + scan): sample mean and variance", async () => {
  const s = stats("normal100.csv");
  const r = await fitJson("--csv", normal, "--model", "normal", "--method", "gd", "--steps", "300", "--lr", "0.01");
  rel(r.estimate.mu, s.mean, 1e-4, "mu");
  rel(r.estimate.variance, s.variance, 1e-4, "variance");
});

Deno.test("poisson, both methods: the sample mean", async () => {
  const { mean } = stats("poisson1000.csv");
  const gd = await fitJson("--csv", poisson, "--model", "poisson", "--method", "gd", "--steps", "200");
  rel(gd.estimate.lambda, mean, 1e-5, "lambda (gd)");
  const nt = await fitJson("--csv", poisson, "--model", "poisson", "--method", "newton", "--steps", "15");
  rel(nt.estimate.lambda, mean, 1e-5, "lambda (newton)");
  rel(nt.closed_form.lambda, mean, 1e-12, "closed-form lambda");
});

Deno.test("plain output shows the estimate and the closed form", async () => {
  const r = await fit("--csv", normal, "--model", "normal", "--method", "newton", "--steps", "10", "--column", "x");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /estimate: +mu = 0\.6146880\d, variance = 1\.85139\d+/);
  assert.match(r.stdout, /closed form: +mu = 0\.6146880\d, variance = 1\.85139\d+/);
});

Deno.test("--plot writes the loss curve as svg, one loss per step plus the last", async () => {
  const path = await Deno.makeTempFile({ suffix: ".svg" });
  try {
    const args = ["--csv", normal, "--model", "normal", "--method", "gd", "--steps", "20", "--plot", path];
    const r = await fitWith(["--allow-read", "--allow-env", "--allow-write=/tmp"], ...args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`loss curve: ${path}`));
    const svg = await Deno.readTextFile(path);
    assert.match(svg, /^<svg /);
    assert.match(svg, /<text class="title"[^>]*>normal fit by gradient descent \(lr = 0\.01\)<\/text>/);
    assert.match(svg, /<text class="ylabel"[^>]*>negative log-likelihood<\/text>/);
    const d = svg.match(/<path class="series series-0 line" d="([^"]*)"/)![1];
    assert.equal(d.split("L").length, 21, "21 points: 20 steps and the final loss");
    // Without write permission: exit 2 and say why.
    const denied = await fit(...args);
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /cannot write/);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("--help exits 0 with usage", async () => {
  const r = await fit("--help");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: .*fit\.ts --csv FILE --model normal\|poisson/);
  assert.match(r.stdout, /--method/);
});

Deno.test("bad arguments exit 2 with a message on stderr", async () => {
  const cases: [string[], RegExp][] = [
    [["--csv", normal, "--model", "gamma"], /unknown model "gamma"/],
    [["--model", "normal"], /missing --csv/],
    [["--csv", normal], /missing --model/],
    [["--csv", normal, "--model", "normal", "--method", "sgd"], /unknown method "sgd"/],
    [["--csv", normal, "--model", "normal", "--steps", "ten"], /bad number for --steps: "ten"/],
    [["--csv", normal, "--model", "normal", "--steps", "1.5"], /bad number for --steps/],
    [["--csv", normal, "--model", "normal", "--lr=-1"], /bad number for --lr: "-1"/],
    [["--csv", normal, "--model", "normal", "--lr", "0"], /bad number for --lr: "0"/],
    [["--csv", normal, "--model", "normal", "--lr", "-1"], /'--lr' argument is ambiguous/],
    [["--csv", normal, "--model", "normal", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["--csv", "/tmp/jaxd-no-such-file.csv", "--model", "normal"], /file not found: \/tmp\/jaxd-no-such-file\.csv/],
    [["--csv", normal, "--model", "normal", "--column", "y"], /missing column name "y"/],
    [["--csv", normal, "--model", "poisson"], /needs counts/],
  ];
  for (const [args, pattern] of cases) {
    const r = await fit(...args);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
  }
});
