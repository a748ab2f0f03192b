"""Golden values for tests/linalg.test.ts from real JAX.

Writes tests/fixtures/linalg_golden.json: the input matrices and, per dtype
(float32 and float64), the outputs and gradients of jnp.linalg and
jax.scipy.linalg functions on them. Non-finite numbers are written as the
strings "nan", "inf" and "-inf" (JSON has no literal for them).

Eigenvectors and singular vectors are only defined up to sign; the test
compares them sign-invariantly, and the gradients here are of sign-invariant
functions of them.

Run: ~/jaxenv/bin/python scripts/gen_linalg_golden.py
"""

import json
import math
import pathlib

import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402
import jax.scipy.linalg as jsl  # noqa: E402
import numpy as np  # noqa: E402

rng = np.random.default_rng(20261201)


def spd(n):
    m = rng.normal(size=(n, n))
    return m @ m.T + n * np.eye(n)


def sym_gapped(n):
    m = rng.normal(size=(n, n))
    return (m + m.T) / 2 + np.diag(np.arange(n) * 3.0)


gen4 = rng.normal(size=(4, 4)) + 2 * np.eye(4)
sing4 = np.array([[1.0, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 0, 1, 1]])  # rank 3
rank2 = np.array([[1.0, 2, 3, 4], [2, 4, 6, 8], [3, 6, 9, 12], [0, 0, 1, 1]])  # rank 2
low4 = np.tril(rng.normal(size=(4, 4))) + 3 * np.eye(4)
INPUTS = {
    "spd4": spd(4),
    "spd_b": np.stack([spd(3), spd(3)]),
    "notpd3": np.array([[1.0, 2, 0], [2, 1, 0], [0, 0, 1]]),
    "gen1": rng.normal(size=(1, 1)),
    "gen2": rng.normal(size=(2, 2)),
    "gen3": rng.normal(size=(3, 3)),
    "gen4": gen4,
    "gen_b": rng.normal(size=(2, 5, 5)) + 2 * np.eye(5),
    "sing4": sing4,
    "rank2": rank2,
    "sym4": sym_gapped(4),
    "low4": low4,
    "b4": rng.normal(size=(4, 2)),
    "v4": rng.normal(size=(4,)),
    "tall": rng.normal(size=(5, 3)),
    "tall4x2": rng.normal(size=(4, 2)),
    "wide": rng.normal(size=(3, 5)),
    "y5": rng.normal(size=(5,)),
    "lowrank": np.outer(rng.normal(size=5), rng.normal(size=3)),
    "w4": rng.normal(size=(4, 4)),
    "zeros53": np.zeros((5, 3)),
    "w3": rng.normal(size=(3,)),
}


def enc(x):
    a = np.asarray(x, dtype=np.float64)
    flat = [("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else float(v))
            for v in a.ravel().tolist()]
    return {"shape": list(a.shape), "data": flat}


def cases(dt):
    X = {k: jnp.asarray(v, dtype=dt) for k, v in INPUTS.items()}
    out = {}

    def put(name, v):
        out[name] = enc(v)

    put("cholesky_spd4", jnp.linalg.cholesky(X["spd4"]))
    put("cholesky_upper_spd4", jnp.linalg.cholesky(X["spd4"], upper=True))
    put("cholesky_spd_b", jnp.linalg.cholesky(X["spd_b"]))
    put("cholesky_notpd3", jnp.linalg.cholesky(X["notpd3"]))
    put("scipy_cholesky_spd4", jsl.cholesky(X["spd4"]))
    put("solve_tri_lower", jsl.solve_triangular(X["low4"], X["b4"], lower=True))
    put("solve_tri_lower_T", jsl.solve_triangular(X["low4"], X["b4"], lower=True, trans=1))
    put("solve_tri_upper_unit_vec", jsl.solve_triangular(X["low4"].T, X["v4"], unit_diagonal=True))
    put("cho_solve_upper", jsl.cho_solve(jsl.cho_factor(X["spd4"]), X["b4"]))
    put("cho_solve_lower_vec", jsl.cho_solve(jsl.cho_factor(X["spd4"], lower=True), X["v4"]))
    for k in ["gen1", "gen2", "gen3", "gen4", "gen_b", "sing4", "rank2"]:
        put(f"det_{k}", jnp.linalg.det(X[k]))
        sign, logabs = jnp.linalg.slogdet(X[k])
        put(f"slogdet_sign_{k}", sign)
        put(f"slogdet_logabs_{k}", logabs)
    for k in ["gen1", "gen3", "gen4", "sing4", "rank2"]:
        put(f"grad_det_{k}", jax.grad(jnp.linalg.det)(X[k]))
    put("grad_logabsdet_gen4", jax.grad(lambda a: jnp.linalg.slogdet(a)[1])(X["gen4"]))
    put("grad_logabsdet_gen2", jax.grad(lambda a: jnp.linalg.slogdet(a)[1])(X["gen2"]))
    put("inv_gen4", jnp.linalg.inv(X["gen4"]))
    put("inv_sing4", jnp.linalg.inv(X["sing4"]))
    put("solve_sing4", jnp.linalg.solve(X["sing4"], jnp.ones(4, dt)))
    p, l, u = jsl.lu(X["gen4"])
    put("lu_p", p)
    put("lu_l", l)
    put("lu_u", u)
    for k in ["tall", "wide"]:
        p, l, u = jsl.lu(X[k])
        put(f"lu_p_{k}", p)
        put(f"lu_l_{k}", l)
        put(f"lu_u_{k}", u)
        put(f"grad_lu_{k}", jax.grad(lambda a: jnp.sum(jsl.lu(a)[1] * jnp.arange(l.size, dtype=dt).reshape(l.shape))
                                     + jnp.sum(jsl.lu(a)[2] ** 2))(X[k]))
    put("eigh_w_upper_nosym", jnp.linalg.eigh(X["gen4"], UPLO="U", symmetrize_input=False)[0])
    lu, piv = jsl.lu_factor(X["gen4"])
    put("lu_factor_lu", lu)
    put("lu_factor_piv", piv)
    w, v = jnp.linalg.eigh(X["sym4"])
    put("eigh_w", w)
    put("eigh_v", v)
    put("eigvalsh_sym4", jnp.linalg.eigvalsh(X["sym4"]))
    for k in ["tall", "wide"]:
        q, r = jnp.linalg.qr(X[k])
        put(f"qr_q_{k}", q)
        put(f"qr_r_{k}", r)
        q, r = jnp.linalg.qr(X[k], mode="complete")
        put(f"qr_complete_q_{k}", q)
        put(f"qr_complete_r_{k}", r)
        u, s, vh = jnp.linalg.svd(X[k], full_matrices=False)
        put(f"svd_s_{k}", s)
        put(f"svd_u_{k}", u)
        put(f"svd_vh_{k}", vh)
    put("svd_s_gen_b", jnp.linalg.svd(X["gen_b"], compute_uv=False))
    for k, b in [("tall", "y5"), ("lowrank", "y5"), ("zeros53", "y5")]:
        x, resid, rank, s = jnp.linalg.lstsq(X[k], X[b])
        put(f"lstsq_x_{k}", x)
        put(f"lstsq_resid_{k}", resid)
        put(f"lstsq_rank_{k}", rank)
        put(f"lstsq_s_{k}", s)
    for k in ["tall", "wide", "lowrank"]:
        put(f"pinv_{k}", jnp.linalg.pinv(X[k]))
    for k in ["gen4", "sing4", "rank2", "lowrank"]:
        put(f"matrix_rank_{k}", jnp.linalg.matrix_rank(X[k]))
    for e in [0, 1, 5, -2]:
        put(f"matrix_power_{e}", jnp.linalg.matrix_power(X["gen3"], e))
    for o in [2, -2, "nuc"]:
        put(f"norm_{o}_tall", jnp.linalg.norm(X["tall"], ord=o))
        put(f"norm_{o}_gen_b_axes", jnp.linalg.norm(X["gen_b"], ord=o, axis=(2, 1), keepdims=True))
    put("scipy_eigh_w_upper", jsl.eigh(X["gen4"], lower=False, eigvals_only=True))
    put("scipy_qr_r_tall", jsl.qr(X["tall"], mode="r")[0])
    put("scipy_qr_economic_r_tall", jsl.qr(X["tall"], mode="economic")[1])
    put("scipy_qr_full_q_wide", jsl.qr(X["wide"])[0])
    put("scipy_svd_s_wide", jsl.svd(X["wide"], compute_uv=False))
    for name, scale in [("small", 0.05), ("mid", 0.4), ("big", 3.0)]:
        put(f"expm_{name}", jsl.expm(X["gen4"] * scale))
    put("expm_batched", jsl.expm(X["gen_b"] * 0.5))
    put("expm_upper", jsl.expm(jnp.triu(X["gen4"]), upper_triangular=True))
    put("grad_expm", jax.grad(lambda a: jnp.sum(jsl.expm(a) * X["w4"]))(X["gen4"] * 0.7))
    put("svdvals_tall", jnp.linalg.svdvals(X["tall"]))
    for name, pp in [("none", None), ("m2", -2), ("1", 1), ("fro", "fro"), ("inf", np.inf)]:
        put(f"cond_{name}_gen4", jnp.linalg.cond(X["gen4"], pp))
    put("cond_1_sing4", jnp.linalg.cond(X["sing4"], 1))
    put("cond_none_gen_b", jnp.linalg.cond(X["gen_b"]))
    put("multi_dot", jnp.linalg.multi_dot([X["v4"], X["gen4"], X["w4"], X["b4"]]))
    put("grad_cond", jax.grad(lambda a: jnp.linalg.cond(a))(X["gen4"]))
    lu_piv = jsl.lu_factor(X["gen4"])
    put("lu_solve_0", jsl.lu_solve(lu_piv, X["b4"]))
    put("lu_solve_1_vec", jsl.lu_solve(lu_piv, X["v4"], trans=1))
    # Gradients of scalar functions (sign-invariant where vectors are only defined up to sign).
    W4 = X["w4"]
    put("grad_cholesky", jax.grad(lambda a: jnp.sum(jnp.linalg.cholesky(a) * W4))(X["spd4"]))
    put("grad_cho_solve", jax.grad(lambda a: jnp.sum(jsl.cho_solve(jsl.cho_factor(a), X["b4"]) ** 2))(X["spd4"]))
    put("grad_solve_tri", jax.grad(lambda a: jnp.sum(jsl.solve_triangular(a, X["b4"], lower=True) ** 2))(X["low4"]))
    put("grad_eigh", jax.grad(lambda a: jnp.sum(jnp.linalg.eigh(a)[0] * jnp.arange(1.0, 5.0, dtype=dt))
                              + jnp.sum(jnp.linalg.eigh(a)[1] ** 2 * W4))(X["sym4"]))
    put("grad_qr", jax.grad(lambda a: jnp.sum(jnp.linalg.qr(a)[0] * X["tall"][:, :3])
                            + jnp.sum(jnp.linalg.qr(a)[1] ** 2))(X["tall"]))
    put("grad_svd", jax.grad(lambda a: jnp.sum(jnp.linalg.svd(a, full_matrices=False)[1] * X["w3"])
                             + jnp.sum(jnp.linalg.svd(a, full_matrices=False)[0] ** 2 * X["tall"]))(X["tall"]))
    put("grad_qr_complete", jax.grad(lambda a: jnp.sum(jnp.linalg.qr(a, mode="complete")[0] * W4[0].reshape(1, 4))
                                     + jnp.sum(jnp.linalg.qr(a, mode="complete")[1] ** 2))(X["tall4x2"]))
    put("grad_pinv_tall", jax.grad(lambda a: jnp.sum(jnp.linalg.pinv(a) * X["wide"]))(X["tall"]))
    put("grad_pinv_wide", jax.grad(lambda a: jnp.sum(jnp.linalg.pinv(a) * X["tall"]))(X["wide"]))
    put("grad_norm_nuc", jax.grad(lambda a: jnp.linalg.norm(a, ord="nuc"))(X["tall"]))
    put("grad_lu_solve", jax.grad(lambda a: jnp.sum(jsl.lu_solve(jsl.lu_factor(a), X["b4"]) ** 2))(X["gen4"]))
    put("scipy_solve_pos", jsl.solve(X["spd4"], X["b4"], assume_a="pos"))
    put("scipy_solve_pos_lower_vec", jsl.solve(X["spd4"], X["v4"], assume_a="pos", lower=True))
    put("grad_scipy_solve_pos_a", jax.grad(lambda a: jnp.sum(jsl.solve(a, X["b4"], assume_a="pos") ** 2))(X["spd4"]))
    put("grad_scipy_solve_pos_b", jax.grad(lambda b: jnp.sum(jsl.solve(X["spd4"], b, assume_a="pos") ** 2))(X["b4"]))
    put("grad_lstsq", jax.grad(lambda a: jnp.sum(jnp.linalg.lstsq(a, X["y5"])[0] ** 2))(X["tall"]))
    return out


golden = {
    "jax_version": jax.__version__,
    "inputs": {k: enc(v) for k, v in INPUTS.items()},
    "float32": cases(jnp.float32),
    "float64": cases(jnp.float64),
}
path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "linalg_golden.json"
path.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes)")
