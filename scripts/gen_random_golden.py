"""Writes tests/fixtures/random_golden.json: jax.random outputs from real JAX.

Run with the JAX the fixtures describe (jax 0.10.2, cpu, x64 off, default
threefry_partitionable config):

    ~/jaxenv/bin/python scripts/gen_random_golden.py

Keys and bits are raw uint32 values. Floats are float32 values written as the
exact float64 number (JSON's shortest round-trip text of a float64 is exact);
non-finite values are the strings "inf", "-inf" and "nan". Every case records
its arguments in the TypeScript call's terms, so tests/random.test.ts can
replay it.
"""

import json
import math
import os

import jax
import jax.numpy as jnp
import numpy as np

assert not jax.config.jax_enable_x64, "generate with x64 disabled"
assert jax.config.jax_threefry_partitionable, "expected the partitionable threefry default"
assert jax.default_backend() == "cpu", "goldens describe XLA:CPU arithmetic"

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "random_golden.json")
SEEDS = [0, 42, 1701, -3, 2**31 + 7]


def enc(x):
    """Flat JSON list of an array's values (exact for float32/uint32/int32/bool)."""
    a = np.asarray(x)
    out = []
    for v in a.reshape(-1).tolist():
        if isinstance(v, float) and not math.isfinite(v):
            out.append("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf"))
        else:
            out.append(v)
    return out


def res(x):
    a = np.asarray(x)
    return {"shape": list(a.shape), "dtype": str(a.dtype), "data": enc(a)}


def key_of(seed):
    return jax.random.key(seed)


cases = {"meta": {"jax": jax.__version__, "threefry_partitionable": True, "seeds": SEEDS}}

# --- keys ---------------------------------------------------------------------
cases["key"] = [
    {"seed": s, "key": enc(jax.random.key_data(jax.random.key(s))), "PRNGKey": enc(jax.random.PRNGKey(s))}
    for s in SEEDS + [2**32 + 5, -(2**31)]
]
cases["split"] = [
    {"seed": s, "num": num, "out": res(jax.random.key_data(jax.random.split(key_of(s), num)))}
    for s in SEEDS
    for num in [2, 3, [2, 3]]
]
cases["fold_in"] = [
    {"seed": s, "data": d, "out": enc(jax.random.key_data(jax.random.fold_in(key_of(s), d)))}
    for s in SEEDS
    for d in [0, 1, 7, 123456789]
]
# Chains: split twice, fold after split.
chain = []
for s in SEEDS[:3]:
    k1, k2 = jax.random.split(key_of(s))
    k3 = jax.random.fold_in(k2, 5)
    k4 = jax.random.split(k3, 4)[3]
    chain.append({"seed": s, "out": enc(jax.random.key_data(k4))})
cases["chain"] = chain

cases["bits"] = [
    {"seed": s, "shape": shape, "out": res(jax.random.bits(key_of(s), tuple(shape)))}
    for s in SEEDS
    for shape in [[], [1], [5], [2, 3], [65]]
]

# --- uniform / normal ---------------------------------------------------------
uni = []
for s in SEEDS:
    uni.append({"seed": s, "shape": [1000], "out": res(jax.random.uniform(key_of(s), (1000,)))})
    uni.append({"seed": s, "shape": [3, 4], "minval": -3.0, "maxval": 5.0,
                "out": res(jax.random.uniform(key_of(s), (3, 4), minval=-3.0, maxval=5.0))})
uni.append({"seed": 7, "shape": [10000], "minval": 0.1, "maxval": 0.7,
            "out": res(jax.random.uniform(key_of(7), (10000,), minval=0.1, maxval=0.7))})
uni.append({"seed": 8, "shape": [4000], "minval": -0.001, "maxval": 2.5,
            "out": res(jax.random.uniform(key_of(8), (4000,), minval=-0.001, maxval=2.5))})
uni.append({"seed": 9, "shape": [2, 3], "minval": [[0.0], [10.0]], "maxval": [1.0, 2.0, 3.0],
            "out": res(jax.random.uniform(key_of(9), (2, 3), minval=jnp.array([[0.0], [10.0]]),
                                          maxval=jnp.array([1.0, 2.0, 3.0])))})
uni.append({"seed": 10, "shape": [], "out": res(jax.random.uniform(key_of(10), ()))})
cases["uniform"] = uni

nor = []
for s in SEEDS:
    nor.append({"seed": s, "shape": [1000], "out": res(jax.random.normal(key_of(s), (1000,)))})
nor.append({"seed": 11, "shape": [50, 200], "out": res(jax.random.normal(key_of(11), (50, 200)))})
nor.append({"seed": 12, "shape": [], "out": res(jax.random.normal(key_of(12), ()))})
cases["normal"] = nor

# The same draws through jit and vmap (the test replays them with jax.jit / jax.vmap).
keys = jax.random.split(key_of(3), 4)
cases["vmap_normal"] = {"seed": 3, "num": 4, "shape": [5],
                        "out": res(jax.vmap(lambda k: jax.random.normal(k, (5,)))(keys))}
cases["vmap_gamma"] = {"seed": 3, "num": 4, "a": 0.7, "shape": [3],
                       "out": res(jax.vmap(lambda k: jax.random.gamma(k, 0.7, (3,)))(keys))}
cases["vmap_poisson"] = {"seed": 3, "num": 4, "lam": 4.0, "shape": [3],
                         "out": res(jax.vmap(lambda k: jax.random.poisson(k, 4.0, (3,)))(keys))}
cases["vmap_uniform"] = {"seed": 3, "num": 4, "shape": [2, 2],
                         "out": res(jax.vmap(lambda k: jax.random.uniform(k, (2, 2)))(keys))}

# --- discrete -----------------------------------------------------------------
cases["randint"] = [
    {"seed": s, "shape": [50], "minval": lo, "maxval": hi,
     "out": res(jax.random.randint(key_of(s), (50,), lo, hi))}
    for s in SEEDS[:3]
    for lo, hi in [(0, 10), (-5, 5), (3, 3), (10, 2), (-2**31, 2**31 - 1), (0, 1000003)]
] + [
    {"seed": 5, "shape": [2, 3], "minval": [0, 10, 100], "maxval": 200,
     "out": res(jax.random.randint(key_of(5), (2, 3), jnp.array([0, 10, 100]), 200))},
    {"seed": 6, "shape": [20], "minval": 0, "maxval": 4000000000, "dtype": "uint32",
     "out": res(jax.random.randint(key_of(6), (20,), jnp.uint32(0), jnp.uint32(4000000000), dtype=jnp.uint32))},
]
cases["bernoulli"] = [
    {"seed": s, "p": p, "shape": shape, "out": res(jax.random.bernoulli(key_of(s), p, None if shape is None else tuple(shape)))}
    for s in SEEDS[:3]
    for p, shape in [(0.5, [40]), (0.1, [3, 7]), (0.9, [100])]
] + [
    {"seed": 4, "p": [0.1, 0.5, 0.9], "shape": None,
     "out": res(jax.random.bernoulli(key_of(4), jnp.array([0.1, 0.5, 0.9])))},
    {"seed": 4, "p": [0.1, 0.5, 0.9], "shape": [4, 3],
     "out": res(jax.random.bernoulli(key_of(4), jnp.array([0.1, 0.5, 0.9]), (4, 3)))},
]

logits2 = np.log(np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]], np.float32))
cat = []
for s in SEEDS[:3]:
    cat.append({"seed": s, "logits": enc(logits2[0]), "lshape": [4], "shape": [200],
                "out": res(jax.random.categorical(key_of(s), logits2[0], shape=(200,)))})
    cat.append({"seed": s, "logits": enc(logits2), "lshape": [3, 4],
                "out": res(jax.random.categorical(key_of(s), logits2))})
    cat.append({"seed": s, "logits": enc(logits2), "lshape": [3, 4], "axis": 0,
                "out": res(jax.random.categorical(key_of(s), logits2, axis=0))})
    cat.append({"seed": s, "logits": enc(logits2), "lshape": [3, 4], "shape": [5, 3],
                "out": res(jax.random.categorical(key_of(s), logits2, shape=(5, 3)))})
    cat.append({"seed": s, "logits": enc(logits2), "lshape": [3, 4], "shape": [2, 3], "replace": False,
                "out": res(jax.random.categorical(key_of(s), logits2, shape=(2, 3), replace=False))})
# Ties at -inf: top-k must list equal values by position (XLA's stable sort).
tied = np.array([0.0, -np.inf, 1.0, -np.inf, -np.inf, 0.5], np.float32)
for s in SEEDS[:2]:
    cat.append({"seed": s, "logits": enc(tied), "lshape": [6], "shape": [6], "replace": False,
                "out": res(jax.random.categorical(key_of(s), tied, shape=(6,), replace=False))})
cases["categorical"] = cat
cases["exponential"] = [{"seed": s, "shape": [500], "out": res(jax.random.exponential(key_of(s), (500,)))}
                       for s in SEEDS[:3]]
cases["gumbel"] = [{"seed": s, "shape": [500], "out": res(jax.random.gumbel(key_of(s), (500,)))} for s in SEEDS[:3]]

perm = []
for s in SEEDS:
    perm.append({"seed": s, "n": 10, "out": res(jax.random.permutation(key_of(s), 10))})
perm.append({"seed": 1, "n": 3000, "out": res(jax.random.permutation(key_of(1), 3000))})
x23 = np.arange(12, dtype=np.float32).reshape(3, 4)
for s in SEEDS[:2]:
    perm.append({"seed": s, "x": enc(x23), "xshape": [3, 4], "out": res(jax.random.permutation(key_of(s), x23))})
    perm.append({"seed": s, "x": enc(x23), "xshape": [3, 4], "axis": 1,
                 "out": res(jax.random.permutation(key_of(s), x23, axis=1))})
    perm.append({"seed": s, "x": enc(x23), "xshape": [3, 4], "axis": 1, "independent": True,
                 "out": res(jax.random.permutation(key_of(s), x23, axis=1, independent=True))})
cases["permutation"] = perm

ch = []
pvec = np.array([0.05, 0.1, 0.2, 0.3, 0.15, 0.2], np.float32)
p40 = np.random.default_rng(0).random(40).astype(np.float32)
for s in SEEDS[:3]:
    ch.append({"seed": s, "a": 10, "shape": [7], "out": res(jax.random.choice(key_of(s), 10, (7,)))})
    ch.append({"seed": s, "a": 10, "shape": [7], "replace": False,
               "out": res(jax.random.choice(key_of(s), 10, (7,), replace=False))})
    ch.append({"seed": s, "a": 6, "shape": [50], "p": enc(pvec),
               "out": res(jax.random.choice(key_of(s), 6, (50,), p=pvec))})
    ch.append({"seed": s, "a": 6, "shape": [4], "p": enc(pvec), "replace": False,
               "out": res(jax.random.choice(key_of(s), 6, (4,), replace=False, p=pvec))})
    ch.append({"seed": s, "a": 40, "shape": [30], "p": enc(p40),
               "out": res(jax.random.choice(key_of(s), 40, (30,), p=p40))})
    ch.append({"seed": s, "x": enc(x23), "xshape": [3, 4], "shape": [2], "axis": 1,
               "out": res(jax.random.choice(key_of(s), x23, (2,), axis=1))})
cases["choice"] = ch

# --- continuous with loops ------------------------------------------------------
gam = []
for s in SEEDS[:3]:
    gam.append({"seed": s, "a": 2.5, "shape": [300], "out": res(jax.random.gamma(key_of(s), 2.5, (300,)))})
    gam.append({"seed": s, "a": 0.3, "shape": [300], "out": res(jax.random.gamma(key_of(s), 0.3, (300,)))})
gam.append({"seed": 13, "a": [0.5, 1.0, 3.0, 10.0], "shape": None,
            "out": res(jax.random.gamma(key_of(13), jnp.array([0.5, 1.0, 3.0, 10.0])))})
gam.append({"seed": 14, "a": [0.5, 1.0, 3.0, 10.0], "shape": [2, 4],
            "out": res(jax.random.gamma(key_of(14), jnp.array([0.5, 1.0, 3.0, 10.0]), (2, 4)))})
gam.append({"seed": 15, "a": 1.0, "shape": [3000], "out": res(jax.random.gamma(key_of(15), 1.0, (3000,)))})
gam.append({"seed": 16, "a": 0.05, "shape": [2000], "out": res(jax.random.gamma(key_of(16), 0.05, (2000,)))})
cases["gamma"] = gam

poi = []
for s in SEEDS[:3]:
    poi.append({"seed": s, "lam": 3.0, "shape": [300], "out": res(jax.random.poisson(key_of(s), 3.0, (300,)))})
    poi.append({"seed": s, "lam": 25.0, "shape": [300], "out": res(jax.random.poisson(key_of(s), 25.0, (300,)))})
poi.append({"seed": 17, "lam": [0.0, 0.5, 5.0, 12.0, 100.0], "shape": None,
            "out": res(jax.random.poisson(key_of(17), jnp.array([0.0, 0.5, 5.0, 12.0, 100.0])))})
poi.append({"seed": 18, "lam": 1000.0, "shape": [2000],
            "out": res(jax.random.poisson(key_of(18), 1000.0, (2000,)))})
cases["poisson"] = poi

tn = []
for s in SEEDS[:3]:
    tn.append({"seed": s, "lower": -1.0, "upper": 2.0, "shape": [1000],
               "out": res(jax.random.truncated_normal(key_of(s), -1.0, 2.0, (1000,)))})
tn.append({"seed": 19, "lower": [-3.0, 0.0, 1.5], "upper": [3.0, 0.5, 10.0], "shape": None,
           "out": res(jax.random.truncated_normal(key_of(19), jnp.array([-3.0, 0.0, 1.5]),
                                                  jnp.array([3.0, 0.5, 10.0])))})
tn.append({"seed": 20, "lower": "-inf", "upper": 0.0, "shape": [500],
           "out": res(jax.random.truncated_normal(key_of(20), -jnp.inf, 0.0, (500,)))})
cases["truncated_normal"] = tn

with open(OUT, "w") as f:
    json.dump(cases, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")
