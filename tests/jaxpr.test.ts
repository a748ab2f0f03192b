/**
 * make_jaxpr snapshots for each transformation (jvp, vmap, grad, jit, scan,
 * cond, while and their compositions), checked against text we keep here.
 * Each case notes how the text differs from what real JAX 0.10.2 prints for
 * the same program (`print(jax.make_jaxpr(...))`, float32); "identical" means
 * character for character. The typechecker must accept every jaxpr made here,
 * and reject broken ones.
 *
 * @module
 */

import assert from "node:assert/strict";
import { InternalError, jax, lax, type NDArray } from "../mod.ts";
import { ShapedArray } from "../lib/trace/aval.ts";
import { type ClosedJaxpr, evalJaxpr, Jaxpr, type JaxprEqn, typecheckJaxpr, Var } from "../lib/trace/jaxpr.ts";
import { arr, assertClose } from "./check_grads.ts";

// Snapshots are float32: x64 stays off in this module (each test module runs in its own isolate).
jax.config.update("jax_enable_x64", false);

// deno-lint-ignore no-explicit-any
type A = any;

const f32 = (v: number[], shape = [v.length]) => arr(v, shape, "float32");
const x3 = f32([1, 2, 3]);
const s = f32([1.5], []);
const m23 = f32([1, 2, 3, 4, 5, 6], [2, 3]);
const i32 = (v: number) => arr([v], [], "int32");
const sp = jax.custom_jvp(function softplus(x: A) {
  return lax.log1p(lax.exp(x));
});
sp.defjvp(function softplusJvp([x]: A, [t]: A) {
  return [sp(x), lax.mul(t, lax.logistic(x))];
});
const c3 = f32([1, 2, 3]);
function g(x: NDArray) {
  return lax.exp(x);
}

interface Snapshot {
  name: string;
  make: () => ClosedJaxpr;
  expected: string;
}

const SNAPSHOTS: Snapshot[] = [
  {
    name: "jvp",
    // Identical to JAX's text.
    make: () =>
      jax.make_jaxpr((x: A) => jax.jvp((y: A) => lax.mul(lax.sin(y), y), [x], [lax.full([3], 1, "float32")]))(x3),
    expected: `{ lambda ; a:f32[3]. let
    b:f32[3] = broadcast_in_dim 1.0:f32[]
    c:f32[3] = sin a
    d:f32[3] = cos a
    e:f32[3] = mul b d
    f:f32[3] = mul c a
    g:f32[3] = mul e a
    h:f32[3] = mul c b
    i:f32[3] = add_any g h
  in (f, i) }`,
  },
  {
    name: "vmap",
    // JAX: the unbatched operand gets `broadcast_in_dim[broadcast_dimensions=(np.int64(1),)] a` where jaxd uses `reshape[new_sizes=(1, 3)] a`; JAX's reduce_sum also shows `out_sharding=None`.
    make: () =>
      jax.make_jaxpr(jax.vmap((w: A, x: A) => lax.add(lax.reduce_sum(lax.mul(w, x), [0]), 1.0), { inAxes: [null, 0] }))(
        x3,
        m23,
      ),
    expected: `{ lambda ; a:f32[3] b:f32[2,3]. let
    c:f32[1,3] = reshape[new_sizes=(1, 3)] a
    d:f32[2,3] = mul c b
    e:f32[2] = reduce_sum[axes=(1,)] d
    f:f32[2] = add e 1.0:f32[]
  in (f,) }`,
  },
  {
    name: "grad",
    // Identical to JAX's text except JAX's `out_sharding=None` on reduce_sum.
    make: () => jax.make_jaxpr(jax.grad((x: A) => lax.reduce_sum(lax.mul(lax.sin(x), 2.0), [0])))(x3),
    expected: `{ lambda ; a:f32[3]. let
    b:f32[3] = sin a
    c:f32[3] = cos a
    d:f32[3] = mul b 2.0:f32[]
    _:f32[] = reduce_sum[axes=(0,)] d
    e:f32[3] = broadcast_in_dim 1.0:f32[]
    f:f32[3] = mul e 2.0:f32[]
    g:f32[3] = mul f c
  in (g,) }`,
  },
  {
    name: "jit",
    // JAX 0.10 names the primitive `jit` (`jit[name=g jaxpr=...]`); jaxd's is `pjit`.
    make: () => jax.make_jaxpr((x: A) => lax.add(jax.jit(g)(x), 1.0))(x3),
    expected: `{ lambda ; a:f32[3]. let
    b:f32[3] = pjit[
      name=g
      jaxpr={ lambda ; a:f32[3]. let b:f32[3] = exp a in (b,) }
    ] a
    c:f32[3] = add b 1.0:f32[]
  in (c,) }`,
  },
  {
    name: "scan",
    // JAX also prints `unroll=1` (jaxd has no unroll param).
    make: () =>
      jax.make_jaxpr((xs: A) => lax.scan((c: A, x: A) => [lax.add(c, x), lax.mul(c, 2.0)], f32([0], []), xs))(x3),
    expected: `{ lambda ; a:f32[3]. let
    b:f32[] c:f32[3] = scan[
      jaxpr={ lambda ; d:f32[] e:f32[]. let
          f:f32[] = add d e
          g:f32[] = mul d 2.0:f32[]
        in (f, g) }
      length=3
      num_carry=1
      num_consts=0
      reverse=False
    ] 0.0:f32[] a
  in (b, c) }`,
  },
  {
    name: "cond",
    // Identical to JAX's text.
    make: () => jax.make_jaxpr((x: A) => lax.cond(lax.gt(x, 0.0), lax.sin, lax.cos, x))(s),
    expected: `{ lambda ; a:f32[]. let
    b:bool[] = gt a 0.0:f32[]
    c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b
    d:f32[] = cond[
      branches=(
        { lambda ; e:f32[]. let f:f32[] = cos e in (f,) }
        { lambda ; g:f32[]. let h:f32[] = sin g in (h,) }
      )
    ] c a
  in (d,) }`,
  },
  {
    name: "while",
    // Identical to JAX's text.
    make: () => jax.make_jaxpr((x: A) => lax.while_loop((c: A) => lax.lt(c, 10.0), (c: A) => lax.mul(c, 2.0), x))(s),
    expected: `{ lambda ; a:f32[]. let
    b:f32[] = while[
      body_jaxpr={ lambda ; c:f32[]. let d:f32[] = mul c 2.0:f32[] in (d,) }
      body_nconsts=0
      cond_jaxpr={ lambda ; e:f32[]. let f:bool[] = lt e 10.0:f32[] in (f,) }
      cond_nconsts=0
    ] a
  in (b,) }`,
  },
  {
    name: "vmap of scan",
    // Identical to JAX's text except `unroll=1`.
    make: () =>
      jax.make_jaxpr(jax.vmap((c0: A, xs: A) => lax.scan((c: A, x: A) => [lax.mul(c, x), c], c0, xs)))(
        f32([1, 1]),
        m23,
      ),
    expected: `{ lambda ; a:f32[2] b:f32[2,3]. let
    c:f32[3,2] = transpose[permutation=(1, 0)] b
    d:f32[2] e:f32[3,2] = scan[
      jaxpr={ lambda ; f:f32[2] g:f32[2]. let h:f32[2] = mul f g in (h, f) }
      length=3
      num_carry=1
      num_consts=0
      reverse=False
    ] a c
    i:f32[2,3] = transpose[permutation=(1, 0)] e
  in (d, i) }`,
  },
  {
    name: "grad of scan",
    // JAX forwards the residual that is just `xs` instead of re-stacking it: its forward scan returns `(e, c)` and the backward scan reads `a b`; jaxd stacks `x` again as an extra output (`in (f, e, d)`). Same values; also `unroll=1`.
    make: () =>
      jax.make_jaxpr(jax.grad((xs: A) => lax.scan((c: A, x: A) => [lax.mul(c, x), null], f32([1], []), xs)[0]))(x3),
    expected: `{ lambda ; a:f32[3]. let
    _:f32[] b:f32[3] c:f32[3] = scan[
      jaxpr={ lambda ; d:f32[] e:f32[]. let f:f32[] = mul d e in (f, e, d) }
      length=3
      num_carry=1
      num_consts=0
      reverse=False
    ] 1.0:f32[] a
    _:f32[] g:f32[3] = scan[
      jaxpr={ lambda ; h:f32[] i:f32[] j:f32[]. let
          k:f32[] = mul j h
          l:f32[] = mul h i
        in (l, k) }
      length=3
      num_carry=1
      num_consts=0
      reverse=True
    ] 1.0:f32[] b c
  in (g,) }`,
  },
  {
    name: "jvp of while",
    // Identical to JAX's text.
    make: () =>
      jax.make_jaxpr((x: A) =>
        jax.jvp((y: A) => lax.while_loop((c: A) => lax.lt(c, 10.0), (c: A) => lax.mul(c, c), y), [x], [f32([1], [])])
      )(s),
    expected: `{ lambda ; a:f32[]. let
    b:f32[] c:f32[] = while[
      body_jaxpr={ lambda ; d:f32[] e:f32[]. let
          f:f32[] = mul d d
          g:f32[] = mul e d
          h:f32[] = mul d e
          i:f32[] = add_any g h
        in (f, i) }
      body_nconsts=0
      cond_jaxpr={ lambda ; j:f32[] k:f32[]. let
          l:bool[] = lt j 10.0:f32[]
        in (l,) }
      cond_nconsts=0
    ] a 1.0:f32[]
  in (b, c) }`,
  },
  {
    name: "vmap of cond",
    // JAX runs both branches on operands masked with `stop_gradient`/`select_n` and selects with `select_n c g k`; jaxd runs both branches and selects with `select_n` on the clamped index. Same values.
    make: () => jax.make_jaxpr(jax.vmap((x: A) => lax.cond(lax.gt(x, 0.0), lax.sin, lax.cos, x)))(x3),
    expected: `{ lambda ; a:f32[3]. let
    b:bool[3] = gt a 0.0:f32[]
    c:i32[3] = convert_element_type[new_dtype=int32 weak_type=False] b
    d:f32[3] = cos a
    e:f32[3] = sin a
    f:i32[3] = min c 1:i32[]
    g:i32[3] = max f 0:i32[]
    h:i32[3] = broadcast_in_dim[broadcast_dimensions=(0,)] g
    i:bool[3] = ne h 0:i32[]
    j:f32[3] = select_n i d e
  in (j,) }`,
  },
  {
    name: "vmap of while",
    // JAX keeps the batched predicate (`cond_jaxpr` returns `bool[3]`) and handles it inside its while; jaxd reduces it with `reduce_max` and selects per element in the body.
    make: () =>
      jax.make_jaxpr(jax.vmap((x: A) => lax.while_loop((c: A) => lax.lt(c, 10.0), (c: A) => lax.mul(c, 2.0), x)))(x3),
    expected: `{ lambda ; a:f32[3]. let
    b:f32[3] = while[
      body_jaxpr={ lambda ; c:f32[3]. let
          d:bool[3] = lt c 10.0:f32[]
          e:f32[3] = mul c 2.0:f32[]
          f:bool[3] = broadcast_in_dim[broadcast_dimensions=(0,)] d
          g:f32[3] = select_n f c e
        in (g,) }
      body_nconsts=0
      cond_jaxpr={ lambda ; h:f32[3]. let
          i:bool[3] = lt h 10.0:f32[]
          j:bool[] = reduce_max[axes=(0,)] i
        in (j,) }
      cond_nconsts=0
    ] a
  in (b,) }`,
  },
  {
    name: "switch",
    // JAX clamps the index with its `clamp` primitive (`clamp 0:i32[] a 2:i32[]`); jaxd with `min` and `max`.
    make: () => jax.make_jaxpr((i: A, x: A) => lax.switch(i, [lax.sin, lax.cos, lax.exp], x))(i32(1), s),
    expected: `{ lambda ; a:i32[] b:f32[]. let
    c:i32[] = min a 2:i32[]
    d:i32[] = max c 0:i32[]
    e:f32[] = cond[
      branches=(
        { lambda ; f:f32[]. let g:f32[] = sin f in (g,) }
        { lambda ; h:f32[]. let i:f32[] = cos h in (i,) }
        { lambda ; j:f32[]. let k:f32[] = exp j in (k,) }
      )
    ] d b
  in (e,) }`,
  },
  {
    name: "fori_loop",
    // Identical to JAX's text except `unroll=1`.
    make: () => jax.make_jaxpr((x: A) => lax.fori_loop(0, 3, (_i: A, v: A) => lax.mul(v, 2.0), x))(s),
    expected: `{ lambda ; a:f32[]. let
    _:i32[] b:f32[] = scan[
      jaxpr={ lambda ; c:i32[] d:f32[]. let
          e:i32[] = add c 1:i32[]
          f:f32[] = mul d 2.0:f32[]
        in (e, f) }
      length=3
      num_carry=2
      num_consts=0
      reverse=False
    ] 0:i32[] a
  in (b,) }`,
  },
  {
    name: "custom_jvp",
    // JAX prints `name=softplus` first and `symbolic_zeros=False` last; jaxd has neither param.
    make: () => jax.make_jaxpr(sp)(s),
    expected: `{ lambda ; a:f32[]. let
    b:f32[] = custom_jvp_call[
      call_jaxpr={ lambda ; c:f32[]. let
          d:f32[] = exp c
          e:f32[] = log1p d
        in (e,) }
      jvp=softplusJvp
    ] a
  in (b,) }`,
  },
  {
    name: "grad of jit",
    // JAX: `jit[...]` for `pjit[...]`.
    make: () =>
      jax.make_jaxpr(jax.grad((x: A) =>
        lax.reduce_sum(
          jax.jit(function h(y: A) {
            return lax.sin(y);
          })(x),
          [0],
        )
      ))(x3),
    expected: `{ lambda ; a:f32[3]. let
    b:f32[3] c:f32[3] = pjit[
      name=h
      jaxpr={ lambda ; a:f32[3]. let
          b:f32[3] = sin a
          c:f32[3] = cos a
        in (b, c) }
    ] a
    _:f32[] = reduce_sum[axes=(0,)] b
    d:f32[3] = broadcast_in_dim 1.0:f32[]
    e:f32[3] = pjit[
      name=h
      jaxpr={ lambda ; c:f32[3] d:f32[3]. let e:f32[3] = mul d c in (e,) }
    ] c d
  in (e,) }`,
  },
  {
    name: "grad of dot_general",
    // JAX computes the cotangent of the second operand first (`e:f32[3]`, then `f:f32[2,3]`, `in (f, e)`).
    make: () =>
      jax.make_jaxpr(
        jax.grad((a: A, x: A) => lax.reduce_sum(lax.dot_general(a, x, [[[1], [0]], [[], []]]), [0]), {
          argnums: [0, 1],
        }),
      )(m23, x3),
    expected: `{ lambda ; a:f32[2,3] b:f32[3]. let
    c:f32[2] = dot_general[dimension_numbers=(([1], [0]), ([], []))] a b
    _:f32[] = reduce_sum[axes=(0,)] c
    d:f32[2] = broadcast_in_dim 1.0:f32[]
    e:f32[2,3] = dot_general[dimension_numbers=(([], []), ([], []))] d b
    f:f32[3] = dot_general[dimension_numbers=(([0], [0]), ([], []))] d a
  in (e, f) }`,
  },
  {
    name: "constants",
    // Identical to JAX's text.
    make: () => jax.make_jaxpr((x: A) => lax.add(lax.mul(x, c3), 2.0))(x3),
    expected: `{ lambda a:f32[3]; b:f32[3]. let
    c:f32[3] = mul b a
    d:f32[3] = add c 2.0:f32[]
  in (d,) }`,
  },
  {
    name: "literals",
    // Identical to JAX's text.
    make: () =>
      jax.make_jaxpr((
        x: A,
        i: A,
      ) => [
        lax.select(lax.gt(x, f32([Infinity], [])), x, lax.add(x, -0.5)),
        lax.add(i, -3),
        lax.and(lax.gt(i, 0), arr([1], [], "bool")),
      ])(x3, i32(2)),
    expected: `{ lambda ; a:f32[3] b:i32[]. let
    c:bool[3] = gt a inf:f32[]
    d:f32[3] = add a -0.5:f32[]
    e:f32[3] = select_n c d a
    f:i32[] = add b -3:i32[]
    g:bool[] = gt b 0:i32[]
    h:bool[] = and g True:bool[]
  in (e, f, h) }`,
  },
  {
    name: "pytrees",
    // Identical to JAX's text.
    make: () => jax.make_jaxpr((p: A) => ({ y: lax.mul(p.a, p.b[0]), z: [p.a] }))({ a: s, b: [s] }),
    expected: `{ lambda ; a:f32[] b:f32[]. let c:f32[] = mul a b in (c, a) }`,
  },
  {
    name: "static argument",
    // Identical to JAX's text.
    make: () => jax.make_jaxpr((x: A, n: number) => lax.integer_pow(x, n), { staticArgnums: 1 })(x3, 3),
    expected: `{ lambda ; a:f32[3]. let b:f32[3] = integer_pow[y=3] a in (b,) }`,
  },
  {
    name: "no inputs",
    // JAX's iota also has `sharding=None`, which makes the line longer than 80 columns, so JAX breaks it over three lines.
    make: () => jax.make_jaxpr(() => lax.iota("int32", [3]))(),
    expected: `{ lambda ; . let a:i32[3] = iota[dimension=0 dtype=int32 shape=(3,)]  in (a,) }`,
  },
];

/** Typechecks a jaxpr and every jaxpr in its equations' params. */
function typecheckDeep(j: Jaxpr): number {
  typecheckJaxpr(j);
  let n = 1;
  for (const e of j.eqns) {
    for (const v of Object.values(e.params as Record<string, unknown>)) {
      for (const sub of Array.isArray(v) ? v : [v]) {
        if (sub && typeof sub === "object" && "jaxpr" in sub && "consts" in sub) n += typecheckDeep(sub.jaxpr as Jaxpr);
      }
    }
  }
  return n;
}

for (const c of SNAPSHOTS) {
  Deno.test(`make_jaxpr snapshot: ${c.name}`, () => {
    assert.equal(c.make().toString(), c.expected);
  });
  Deno.test(`typecheck accepts the jaxpr of: ${c.name}`, () => {
    assert.ok(typecheckDeep(c.make().jaxpr) >= 1);
  });
}

Deno.test("make_jaxpr: console.log and String print the same text", () => {
  const j = SNAPSHOTS[0].make();
  assert.equal(String(j), j.toString());
  assert.equal(Deno.inspect(j), j.toString());
});

Deno.test("make_jaxpr: evaluating the jaxpr gives the function's result", () => {
  const f = (x: NDArray, y: NDArray) => lax.add(lax.mul(lax.sin(x), y), c3);
  const y = f32([0.5, -1, 2]);
  const j = jax.make_jaxpr(f)(x3, y);
  assertClose(evalJaxpr(j.jaxpr, j.consts, [x3, y])[0], f(x3, y), { atol: 0, rtol: 0 });
});

Deno.test("make_jaxpr: long equations break like JAX's pretty printer (80 columns)", () => {
  const j = jax.make_jaxpr((x: NDArray) => lax.dot_general(x, x, [[[1], [1]], [[0], [0]]], "float32"))(
    f32(new Array(24).fill(1), [2, 3, 4]),
  );
  // Identical to what JAX prints: the params group does not fit in 80 columns, so it breaks.
  assert.equal(
    j.toString(),
    `{ lambda ; a:f32[2,3,4]. let
    b:f32[2,4,4] = dot_general[
      dimension_numbers=(([1], [1]), ([0], [0]))
      preferred_element_type=float32
    ] a a
  in (b,) }`,
  );
});

// ---------------------------------------------------------------- the typechecker rejects broken jaxprs

const f32s = new ShapedArray([3], "float32");

function eqn(primitive: JaxprEqn["primitive"], inputs: Var[], outBinders: Var[], params: unknown = {}): JaxprEqn {
  return { primitive, inputs, outBinders, params } as JaxprEqn;
}

Deno.test("typecheck accepts a well-formed hand-built jaxpr", () => {
  const a = new Var(f32s), b = new Var(f32s), c = new Var(f32s);
  typecheckJaxpr(new Jaxpr([], [a, b], [eqn("add", [a, b], [c])], [c]));
});

Deno.test("typecheck rejects an output binder of the wrong type", () => {
  const a = new Var(f32s), b = new Var(new ShapedArray([3], "int32"));
  assert.throws(() => typecheckJaxpr(new Jaxpr([], [a], [eqn("sin", [a], [b])], [b])), InternalError);
});

Deno.test("typecheck rejects a wrong number of output binders", () => {
  const a = new Var(f32s), b = new Var(f32s), c = new Var(f32s);
  assert.throws(() => typecheckJaxpr(new Jaxpr([], [a], [eqn("sin", [a], [b, c])], [b])), InternalError);
});

Deno.test("typecheck rejects a variable used before it is bound", () => {
  const a = new Var(f32s), b = new Var(f32s), c = new Var(f32s);
  assert.throws(() => typecheckJaxpr(new Jaxpr([], [a], [eqn("add", [a, b], [c])], [c])), InternalError);
});

Deno.test("typecheck rejects a variable bound twice", () => {
  const a = new Var(f32s);
  assert.throws(() => typecheckJaxpr(new Jaxpr([], [a], [eqn("sin", [a], [a])], [a])), InternalError);
});

Deno.test("typecheck rejects an unbound output", () => {
  const a = new Var(f32s), b = new Var(f32s);
  assert.throws(() => typecheckJaxpr(new Jaxpr([], [a], [], [b])), InternalError);
});

Deno.test("typecheck rejects operands the abstract-eval rule refuses", () => {
  const a = new Var(f32s), b = new Var(new ShapedArray([2], "float32")), c = new Var(f32s);
  assert.throws(() => typecheckJaxpr(new Jaxpr([], [a, b], [eqn("add", [a, b], [c])], [c])));
});
