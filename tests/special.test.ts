// Golden tests for lib/kernel/special.ts.
//
// The fixture tests/fixtures/special_golden.json is written by
// scripts/gen_special_golden.py: scipy.special in float64, cross-checked
// against mpmath (rows where SciPy is off by more than four ulp carry the
// mpmath value instead), with JAX's conventions at a few singular points.
// So the expected values are (almost always) the correctly rounded results
// and the tolerances below measure our own error.

import assert from "node:assert/strict";
import {
  digamma,
  erf,
  erfc,
  erfinv,
  igamma,
  igammac,
  lbeta,
  lgamma,
  log_ndtr,
  ndtri,
  polygamma,
} from "../lib/kernel/special.ts";
import golden from "./fixtures/special_golden.json" with { type: "json" };

type Cell = number | string;
type Fixture = Record<string, Cell[][]>;

// A static JSON import needs no --allow-read.
const fixture = golden as unknown as Fixture;

const EPS = Number.EPSILON;
// Below the normal range a float64 has fewer than 53 significant bits, so
// compare subnormal results absolutely.
const SUBNORMAL_ABS = 1e-320;

function decode(c: Cell): number {
  if (typeof c === "number") return c;
  if (c === "inf") return Infinity;
  if (c === "-inf") return -Infinity;
  if (c === "nan") return NaN;
  throw new Error(`bad fixture cell ${c}`);
}

interface Tolerance {
  /** Relative tolerance. */
  rel: number;
  /** Absolute tolerance for this row (near zeros of the function). */
  abs?: (args: number[], expected: number) => number;
}

function checkRows(
  name: string,
  f: (...args: number[]) => number,
  tol: Tolerance,
): void {
  const rows = fixture[name];
  assert.ok(rows && rows.length > 0, `fixture has no rows for ${name}`);
  const failures: string[] = [];
  for (const row of rows) {
    const args = row.slice(0, -1).map(decode);
    const expected = decode(row[row.length - 1]);
    const got = f(...args);
    const where = `${name}(${args.join(", ")})`;
    if (Number.isNaN(expected) || !Number.isFinite(expected)) {
      if (!Object.is(got, expected)) {
        failures.push(`${where}: expected ${expected}, got ${got}`);
      }
      continue;
    }
    const err = Math.abs(got - expected);
    const allowed = Math.max(
      tol.rel * Math.abs(expected),
      tol.abs ? tol.abs(args, expected) : 0,
      SUBNORMAL_ABS,
    );
    if (!(err <= allowed)) {
      const rel = expected === 0 ? Infinity : err / Math.abs(expected);
      failures.push(
        `${where}: expected ${expected}, got ${got} (rel err ${rel.toExponential(2)}, allowed ${
          allowed.toExponential(2)
        })`,
      );
    }
  }
  assert.deepEqual(failures, [], `${failures.length} failures`);
}

Deno.test("lgamma matches golden values", () => {
  // Relative accuracy is attainable everywhere except near the zeros of
  // log|Gamma| on the negative axis (close to every pole, and between -2 and
  // -4): there the result is a difference of terms of size ~|x| log|x|
  // (reflection formula), so the error is absolute.
  checkRows("lgamma", lgamma, {
    rel: 1e-13,
    abs: ([x]) => 8 * EPS * (1 + Math.abs(x) * Math.log1p(Math.abs(x))),
  });
});

Deno.test("digamma matches golden values", () => {
  // Same reasoning as lgamma for the zeros of psi on the negative axis
  // (one between each pair of poles): psi(1 - x) ~ log|x| and pi cot(pi x)
  // cancel there. The positive zero is handled with relative accuracy.
  checkRows("digamma", digamma, {
    rel: 1e-13,
    abs: ([x]) => x < 0 ? 16 * EPS * (1 + Math.log1p(Math.abs(x))) : 0,
  });
});

Deno.test("polygamma matches golden values", () => {
  // For x < 0 the reflection formula subtracts pi^(n+1) cot^(n)(pi x) from
  // +-psi^(n)(1 - x); for even n the result has zeros where the two cancel,
  // so allow an absolute error relative to the size of the terms.
  checkRows("polygamma", polygamma, {
    rel: 1e-13,
    abs: ([n, x]) => x < 0 && n > 0 ? 16 * EPS * Math.abs(polygamma(n, 1 - x)) : 0,
  });
});

Deno.test("erf / erfc match golden values", () => {
  // erfc keeps full relative accuracy in the tail (exp(-x^2) is formed from
  // an exact split of x^2), so no looser tolerance is needed there.
  checkRows("erf", erf, { rel: 1e-14 });
  checkRows("erfc", erfc, { rel: 1e-14 });
});

Deno.test("erfinv / ndtri / log_ndtr match golden values", () => {
  checkRows("erfinv", erfinv, { rel: 1e-14 });
  checkRows("ndtri", ndtri, { rel: 1e-14 });
  checkRows("log_ndtr", log_ndtr, { rel: 1e-14 });
});

Deno.test("igamma / igammac match golden values", () => {
  // The prefactor x^a e^-x / Gamma(a) is, for large a (where Gamma(a) or
  // x^a overflows), evaluated as exp(y) with y ~ log(result); y itself
  // carries an absolute rounding error of a few eps * |y|, i.e. a relative
  // error of eps * |log(result)| in the result (up to ~1.6e-13 near the
  // underflow threshold). Elsewhere results are good to a few ulp.
  const tol: Tolerance = {
    rel: 1e-13,
    abs: (_args, expected) =>
      expected === 0 ? 0 : Math.abs(expected) * 4 * EPS * Math.abs(Math.log(Math.abs(expected))),
  };
  checkRows("igamma", igamma, tol);
  checkRows("igammac", igammac, tol);
});

Deno.test("lbeta matches golden values", () => {
  // log B(a, b) crosses zero (B = 1), where the terms lgamma(a), log(a + b)
  // etc. cancel: allow an absolute error relative to their size.
  checkRows("lbeta", lbeta, {
    rel: 1e-13,
    abs: ([a, b]) => 8 * EPS * (1 + Math.abs(Math.log(a)) + Math.abs(Math.log(b))),
  });
});

Deno.test("special: exact values and conventions", () => {
  assert.ok(Object.is(lgamma(1), 0));
  assert.ok(Object.is(lgamma(2), 0));
  assert.equal(lgamma(0), Infinity);
  assert.equal(lgamma(-0), Infinity);
  assert.equal(lgamma(-3), Infinity);
  assert.equal(lgamma(-Infinity), Infinity);
  assert.ok(Number.isNaN(lgamma(NaN)));

  // digamma: NaN at all poles (JAX), including +-0.
  for (const x of [0, -0, -1, -7, -Infinity, NaN]) {
    assert.ok(Number.isNaN(digamma(x)), `digamma(${x})`);
  }
  assert.equal(digamma(Infinity), Infinity);

  // polygamma: +inf at poles for odd n, NaN for even n; bad n gives NaN.
  assert.equal(polygamma(1, 0), Infinity);
  assert.equal(polygamma(3, -2), Infinity);
  assert.ok(Number.isNaN(polygamma(2, -1)));
  assert.ok(Number.isNaN(polygamma(1.5, 1)));
  assert.ok(Number.isNaN(polygamma(-1, 1)));
  assert.equal(polygamma(0, 2), digamma(2));
  assert.ok(Object.is(polygamma(1, Infinity), 0));
  assert.ok(Object.is(polygamma(2, Infinity), -0));

  assert.equal(erf(Infinity), 1);
  assert.equal(erf(-Infinity), -1);
  assert.equal(erfc(Infinity), 0);
  assert.equal(erfc(-Infinity), 2);
  assert.ok(Object.is(erf(-0), -0));

  assert.equal(erfinv(1), Infinity);
  assert.equal(erfinv(-1), -Infinity);
  assert.ok(Object.is(erfinv(-0), -0));
  assert.ok(Number.isNaN(erfinv(1.0000000000000002)));
  assert.ok(Number.isNaN(erfinv(-2)));

  assert.equal(ndtri(0), -Infinity);
  assert.equal(ndtri(1), Infinity);
  assert.equal(ndtri(0.5), 0);
  assert.ok(Number.isNaN(ndtri(-1e-300)));
  assert.ok(Number.isNaN(ndtri(1.5)));

  assert.equal(log_ndtr(-Infinity), -Infinity);
  assert.ok(Object.is(log_ndtr(Infinity), -0));

  assert.equal(igamma(1, 0), 0);
  assert.equal(igammac(1, 0), 1);
  assert.equal(igamma(0, 2), 1);
  assert.equal(igammac(0, 2), 0);
  assert.equal(igamma(3, Infinity), 1);
  assert.equal(igammac(3, Infinity), 0);
  assert.equal(igamma(Infinity, 3), 0);
  assert.equal(igammac(Infinity, 3), 1);
  for (const [a, x] of [[0, 0], [-1, 1], [1, -1], [NaN, 1], [1, NaN]]) {
    assert.ok(Number.isNaN(igamma(a, x)), `igamma(${a}, ${x})`);
    assert.ok(Number.isNaN(igammac(a, x)), `igammac(${a}, ${x})`);
  }
});

Deno.test("special: identities hold to rounding", () => {
  // P + Q = 1 across regimes.
  for (const a of [0.01, 0.5, 1, 3.5, 12, 150, 2000]) {
    for (const f of [0.01, 0.3, 0.9, 1, 1.1, 3, 20]) {
      const x = a * f;
      const s = igamma(a, x) + igammac(a, x);
      assert.ok(Math.abs(s - 1) < 4e-15, `P+Q at a=${a} x=${x}: ${s}`);
    }
  }
  // erf(erfinv(y)) = y and ndtri inverts the normal CDF.
  for (const y of [-0.999999, -0.7, -0.3, 1e-7, 0.2, 0.49, 0.51, 0.95]) {
    const back = erf(erfinv(y));
    assert.ok(Math.abs(back - y) <= 4 * EPS * Math.abs(y), `erf(erfinv(${y}))`);
  }
  for (const p of [1e-250, 1e-20, 0.001, 0.2, 0.5, 0.8, 0.999]) {
    const back = Math.exp(log_ndtr(ndtri(p)));
    assert.ok(Math.abs(back - p) <= 1e-13 * p, `Phi(ndtri(${p})) = ${back}`);
  }
  // lgamma recurrence and digamma as the derivative's recurrence.
  for (const x of [0.3, 1.7, 4.2, 11.9, 12.1, 40.5]) {
    const d = lgamma(x + 1) - lgamma(x) - Math.log(x);
    assert.ok(Math.abs(d) < 1e-14 * (1 + Math.abs(lgamma(x + 1))), `lgamma rec at ${x}`);
    const e = digamma(x + 1) - digamma(x) - 1 / x;
    assert.ok(Math.abs(e) < 1e-14 * (1 + Math.abs(digamma(x + 1))), `digamma rec at ${x}`);
  }
});
