/**
 * Bad input gets a named error whose message says what went wrong (the op,
 * the shapes, the axis, the index), and the runtime stays usable afterwards:
 * every case below also runs a small computation after the error.
 */

import assert from "node:assert/strict";
import { jax, jnp } from "../mod.ts";
import {
  AxisError,
  ConcretizationError,
  DTypeError,
  IndexError,
  JaxdError,
  ShapeError,
  ValueError,
} from "../lib/errors.ts";

type ErrorClass = new (message: string) => JaxdError;

/** The runtime still computes after an error (eager and under jit). */
function stillWorks(): void {
  assert.equal(jnp.arange(4).mul(2).sum().item(), 12);
  assert.deepEqual(jnp.add(jnp.ones([3]), jnp.ones([3])).tolist(), [2, 2, 2]);
  assert.equal(jax.jit((x: jnp.NDArray) => x.mul(x).sum())(jnp.array([1, 2])).item(), 5);
}

/** Registers a test: `f` throws `cls` with a message matching `message`, then the runtime works. */
function raises(name: string, f: () => unknown, cls: ErrorClass, message: RegExp | string): void {
  Deno.test(`errors: ${name}`, () => {
    let thrown: unknown;
    try {
      f();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown !== undefined, "expected an error");
    assert.ok(thrown instanceof cls, `expected ${cls.name}, got ${thrown}`);
    assert.ok(thrown instanceof JaxdError && thrown instanceof Error);
    assert.equal(thrown.name, cls.name);
    const msg = thrown.message;
    if (typeof message === "string") assert.ok(msg.includes(message), `message: ${msg}`);
    else assert.match(msg, message);
    stillWorks();
  });
}

const f32 = (...shape: number[]) => jnp.ones(shape);
const i32 = (...shape: number[]) => jnp.ones(shape, { dtype: "int32" });

// Broadcasting: the op, both shapes, the rule.
raises(
  "add of (3,) and (4,)",
  () => jnp.add(f32(3), f32(4)),
  ShapeError,
  /^add: shapes \(3,\) and \(4,\) cannot be broadcast \(dimensions must be equal or 1, aligned from the right\)$/,
);
raises("method mul names multiply", () => f32(3).mul(f32(4)), ShapeError, "multiply: shapes (3,) and (4,)");
raises("2-d shapes", () => jnp.subtract(f32(2, 3), f32(3, 2)), ShapeError, "subtract: shapes (2, 3) and (3, 2)");
raises("where names all three shapes", () => jnp.where(f32(2).gt(0), f32(3), 0), ShapeError, "(2,) and (3,) and ()");
raises("broadcast_to", () => jnp.broadcast_to(f32(3), [4]), ShapeError, "(3,)");
raises("comparison", () => f32(2).lt(f32(5)), ShapeError, "less: shapes (2,) and (5,)");
raises("maximum", () => jnp.maximum(f32(2, 2), f32(3)), ShapeError, "maximum: shapes (2, 2) and (3,)");

// Unknown dtypes.
raises("zeros with unknown dtype", () => jnp.zeros([3], { dtype: "int64x" }), DTypeError, 'unknown dtype "int64x"');
raises("array with complex64", () => jnp.array([1], { dtype: "complex64" }), DTypeError, "complex64");
raises("astype to an unknown dtype", () => f32(2).astype("foo" as jnp.DType), DTypeError, "use one of bool, int32");
raises("promote_types of an unknown dtype", () => jnp.promote_types("f32", "int32"), DTypeError, "f32");
raises("array of strings", () => jnp.array(["a"] as never), DTypeError, "not a number or boolean");
raises("subtract of bools", () => jnp.subtract(jnp.array([true]), jnp.array([false])), DTypeError, "logical_xor");
raises("int to a negative power", () => jnp.power(i32(2), -1), DTypeError, "negative integer powers");

// Axes.
raises(
  "sum axis out of range",
  () => jnp.sum(f32(3), { axis: 2 }),
  AxisError,
  "sum: axis 2 is out of bounds for an array of dimension 1",
);
raises("negative axis out of range", () => jnp.mean(f32(2, 3), { axis: -3 }), AxisError, "valid axes are -2..1");
raises("repeated axis", () => jnp.sum(f32(2, 3), { axis: [0, -2] }), AxisError, "repeated axis");
raises("argmax axis", () => jnp.argmax(f32(2, 3), { axis: 5 }), AxisError, "argmax: axis 5");
raises("concatenate axis", () => jnp.concatenate([f32(2), f32(2)], { axis: 1 }), AxisError, "concatenate: axis 1");
raises("transpose bad permutation", () => jnp.transpose(f32(2, 3), [0, 0]), AxisError, "transpose");
raises("expand_dims axis", () => jnp.expand_dims(f32(3), 3), AxisError, "expand_dims: axis 3");
raises("flip axis", () => jnp.flip(f32(2), 1), AxisError, "flip: axis 1");
raises("squeeze axis", () => jnp.squeeze(f32(1, 2), 2), AxisError, "squeeze: axis 2");
raises("norm repeated axis", () => jnp.linalg.norm(f32(2, 2), { axis: [0, 0] }), AxisError, "repeated axis");

// Reshape and other shape mismatches.
raises(
  "reshape size mismatch",
  () => jnp.reshape(f32(6), [4, 2]),
  ShapeError,
  "cannot reshape an array of shape (6,) (size 6) into shape (4, 2)",
);
raises("reshape method", () => f32(2, 3).reshape(4, -1), ShapeError, "reshape");
raises("reshape with two -1", () => f32(6).reshape(-1, -1), ShapeError, "only one dimension can be -1");
raises("zeros with a negative size", () => jnp.zeros([-1]), ShapeError, "non-negative integers");
raises("ragged nested array", () => jnp.array([[1, 2], [3]]), ShapeError, "ragged");
raises("squeeze of a non-1 axis", () => jnp.squeeze(f32(2, 3), 0), ShapeError, "shape (2, 3)");
raises("concatenate ranks", () => jnp.concatenate([f32(2), f32(2, 2)]), ShapeError, "concatenate");
raises("concatenate 0-d", () => jnp.concatenate([jnp.array(1), jnp.array(2)]), ShapeError, "zero-dimensional");
raises("stack shapes", () => jnp.stack([f32(2), f32(3)]), ShapeError, "(2,), (3,)");
raises("split unequal", () => jnp.split(f32(5), 2), ShapeError, "equal division");
raises("solve needs a square matrix", () => jnp.linalg.solve(f32(2, 3), f32(2)), ShapeError, "shape (2, 3)");

// Products.
raises(
  "matmul misalignment",
  () => jnp.matmul(f32(3, 4), f32(3, 4)),
  ShapeError,
  "matmul: shapes (3, 4) and (3, 4) are not aligned: 4 (dim 1) != 3 (dim 0)",
);
raises("matmul of vectors", () => f32(3).matmul(f32(4)), ShapeError, "matmul: shapes (1, 3) and (4, 1)");
raises("matmul of a scalar", () => jnp.matmul(f32(3), 2), ShapeError, "at least one dimension");
raises("dot misalignment", () => jnp.dot(f32(2, 3), f32(2)), ShapeError, "dot: shapes (2, 3) and (2,)");
raises("vdot sizes", () => jnp.vdot(f32(3), f32(4)), ShapeError, "vdot");
raises("tensordot misalignment", () => jnp.tensordot(f32(2, 3), f32(4, 3), 1), ShapeError, "tensordot");
raises("einsum size mismatch", () => jnp.einsum("ij,jk->ik", f32(2, 3), f32(4, 2)), ShapeError, "index 'j'");
raises("einsum operand count", () => jnp.einsum("ij,jk->ik", f32(2, 3)), ValueError, "2 operand subscripts");
raises("einsum repeated index", () => jnp.einsum("ii", f32(2, 2)), ValueError, "not supported");

// Indexing.
raises(
  "index out of bounds",
  () => f32(3).get(5),
  IndexError,
  /^index 5 is out of bounds for axis 0 with size 3$/,
);
raises("negative index out of bounds", () => f32(3).get(-4), IndexError, "index -4 is out of bounds");
raises("index out of bounds on axis 1", () => f32(2, 3).get(0, 3), IndexError, "axis 1 with size 3");
raises("at() out of bounds", () => f32(3).at(3).set(0), IndexError, "out of bounds");
raises("too many indices", () => f32(3).get(0, 0), IndexError, "too many indices");
raises("index into a 0-d array", () => jnp.array(1.5).get(0), IndexError, "0-dimensional");
raises("two ellipses", () => f32(3).slice("..., ..."), IndexError, "single ellipsis");
raises("bad slice string", () => f32(3).slice("1:2:3:4"), IndexError, "not a valid slice");
raises("non-integer index", () => f32(3).get(1.5), IndexError, "not an integer");
raises("slice step zero", () => f32(3).slice("::0"), ValueError, "step cannot be zero");
raises(
  "index arrays that do not broadcast",
  () => f32(3, 3).get(jnp.array([0, 1], { dtype: "int32" }), jnp.array([0, 1, 2], { dtype: "int32" })),
  IndexError,
  "(2,) (3,)",
);
raises(
  "traced boolean mask",
  () => jax.jit((x: jnp.NDArray) => x.get(x.gt(0)))(f32(3)),
  IndexError,
  "jnp.where",
);

// Values.
raises("max of an empty array", () => jnp.max(f32(0)), ValueError, "zero-size array");
raises("argmin of an empty array", () => jnp.argmin(f32(0)), ValueError, "empty sequence");
raises("arange step zero", () => jnp.arange(0, 5, 0), ValueError, "step must not be zero");
raises("linspace negative num", () => jnp.linspace(0, 1, -1), ValueError, "non-negative integer");
raises("item of a size-3 array", () => f32(3).item(), ValueError, "shape (3,)");
raises("concatenate of nothing", () => jnp.concatenate([]), ValueError, "at least one array");
raises(
  "disposed array",
  () => {
    const x = jnp.ones([3]);
    x.dispose();
    return x.tolist();
  },
  ValueError,
  "disposed",
);

// Traced values.
raises(
  "item() inside jit",
  () => jax.jit((x: jnp.NDArray) => jnp.array(x.item()))(jnp.ones([])),
  ConcretizationError,
  "lax.cond",
);

Deno.test("errors: every class is a JaxdError with its own name", () => {
  for (const cls of [ShapeError, DTypeError, AxisError, IndexError, ValueError, ConcretizationError]) {
    const e = new cls("x");
    assert.ok(e instanceof JaxdError && e instanceof Error);
    assert.equal(e.name, cls.name);
  }
});

Deno.test("errors: many errors in a row leave the runtime usable", () => {
  for (let i = 0; i < 50; i++) {
    assert.throws(() => jnp.add(f32(3), f32(4)), ShapeError);
    assert.throws(() => f32(3).get(9), IndexError);
    assert.throws(() => jax.jit((x: jnp.NDArray) => x.reshape(7))(f32(6)), ShapeError);
  }
  stillWorks();
});

raises(
  "eye with a fractional size",
  () => jnp.eye(2, 2.5),
  ShapeError,
  "eye: shape must be a list of non-negative integers",
);
raises("eye with a negative size", () => jnp.eye(-1), ShapeError, "[-1,-1]");
