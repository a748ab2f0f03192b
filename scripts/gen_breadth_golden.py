#!/usr/bin/env python3
"""Golden values for jax.nn, jax.scipy.stats and jaxd's optim module.

    ~/jaxenv/bin/python scripts/gen_breadth_golden.py

Writes tests/fixtures/breadth_golden.json:

  nn:    [{fn, x, opts, out, grad}]  grad = d/dx sum(f(x) * w), w = WEIGHTS
  stats: [{fn, args, out, grads: {argnum: grad}}]  grads of sum(f(*args) * w)
  optim: [{opt, opts, lr, steps, target, params: [p0, p1, ...]}]

Values are real JAX in float32 (the default). The optimiser trajectories come
from optax's update recurrences written out with numpy in float64 (optax is
not installed): minimising sum((p - target)^2) from p0. Non-finite numbers
are encoded as "nan", "inf", "-inf".
"""

import json
import math
import os

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy import stats

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "breadth_golden.json")


def enc(v):
    a = np.asarray(v, dtype=np.float64)
    def one(x):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return float(x)
    return {"shape": list(a.shape), "data": [one(x) for x in a.ravel()]}


def weights(shape):
    n = int(np.prod(shape)) if shape else 1
    return jnp.asarray((np.arange(n) % 5 + 1).reshape(shape) / 3.0, jnp.float32)


# ------------------------------------------------------------------ nn
X = jnp.array([-7.5, -3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.5, 6.0, 30.0], jnp.float32)
X2 = jnp.array([[1.0, 2.0, 3.0, -1.0], [-50.0, 0.5, 100.0, 0.0], [0.1, 0.2, 0.3, 0.4]], jnp.float32)

nn_cases = []


def nn_case(fn, f, x, opts=None):
    out = f(x)
    w = weights(out.shape)
    g = jax.grad(lambda x: jnp.sum(f(x) * w))(x)
    nn_cases.append({"fn": fn, "x": enc(x), "opts": opts or {}, "out": enc(out), "grad": enc(g)})


for name in ["relu", "relu6", "sigmoid", "softplus", "silu", "swish", "log_sigmoid"]:
    nn_case(name, getattr(jax.nn, name), X)
nn_case("relu6", jax.nn.relu6, jnp.array([-1.0, 0.0, 3.0, 6.0, 7.0], jnp.float32))
nn_case("gelu", jax.nn.gelu, X, {"approximate": True})
nn_case("gelu", lambda x: jax.nn.gelu(x, approximate=False), X, {"approximate": False})
for axis in [-1, 0, None]:
    nn_case("softmax", lambda x, a=axis: jax.nn.softmax(x, axis=a), X2, {"axis": axis})
    nn_case("log_softmax", lambda x, a=axis: jax.nn.log_softmax(x, axis=a), X2, {"axis": axis})
nn_case("softmax", jax.nn.softmax, X, {"axis": -1})
nn_case("log_softmax", jax.nn.log_softmax, X, {"axis": -1})
nn_case("logsumexp", lambda x: jax.nn.logsumexp(x, axis=1), X2, {"axis": 1})

one_hot = [
    {"x": [0, 2, 1, 3, -1], "n": 3, "out": enc(jax.nn.one_hot(jnp.array([0, 2, 1, 3, -1]), 3))},
    {"x": [[0, 1], [2, 0]], "n": 3, "axis": 0,
     "out": enc(jax.nn.one_hot(jnp.array([[0, 1], [2, 0]]), 3, axis=0))},
]

# ------------------------------------------------------------------ stats
stats_cases = []


def st(fn, args, grad_argnums=()):
    f = eval("stats." + fn)
    jargs = [jnp.asarray(a, jnp.float32) for a in args]
    out = f(*jargs)
    w = weights(out.shape)
    grads = {}
    for i in grad_argnums:
        g = jax.grad(lambda *a: jnp.sum(f(*a) * w), argnums=i)(*jargs)
        grads[str(i)] = enc(g)
    stats_cases.append({"fn": fn, "args": [enc(a) for a in jargs], "out": enc(out), "grads": grads})


xs = [-40.0, -12.0, -6.0, -2.0, -0.5, 0.0, 0.3, 1.7, 4.0, 6.5, 9.0]
st("norm.logpdf", [xs], [0])
st("norm.logpdf", [xs, 1.5, 2.0], [0, 1, 2])
st("norm.pdf", [xs, -0.5, 0.7], [0, 1, 2])
st("norm.cdf", [xs], [0])
st("norm.cdf", [xs, 1.0, 3.0], [0, 1, 2])
st("norm.logcdf", [xs], [0])
st("norm.logcdf", [xs, 0.5, 2.0], [0, 1, 2])
st("norm.ppf", [[0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]], [0])
st("norm.ppf", [[0.05, 0.5, 0.8], 2.0, 3.0], [0, 1, 2])
st("norm.ppf", [[0.0, 1.0, -0.1, 1.5]])
st("norm.ppf", [[1e-30, 1e-12, 1e-6, 1e-4, 0.4999, 0.5, 0.5001, 0.9999, 0.999999]], [0])

ks = [-1.0, 0.0, 1.0, 2.0, 2.5, 3.0, 7.0, 15.0]
st("poisson.logpmf", [ks, 3.2], [1])
st("poisson.pmf", [ks, 3.2], [1])
st("poisson.logpmf", [ks, 4.0, 1.0], [1])
st("poisson.cdf", [ks, 3.2], [1])
st("poisson.logpmf", [[0.0, 1.0, 2.0], [0.5, 1.0, 20.0]], [1])

gx = [-1.0, 0.0, 0.2, 1.0, 2.5, 7.0]
st("gamma.logpdf", [gx, 2.5], [0, 1])
st("gamma.logpdf", [gx, 0.7], [1])
st("gamma.logpdf", [gx, 3.0, 0.5, 2.0], [0, 1, 2, 3])
st("gamma.pdf", [gx, 2.5, 0.0, 1.5], [0, 1, 3])

bx = [-0.2, 0.0, 0.1, 0.5, 0.9, 1.0, 1.3]
st("beta.logpdf", [bx, 2.0, 3.0], [1, 2])
st("beta.logpdf", [[0.1, 0.5, 0.9], 0.5, 0.7], [0, 1, 2])
st("beta.logpdf", [bx, 2.0, 3.0, -0.1, 1.5], [0, 1, 2])
st("beta.pdf", [[0.1, 0.5, 0.9], 2.5, 1.5], [0, 1, 2])
st("beta.logpdf", [[0.5, 0.5], [-1.0, 2.0], [2.0, 0.0]])

st("bernoulli.logpmf", [[-1.0, 0.0, 1.0, 2.0], 0.3], [1])
st("bernoulli.pmf", [[0.0, 1.0, 0.0, 1.0], [0.0, 0.2, 0.7, 1.0]])
st("bernoulli.logpmf", [[1.0, 2.0], 0.6, 1.0], [1])

st("binom.logpmf", [[-1.0, 0.0, 1.0, 3.0, 5.0, 6.0], 5.0, 0.3], [2])
st("binom.pmf", [[0.0, 2.0, 4.0, 10.0], 10.0, 0.45], [2])
st("binom.pmf", [[0.0, 3.0, 0.0, 3.0], 3.0, [0.0, 0.0, 1.0, 1.0]])
st("binom.logpmf", [[2.0, 3.0], 4.0, 0.5, 1.0], [2])

mvn_x = np.array([[0.3, -1.2, 0.8], [1.0, 0.0, -0.5], [2.0, 1.5, 0.1], [0.0, 0.0, 0.0]])
mvn_mean = np.array([0.1, -0.2, 0.4])
A = np.array([[1.0, 0.3, -0.2], [0.2, 0.8, 0.1], [0.0, -0.4, 1.3]])
mvn_cov = A @ A.T + 0.5 * np.eye(3)
st("multivariate_normal.logpdf", [mvn_x, mvn_mean, mvn_cov], [0, 1, 2])
st("multivariate_normal.logpdf", [mvn_x[0], mvn_mean, mvn_cov], [0, 1, 2])
st("multivariate_normal.pdf", [mvn_x, mvn_mean, mvn_cov], [0, 1])
st("multivariate_normal.logpdf", [mvn_x, mvn_mean, 1.7], [0, 2])
st("multivariate_normal.logpdf", [[0.3, -1.0, 2.0], 0.5, 2.0], [0, 1, 2])
cov5 = np.array([[4.0, 1.0, 0.5, 0.0, 0.2], [1.0, 3.0, 0.3, 0.1, 0.0], [0.5, 0.3, 2.0, 0.4, 0.1],
                 [0.0, 0.1, 0.4, 1.0, 0.05], [0.2, 0.0, 0.1, 0.05, 0.5]])
st("multivariate_normal.logpdf", [np.linspace(-1, 1, 10).reshape(2, 5), np.zeros(5), cov5], [0, 2])

# ------------------------------------------------------------------ optim (optax recurrences, numpy float64)
P0 = np.array([1.0, -2.0, 0.5])
TARGET = np.array([0.3, 0.7, -1.1])
STEPS = 6


def grad_fn(p):
    return 2.0 * (p - TARGET)


def run_sgd(lr, momentum=None, nesterov=False):
    p, trace, out = P0.copy(), np.zeros(3), [P0.tolist()]
    for _ in range(STEPS):
        g = grad_fn(p)
        if momentum is None:
            u = g
        else:
            trace = g + momentum * trace
            u = g + momentum * trace if nesterov else trace
        p = p + (-lr) * u
        out.append(p.tolist())
    return out


def run_adam(lr, b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0):
    p, mu, nu, out = P0.copy(), np.zeros(3), np.zeros(3), [P0.tolist()]
    for count in range(1, STEPS + 1):
        g = grad_fn(p)
        mu = (1 - b1) * g + b1 * mu
        nu = (1 - b2) * g * g + b2 * nu
        mu_hat = mu / (1 - b1**count)
        nu_hat = nu / (1 - b2**count)
        p = p + (-lr) * (mu_hat / (np.sqrt(nu_hat + eps_root) + eps))
        out.append(p.tolist())
    return out


optim_cases = [
    {"opt": "sgd", "lr": 0.1, "opts": {}, "params": run_sgd(0.1)},
    {"opt": "sgd", "lr": 0.05, "opts": {"momentum": 0.9}, "params": run_sgd(0.05, 0.9)},
    {"opt": "sgd", "lr": 0.05, "opts": {"momentum": 0.8, "nesterov": True}, "params": run_sgd(0.05, 0.8, True)},
    {"opt": "adam", "lr": 0.1, "opts": {}, "params": run_adam(0.1)},
    {"opt": "adam", "lr": 0.05, "opts": {"b1": 0.5, "b2": 0.9, "eps": 1e-3}, "params": run_adam(0.05, 0.5, 0.9, 1e-3)},
]

with open(OUT, "w") as f:
    json.dump({
        "jax_version": jax.__version__,
        "nn": nn_cases,
        "one_hot": one_hot,
        "stats": stats_cases,
        "optim": {"p0": P0.tolist(), "target": TARGET.tolist(), "steps": STEPS, "cases": optim_cases},
    }, f)
print("wrote", OUT, len(nn_cases), "nn,", len(stats_cases), "stats,", len(optim_cases), "optim")
