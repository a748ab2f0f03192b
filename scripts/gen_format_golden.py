"""Generate tests/fixtures/format_golden.json: how real JAX prints arrays.

Run with a Python that has jax and numpy installed, from the repo root:

    python scripts/gen_format_golden.py

Each case records the flat row-major values (floats as the float64 value of
the stored float16/float32/float64 number; nan/inf as the strings "nan",
"inf", "-inf"; bools as 0/1), the shape, the dtype name, whether JAX marks
the array weak-typed, and JAX's repr() and str() of it.

Nothing is left out on purpose: every quirk seen here is replicated by
lib/format.ts, including JAX's habit of padding `dtype=...` with six spaces
(not a line break) when it judges the last line too long, numpy's per-dtype
switch to scientific notation (1e3 for float16, 1e6 for float32, 1e8 for
float64 in arrays; 1e3/1e6/1e16 for str() of a 0-d array) and Dragon4's
round-half-even choice between two equally short digit strings.
"""

import json
import math
import os

import jax
import jax.numpy as jnp
import numpy as np

rng = np.random.default_rng(0)
cases = []


def encode(x):
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
    return x


def add(arr):
    """Record one jax array."""
    host = np.asarray(arr)
    if host.dtype == np.bool_:
        flat = [int(v) for v in host.ravel().tolist()]
    else:
        flat = [encode(v) for v in host.ravel().tolist()]
    cases.append({
        "values": flat,
        "shape": list(host.shape),
        "dtype": host.dtype.name,
        "weak_type": bool(arr.weak_type),
        "repr": repr(arr),
        "str": str(arr),
    })


def floats(dtype, data, shape=None):
    with np.errstate(over="ignore"):  # e.g. 1e38 -> float16 inf, on purpose
        a = np.asarray(data, dtype=np.float64).astype(dtype)
    if shape is not None:
        a = a.reshape(shape)
    add(jnp.asarray(a))


inf, nan = float("inf"), float("nan")


def float_cases(dt):
    # 0-d
    for v in [0.0, -0.0, 2.0, -2.5, 0.1, 1 / 3, 0.61468804, 123456789.0,
              1e20, 1e16, 1e6, 999999.0, 1e-4, 1e-5, 1e-30, 3.4e38, nan,
              inf, -inf, 1 / 512, 65504.0, 1000.0, 999.0, 0.001, 12.375,
              0.65625, 2.0**-96, 6e-8, 5e-324]:
        with np.errstate(over="ignore"):
            fv = np.asarray(v, np.float64).astype(dt)
        add(jnp.asarray(fv))
    # 1-d
    one_d = [
        [0, 1, 2], [1.5, 2], [1e10, 1], [0.1, 0.2, 0.3], [1 / 3, 2 / 3, 1],
        [-1, 2.5, -3.25], [nan, 1, -inf], [nan], [nan, inf, -inf], [inf],
        [-inf, 1.5], [1e-5, 1], [1e-4, 1], [1, 1000], [1, 1001], [123456789.0],
        [1e-30, 1e30], [0.0, -0.0], [0.1, 1.2345678e-5], [1 / 512, 1],
        [0.001953125, 0.5], [1, 2, 3, 1e6], [999, 1], [1000, 1], [0.5, -0.25],
        [3.14159265, 2.71828182, 1.41421356], [1e38, -1e38, 1], [0, 0, 0],
        [12345.678, 0.001], [-1e-5, nan], [65504, -65504], [1e-3, 0.5, 7],
        [100.5, 99.25, -0.125], [1 / 7, 1e-3], [5e-5, 5e-4], [2e8, 3],
        [0.65625, 0.5], [2.0**-96, 3.3e-29], [1e-4, 0.01], [6e-8, 1e-6],
    ]
    for row in one_d:
        floats(dt, row)
    for n in [1, 5, 10, 13, 17, 21, 30, 50]:
        floats(dt, rng.standard_normal(n))
    floats(dt, rng.standard_normal(20) * 1e5)
    floats(dt, rng.standard_normal(12) * 1e-3)
    floats(dt, np.linspace(0, 1, 100))
    floats(dt, np.arange(40) * 1.5)
    # Summarised (> 1000 elements). Big random cases are kept few and just
    # over the threshold so the fixture stays small.
    floats(dt, np.arange(1200))
    if dt == np.float32:
        floats(dt, rng.standard_normal(1001))
    # 2-d
    floats(dt, [[1.5, 2], [3, 4]], None)
    floats(dt, rng.standard_normal((3, 4)))
    floats(dt, rng.standard_normal((5, 20)))
    floats(dt, rng.uniform(-10, 10, (4, 9)))
    floats(dt, [[nan, 1], [2, -inf]])
    floats(dt, [[1e-5, 1], [2, 3]])
    if dt == np.float32:
        floats(dt, rng.standard_normal((32, 32)))
        floats(dt, rng.standard_normal((3, 334)))
        floats(dt, rng.standard_normal((334, 3)))
    floats(dt, np.arange(1002).reshape(1, 1002))
    # 3-d and 4-d
    floats(dt, np.arange(24).reshape(2, 3, 4))
    floats(dt, rng.standard_normal((2, 2, 3)))
    floats(dt, rng.standard_normal((7, 12, 12)))
    floats(dt, rng.standard_normal((2, 2, 2, 2)))
    floats(dt, rng.standard_normal((2, 3, 30)))
    # empty
    for shape in [(0,), (2, 0), (3, 0, 2)]:
        add(jnp.zeros(shape, dt))


# --- default (32-bit) mode ---------------------------------------------------
# Weak-typed scalars, as JAX makes them from Python scalars.
add(jnp.array(3.0))
add(jnp.array(0.1))
add(jnp.array(1e20))
add(jnp.array(-2.5))
add(jnp.array(3))
add(jnp.array(-7))
add(jnp.asarray(float("nan")))
add(jnp.array(True))
add(jnp.array(False))

float_cases(np.float32)
float_cases(np.float16)

for dt in [np.int32, np.uint32]:
    add(jnp.asarray(np.array(3, dt)))
    add(jnp.asarray(np.array([1, 2], dt)))
    add(jnp.asarray(np.arange(12, dtype=dt).reshape(3, 4)))
    add(jnp.asarray(np.arange(24, dtype=dt).reshape(2, 3, 4)))
    add(jnp.asarray(np.arange(1001, dtype=dt)))
    add(jnp.asarray(np.arange(1500, dtype=dt).reshape(30, 50)))
    add(jnp.asarray(rng.integers(0, 2**31 - 1, 40).astype(dt)))
    add(jnp.asarray(rng.integers(0, 100, (1, 40)).astype(dt)))
    add(jnp.asarray(np.zeros((0,), dt)))
    add(jnp.asarray(np.zeros((2, 0), dt)))
    for n in [3, 9, 14, 18, 22]:
        add(jnp.asarray(rng.integers(0, 100000, n).astype(dt)))
add(jnp.asarray(np.array([-1, 10, -100], np.int32)))
add(jnp.asarray(np.array([2147483647, -2147483648], np.int32)))
add(jnp.asarray(np.array(-2147483648, np.int32)))
add(jnp.asarray(rng.integers(-1000, 1000, (4, 5)).astype(np.int32)))
add(jnp.asarray(np.array([4294967295, 0], np.uint32)))
add(jnp.asarray(np.array(4294967295, np.uint32)))

add(jnp.asarray(np.array([True, False])))
add(jnp.asarray(np.array([False, False])))
add(jnp.asarray(np.array([[True, False], [False, True]])))
add(jnp.asarray(rng.integers(0, 2, (2, 3, 4)).astype(bool)))
add(jnp.asarray(rng.integers(0, 2, 100).astype(bool)))
add(jnp.asarray(rng.integers(0, 2, 1001).astype(bool)))
add(jnp.asarray(rng.integers(0, 2, 11).astype(bool)))
add(jnp.asarray(np.zeros((0,), bool)))
add(jnp.asarray(np.zeros((1, 0, 3), bool)))

# --- 64-bit mode --------------------------------------------------------------
jax.config.update("jax_enable_x64", True)
add(jnp.array(3.0))  # weak float64
add(jnp.array(1 / 3))
float_cases(np.float64)
floats(np.float64, [1e100, 1])
floats(np.float64, [1e-300, 1])
floats(np.float64, [0.1 + 0.2, 0.3])
floats(np.float64, [1e7 + 0.123456789, 1])
floats(np.float64, [12345678.9, 0.5])
floats(np.float64, [1e-310, 1])
floats(np.float64, [99999999.99999, 1])
floats(np.float64, [0.123456785, 0.5])
floats(np.float64, [9.999999999, 1e5])
floats(np.float64, rng.standard_normal(8) * 1e9)

out = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures",
                   "format_golden.json")
with open(out, "w") as f:
    # One case per line keeps diffs of the fixture readable.
    f.write("[\n" + ",\n".join(json.dumps(c) for c in cases) + "\n]\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
