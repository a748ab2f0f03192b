"""Generate tests/fixtures/jnp_golden.json: the jnp surface evaluated by real JAX.

Run with a Python that has jax and numpy installed, from the repo root:

    python scripts/gen_jnp_golden.py

The fixture has four sections, each a list of cases:

- "jnp": jnp functions, `{id, fn, args, opts, out | error, tol}`;
- "methods": NDArray methods (`x.add(y)`, `x.T`, `x.slice("::-1")`, ...);
- "shapes": broadcasting, empty and 0-d arrays, indexing, at[].set/add;
- "promotion": `promote_types` of every dtype pair, and weak-type arithmetic.

Encoding (read by tests/golden_harness.ts):

- an array is `{shape, dtype, data}` with `data` flat and row-major; floats are
  the float64 value of the stored float16/float32 number, nan/inf are the
  strings "nan", "inf", "-inf", bools are 0/1. Outputs add `weak` (JAX's
  weak_type flag);
- a Python int is a JSON number; a Python float with an integral value (which
  JS cannot tell from an int) is `{"weakf": v}` and becomes `jnp.array(v)`, a
  weak float32 scalar; a non-integral float is a JSON number;
- tuples become lists; `None` is null; a list wrapped in `Raw` is nested data
  for `jnp.array` and is written as is;
- `opts` are the TS options object (camelCase keys), passed to Python as
  snake_case keyword arguments;
- `error` is the name of the exception JAX raised (the TS test maps it to
  jaxd's error classes);
- `tol` is `[rtol, atol]` for float outputs (ints and bools compare exactly).

Positional arguments are positional in both languages: every case calls
`jnp.<fn>(*args, **opts)` in Python and `jnp[fn](...args, opts)` in TS.
"""

import json
import math
import os
import re

import jax
import jax.numpy as jnp
import numpy as np

rng = np.random.default_rng(0)
inf, nan = float("inf"), float("nan")

EXACT = [1e-6, 1e-6]
TRANS = [1e-5, 2e-6]
F16 = [2e-3, 2e-3]


class Raw(list):
    """Nested JS data for jnp.array: written without any wrapping."""


class Idx:
    """An index in TS form: a list of IndexSpec entries (see index_py)."""

    def __init__(self, *spec):
        self.spec = list(spec)


# ---------------------------------------------------------------- helpers


def A(data, dtype="float32", shape=None):
    with np.errstate(over="ignore", invalid="ignore"):
        a = np.asarray(data, dtype=np.float64 if dtype.startswith("float") else None)
        a = a.astype(dtype)
    return a if shape is None else a.reshape(shape)


def F(*shape, lo=-2.0, hi=2.0, dtype="float32"):
    return rng.uniform(lo, hi, shape).astype(dtype)


def I(*shape, lo=-5, hi=6, dtype="int32"):
    return rng.integers(lo, hi, shape).astype(dtype)


def B(*shape):
    return rng.random(shape) < 0.5


def enc_num(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def enc_array(a, weak=None):
    host = np.asarray(a)
    if host.dtype == np.bool_:
        flat = [int(v) for v in host.ravel().tolist()]
    else:
        flat = [enc_num(v) for v in host.ravel().tolist()]
    out = {"shape": list(host.shape), "dtype": host.dtype.name, "data": flat}
    if weak is not None:
        out["weak"] = bool(weak)
    return out


def enc_arg(v):
    if isinstance(v, Raw):
        return [enc_raw(e) for e in v]
    if isinstance(v, Idx):
        return [enc_arg(e) for e in v.spec]
    if isinstance(v, np.ndarray):
        return enc_array(v)
    if isinstance(v, (list, tuple)):
        return [enc_arg(e) for e in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v):
            return {"weakf": v}
        return enc_num(v)
    raise TypeError(f"cannot encode {v!r}")


def enc_raw(v):
    if isinstance(v, list):
        return [enc_raw(e) for e in v]
    return enc_num(v)


def enc_out(r):
    if isinstance(r, (list, tuple)):
        return [enc_out(e) for e in r]
    if isinstance(r, jax.Array):
        return enc_array(r, r.weak_type)
    if isinstance(r, (float, int)):
        return enc_num(r)
    raise TypeError(f"cannot encode result {r!r}")


def index_py(spec):
    """The Python index of a TS IndexSpec list (x.get(...) / x.slice(...) / x.at(...))."""
    out = []
    for s in spec:
        if s is None:
            out.append(slice(None))
        elif isinstance(s, bool):
            raise TypeError("bool index entry")
        elif isinstance(s, int):
            out.append(s)
        elif isinstance(s, str):
            py = re.sub(r"\bnewaxis\b", "None", s)
            out.extend(eval(f"np.index_exp[{py}]"))
        elif isinstance(s, np.ndarray):
            out.append(jnp.asarray(s))
        elif isinstance(s, list):
            out.append(slice(*s))
        else:
            raise TypeError(f"bad index entry {s!r}")
    return tuple(out)


def to_py(v):
    """An argument as JAX gets it: numpy arrays become (strong) jax arrays."""
    if isinstance(v, Raw):
        return list(v)
    if isinstance(v, Idx):
        return index_py(v.spec)
    if isinstance(v, np.ndarray):
        return jnp.asarray(v)
    if isinstance(v, list):
        return [to_py(e) for e in v]
    if isinstance(v, tuple):
        return tuple(to_py(e) for e in v)
    return v


def snake(k):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), k)


# NDArray methods and the Python they stand for.
METHODS = {
    "x.add": lambda x, y: x + y,
    "x.sub": lambda x, y: x - y,
    "x.mul": lambda x, y: x * y,
    "x.div": lambda x, y: x / y,
    "x.floordiv": lambda x, y: x // y,
    "x.mod": lambda x, y: x % y,
    "x.pow": lambda x, y: x**y,
    "x.neg": lambda x: -x,
    "x.abs": lambda x: abs(x),
    "x.lt": lambda x, y: x < y,
    "x.le": lambda x, y: x <= y,
    "x.gt": lambda x, y: x > y,
    "x.ge": lambda x, y: x >= y,
    "x.eq": lambda x, y: x == y,
    "x.ne": lambda x, y: x != y,
    "x.matmul": lambda x, y: x @ y,
    "x.T": lambda x: x.T,
    "x.reshape": lambda x, *s: x.reshape(*s),
    "x.transpose": lambda x, *p: x.transpose(*p),
    "x.ravel": lambda x: x.ravel(),
    "x.flatten": lambda x: x.flatten(),
    "x.squeeze": lambda x, *a: x.squeeze(*a),
    "x.astype": lambda x, d: x.astype(d),
    "x.get": lambda x, idx: x[idx],
    "x.slice": lambda x, idx: x[idx],
    "x.at.set": lambda x, idx, v: x.at[idx].set(v),
    "x.at.add": lambda x, idx, v: x.at[idx].add(v),
    "x.at.multiply": lambda x, idx, v: x.at[idx].multiply(v),
    "x.at.min": lambda x, idx, v: x.at[idx].min(v),
    "x.at.max": lambda x, idx, v: x.at[idx].max(v),
    "x.at.get": lambda x, idx: x.at[idx].get(),
    "x.sum": lambda x, **o: x.sum(**o),
    "x.mean": lambda x, **o: x.mean(**o),
    "x.max": lambda x, **o: x.max(**o),
    "x.min": lambda x, **o: x.min(**o),
    "x.prod": lambda x, **o: x.prod(**o),
    "x.var": lambda x, **o: x.var(**o),
    "x.std": lambda x, **o: x.std(**o),
    "x.argmax": lambda x, **o: x.argmax(**o),
    "x.cumsum": lambda x, **o: x.cumsum(**o),
    "x.any": lambda x, **o: x.any(**o),
    "x.all": lambda x, **o: x.all(**o),
}

CONSTANTS = {"pi", "e", "inf", "nan", "euler_gamma"}


def resolve(fn):
    if fn in METHODS:
        return METHODS[fn]
    obj = jnp
    for part in fn.split("."):
        obj = getattr(obj, part)
    return obj


sections = {"jnp": [], "methods": [], "shapes": [], "promotion": []}
seen_ids = set()


def case(section, fn, *args, opts=None, tol=None, id=None, py=None):
    opts = opts or {}
    cid = f"{fn} {id}" if id else f"{fn} #{sum(1 for c in sections[section] if c['fn'] == fn)}"
    assert (section, cid) not in seen_ids, cid
    seen_ids.add((section, cid))
    c = {"id": cid, "fn": fn, "args": [enc_arg(a) for a in args], "opts": {k: enc_arg(v) for k, v in opts.items()}}
    try:
        if fn in CONSTANTS:
            r = getattr(jnp, fn)
        else:
            with np.errstate(all="ignore"):
                r = (py or resolve(fn))(*[to_py(a) for a in args], **{snake(k): to_py(v) for k, v in opts.items()})
        c["out"] = enc_out(r)
    except Exception as e:  # noqa: BLE001 - recording JAX's error is the point
        c["error"] = type(e).__name__
    if tol is not None:
        c["tol"] = tol
    sections[section].append(c)


def J(fn, *args, **kw):
    case("jnp", fn, *args, **kw)


def M(fn, *args, **kw):
    case("methods", fn, *args, **kw)


def S(fn, *args, **kw):
    case("shapes", fn, *args, **kw)


# ---------------------------------------------------------------- creation

J("array", Raw([[1.5, 2], [3, 4]]), id="nested floats")
J("array", Raw([True, False, True]), id="bools")
J("array", Raw([1, 2, 3]), opts={"dtype": "int32"}, id="ints with dtype")
J("array", 2.5, id="scalar is weak")
J("array", Raw([]), id="empty")
J("array", Raw([[1, 2]]), opts={"dtype": "uint32"}, id="uint32")
J("array", Raw([0.1, 65504.0, 1e-4]), opts={"dtype": "float16"}, id="float16 rounding")
J("array", Raw([[[1.25], [2.5]], [[3.75], [-4.0]]]), id="3-d")
J("array", Raw([1.7, -1.7, 0.5]), opts={"dtype": "int32"}, id="float data to int32 truncates")
J("array", F(2, 3), id="copy of array")
J("array", F(3), opts={"dtype": "int32"}, id="array with dtype converts")
J("asarray", Raw([[1.5, 2], [3, 4]]), id="nested")
J("asarray", F(2, 2), opts={"dtype": "int32"}, id="float to int32")
J("asarray", A([0, 1.5, -2, nan]), opts={"dtype": "bool"}, id="float to bool")
J("asarray", I(4), opts={"dtype": "float16"}, id="int to float16")
J("asarray", A([0, 7, 300000], "int32"), opts={"dtype": "uint32"}, id="int32 to uint32")
J("asarray", A([True, False], "bool"), opts={"dtype": "float32"}, id="bool to float")
J("asarray", 3, opts={"dtype": "float32"}, id="int scalar with dtype")

for fn in ["zeros", "ones"]:
    J(fn, 3, id="int shape")
    J(fn, (2, 3), id="2-d")
    J(fn, (), id="0-d")
    J(fn, (0, 3), id="empty")
    J(fn, (2,), opts={"dtype": "int32"}, id="int32")
    J(fn, (2, 2), opts={"dtype": "bool"}, id="bool")
    J(fn, (3,), opts={"dtype": "float16"}, id="float16")
    J(fn, (3,), opts={"dtype": "uint32"}, id="uint32")

J("full", (2, 3), 7, id="int fill")
J("full", (2,), 2.5, id="float fill")
J("full", (2, 2), 1, opts={"dtype": "float16"}, id="dtype")
J("full", (3,), True, id="bool fill")
J("full", (2, 3), A([1, 2, 3]), id="array fill broadcasts")
J("full", (), 5.5, id="0-d")
J("full", 0, 1.5, id="empty")
J("full", (2,), 2.9, opts={"dtype": "int32"}, id="float into int32")

J("arange", 5, id="stop")
J("arange", 2, 10, 3, id="start stop step")
J("arange", 0, 1, 0.25, id="float step")
J("arange", 5, opts={"dtype": "float32"}, id="dtype float")
J("arange", 10, 0, -3, id="negative step")
J("arange", 0, id="empty")
J("arange", 1.5, 4.5, id="float bounds")
J("arange", -3, 3, id="negative start")
J("arange", 5, 2, id="stop before start is empty")
J("arange", 0.5, 2.25, 0.5, id="float start stop step")

J("linspace", 0, 1, 5, id="basic")
J("linspace", 0, 1, 4, opts={"endpoint": False}, id="no endpoint")
J("linspace", 2, -3, 6, id="decreasing")
J("linspace", 0, 10, 1, id="one point")
J("linspace", 0, 1, 0, id="zero points")
J("linspace", -1.5, 2.5, 9, id="float bounds")
J("linspace", 0, 10, 5, opts={"dtype": "int32"}, id="int dtype")
J("linspace", 0, 1, id="default num")

J("eye", 3, id="square")
J("eye", 2, 3, id="wide")
J("eye", 3, opts={"k": 1}, id="k=1")
J("eye", 3, 4, opts={"k": -1}, id="k=-1")
J("eye", 3, opts={"dtype": "int32"}, id="int32")
J("eye", 0, id="empty")
J("eye", 4, 2, opts={"k": 5}, id="k past the edge")
J("identity", 3, id="3")
J("identity", 2, opts={"dtype": "bool"}, id="bool")
J("identity", 1, opts={"dtype": "int32"}, id="1x1 int32")

for fn, extra in [("zeros_like", ()), ("ones_like", ()), ("full_like", (3,))]:
    J(fn, F(2, 3), *extra, id="float32")
    J(fn, I(4), *extra, id="int32")
    J(fn, B(3), *extra, id="bool")
    J(fn, F(2), *extra, opts={"dtype": "int32"}, id="dtype override")
    J(fn, A(1.5), *extra, id="0-d")
    J(fn, F(0, 2), *extra, id="empty")
J("full_like", I(3), 2.7, id="float fill into int32")
J("full_like", F(2, 2), A([1, 2]), id="array fill")
J("full_like", F(3), nan, id="nan fill")

# ---------------------------------------------------------------- elementwise

BINARY_ARGS = [
    ("f32 same shape", lambda: (F(3, 4), F(3, 4))),
    ("broadcast (3,1)+(4,)", lambda: (F(3, 1), F(4))),
    ("weak int", lambda: (F(2, 3), 2)),
    ("weak float", lambda: (F(3), 1.5)),
    ("int32", lambda: (I(5), I(5, lo=1, hi=6))),
    ("int32 and weak float", lambda: (I(4), 2.5)),
    ("int32 and f32", lambda: (I(3), F(3))),
    ("0-d and 1-d", lambda: (A(1.25), F(3))),
    ("empty", lambda: (F(0, 3), F(3))),
    ("f16 and f32", lambda: (F(3, dtype="float16"), F(3))),
    ("f16 and weak float", lambda: (F(3, dtype="float16"), 0.75)),
    ("weak scalar first", lambda: (3, F(2, 2))),
]

for fn in ["add", "subtract", "multiply", "maximum", "minimum"]:
    for name, mk in BINARY_ARGS:
        J(fn, *mk(), id=name, tol=F16 if "f16" in name else EXACT)
    J(fn, A([1, 4000000000, 7], "uint32"), A([2, 5, 3], "uint32"), id="uint32")
    if fn != "subtract":
        J(fn, B(4), B(4), id="bool")
    J(fn, A([nan, 1, -inf, inf]), A([0, nan, 2, -1]), id="nan and inf")
J("subtract", B(3), B(3), id="bool raises")
J("add", A([2147483647], "int32"), 1, id="int32 overflow wraps")
J("multiply", A([65535], "int32"), A([65537], "int32"), id="int32 multiply wraps")
J("maximum", A([0.0, -0.0]), A([-0.0, 0.0]), id="signed zeros")
J("maximum", A([1, 2, 3], "int32"), 1.5, id="int32 and weak float 1.5")

for fn in ["divide", "arctan2", "logaddexp"]:
    tol = EXACT if fn == "divide" else TRANS
    J(fn, F(3, 4), F(3, 4), id="f32", tol=tol)
    J(fn, F(3, 1), F(4), id="broadcast", tol=tol)
    J(fn, I(4), A([1, 2, -3, 4], "int32"), id="int32 gives float", tol=tol)
    J(fn, F(3), 2, id="weak int", tol=tol)
    J(fn, 1.5, F(2, 2), id="weak float first", tol=tol)
    J(fn, A(0.5), A([1.0, -2.0]), id="0-d", tol=tol)
    J(fn, F(0), F(0), id="empty", tol=tol)
    J(fn, F(2, dtype="float16"), F(2, dtype="float16"), id="f16", tol=F16)
J("divide", A([1, -1, 0, nan]), A([0, 0, 0, 1]), id="by zero")
J("arctan2", A([0, 0, -0.0, -0.0, 1, -1, 1, -1]), A([0, -0.0, 0, -0.0, 1, 1, -1, -1]), id="quadrants and zeros", tol=TRANS)
J("arctan2", A([inf, -inf, 1, nan]), A([inf, 1, inf, 1]), id="inf and nan", tol=TRANS)
J("logaddexp", A([100, -100, -inf, inf, nan, 0]), A([100, -101, -inf, 1, 0, -inf]), id="extremes", tol=TRANS)

for name, x, y in [
    ("int32 mixed signs", A([7, -7, 7, -7, 0, 6], "int32"), A([2, 2, -2, -2, 3, 3], "int32")),
    ("f32 mixed signs", A([7.5, -7.5, 7.5, -7.5, 0.5, 6]), A([2, 2, -2, -2, 3, 3])),
    ("weak int divisor", I(6), 4),
    ("uint32", A([7, 8, 4000000000], "uint32"), A([2, 3, 7], "uint32")),
    ("broadcast", F(2, 1, lo=-5, hi=5), A([1.5, -2.5, 3])),
    ("int32 by weak float", A([5, -5], "int32"), 2.5),
]:
    J("floor_divide", x, y, id=name)
    J("remainder", x, y, id=name, tol=[1e-6, 2e-6])
J("floor_divide", A([1, -1, 0]), A([0, 0, 0]), id="float by zero")
J("remainder", A([1.0, -1.0, inf, 1.0]), A([0, 2, 3, inf]), id="float specials")

J("power", F(3, lo=0.1, hi=3), 2, id="weak int exponent")
J("power", F(3, lo=0.1, hi=3), 0.5, id="weak float exponent", tol=TRANS)
J("power", I(4, lo=-3, hi=4), 3, id="int32 cubed")
J("power", F(2, 3, lo=0.1, hi=3), F(2, 3), id="f32 arrays", tol=TRANS)
J("power", A([2, 3, -2, 0], "int32"), A([0, 3, 3, 5], "int32"), id="int32 arrays")
J("power", A([-2.0, -2.0, 0.0, 0.0]), A([3.0, 2.0, 0.0, -1.0]), id="negative base integral exponent", tol=TRANS)
J("power", 2, F(3), id="weak base", tol=TRANS)
J("power", F(3), -1, id="negative int exponent", tol=EXACT)
J("power", A([2, 3], "int32"), -1, id="int32 to negative power")
J("power", A([2, -3, 0, 0, 5], "int32"), A([5, 3, 0, 2, 1], "int32"), id="int32 arrays with zeros")
J("power", A([2, 3], "uint32"), A([3, 4], "uint32"), id="uint32 arrays")
J("power", A([True, False, True], "bool"), A([True, True, False], "bool"), id="bool arrays")
J("power", A([True, False], "bool"), 2, id="bool to weak int")
J("power", A([2, 3], "int32"), A([2.0, 0.5]), id="int32 to float array", tol=TRANS)
J("power", F(2, dtype="float16", lo=0.5), 2, id="f16", tol=F16)
J("power", A([-8.0, 4.0]), 0.5, id="nan for negative base", tol=TRANS)
J("power", F(3, 1, lo=0.5), A([1, 2], "int32"), id="broadcast int exponent array", tol=TRANS)

UNARY_SPECIALS = A([0.0, -0.0, inf, -inf, nan])
UNARY = {
    # fn: (domain low, high, tolerance)
    "negative": (-3, 3, EXACT),
    "abs": (-3, 3, EXACT),
    "sign": (-3, 3, EXACT),
    "exp": (-5, 5, TRANS),
    "exp2": (-5, 5, TRANS),
    "expm1": (-2, 2, TRANS),
    "log": (0.01, 10, TRANS),
    "log2": (0.01, 10, TRANS),
    "log10": (0.01, 10, TRANS),
    "log1p": (-0.9, 5, TRANS),
    "sqrt": (0, 10, TRANS),
    "cbrt": (-10, 10, TRANS),
    "square": (-3, 3, EXACT),
    "reciprocal": (0.1, 3, EXACT),
    "sin": (-6, 6, TRANS),
    "cos": (-6, 6, TRANS),
    "tan": (-1.4, 1.4, TRANS),
    "arcsin": (-1, 1, TRANS),
    "arccos": (-1, 1, TRANS),
    "arctan": (-5, 5, TRANS),
    "sinh": (-3, 3, TRANS),
    "cosh": (-3, 3, TRANS),
    "tanh": (-3, 3, TRANS),
    "arcsinh": (-5, 5, TRANS),
    "arccosh": (1, 6, TRANS),
    "arctanh": (-0.95, 0.95, TRANS),
    "floor": (-3, 3, EXACT),
    "ceil": (-3, 3, EXACT),
    "round": (-3, 3, EXACT),
    "trunc": (-3, 3, EXACT),
    "isnan": (-3, 3, EXACT),
    "isinf": (-3, 3, EXACT),
    "isfinite": (-3, 3, EXACT),
    "logical_not": (-1, 1, EXACT),
}
for fn, (lo, hi, tol) in UNARY.items():
    J(fn, F(2, 3, lo=lo, hi=hi), id="f32", tol=tol)
    J(fn, A(min(max(0.5, lo), hi)), id="0-d", tol=tol)
    J(fn, F(0, 2), id="empty", tol=tol)
    J(fn, A([max(lo, -3), 1, min(hi, 3)], "int32") if lo < 0 else A([1, 2, 3], "int32"), id="int32", tol=tol)
    J(fn, UNARY_SPECIALS, id="specials", tol=tol)
    J(fn, F(4, lo=max(lo, -2), hi=min(hi, 2), dtype="float16"), id="f16", tol=F16)
    if fn in ("abs", "square", "negative", "floor", "isnan", "logical_not", "exp", "sign"):
        J(fn, B(3), id="bool", tol=tol)
# Where float32 and the exact result differ most: arguments just outside the domain and near poles.
J("log", A([-1.0, 1e-30, 1e30]), id="domain edges", tol=TRANS)
J("sqrt", A([-1.0, 1e-30, 4.0]), id="negative gives nan", tol=TRANS)
J("arcsin", A([-1.5, 1.5]), id="outside domain", tol=TRANS)
J("arccosh", A([0.5, 1.0]), id="outside domain", tol=TRANS)
J("arctanh", A([-1.0, 1.0, 2.0]), id="poles", tol=TRANS)
J("log1p", A([1e-10, -1e-10, -1.0, -2.0]), id="tiny and edge", tol=TRANS)
J("expm1", A([1e-10, -1e-10, 100.0]), id="tiny and overflow", tol=TRANS)
J("exp", A([88.0, 89.0, -104.0]), id="overflow and underflow", tol=TRANS)
J("round", A([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.49]), id="half to even")
J("round", A([1.25, 2.35, -0.15, 123.456]), 1, id="decimals=1", tol=[1e-6, 1e-6])
J("round", A([1.2345, -9.8765]), 2, id="decimals=2", tol=[1e-6, 1e-6])
J("round", I(3), id="int32 unchanged")
J("trunc", A([-2.7, -0.5, 0.5, 2.7]), id="toward zero")
J("sign", A([-3, 0, 5], "int32"), id="int32 zero")
J("sign", A([0, 3, 4000000000], "uint32"), id="uint32")

J("clip", F(6, lo=-2, hi=2), 0, 1, id="both bounds")
J("clip", F(6), None, 0.5, id="upper only")
J("clip", F(6), opts={"min": -0.5}, id="min option")
J("clip", F(6), opts={"min": -0.5, "max": 0.5}, id="min and max options")
J("clip", I(6), -2, 2, id="int32")
J("clip", I(4), -2.5, 2.5, id="int32 with float bounds")
J("clip", F(2, 3), A([-1.0, 0.0, 1.0]), A([0.0, 1.0, 2.0]), id="array bounds broadcast")
J("clip", A([nan, 3.0]), 0, 1, id="nan stays")
J("clip", A(5.0), 0, 1, id="0-d")

J("where", B(2, 3), F(2, 3), F(2, 3), id="arrays")
J("where", B(3, 1), F(4), F(3, 4), id="broadcast")
J("where", B(4), F(4), 0, id="weak zero")
J("where", B(3), I(3), F(3), id="int and float promote")
J("where", A([0.0, 2.0, -1.0]), 1, 2, id="float condition, weak branches")
J("where", True, F(2), F(2), id="JS bool condition")
J("where", B(0), F(0), F(0), id="empty")
J("where", B(3), I(3), 2.5, id="int32 and weak float")
J("where", B(2), F(2), F(3), id="shape mismatch")

for fn in ["logical_and", "logical_or"]:
    J(fn, B(5), B(5), id="bools")
    J(fn, A([0.0, 1.5, 0.0, -2.0]), A([0.0, 0.0, 3.0, nan]), id="floats")
    J(fn, A([0, 1, 2], "int32"), True, id="int32 and JS bool")
    J(fn, B(3, 1), B(4), id="broadcast")
    J(fn, B(0), B(1), id="empty")
J("logical_not", A([0, 3, -1], "int32"), id="int32 truthiness")

# ---------------------------------------------------------------- reductions

X34 = F(3, 4)
X234 = F(2, 3, 4)
for fn in ["sum", "mean", "var", "std", "max", "min", "prod"]:
    tol = [2e-6, 2e-6] if fn in ("sum", "mean", "prod") else [1e-5, 2e-6]
    J(fn, X34, id="all", tol=tol)
    J(fn, X34, opts={"axis": 0}, id="axis 0", tol=tol)
    J(fn, X34, opts={"axis": -1}, id="axis -1", tol=tol)
    J(fn, X234, opts={"axis": [0, 2]}, id="axes (0,2)", tol=tol)
    J(fn, X234, opts={"axis": 1, "keepdims": True}, id="keepdims", tol=tol)
    J(fn, X234, opts={"keepdims": True}, id="keepdims all", tol=tol)
    J(fn, I(3, 4, lo=-3, hi=4), opts={"axis": 1}, id="int32", tol=tol)
    J(fn, B(2, 5), opts={"axis": 1}, id="bool", tol=tol)
    J(fn, A(2.5), id="0-d", tol=tol)
    J(fn, F(0), id="empty", tol=tol)
    J(fn, F(2, 0), opts={"axis": 1}, id="empty axis", tol=tol)
    J(fn, F(2, 0), opts={"axis": 0}, id="reduce to empty", tol=tol)
    J(fn, A([1.0, nan, 3.0]), id="nan", tol=tol)
    J(fn, X34, opts={"axis": 2}, id="axis out of range")
    J(fn, F(4, dtype="float16"), id="f16", tol=F16)
J("sum", I(3, 4), opts={"dtype": "float32"}, id="dtype float32")
J("sum", A([4000000000, 300000000], "uint32"), id="uint32 wraps")
J("prod", I(5, lo=1, hi=4), id="int32 all")
J("mean", I(3, 4), opts={"axis": 0, "dtype": "float32"}, id="int32 with dtype", tol=EXACT)
J("var", X34, opts={"ddof": 1}, id="ddof 1", tol=[1e-5, 2e-6])
J("std", X34, opts={"axis": 0, "ddof": 1}, id="axis 0 ddof 1", tol=[1e-5, 2e-6])
J("var", A([1.0]), opts={"ddof": 1}, id="ddof equals n", tol=EXACT)
J("max", A([1, 5, 5, -2], "uint32"), id="uint32")
J("min", A([-inf, 0, inf]), id="infinities")

for fn in ["argmax", "argmin"]:
    J(fn, X34, id="flat")
    J(fn, X34, opts={"axis": 0}, id="axis 0")
    J(fn, X34, opts={"axis": -1}, id="axis -1")
    J(fn, X34, opts={"axis": 1, "keepdims": True}, id="keepdims")
    J(fn, X34, opts={"keepdims": True}, id="keepdims flat")
    J(fn, A([3, 1, 3, 1], "int32"), id="ties take the first")
    J(fn, A([1.0, nan, 5.0, nan]), id="nan wins")
    J(fn, B(5), id="bool")
    J(fn, A(7.0), id="0-d")
    J(fn, F(0), id="empty")
    J(fn, X234, opts={"axis": 1}, id="3-d middle axis")

for fn in ["any", "all"]:
    J(fn, B(3, 4), id="flat")
    J(fn, B(3, 4), opts={"axis": 0}, id="axis 0")
    J(fn, B(3, 4), opts={"axis": -1, "keepdims": True}, id="keepdims")
    J(fn, A([0.0, 0.5, nan]), id="floats")
    J(fn, A([0, 0, 2], "int32"), id="int32")
    J(fn, F(0), id="empty")
    J(fn, A(0.0), id="0-d")
    J(fn, A([[True, True], [False, True]]), opts={"axis": [0, 1]}, id="axes list")

J("cumsum", F(5), id="1-d", tol=[2e-6, 2e-6])
J("cumsum", F(3, 4), opts={"axis": 0}, id="axis 0", tol=[2e-6, 2e-6])
J("cumsum", F(3, 4), opts={"axis": -1}, id="axis -1", tol=[2e-6, 2e-6])
J("cumsum", F(3, 4), id="flattens", tol=[2e-6, 2e-6])
J("cumsum", B(6), id="bool gives int32")
J("cumsum", I(2, 3), opts={"axis": 1}, id="int32")
J("cumsum", I(4), opts={"dtype": "float32"}, id="dtype")
J("cumsum", F(0), id="empty")
J("cumsum", A(3.0), id="0-d")
J("cumsum", F(2, 2), opts={"axis": 2}, id="axis out of range")

# ---------------------------------------------------------------- shape ops

R = F(2, 3, 4)
J("reshape", F(6), (2, 3), id="1-d to 2-d")
J("reshape", F(2, 3), -1, id="-1 flattens")
J("reshape", F(2, 6), (3, -1), id="inferred dim")
J("reshape", A([4.5]), (), id="to 0-d")
J("reshape", A(4.5), (1, 1), id="from 0-d")
J("reshape", F(0, 3), (3, 0), id="empty")
J("reshape", F(6), (4, 2), id="size mismatch")
J("reshape", I(2, 3), (3, 2), id="int32")
J("reshape", R, (4, -1, 2), id="3-d")
J("ravel", F(2, 3), id="2-d")
J("ravel", A(1.5), id="0-d")
J("ravel", I(2, 2, 2), id="3-d int32")
J("ravel", F(0, 4), id="empty")
J("transpose", R, id="reverse")
J("transpose", R, (1, 0, 2), id="perm")
J("transpose", R, (-1, 0, 1), id="negative axes")
J("transpose", F(4), id="1-d")
J("transpose", A(2.0), id="0-d")
J("transpose", R, (0, 1), id="wrong length")
J("swapaxes", R, 0, -1, id="0 and -1")
J("swapaxes", F(2, 3), 1, 1, id="same axis")
J("swapaxes", F(2, 3), 0, 2, id="out of range")
J("moveaxis", R, 0, -1, id="front to back")
J("moveaxis", R, -1, 0, id="back to front")
J("moveaxis", R, [0, 1], [-1, -2], id="two axes")
J("moveaxis", R, [0, 2], [1, 0], id="two axes reordered")
J("expand_dims", F(3), 0, id="front")
J("expand_dims", F(3), -1, id="back")
J("expand_dims", F(2, 3), [0, 3], id="several")
J("expand_dims", A(1.0), 0, id="0-d")
J("expand_dims", F(3), 3, id="out of range")
J("squeeze", F(1, 3, 1), id="all")
J("squeeze", F(1, 3, 1), 2, id="one axis")
J("squeeze", F(1, 3, 1), -3, id="negative axis")
J("squeeze", F(1, 3, 1), [0, 2], id="axes list")
J("squeeze", F(1, 3, 1), 1, id="not size one")
J("squeeze", A([[5.0]]), id="to 0-d")
J("broadcast_to", F(4), (3, 4), id="(4,) to (3,4)")
J("broadcast_to", F(3, 1), (3, 4), id="(3,1) to (3,4)")
J("broadcast_to", A(2.0), (2, 2), id="0-d")
J("broadcast_to", F(1), (0,), id="to empty")
J("broadcast_to", F(3), (4,), id="incompatible")
J("broadcast_to", I(2, 1), (2, 2, 3), id="int32 new leading axis")

J("concatenate", [F(2), F(3)], id="1-d")
J("concatenate", [F(2, 3), F(1, 3)], id="axis 0")
J("concatenate", [F(2, 3), F(2, 1)], opts={"axis": 1}, id="axis 1")
J("concatenate", [F(2, 3), F(2, 2), F(2, 1)], opts={"axis": -1}, id="axis -1, three arrays")
J("concatenate", [F(2, 2), F(3)], opts={"axis": None}, id="axis None flattens")
J("concatenate", [I(2), F(2)], id="int32 and f32 promote")
J("concatenate", [B(2), I(2)], id="bool and int32 promote")
J("concatenate", [F(0), F(3)], id="size-0 piece")
J("concatenate", [F(0, 2), F(0, 2)], id="all empty")
J("concatenate", [F(2), F(2, 2)], id="rank mismatch")
J("concatenate", [F(2, 3), F(2, 4)], id="shape mismatch")
J("concatenate", [F(3)], id="single")
J("stack", [F(3), F(3)], id="axis 0")
J("stack", [F(3), F(3)], opts={"axis": 1}, id="axis 1")
J("stack", [F(2, 3), F(2, 3), F(2, 3)], opts={"axis": -1}, id="axis -1")
J("stack", [A(1.0), A(2.0), A(3.0)], id="0-d arrays")
J("stack", [I(2), F(2)], id="promotes")
J("stack", [F(2), F(3)], id="shape mismatch")
J("stack", [F(0), F(0)], id="empty arrays")
J("split", F(6), 3, id="sections")
J("split", F(6), [1, 3], id="indices")
J("split", F(2, 6), 2, opts={"axis": 1}, id="axis 1")
# JAX 0.10 rejects these (it does not normalise the indices); numpy's answer is the reference.
J("split", F(4, 2), [-1], id="negative index", py=lambda x, s: [jnp.asarray(p) for p in np.split(np.asarray(x), s)])
J("split", F(5), [2, 10], id="index past the end", py=lambda x, s: [jnp.asarray(p) for p in np.split(np.asarray(x), s)])
J("split", F(5), 2, id="unequal raises")
J("split", I(3, 2), 3, opts={"axis": -2}, id="negative axis int32")
J("tile", F(3), 2, id="1-d")
J("tile", F(2, 3), [2, 1], id="2-d")
J("tile", A(1.5), 3, id="0-d")
J("tile", F(2), [2, 1, 2], id="raises rank")
J("tile", F(2, 2), 0, id="zero reps")
J("tile", I(2, 2), [3], id="fewer reps than dims")
J("repeat", F(2, 2), 2, id="flattens")
J("repeat", F(2, 3), 2, opts={"axis": 0}, id="axis 0")
J("repeat", F(2, 3), [1, 0, 2], opts={"axis": 1}, id="per-element repeats",
  py=lambda x, r, axis: jnp.repeat(x, jnp.asarray(r), axis=axis))
J("repeat", A(3.0), 3, id="0-d")
J("repeat", I(3), 0, id="zero repeats")
J("repeat", F(2, 3), 2, opts={"axis": -1}, id="negative axis")
J("flip", F(2, 3), id="all axes")
J("flip", F(2, 3), 0, id="axis 0")
J("flip", F(2, 3), -1, id="axis -1")
J("flip", R, [0, 2], id="axes list")
J("flip", A(2.0), id="0-d")
J("flip", I(4), id="int32")
J("flip", F(2), 1, id="axis out of range")

# ---------------------------------------------------------------- products

MAT = [2e-6, 2e-6]
J("dot", F(4), F(4), id="vector vector", tol=MAT)
J("dot", F(3, 4), F(4), id="matrix vector", tol=MAT)
J("dot", F(3, 4), F(4, 2), id="matrix matrix", tol=MAT)
J("dot", F(2, 3, 4), F(4, 5), id="3-d by 2-d", tol=MAT)
J("dot", F(2, 3, 4), F(5, 4, 2), id="3-d by 3-d", tol=MAT)
J("dot", 2.5, F(3), id="weak scalar", tol=MAT)
J("dot", A(2.0), F(2, 2), id="0-d array", tol=MAT)
J("dot", I(3), I(3), id="int32")
J("dot", I(2, 3), F(3), id="int32 and f32", tol=MAT)
J("dot", F(3, 4), F(3), id="misaligned")
J("dot", F(0), F(0), id="empty", tol=MAT)
J("matmul", F(3, 4), F(4, 5), id="2-d", tol=MAT)
J("matmul", F(4), F(4, 2), id="1-d by 2-d", tol=MAT)
J("matmul", F(3, 4), F(4), id="2-d by 1-d", tol=MAT)
J("matmul", F(4), F(4), id="1-d by 1-d", tol=MAT)
J("matmul", F(2, 3, 4), F(4, 5), id="batch by matrix", tol=MAT)
J("matmul", F(2, 1, 3, 4), F(5, 4, 2), id="broadcast batch", tol=MAT)
J("matmul", F(3, 4), F(3, 4), id="misaligned")
J("matmul", F(3), 2.0, id="scalar raises")
J("matmul", I(2, 2), I(2, 2), id="int32")
J("matmul", F(2, 0), F(0, 3), id="empty contraction", tol=MAT)
J("outer", F(3), F(4), id="vectors", tol=MAT)
J("outer", F(2, 2), F(3), id="flattens", tol=MAT)
J("outer", I(2), F(2), id="promotes", tol=MAT)
J("outer", A(2.0), F(2), id="0-d", tol=MAT)
J("vdot", F(4), F(4), id="vectors", tol=MAT)
J("vdot", F(2, 3), F(3, 2), id="flattens", tol=MAT)
J("vdot", I(3), I(3), id="int32")
J("vdot", F(3), F(4), id="size mismatch")
J("tensordot", F(2, 3), F(3, 4), 1, id="axes 1", tol=MAT)
J("tensordot", F(2, 3, 4), F(3, 4, 5), id="default axes 2", tol=MAT)
J("tensordot", F(3, 2), F(2, 3), ([1, 0], [0, 1]), id="axes lists", tol=MAT)
J("tensordot", F(2), F(3), 0, id="axes 0 outer", tol=MAT)
J("tensordot", F(2, 3, 4), F(4, 3), ([-1, 1], [0, 1]), id="negative axes", tol=MAT)
J("tensordot", F(2, 3), F(4, 3), 1, id="misaligned")

EIN = [
    ("ij,jk->ik", (F(2, 3), F(3, 4))),
    ("ij->ji", (F(2, 3),)),
    ("i,i->", (F(5), F(5))),
    ("bij,bjk->bik", (F(2, 3, 4), F(2, 4, 5))),
    ("ij->", (F(3, 4),)),
    ("ij,jk", (F(2, 3), F(3, 4))),
    ("ij->i", (F(3, 4),)),
    ("i,j->ij", (F(2), F(3))),
    ("ij,ij->ij", (F(2, 3), F(2, 3))),
    ("ij,j->i", (F(3, 4), F(4))),
    ("ijk->kji", (F(2, 3, 4),)),
    ("ij,jk,kl->il", (F(2, 3), F(3, 4), F(4, 2))),
    ("ba", (F(2, 3),)),
    ("bi,bi->b", (F(4, 3), F(4, 3))),
]
for spec, ops in EIN:
    J("einsum", spec, *ops, id=f"'{spec}'", tol=MAT)
J("einsum", "ij,jk->ik", I(2, 3), I(3, 2), id="int32")
J("einsum", "ij,jk->ik", F(2, 3), F(4, 2), id="size mismatch")

for ordv in [None, 1, 2, inf, -inf, 0, 3, 0.5]:
    J("linalg.norm", F(5), opts={} if ordv is None else {"ord": ordv}, id=f"vector ord={ordv}", tol=TRANS)
for ordv in [None, "fro", 1, -1, inf, -inf]:
    J("linalg.norm", F(3, 4), opts={} if ordv is None else {"ord": ordv}, id=f"matrix ord={ordv}", tol=TRANS)
J("linalg.norm", F(3, 4), opts={"axis": 1}, id="rows", tol=TRANS)
J("linalg.norm", F(3, 4), opts={"axis": 0, "ord": 1}, id="columns ord 1", tol=TRANS)
J("linalg.norm", F(3, 4), opts={"axis": -1, "keepdims": True}, id="keepdims", tol=TRANS)
J("linalg.norm", F(2, 3, 4), opts={"axis": (1, 2)}, id="batch of matrices", tol=TRANS)
J("linalg.norm", F(2, 3, 4), opts={"axis": (2, 0), "ord": inf}, id="matrix ord inf axes (2,0)", tol=TRANS)
J("linalg.norm", F(3, 4), opts={"axis": (0, 1), "keepdims": True}, id="matrix keepdims", tol=TRANS)
J("linalg.norm", I(4), id="int32", tol=TRANS)
J("linalg.norm", F(2, 3, 4), id="3-d default flattens", tol=TRANS)
J("linalg.norm", F(0), id="empty", tol=TRANS)
J("linalg.norm", A([3.0, 4.0]), id="3-4-5", tol=TRANS)

SOLVE = [1e-4, 1e-5]


def spd(n, *batch):
    m = rng.uniform(-1, 1, (*batch, n, n))
    return (m @ np.swapaxes(m, -1, -2) + n * np.eye(n)).astype("float32")


J("linalg.solve", A([[2.0, 1.0], [1.0, 3.0]]), A([3.0, 5.0]), id="2x2", tol=SOLVE)
J("linalg.solve", spd(3), F(3), id="3x3 vector", tol=SOLVE)
J("linalg.solve", spd(4), F(4, 2), id="matrix rhs", tol=SOLVE)
J("linalg.solve", spd(3, 2), F(2, 3, 1), id="batched", tol=SOLVE)
J("linalg.solve", A([[0.0, 1.0], [1.0, 0.0]]), A([2.0, 3.0]), id="needs pivoting", tol=SOLVE)
J("linalg.solve", A([[2, 0], [0, 4]], "int32"), A([2, 4], "int32"), id="int32 gives float", tol=SOLVE)
J("linalg.solve", F(2, 3), F(2), id="not square")

for c in ["pi", "e", "inf", "nan", "euler_gamma"]:
    J(c, id="constant")

# ---------------------------------------------------------------- odds and ends

J("round", A([15.0, 25.0, -35.0, 123.0]), -1, id="decimals=-1", tol=EXACT)
J("round", F(3, dtype="float16"), 1, id="f16 decimals=1", tol=F16)
J("linspace", 0, 1, 1, opts={"endpoint": False}, id="one point no endpoint")
J("linspace", 1, 0, 3, opts={"dtype": "float16"}, id="float16", tol=F16)
J("cumsum", F(6, dtype="float16"), id="f16", tol=F16)
J("argmax", X34, opts={"axis": -2, "keepdims": True}, id="negative axis keepdims")
J("std", I(2, 3), id="int32 all", tol=[1e-5, 2e-6])
J("where", A(True, "bool"), F(2), 1.5, id="0-d array condition")
J("expand_dims", F(2, 3), [-1, 0], id="negative and positive")
J("expand_dims", F(2), [0, 0], id="repeated axis")
J("moveaxis", R, 0, 3, id="destination out of range")
J("moveaxis", R, [0, 1], [2], id="length mismatch")
J("reshape", F(2, 3), 6, id="int shape")
J("tile", A(2.0), [2, 2], id="0-d to 2-d")
J("dot", F(2, 3, dtype="float16"), F(3, dtype="float16"), id="f16", tol=[5e-3, 5e-3])
J("matmul", F(2, 3, dtype="float16"), F(3, 2), id="f16 and f32", tol=MAT)
J("power", 2.5, A([0, 1, 2, 3], "int32"), id="weak float base int32 exponents", tol=TRANS)
J("power", A(2, "int32"), A([1, 2, 3], "int32"), id="0-d int32 base")
J("linalg.norm", F(3, dtype="float16"), id="f16", tol=F16)
J("linalg.norm", F(3, 4), opts={"ord": 2, "axis": 0}, id="columns ord 2", tol=TRANS)
J("sum", B(3, 4), opts={"axis": 0, "keepdims": True}, id="bool keepdims")
J("max", B(2, 3), opts={"axis": 1}, id="bool axis 1")
J("mean", B(4), id="bool gives float32", tol=EXACT)
J("prod", A([1.5, -2.0, 0.5, 3.0]), opts={"keepdims": True}, id="keepdims 1-d", tol=EXACT)
J("var", F(3, 4, dtype="float16"), opts={"axis": 0}, id="f16 axis 0", tol=[5e-3, 5e-3])
J("clip", A([1, 5, 9], "uint32"), 2, 6, id="uint32")
J("concatenate", [F(2, dtype="float16"), F(2)], id="f16 and f32", tol=F16)
J("stack", [B(2), B(2)], opts={"axis": -1}, id="bools axis -1")
J("repeat", B(3), 2, id="bool")
J("flip", F(0), id="empty")
J("outer", F(0), F(3), id="empty", tol=MAT)
J("einsum", "i,i->i", F(3), F(3), id="elementwise 1-d", tol=MAT)
J("einsum", "ij,kj->ik", F(2, 3), F(4, 3), id="contract second axes", tol=MAT)
J("tensordot", F(2, 3), F(3, 2), [1, 0], id="axes as ints", tol=MAT)

# ---------------------------------------------------------------- methods

XM = F(2, 3)
M("x.add", XM, F(3), id="broadcast")
M("x.add", I(3), 1, id="int32 and weak int")
M("x.sub", XM, 0.5, id="weak float")
M("x.mul", XM, 2, id="weak int keeps float32")
M("x.mul", F(3, dtype="float16"), 2, id="weak int keeps float16", tol=F16)
M("x.mul", I(3), 2.5, id="int32 times weak float")
M("x.div", I(3), 2, id="int32 by weak int gives float32")
M("x.floordiv", A([7, -7], "int32"), 2, id="int32")
M("x.mod", A([7.5, -7.5]), 2, id="float sign of divisor")
M("x.pow", XM, 2, id="square", tol=EXACT)
M("x.pow", F(3, lo=0.1), 0.5, id="sqrt", tol=TRANS)
M("x.pow", I(3, lo=0), 2, id="int32")
M("x.neg", XM, id="float32")
M("x.abs", I(4), id="int32")
M("x.lt", XM, 0.5, id="weak")
M("x.le", I(3), I(3), id="int32")
M("x.gt", XM, 0, id="zero")
M("x.ge", F(3), F(2, 1), id="broadcast")
M("x.eq", A([1.0, nan, 2.0]), A([1.0, nan, 3.0]), id="nan is not equal")
M("x.ne", I(4), 0, id="int32")
M("x.matmul", F(2, 3), F(3, 2), id="2-d", tol=MAT)
M("x.T", XM, id="2-d")
M("x.T", R, id="3-d")
M("x.T", F(3), id="1-d")
M("x.reshape", F(6), 3, 2, id="varargs")
M("x.reshape", F(6), (2, 3), id="list")
M("x.transpose", R, 2, 0, 1, id="varargs")
M("x.transpose", R, id="no args")
M("x.ravel", XM, id="2-d")
M("x.flatten", XM, id="2-d")
M("x.squeeze", F(1, 3), id="all")
M("x.squeeze", F(3, 1), 1, id="axis")
M("x.astype", F(4), "int32", id="float to int32")
M("x.astype", I(3), "float16", id="int32 to float16")
M("x.astype", F(3), "bool", id="float to bool")
M("x.get", XM, Idx(1), id="row")
M("x.get", XM, Idx(-1), id="negative row")
M("x.get", XM, Idx(1, -1), id="element")
M("x.get", XM, Idx(A([1, 0, 1], "int32")), id="int array")
M("x.get", XM, Idx(None, 2), id="null is a full slice")
M("x.get", F(4), Idx(A(2, "int32")), id="0-d int array")
M("x.slice", XM, Idx(":, 0"), id="column")
M("x.slice", F(6), Idx("1:3"), id="range")
M("x.slice", F(6), Idx("::-1"), id="reverse")
M("x.slice", F(7), Idx("5:1:-2"), id="negative step with bounds")
M("x.slice", F(6), Idx("-4:-1"), id="negative bounds")
M("x.slice", XM, Idx("::2, ::-1"), id="two axes")
M("x.slice", R, Idx("..., 0"), id="ellipsis")
M("x.slice", XM, Idx("newaxis, :"), id="newaxis")
M("x.slice", F(4), Idx([1, None, 2]), id="triple")
M("x.slice", F(4), Idx([None, None, -1]), id="triple negative step")
M("x.slice", F(5), Idx("10:"), id="start past the end")
M("x.slice", R, Idx("1, ::-1, 1:3"), id="int, reverse, range")
M("x.at.set", F(4), Idx(1), 5.0, id="one element")
M("x.at.set", XM, Idx(":, 0"), 0, id="column")
M("x.at.set", I(4), Idx("1:3"), A([7, 8], "int32"), id="slice with array")
M("x.at.set", F(4), Idx(-1), 2.5, id="negative index")
M("x.at.set", I(3), Idx(0), 2.7, id="float into int32 truncates")
M("x.at.add", F(4), Idx(A([0, 0, 2], "int32")), 1, id="duplicates accumulate")
M("x.at.add", XM, Idx(":, 0"), 1, id="column")
M("x.at.add", XM, Idx(1), A([1.0, 2.0, 3.0]), id="row with array")
M("x.at.multiply", F(4), Idx("::2"), 3, id="strided")
M("x.at.min", F(4), Idx(A([1, 1], "int32")), A([-5.0, 0.0]), id="duplicates")
M("x.at.max", I(4), Idx(":"), 0, id="relu")
M("x.at.get", XM, Idx(1, ":"), id="row")
M("x.sum", XM, opts={"axis": 0}, id="axis 0", tol=MAT)
M("x.sum", B(4), id="bool")
M("x.mean", XM, opts={"keepdims": True}, id="keepdims", tol=MAT)
M("x.max", XM, opts={"axis": -1}, id="axis -1")
M("x.min", I(5), id="int32")
M("x.prod", XM, opts={"axis": 1}, id="axis 1", tol=MAT)
M("x.var", XM, opts={"ddof": 1}, id="ddof", tol=[1e-5, 2e-6])
M("x.std", XM, opts={"axis": 0}, id="axis 0", tol=[1e-5, 2e-6])
M("x.argmax", XM, opts={"axis": 1}, id="axis 1")
M("x.cumsum", XM, opts={"axis": 1}, id="axis 1", tol=MAT)
M("x.any", B(3, 2), opts={"axis": 0}, id="axis 0")
M("x.all", F(3), id="floats")

# ---------------------------------------------------------------- shapes: broadcasting, empty, 0-d, indexing

S("add", F(3, 1), F(4), id="(3,1)+(4,)")
S("add", F(0), F(1), id="(0,)+(1,)")
S("add", F(1), F(0), id="(1,)+(0,)")
S("add", F(2, 0), F(2, 1), id="(2,0)+(2,1)")
S("add", F(0, 3), F(1, 3), id="(0,3)+(1,3)")
S("add", A(1.0), F(3), id="0-d + (3,)")
S("add", A(1.0), A(2.0), id="0-d + 0-d")
S("add", 2, 3, id="two weak ints")
S("add", 2, 2.5, id="weak int and weak float")
S("add", A(2, "int32"), 2.5, id="0-d int32 and weak float")
S("multiply", F(1, 1, 1), F(2, 3), id="(1,1,1)*(2,3)")
S("multiply", F(5, 1, 4), F(3, 1), id="(5,1,4)*(3,1)")
S("multiply", F(2, 1, 3), F(4, 1), id="(2,1,3)*(4,1)")
S("multiply", F(3), F(4), id="(3,)*(4,) mismatch")
S("multiply", F(2, 3), F(3, 2), id="(2,3)*(3,2) mismatch")
S("where", B(1, 3), F(2, 1), 0.0, id="where three-way broadcast")
S("maximum", F(0, 1), F(1, 0), id="(0,1) and (1,0)")
S("sum", F(0, 3), opts={"axis": 0}, id="empty sum axis 0")
S("sum", F(0, 3), id="empty sum all")
S("prod", F(0), id="empty prod is one")
S("prod", I(0), id="empty int prod")
S("mean", F(0, 3), opts={"axis": 1}, id="empty mean axis 1")
S("max", F(0, 3), opts={"axis": 1}, id="empty max along a nonzero axis is fine")
S("max", F(0, 3), opts={"axis": 0}, id="empty max along the empty axis raises")
S("any", F(0, 2), opts={"axis": 0}, id="empty any")
S("all", F(0, 2), opts={"axis": 0}, id="empty all")
S("argmax", F(0, 3), opts={"axis": 1}, id="empty argmax along nonempty axis")
S("cumsum", F(0, 2), opts={"axis": 0}, id="empty cumsum")
S("concatenate", [F(0, 3), F(2, 3)], id="size-0 concatenate")
S("concatenate", [F(2, 0), F(2, 0)], opts={"axis": 1}, id="size-0 concatenate axis 1")
S("concatenate", [F(0), I(0)], id="size-0 concatenate promotes")
S("stack", [F(0, 2)], opts={"axis": 1}, id="stack of one empty")
S("matmul", F(0, 3), F(3, 2), id="matmul with 0 rows")
S("sum", A(3.5), opts={"axis": ()}, id="sum of 0-d over no axes")
S("sum", A(3.5), opts={"axis": 0}, id="sum of 0-d axis 0 raises")
S("reshape", A(3.5), -1, id="0-d reshape -1")
S("reshape", F(0, 4), (2, 0, -1), id="empty reshape -1 ambiguous")
S("transpose", F(0, 2, 1), id="empty transpose")
S("broadcast_to", F(3, 1), (0, 3, 0), id="broadcast to empty")
S("exp", A(0.5), id="0-d unary", tol=TRANS)
S("squeeze", A(1.0), id="0-d squeeze")
S("expand_dims", F(0), 1, id="empty expand_dims")
S("flip", F(0, 2), 0, id="empty flip")
S("split", F(0), 2, id="split empty")

XI = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
XV = np.arange(6, dtype=np.int32) * 10
S("x.get", XV, Idx(0), id="int")
S("x.get", XV, Idx(-1), id="negative int")
S("x.get", XV, Idx(-6), id="most negative int")
S("x.get", XI, Idx(1, 2, 3), id="all ints")
S("x.get", XI, Idx(-1, -1), id="partial negative ints")
S("x.slice", XV, Idx("1:5:2"), id="slice step 2")
S("x.slice", XV, Idx("::-2"), id="slice step -2")
S("x.slice", XV, Idx("-2::-1"), id="negative start negative step")
S("x.slice", XV, Idx(":-7:-1"), id="stop before the start")
S("x.slice", XV, Idx("4:1"), id="empty slice")
S("x.slice", XV, Idx("::10"), id="step larger than size")
S("x.slice", XI, Idx("..."), id="ellipsis alone")
S("x.slice", XI, Idx("..., 1:3"), id="ellipsis then slice")
S("x.slice", XI, Idx("0, ..., -1"), id="int ellipsis int")
S("x.slice", XI, Idx("newaxis"), id="newaxis front")
S("x.slice", XI, Idx(":, newaxis, :, 0"), id="newaxis middle")
S("x.slice", XI, Idx("..., newaxis"), id="newaxis at the end")
S("x.slice", A(5.0), Idx("newaxis"), id="0-d newaxis")
S("x.slice", A(5.0), Idx("..."), id="0-d ellipsis")
S("x.get", XI, Idx(A([1, 0], "int32")), id="int array first axis")
S("x.get", XI, Idx(None, A([[0, 2], [1, 1]], "int32")), id="2-d int array second axis")
S("x.get", XI, Idx(A([0, 1], "int32"), A([1, 2], "int32")), id="two int arrays")
S("x.get", XI, Idx(A([0, 1], "int32"), None, A([1, 3], "int32")), id="non-adjacent int arrays")
S("x.get", XI, Idx(None, A([0, 2], "int32"), A([1, 3], "int32")), id="adjacent int arrays after a slice")
S("x.get", XI, Idx(1, A([0, 2], "int32")), id="int and int array")
S("x.get", XV, Idx(A([-1, -6, 2], "int32")), id="negative int array")
S("x.get", XV, Idx(A(np.zeros((0,)), "int32")), id="empty int array")
S("x.get", XV, Idx(A([True, False, True, False, False, True], "bool")), id="bool mask")
S("x.get", XI, Idx(A([[True, False, True], [False, False, True]], "bool")), id="2-d bool mask")
S("x.get", XI, Idx(None, A([False, True, True], "bool")), id="bool mask second axis")
S("x.get", XV, Idx(A([False] * 6, "bool")), id="all-false mask")
S("x.at.set", XV, Idx(A([0, 0, 3], "int32")), 1, id="set with duplicate indices, same value")
S("x.at.add", XV, Idx(A([1, 1, 1, 4], "int32")), 5, id="add with duplicates")
S("x.at.add", XV, Idx(A([0, 0], "int32")), A([1, 2], "int32"), id="add array with duplicates")
S("x.at.add", XI, Idx("..., 0"), 100, id="add with ellipsis")
S("x.at.set", XI, Idx(":, ::2, 1:3"), -1.0, id="set strided block")
S("x.at.set", XV, Idx(A([True, False, True, False, False, True], "bool")), 0, id="set with bool mask")
S("x.at.set", XV, Idx("::-1"), A(np.arange(6), "int32"), id="set reversed slice")
S("x.at.multiply", XI, Idx(1, A([0, 0], "int32")), 2.0, id="multiply duplicate rows")
S("x.at.set", A(1.0), Idx("..."), 7.0, id="0-d set")

# ---------------------------------------------------------------- promotion

PDT = ["bool", "int32", "uint32", "float16", "float32"]
zero = {"bool": False, "int32": 0, "uint32": 0, "float16": 0.0, "float32": 0.0}
for a in PDT:
    for b in PDT:
        r = (jnp.zeros(2, a) + jnp.zeros(2, b)) if not (a == b == "bool") else jnp.zeros(2, a) | jnp.zeros(2, b)
        sections["promotion"].append({
            "id": f"promote_types {a} {b}",
            "kind": "promote_types",
            "a": a,
            "b": b,
            "promote_types": np.dtype(jnp.promote_types(a, b)).name,
            "add_dtype": r.dtype.name,
        })
for d in PDT:
    for fn in ["add", "multiply", "maximum", "divide"]:
        for s in [2, 2.5, True]:
            if fn in ("add", "multiply", "maximum") or d != "bool" or s is not True:
                val = A([1, 0, 1], d) if d == "bool" else A([1, 2, 3], d)
                case("promotion", fn, val, s, id=f"{d} array and {type(s).__name__} {s}", tol=F16)
                case("promotion", fn, s, val, id=f"{type(s).__name__} {s} and {d} array", tol=F16)
    case("promotion", "add", A(1, d), 2.5, id=f"0-d {d} and weak float", tol=F16)
case("promotion", "add", 2, 3, id="weak int and weak int")
case("promotion", "add", 2, 2.5, id="weak int and weak float")
case("promotion", "multiply", 2.5, 2.5, id="weak float and weak float")
case("promotion", "add", 2.0, A([1, 2], "int32"), id="integral weak float and int32")
case("promotion", "add", True, 2, id="bool and weak int")
case("promotion", "add", A(1.5), A([1, 2], "float16"), id="0-d float32 and float16 array", tol=F16)
case("promotion", "add", A([1, 2], "uint32"), -1, id="uint32 and negative weak int")
case("promotion", "subtract", A([1, 2], "int32"), A([1, 2], "uint32"), id="int32 minus uint32")
case("promotion", "where", A([True, False]), A([1, 2], "int32"), 2.5, id="where int32 and weak float")
case("promotion", "where", A([True, False]), A([1, 2], "float16"), 2, id="where float16 and weak int", tol=F16)
case("promotion", "concatenate", [A([1], "float16"), A([2], "int32")], id="concatenate float16 and int32", tol=F16)
case("promotion", "sum", A([1, 2], "float16"), id="sum keeps float16", tol=F16)
case("promotion", "mean", A([1, 2], "uint32"), id="mean of uint32", tol=F16)
case("promotion", "sqrt", A([4], "int32"), id="sqrt of int32")
case("promotion", "sqrt", A([4], "float16"), id="sqrt of float16", tol=F16)
case("promotion", "x.pow", A([1, 2], "float16"), 2, id="float16 ** 2", tol=F16)
case("promotion", "x.mul", A([1, 2], "float16"), 2.5, id="float16 * 2.5", tol=F16)
case("promotion", "x.add", A([1, 2], "int32"), 2.5, id="int32 + 2.5")

# ---------------------------------------------------------------- write

out = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "jnp_golden.json")
with open(out, "w") as f:
    json.dump({"jax_version": jax.__version__, **sections}, f, separators=(",", ":"), allow_nan=False)
    f.write("\n")
print(f"wrote {out}: " + ", ".join(f"{k} {len(v)}" for k, v in sections.items()))
