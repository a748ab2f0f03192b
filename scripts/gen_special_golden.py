#!/usr/bin/env python3
"""Generate golden values for lib/kernel/special.ts.

Run with a Python that has SciPy and JAX (the project uses ~/jaxenv):

    ~/jaxenv/bin/python scripts/gen_special_golden.py

Writes tests/fixtures/special_golden.json as

    {fn: [[arg0, ..., expected], ...], ...}

with non-finite numbers encoded as the strings "inf", "-inf" and "nan".
Every expected value is scipy.special in float64, except at the singular
points below, where SciPy and JAX disagree and lib/kernel/special.ts follows
JAX (see the module doc there); the script asks JAX for these values:

  - digamma at 0 and -0: SciPy gives -inf / +inf, JAX gives nan.
  - polygamma(n, pole) for even n >= 2: SciPy gives -inf, JAX gives nan
    (the two one-sided limits are -inf and +inf).
  - gammaln(-inf): SciPy gives -inf, JAX gives +inf (= log|Gamma| at the
    accumulation point of poles, consistent with +inf at every pole).

Where JAX's value is the odd one out (polygamma(n, +inf) is nan in JAX but
the limit 0 in SciPy; gammainc(inf, x) is nan in JAX but 0 in SciPy), SciPy
is kept. The grids are deterministic (fixed seed) so reruns are
reproducible.

SciPy is not exact everywhere (e.g. gammaln(1 - 1e-9) and digamma near
negative poles are off by ~1e-7 relative, polygamma(20, -4.5) is wrong
outright, gammainc(1000, 300) is off by ~3e-13 and gammainc(a, a - 5 sqrt(a))
by 3e-2 at a = 1e7 and 90% at a = 1e10). Every finite SciPy value
is therefore checked against mpmath (pure Python; taken from this
interpreter or borrowed from `python3` on PATH), evaluated at increasing
working precision until two precisions agree. Where SciPy differs from the
correctly rounded value by more than OVERRIDE_REL the mpmath value is
written instead; the rows replaced are listed on stderr and counted in the
"_meta" entry of the fixture. Without mpmath the SciPy values are written
unchecked (and a warning is printed).
"""

import json
import math
import os
import subprocess
import sys

import numpy as np
import scipy.special as sp

INF = math.inf
NAN = math.nan

rng = np.random.default_rng(20240531)


OVERRIDE_REL = 1.6e-15  # a few ulp


def load_mpmath():
    try:
        import mpmath

        return mpmath
    except ImportError:
        pass
    try:
        where = subprocess.check_output(
            ["python3", "-c", "import mpmath, os; print(os.path.dirname(os.path.dirname(mpmath.__file__)))"],
            text=True,
            stderr=subprocess.DEVNULL,
        ).strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    sys.path.append(where)
    try:
        import mpmath

        return mpmath
    except ImportError:
        return None


mp = load_mpmath()


def _mp_eval(fn, args):
    m = mp
    a = [m.mpf(v) if isinstance(v, float) else v for v in args]
    if fn == "lgamma":
        return m.re(m.loggamma(a[0]))
    if fn == "digamma":
        return m.digamma(a[0])
    if fn == "polygamma":
        return m.polygamma(int(a[0]), a[1])
    if fn == "erf":
        return m.erf(a[0])
    if fn == "erfc":
        return m.erfc(a[0])
    if fn == "erfinv":
        x = a[0]
        if abs(x) < 0.5:
            guess = m.mpf(sp.erfinv(float(x)))
            return m.findroot(lambda y: m.erf(y) - x, guess)
        q = 1 - abs(x)  # exact in mp
        guess = m.mpf(sp.erfcinv(float(q)))
        y = m.findroot(lambda y: m.log(m.erfc(y)) - m.log(q), guess)
        return y if x > 0 else -y
    if fn == "ndtri":
        p = a[0]
        q = min(p, 1 - p)  # exact in mp
        guess = m.mpf(sp.ndtri(float(q)))
        t = m.findroot(lambda t: m.log(m.ncdf(t)) - m.log(q), guess)
        return t if p <= 0.5 else -t
    if fn == "log_ndtr":
        x = a[0]
        return m.log(m.ncdf(x)) if x < 0 else m.log1p(-m.ncdf(-x))
    if fn == "igamma":
        try:
            return m.gammainc(a[0], 0, a[1], regularized=True)
        except m.libmp.NoConvergence:  # large a: the upper function still works
            return 1 - m.gammainc(a[0], a[1], m.inf, regularized=True)
    if fn == "igammac":
        return m.gammainc(a[0], a[1], m.inf, regularized=True)
    if fn == "lbeta":
        return m.log(abs(m.beta(a[0], a[1])))
    raise KeyError(fn)


def mp_reference(fn, args):
    """Value of fn(args) (args are float64) to well beyond double precision."""
    prev = None
    for dps in (40, 80, 160, 320, 640):
        with mp.workdps(dps):
            try:
                v = _mp_eval(fn, args)
            except (OverflowError, ValueError, ZeroDivisionError, mp.libmp.NoConvergence):
                return None  # mpmath cannot do it (erfc(1e300), gammainc(1e12, x)); keep SciPy
            if prev is not None and (v == prev or abs(v - prev) <= abs(v) * mp.mpf(10) ** (-25)):
                return float(v)
            prev = v
    raise RuntimeError(f"mpmath did not settle for {fn}{tuple(args)}")


def enc(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def uniq(xs):
    seen = set()
    out = []
    for x in xs:
        x = float(x)
        key = "nan" if math.isnan(x) else (x, math.copysign(1.0, x))
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def logspace_rand(lo, hi, n):
    return list(10.0 ** rng.uniform(lo, hi, n))


def jax_values(name, args_list):
    """Evaluate jax.scipy.special.<name> in float64 on a list of arg tuples."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import jax.scipy.special as js

    f = getattr(js, name)
    return [float(f(*[jnp.float64(a) if not isinstance(a, int) else a for a in args])) for args in args_list]


# ---------------------------------------------------------------------------
# grids
# ---------------------------------------------------------------------------

tiny = [1e-300, 1e-200, 1e-100, 1e-20, 1e-10, 1e-5, 1e-3]
near0 = tiny + [-t for t in tiny] + [0.0, -0.0]
moderate = list(np.arange(0.05, 12.0, 0.05)) + [0.1, 0.3, 0.49, 0.5, 0.51, 0.99, 1.0, 1.01, 1.5, 1.99, 2.0, 2.01, 2.5, 3.0, 3.5]
around12 = [1 - 1e-9, 1 + 1e-9, 2 - 1e-9, 2 + 1e-9, 1 - 1e-3, 1 + 1e-3, 2 - 1e-3, 2 + 1e-3, 1.4616321449683622, 1.46, 1.47]
large = [12.0, 12.5, 15.0, 20.0, 33.3, 50.0, 100.0, 171.5, 1e3, 1e4, 1e5, 1e10, 1e15, 1e20, 1e100, 1e300]
negatives = [-0.5, -0.7, -1 - 1e-9, -1 + 1e-9, -1.5, -2 - 1e-9, -2 + 1e-9, -2.5, -3.3, -4.5, -10.3, -10.5, -20.7, -33.3, -100.5, -170.3, -1e5 + 0.3, -1e15 + 0.5]
poles = [-1.0, -2.0, -10.0, -1e300]
rand_pos = logspace_rand(-6, 6, 60)
rand_neg = [-x for x in logspace_rand(-3, 2.5, 40)]

out = {}

# lgamma
xs = uniq(near0 + moderate + around12 + large + [1e305, 2.5e305, 1e306, 1.7e308] + negatives + poles + rand_pos + rand_neg + [INF, -INF, NAN])
out["lgamma"] = [[x, sp.gammaln(x)] for x in xs]
for row in out["lgamma"]:
    if row[0] == -INF:
        row[1] = jax_values("gammaln", [(row[0],)])[0]  # JAX convention: +inf
        assert row[1] == INF

# digamma (x = 0 and -0 follow JAX: nan)
xs = uniq(near0 + moderate + around12 + large + [1.7e308] + negatives + poles + rand_pos + rand_neg + [INF, -INF, NAN])
dig = []
for x in xs:
    v = sp.digamma(x)
    if x == 0.0:
        v = jax_values("digamma", [(x,)])[0]
    dig.append([x, v])
out["digamma"] = dig

# polygamma: SciPy's Hurwitz zeta sums ~|x| terms for negative x, so keep
# negative arguments >= -1e5.
pg_x = uniq(tiny + [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.7, 5.0, 7.5, 9.99, 10.0, 12.3, 20.0, 55.5, 100.0, 1e3, 1e5, 1e10, 1e15, 1e100, 1e300]
            + [1 - 1e-9, 1 + 1e-9] + list(np.arange(0.1, 6.0, 0.1))
            + [x for x in negatives if x > -1e6] + [-1e-10, -1e-3, -0.3, -1.0, -2.0] + logspace_rand(-4, 4, 30) + [INF, NAN])
pg = []
for n in [0, 1, 2, 3, 4, 5, 7, 10, 20]:
    for x in pg_x:
        if n > 3 and abs(x) < 1e-100:
            continue  # x^-(n+1) overflows in both; nothing to learn
        v = sp.polygamma(n, x)
        is_pole = x <= 0 and x == math.floor(x)
        if is_pole and (n == 0 or n % 2 == 0):
            v = NAN  # JAX convention (checked below)
        pg.append([n, x, v])
# Check the JAX convention claim at the poles for even n.
jv = jax_values("polygamma", [(2, 0.0), (2, -1.0), (4, -2.0)])
assert all(math.isnan(v) for v in jv), jv
out["polygamma"] = pg

# erf / erfc
ex = uniq(near0 + list(np.arange(-6.0, 6.0001, 0.05)) + [0.4999, 0.5, 0.5001, 1.9999, 2.0, 2.0001, 6.5, 8.0, 10.0, 15.0, 20.0, 26.0, 26.5, 27.0, 27.2, 27.3, 30.0, 1e10, 1e300, -8.0, -10.0, -30.0]
          + list(rng.uniform(-7, 7, 60)) + [INF, -INF, NAN])
out["erf"] = [[x, sp.erf(x)] for x in ex]
out["erfc"] = [[x, sp.erfc(x)] for x in ex]

# erfinv
ix = [0.0, 1e-300, 1e-100, 1e-20, 1e-10, 1e-8, 1e-7, 1e-5, 1e-3, 0.01, 0.1, 0.25, 0.4999, 0.5, 0.5001, 0.75, 0.9, 0.99, 0.999, 0.9999]
ix += [1 - 2.0**-k for k in range(10, 54, 3)] + [1 - 2.0**-53]
ix += list(rng.uniform(0, 1, 40))
ix = uniq(ix + [-x for x in ix] + [1.0, -1.0, 1.5, -1.5, INF, NAN])
out["erfinv"] = [[x, sp.erfinv(x)] for x in ix]

# ndtri
px = [0.0, 5e-324, 1e-320, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 1e-3, 0.01, 0.02, 0.1, 0.2, 0.2499, 0.25, 0.2501, 0.3, 0.4, 0.49, 0.5, 0.51, 0.6, 0.7, 0.7499, 0.75, 0.7501, 0.8, 0.9, 0.975, 0.99, 0.999]
px += [1 - 2.0**-k for k in range(10, 54, 3)] + [1 - 2.0**-53, 1.0, -0.1, 1.1, INF, NAN]
px += list(rng.uniform(0, 1, 40)) + logspace_rand(-300, -1, 30)
out["ndtri"] = [[p, sp.ndtri(p)] for p in uniq(px)]

# log_ndtr
lx = [-1e10, -1e5, -1e3, -100.0, -40.0, -38.5, -37.5, -20.0, -10.0, -8.0] + list(np.arange(-6, 6.0001, 0.1)) + [8.0, 10.0, 20.0, 30.0, 37.0, 38.0, 40.0, 1e5, INF, -INF, NAN]
lx += list(rng.uniform(-50, 50, 40)) + near0
out["log_ndtr"] = [[x, sp.log_ndtr(x)] for x in uniq(lx)]

# igamma / igammac
ga = [1e-3, 0.1, 0.5, 1.0, 2.5, 10.0, 20.5, 100.0, 1000.0]
gam = []
for a in ga:
    xs = [1e-300, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1.0, 1.05, 1.1, 2.0, 5.0, 10.0, 30.0, 100.0, 300.0, 700.0, 1e3, 1e4]
    xs += [a * f for f in (0.5, 0.9, 0.99, 1.0, 1.01, 1.1, 2.0)] + [a - 1, a + 1, a + 3 * math.sqrt(a), max(a - 3 * math.sqrt(a), 1e-3)]
    for x in uniq([x for x in xs if x > 0]):
        gam.append([a, x])
gam += [[a, x] for a, x in zip(logspace_rand(-2, 3, 40), logspace_rand(-2, 3, 40))]
# Large a (uniform asymptotic regime): x within a few sqrt(a) of a, and
# around the |x - a| = a/10 switch to the series / continued fraction.
# (mpmath needs minutes per value beyond a ~ 1e10, so the grid stops there.)
for a in [1e4, 1e5, 3e5, 1e6, 1e7, 1e8, 1e10]:
    r = math.sqrt(a)
    for x in [a - 5 * r, a - r, a, a + r, a + 5 * r, 0.899 * a, 0.9 * a, 0.901 * a, 1.099 * a, 1.1 * a, 1.101 * a]:
        if 1e-300 < sp.gammainc(a, x) < 1 or 1e-300 < sp.gammaincc(a, x) < 1:
            gam.append([a, x])
gam += [[0.0, 1.0], [1.0, 0.0], [0.0, 0.0], [1.0, INF], [INF, 1.0], [-1.0, 1.0], [1.0, -1.0], [NAN, 1.0], [1.0, NAN]]
out["igamma"] = [[a, x, sp.gammainc(a, x)] for a, x in gam]
out["igammac"] = [[a, x, sp.gammaincc(a, x)] for a, x in gam]

# lbeta
lb = [(0.1, 0.2), (0.5, 0.5), (1, 2), (1, 1), (2, 3), (3, 4), (2.5, 7.5), (9.9, 9.9), (10, 10), (0.001, 100), (0.5, 1e3), (1, 1e10), (1e10, 0.5), (12.5, 1e3), (1e3, 1e3), (1e5, 1e5), (1e5, 3), (50, 60), (1e-10, 1e-10), (1e-5, 20)]
lb += [(a, b) for a, b in zip(logspace_rand(-3, 4, 30), logspace_rand(-3, 4, 30))]
out["lbeta"] = [[a, b, sp.betaln(a, b)] for a, b in lb]


def encode_rows(rows):
    return [[enc(v) for v in r] for r in rows]


meta = {"override_rel": OVERRIDE_REL, "checked_with_mpmath": mp is not None, "replaced": {}, "max_scipy_rel_err": {}}
if mp is None:
    print("warning: mpmath not found; writing unchecked SciPy values", file=sys.stderr)
else:
    for fn, rows in out.items():
        n_rep = 0
        worst = 0.0
        for row in rows:
            args, v = row[:-1], float(row[-1])
            if not math.isfinite(v) or any(isinstance(x, float) and not math.isfinite(x) for x in args):
                continue
            ref = mp_reference(fn, args)
            if ref is None or ref == v:
                continue
            err = abs(v - ref) / abs(ref) if ref != 0 else math.inf
            if ref == 0 or abs(ref) < 2.3e-308:  # underflow: compare absolutely
                err = 0.0 if abs(v - ref) < 1e-320 else math.inf
            worst = max(worst, err)
            if err > OVERRIDE_REL:
                print(f"  {fn}{tuple(args)}: scipy {v!r} -> mpmath {ref!r} (rel err {err:.2e})", file=sys.stderr)
                row[-1] = ref
                n_rep += 1
        meta["replaced"][fn] = n_rep
        meta["max_scipy_rel_err"][fn] = enc(worst)
out["_meta"] = meta


root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
path = os.path.join(root, "tests", "fixtures", "special_golden.json")
with open(path, "w") as f:
    json.dump({k: (v if k == "_meta" else encode_rows(v)) for k, v in out.items()}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {path}: " + ", ".join(f"{k}={len(v)}" for k, v in out.items() if k != "_meta"), file=sys.stderr)
print(json.dumps(meta), file=sys.stderr)
