#!/usr/bin/env python3
"""Generate float32 golden values for jax.scipy.special (lib/scipy.ts).

Run with a Python that has JAX and SciPy (the project uses ~/jaxenv):

    JAX_PLATFORMS=cpu ~/jaxenv/bin/python scripts/gen_special32_golden.py

Writes tests/fixtures/special32_golden.json as

    {fn: [[arg0, ..., jax_float32_value, reference], ...], "logsumexp": [...], "_meta": {...}}

Every argument is a float32 number (written as the float64 of it, so it is
exact). `jax_float32_value` is jax.scipy.special.<fn> evaluated by JAX on
the CPU with x64 off, i.e. what a JAX user gets in float32. `reference` is
scipy.special in float64 at the same (float32) arguments: the true value to
~1e-15, so the test can tell our error from JAX's own where the two differ.
Non-finite numbers are the strings "inf", "-inf" and "nan".

gammainc_da rows hold d/da gammainc(a, x): JAX's float32 gradient and a
central difference of SciPy's float64 gammainc.

logsumexp rows are objects {a, b (or null), axis (or null), jax, ref} over
small 2-d arrays (full and per-axis reductions, weights of both signs,
-inf entries, large magnitudes).

The grids are deterministic (fixed seed) and span float32's range: tiny and
huge arguments, the neighbourhoods of poles and zeros, and both tails.
"""

import json
import math
import os

import numpy as np
import scipy
import scipy.special as sp

import jax

jax.config.update("jax_enable_x64", False)
import jax.numpy as jnp  # noqa: E402
import jax.scipy.special as js  # noqa: E402

rng = np.random.default_rng(20241202)
F32 = np.float32


def f32list(xs):
    """Unique float32 values (as Python floats), keeping order."""
    out, seen = [], set()
    for x in xs:
        v = float(F32(x))
        key = "nan" if math.isnan(v) else (v, math.copysign(1.0, v))
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def logrand(lo, hi, n):
    return list(10.0 ** rng.uniform(lo, hi, n))


def enc(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def rows1(name, xs, ref):
    xs = f32list(xs)
    got = np.asarray(getattr(js, name)(jnp.asarray(np.array(xs, dtype=F32))), dtype=np.float64)
    return [[enc(x), enc(g), enc(ref(x))] for x, g in zip(xs, got)]


def rows2(name, pairs, ref, jaxf=None):
    a = np.array([F32(p[0]) for p in pairs], dtype=F32)
    b = np.array([F32(p[1]) for p in pairs], dtype=F32)
    f = jaxf or getattr(js, name)
    got = np.asarray(f(jnp.asarray(a), jnp.asarray(b)), dtype=np.float64)
    return [[enc(x), enc(y), enc(g), enc(ref(float(x), float(y)))] for x, y, g in zip(a, b, got)]


out = {}

tiny = [1e-38, 1e-30, 1e-20, 1e-10, 1e-6, 1e-4, 1e-2]
moderate = list(np.arange(0.05, 12.0, 0.13)) + [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
near12 = [1 - 2**-20, 1 + 2**-20, 2 - 2**-20, 2 + 2**-20, 0.999, 1.001, 1.999, 2.001, 1.4616321, 1.46, 1.47]
large = [12.5, 20.0, 50.0, 100.0, 171.5, 1e3, 1e4, 1e5, 1e6, 1e10, 1e20, 1e30, 3e36, 3.4e38]
negs = [-0.5, -0.7, -1.5, -2.5, -3.3, -4.5, -10.3, -10.5, -20.7, -33.3, -100.5, -1 - 2**-16, -1 + 2**-16, -2 - 2**-14]

# gammaln / digamma / polygamma
out["gammaln"] = rows1("gammaln", tiny + moderate + near12 + large + negs + logrand(-5, 6, 40) + [0.0, -1.0, -2.0, math.inf], lambda x: sp.gammaln(x))
dig_x = tiny + moderate + near12 + large[:-3] + negs + logrand(-5, 6, 40)
out["digamma"] = rows1("digamma", dig_x, lambda x: sp.digamma(x))
pg = []
for n in [1, 2, 3]:
    xs = f32list([1e-3, 0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 5.0, 9.99, 10.0, 12.3, 20.0, 55.5, 100.0, 1e3, 1e4] + list(rng.uniform(0.05, 30, 20)) + [-0.5, -1.5, -2.3])
    pg += rows2("polygamma", [(n, x) for x in xs], lambda n_, x: sp.polygamma(int(n_), x),
                jaxf=lambda nn, x: js.polygamma(nn.astype(jnp.int32), x))
out["polygamma"] = pg

# erf / erfc / erfinv
ex = tiny + [-t for t in tiny] + list(np.arange(-6.0, 6.01, 0.1)) + [0.47, 0.5, 0.53, 2.0, 6.5, 8.0, 9.0, 9.1, 9.19, 10.0, 15.0, -8.0, -10.0] + list(rng.uniform(-5, 5, 40))
out["erf"] = rows1("erf", ex, lambda x: sp.erf(x))
out["erfc"] = rows1("erfc", ex, lambda x: sp.erfc(x))
ix = [1e-30, 1e-10, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999] + [1 - 2.0**-k for k in range(10, 25, 2)] + list(rng.uniform(0, 1, 30))
out["erfinv"] = rows1("erfinv", ix + [-x for x in ix] + [0.0, 1.0, -1.0], lambda x: sp.erfinv(x))

# ndtr / ndtri / log_ndtr
nx = list(np.arange(-12.0, 8.01, 0.25)) + [-37.0, -20.0, -13.0, -13.2, -5.0, -4.99, 0.70710677, -0.70710677, 5.0, 5.01, 9.0, 10.0] + list(rng.uniform(-12, 8, 30)) + tiny
out["ndtr"] = rows1("ndtr", nx, lambda x: sp.ndtr(x))
px = [1e-38, 1e-30, 1e-20, 1e-14, 1e-10, 1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.1353, 0.1354, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.8646, 0.8647, 0.9, 0.95, 0.99, 0.999]
px += [1 - 2.0**-k for k in range(10, 25, 2)] + list(rng.uniform(0, 1, 30)) + logrand(-37, -1, 30) + [0.0, 1.0]
out["ndtri"] = rows1("ndtri", px, lambda p: sp.ndtri(p))
lx = [-1e4, -1e3, -100.0, -40.0, -20.0, -10.5, -10.0, -9.99, -9.0] + list(np.arange(-8.0, 8.01, 0.25)) + [4.99, 5.0, 5.01, 8.0, 10.0, 15.0, 30.0] + list(rng.uniform(-50, 20, 30)) + tiny
out["log_ndtr"] = rows1("log_ndtr", lx, lambda x: sp.log_ndtr(x))

# expit / logit
out["expit"] = rows1("expit", list(np.arange(-20.0, 20.01, 0.5)) + [-100.0, -88.0, -80.0, 16.0, 17.0, 30.0, 88.0, 100.0] + tiny + [-t for t in tiny], lambda x: sp.expit(x))
lg = [1e-38, 1e-30, 1e-10, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.4, 0.49, 0.5, 0.51, 0.6, 0.75, 0.9, 0.99, 0.999] + [1 - 2.0**-k for k in range(10, 25, 2)] + list(rng.uniform(0, 1, 30)) + [0.0, 1.0]
out["logit"] = rows1("logit", lg, lambda x: sp.logit(x))

# xlogy / xlog1py
xs_ = [0.0, 1e-30, 1e-3, 0.5, 1.0, 3.0, -2.0, 1e10]
ys_ = [0.0, 1e-38, 1e-20, 1e-3, 0.5, 1.0, 1.0001, 2.0, 1e10, 1e30]
out["xlogy"] = rows2("xlogy", [(x, y) for x in xs_ for y in ys_], lambda x, y: sp.xlogy(x, y))
y1 = [-1.0, -0.999, -0.5, -1e-3, -1e-8, 0.0, 1e-30, 1e-10, 1e-6, 1e-3, 0.5, 1.0, 1e10, 1e30]
out["xlog1py"] = rows2("xlog1py", [(x, y) for x in xs_ for y in y1], lambda x, y: sp.xlog1py(x, y))

# betaln
bp = [(0.1, 0.2), (0.5, 0.5), (1, 1), (1, 2), (2, 3), (2.5, 7.5), (7.9, 8.1), (8, 8), (9.9, 9.9), (0.001, 100), (0.5, 1e3), (1, 1e6), (1e6, 0.5), (12.5, 1e3), (1e3, 1e3), (1e5, 1e5), (1e5, 3), (50, 60), (1e-10, 1e-10), (1e-5, 20), (3, 1e7), (1e4, 2e4)]
bp += list(zip(logrand(-3, 5, 40), logrand(-3, 5, 40)))
out["betaln"] = rows2("betaln", bp, lambda a, b: sp.betaln(a, b))

# gammainc / gammaincc (P and Q)
gp = []
for a in [0.1, 0.5, 1.0, 2.5, 10.0, 20.5, 100.0, 1000.0]:
    for f in [1e-3, 0.1, 0.5, 0.9, 1.0, 1.1, 2.0, 5.0]:
        gp.append((a, a * f))
    gp += [(a, 1e-20), (a, 1.0), (a, 30.0)]
gp += list(zip(logrand(-2, 3, 30), logrand(-2, 3, 30)))
out["gammainc"] = rows2("gammainc", gp, lambda a, x: sp.gammainc(a, x))
out["gammaincc"] = rows2("gammaincc", gp, lambda a, x: sp.gammaincc(a, x))

# d/da gammainc(a, x) (JAX's igamma_grad_a), float32; the reference is a
# central difference of SciPy's float64 gammainc (step 1e-5 a: error ~1e-10).
def dgda(a, x):
    h = 1e-5 * a
    return (sp.gammainc(a + h, x) - sp.gammainc(a - h, x)) / (2 * h)


gda = [(a, x) for a, x in gp if 1e-10 < sp.gammainc(a, x) < 1 - 1e-7 and a <= 1000]
out["gammainc_da"] = rows2("gammainc_da", gda, dgda, jaxf=jax.vmap(jax.grad(js.gammainc, argnums=0)))

# logsumexp
lse = []
cases = [
    (rng.normal(size=(3, 4)) * 3, None, None),
    (rng.normal(size=(3, 4)) * 3, None, 0),
    (rng.normal(size=(3, 4)) * 3, None, 1),
    (rng.normal(size=(2, 5)) * 30 + 80, None, 1),
    (np.array([[1e30, 1e30 - 1e24, -1e30], [-np.inf, 0.0, 1.0]]), None, 1),
    (np.array([[-np.inf, -np.inf], [0.0, -np.inf]]), None, 1),
    (np.array([[-100.0, -101.0, -102.0], [0.0, 1e-7, -1e-7]]), None, None),
    (rng.normal(size=(3, 4)), rng.uniform(0.1, 2, size=(3, 4)), 1),
    (rng.normal(size=(3, 4)), rng.uniform(0.1, 2, size=(4,)), 0),
    (np.array([[0.0, 1.0, 2.0], [3.0, np.inf, 1.0]]), np.array([[1.0, -0.5, 0.25], [1.0, 0.0, 2.0]]), 1),
    (np.array([[0.0, 0.0], [5.0, 5.0]]), np.array([[1.0, -1.0], [2.0, -1.0]]), 1),
]
for a, b, axis in cases:
    a32 = a.astype(F32)
    b32 = None if b is None else b.astype(F32)
    got = js.logsumexp(jnp.asarray(a32), axis=axis, b=None if b32 is None else jnp.asarray(b32))
    with np.errstate(all="ignore"):
        ref = sp.logsumexp(a32.astype(np.float64), axis=axis, b=None if b32 is None else b32.astype(np.float64))
    enc_arr = lambda arr: [enc(v) for v in np.ravel(np.asarray(arr, dtype=np.float64))]
    lse.append({
        "a": [[enc(v) for v in row] for row in a32.astype(np.float64)],
        "b": None if b32 is None else (enc_arr(b32) if b32.ndim == 1 else [[enc(v) for v in row] for row in b32.astype(np.float64)]),
        "axis": axis,
        "jax": enc_arr(got),
        "ref": enc_arr(ref),
    })
out["logsumexp"] = lse

out["_meta"] = {"jax": jax.__version__, "scipy": scipy.__version__, "dtype": "float32", "backend": jax.default_backend()}

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
path = os.path.join(root, "tests", "fixtures", "special32_golden.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"), allow_nan=False)
    f.write("\n")
print(f"wrote {path}: " + ", ".join(f"{k}={len(v)}" for k, v in out.items() if k != "_meta"))
