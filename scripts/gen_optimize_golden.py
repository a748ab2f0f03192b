#!/usr/bin/env python3
"""Generate golden results for lib/optimize.ts (jax.scipy.optimize.minimize).

Run with a Python that has SciPy and JAX (the project uses ~/jaxenv):

    ~/jaxenv/bin/python scripts/gen_optimize_golden.py

Writes tests/fixtures/optimize_golden.json:

    {"problems": {name: {"x0", "data"?, "scipy": {...}, "jax64": {...}, "jax32": {...}}}}

For every problem the reference is scipy.optimize.minimize(method="BFGS")
in float64 with the analytic gradient (jac=True), gtol 1e-5 (SciPy's and
JAX's default): its x, fun, nit, nfev, njev, status and the gradient's
inf-norm at x. The same problem is also run through
jax.scipy.optimize.minimize(method="BFGS") in float64 and (in a child process with
x64 off) in float32, and those results are stored as well, so the tests can state where JAX's BFGS
stops short (e.g. float32 Rosenbrock: status 3, line search failed) and
check that jaxd's does not.

The data-dependent problems carry their data: the logistic regression's
design matrix and labels come from a fixed numpy seed; the normal NLL is the
tutorial's (tests/fixtures/normal100.csv, parameters [mu, log variance],
started from [3, 2] as in the tutorial).
"""

import csv
import json
import math
import os
import subprocess
import sys

import numpy as np
import scipy
import scipy.optimize as so

import jax

# The float32 JAX runs happen in a child process with x64 off (as a float32
# user would run it); this process runs SciPy's and JAX's float64 ones.
JAX32_ONLY = "--jax32" in sys.argv
jax.config.update("jax_enable_x64", not JAX32_ONLY)
import jax.numpy as jnp  # noqa: E402
import jax.scipy.optimize as jso  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

rng = np.random.default_rng(20241201)

# ---------------------------------------------------------------- data

# Quadratic 0.5 x'Ax - b'x with a fixed SPD A (condition number ~ 60).
M = rng.normal(size=(4, 4))
QA = M @ M.T + 0.5 * np.eye(4)
QB = rng.normal(size=4)

# Logistic regression: 60 rows, intercept + 2 features, labels drawn from a
# known weight vector (not separable, so the NLL has a finite minimum).
LX = np.column_stack([np.ones(60), rng.normal(size=(60, 2))])
LW = np.array([-0.5, 1.5, -2.0])
LY = (rng.uniform(size=60) < 1 / (1 + np.exp(-LX @ LW))).astype(np.float64)

with open(os.path.join(ROOT, "tests", "fixtures", "normal100.csv")) as f:
    NX = np.array([float(r["x"]) for r in csv.DictReader(f)])


def problems(xp):
    """The objectives, written once for numpy-like modules (numpy, jax.numpy)."""

    def rosen(x):
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    def quadratic(x):
        A = xp.asarray(QA, dtype=x.dtype)
        b = xp.asarray(QB, dtype=x.dtype)
        return 0.5 * xp.dot(x, xp.dot(A, x)) - xp.dot(b, x)

    def himmelblau(x):
        return (x[0] ** 2 + x[1] - 11.0) ** 2 + (x[0] + x[1] ** 2 - 7.0) ** 2

    def logistic(w):
        X = xp.asarray(LX, dtype=w.dtype)
        y = xp.asarray(LY, dtype=w.dtype)
        z = xp.dot(X, w)
        # log(1 + e^z) - y z, summed (softplus written stably)
        return xp.sum(xp.maximum(z, 0.0) + xp.log1p(xp.exp(-xp.abs(z))) - y * z)

    def normal_nll(theta):
        x = xp.asarray(NX, dtype=theta.dtype)
        mu = theta[0]
        variance = xp.exp(theta[1])
        n = x.shape[0]
        ll = -xp.sum((x - mu) ** 2) / (2.0 * variance) - 0.5 * n * xp.log(2 * math.pi * variance)
        return -ll

    return {
        "rosen2": (rosen, [-1.2, 1.0]),
        "rosen5": (rosen, [1.3, 0.7, 0.8, 1.9, 1.2]),
        "quadratic": (quadratic, [0.0, 0.0, 0.0, 0.0]),
        "himmelblau": (himmelblau, [0.0, 0.0]),
        "himmelblau_neg": (himmelblau, [-1.0, -1.0]),
        "logistic": (logistic, [0.0, 0.0, 0.0]),
        "normal_nll": (normal_nll, [3.0, 2.0]),
    }


def scipy_run(fun, x0):
    jfun = jax.jit(jax.value_and_grad(fun))

    def fg(x):
        v, g = jfun(jnp.asarray(x, dtype=jnp.float64))
        return float(v), np.asarray(g, dtype=np.float64)

    r = so.minimize(fg, np.asarray(x0, dtype=np.float64), jac=True, method="BFGS", options={"gtol": 1e-5})
    g = fg(r.x)[1]
    return {
        "x": [float(v) for v in r.x],
        "fun": float(r.fun),
        "nit": int(r.nit),
        "nfev": int(r.nfev),
        "njev": int(r.njev),
        "status": int(r.status),
        "success": bool(r.success),
        "gnorm": float(np.max(np.abs(g))),
    }


def jax_run(fun, x0, dtype):
    r = jso.minimize(fun, jnp.asarray(x0, dtype=dtype), method="BFGS")
    return {
        "x": [float(v) for v in r.x],
        "fun": float(r.fun),
        "nit": int(r.nit),
        "nfev": int(r.nfev),
        "njev": int(r.njev),
        "status": int(r.status),
        "success": bool(r.success),
        "gnorm": float(jnp.max(jnp.abs(r.jac))),
    }


if JAX32_ONLY:
    print(json.dumps({name: jax_run(fun, x0, jnp.float32) for name, (fun, x0) in problems(jnp).items()}))
    sys.exit(0)

jax32 = json.loads(subprocess.check_output([sys.executable, os.path.abspath(__file__), "--jax32"], text=True))

out = {
    "_meta": {"scipy": scipy.__version__, "jax": jax.__version__, "numpy": np.__version__, "gtol": 1e-5},
    "data": {
        "quadratic": {"A": QA.tolist(), "b": QB.tolist()},
        "logistic": {"X": LX.tolist(), "y": LY.tolist()},
    },
    "problems": {},
}
for name, (fun, x0) in problems(jnp).items():
    out["problems"][name] = {
        "x0": x0,
        "scipy": scipy_run(fun, x0),
        "jax64": jax_run(fun, x0, jnp.float64),
        "jax32": jax32[name],
    }

path = os.path.join(ROOT, "tests", "fixtures", "optimize_golden.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
for name, p in out["problems"].items():
    s, j6, j3 = p["scipy"], p["jax64"], p["jax32"]
    print(
        f"{name:15s} scipy nit={s['nit']:3d} nfev={s['nfev']:3d} f={s['fun']:.6g} | "
        f"jax64 nit={j6['nit']:3d} st={j6['status']} | jax32 nit={j3['nit']:3d} st={j3['status']} g={j3['gnorm']:.2g}"
    )
print(f"wrote {path}")
