/**
 * Printing arrays the way JAX does: `repr()` gives `Array([0., 1.], dtype=float32)`
 * and `str()` gives numpy's `[0. 1.]`.
 *
 * This follows numpy 2.x `arrayprint` with its default print options
 * (precision 8, threshold 1000, edgeitems 3, linewidth 75, floatmode
 * "maxprec", suppress off) and JAX's `Array.__repr__` around it. Floats are
 * printed with the shortest digits that round-trip at the array's own
 * precision, so float32 0.1 prints as `0.1`.
 *
 * @module
 */

import type { DType } from "./dtype.ts";

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;
const REPR_PREFIX = "Array(";

/**
 * Where numpy switches to scientific notation: [arrays, scalars]. Arrays use
 * 10 ** min(8, finfo(dtype).precision).
 */
const EXP_CUTOFF: Record<string, [number, number]> = {
  float16: [1e3, 1e3],
  float32: [1e6, 1e6],
  float64: [1e8, 1e16],
};

/** A non-negative decimal: `d0.d1d2... × 10^exp`; digits has no trailing zeros ("0" for zero). */
interface Decimal {
  digits: string;
  exp: number;
}

type Formatter = (x: number) => string;

function isFloat(dtype: DType): boolean {
  return dtype === "float16" || dtype === "float32" || dtype === "float64";
}

/** Rounds a JS number to the nearest value of a float dtype. */
function roundToDType(dtype: DType): (x: number) => number {
  if (dtype === "float32") return Math.fround;
  if (dtype === "float16") return Math.f16round;
  return (x) => x;
}

function stripZeros(digits: string): string {
  const s = digits.replace(/0+$/, "");
  return s === "" ? "0" : s;
}

function decimalValue(d: Decimal): number {
  return Number(`${d.digits[0]}.${d.digits.slice(1)}e${d.exp}`);
}

/**
 * The shortest decimal that rounds back to `a` (finite, >= 0) in `dtype`, as
 * numpy's Dragon4 finds it: for each length, the two decimals around the exact
 * value are tried (not only the nearer one, which can miss just below a power
 * of two); if both round-trip the nearer wins, a tie going to the even digit.
 */
function shortest(a: number, dtype: DType): Decimal {
  const round = roundToDType(dtype);
  const exact = exactDecimal(a);
  for (let p = 1; p < exact.digits.length; p++) {
    const truncated = exact.digits.slice(0, p);
    const bumped = (BigInt(truncated) + 1n).toString();
    const lo = { digits: stripZeros(truncated), exp: exact.exp };
    const hi = {
      digits: stripZeros(bumped),
      exp: exact.exp + bumped.length - p,
    };
    const loOk = round(decimalValue(lo)) === a;
    const hiOk = round(decimalValue(hi)) === a;
    if (loOk && hiOk) return roundExact(a, p, "sig");
    if (loOk) return lo;
    if (hiOk) return hi;
  }
  return exact;
}

/** The exact decimal value of a finite double `a >= 0`, via its bits. */
function exactDecimal(a: number): Decimal {
  if (a === 0) return { digits: "0", exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp2 = -1074;
  if (biasedExp !== 0) {
    mantissa |= 1n << 52n;
    exp2 = biasedExp - 1075;
  }
  if (exp2 >= 0) {
    const s = (mantissa << BigInt(exp2)).toString();
    return { digits: stripZeros(s), exp: s.length - 1 };
  }
  // m × 2^-k = m × 5^k × 10^-k
  const s = (mantissa * 5n ** BigInt(-exp2)).toString();
  return { digits: stripZeros(s), exp: s.length - 1 + exp2 };
}

/**
 * Rounds the exact value of `a >= 0` half-to-even, as numpy's Dragon4 does at
 * a cutoff: to `count` significant digits ("sig") or `count` digits after the
 * decimal point ("frac").
 */
function roundExact(a: number, count: number, mode: "sig" | "frac"): Decimal {
  const { digits, exp } = exactDecimal(a);
  const keep = mode === "sig" ? count : exp + 1 + count;
  if (digits.length <= keep) return { digits, exp };
  if (keep < 0) return { digits: "0", exp: 0 };
  const kept = digits.slice(0, keep);
  const rest = digits.slice(keep); // non-empty, ends in a non-zero digit
  const lastOdd = kept !== "" && Number(kept[kept.length - 1]) % 2 === 1;
  const up = rest[0] > "5" || (rest[0] === "5" && (rest.length > 1 || lastOdd));
  if (!up) {
    return kept === "" ? { digits: "0", exp: 0 } : { digits: stripZeros(kept), exp };
  }
  const bumped = (BigInt(kept === "" ? "0" : kept) + 1n).toString();
  const carried = kept === "" || bumped.length > kept.length;
  return { digits: stripZeros(bumped), exp: carried ? exp + 1 : exp };
}

/** Integer and fractional digit strings of a decimal written out positionally. */
function positionalParts(d: Decimal): [string, string] {
  if (d.digits === "0") return ["0", ""];
  if (d.exp < 0) return ["0", "0".repeat(-d.exp - 1) + d.digits];
  const intLen = d.exp + 1;
  return [
    d.digits.slice(0, intLen).padEnd(intLen, "0"),
    d.digits.slice(intLen),
  ];
}

/** Shortest digits of `a >= 0`, at most `maxFrac` after the point. */
function uniquePositional(a: number, dtype: DType, maxFrac: number) {
  const parts = positionalParts(shortest(a, dtype));
  if (parts[1].length <= maxFrac) return parts;
  return positionalParts(roundExact(a, maxFrac, "frac"));
}

/** Shortest digits of `a >= 0` in scientific form, at most `maxFrac` after the point. */
function uniqueScientific(a: number, dtype: DType, maxFrac: number): Decimal {
  const d = shortest(a, dtype);
  return d.digits.length - 1 <= maxFrac ? d : roundExact(a, maxFrac + 1, "sig");
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? "-" : "";
}

/** Exponent as numpy writes it: sign and at least `minDigits` (>= 2) digits. */
function exponentString(exp: number, minDigits = 2): string {
  return (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(minDigits, "0");
}

function maxLength(strings: readonly string[]): number {
  return strings.reduce((m, s) => Math.max(m, s.length), 0);
}

/** numpy's FloatingFormat: one formatter fitted to all (shown) elements. */
function floatFormatter(data: readonly number[], dtype: DType): Formatter {
  const finite = data.filter(Number.isFinite);
  const round = roundToDType(dtype);
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (nonZero.length > 0) {
    const max = nonZero.reduce((m, v) => Math.max(m, v));
    const min = nonZero.reduce((m, v) => Math.min(m, v));
    // numpy compares in the array's dtype, so 1e-4 and max/min are rounded to it.
    expFormat = max >= EXP_CUTOFF[dtype][0] || min < round(1e-4) ||
      round(max / min) > 1000;
  }

  let padLeft = 0;
  let padRight = 0;
  let precision = 0;
  let expSize = 0;
  if (finite.length > 0 && expFormat) {
    const decimals = finite.map((v) => uniqueScientific(Math.abs(v), dtype, PRECISION));
    precision = Math.max(...decimals.map((d) => d.digits.length - 1));
    expSize = maxLength(decimals.map((d) => exponentString(d.exp))) - 1;
    padLeft = maxLength(finite.map((v) => signOf(v) + "0"));
    padRight = expSize + 2 + precision;
  } else if (finite.length > 0) {
    const parts = finite.map((v) => uniquePositional(Math.abs(v), dtype, PRECISION));
    padLeft = maxLength(parts.map(([int], i) => signOf(finite[i]) + int));
    padRight = maxLength(parts.map(([, frac]) => frac));
  }
  if (finite.length !== data.length) {
    const negInf = data.some((v) => v === -Infinity) ? 1 : 0;
    padLeft = Math.max(
      padLeft,
      3 - (padRight + 1),
      3 + negInf - (padRight + 1),
    );
  }

  return (x) => {
    if (!Number.isFinite(x)) {
      const word = Number.isNaN(x) ? "nan" : x < 0 ? "-inf" : "inf";
      return word.padStart(padLeft + padRight + 1);
    }
    const a = Math.abs(x);
    if (expFormat) {
      // Dragon4 stops at the shortest digits if they are just long enough;
      // otherwise it cuts the exact value, or carries on along it (min_digits).
      const unique = uniqueScientific(a, dtype, PRECISION);
      const d = unique.digits.length === precision + 1 ? unique : roundExact(a, precision + 1, "sig");
      const digits = d.digits.padEnd(precision + 1, "0");
      const mantissa = (signOf(x) + digits[0]).padStart(padLeft) + "." +
        digits.slice(1);
      return mantissa + "e" + exponentString(d.exp, expSize);
    }
    const [int, frac] = uniquePositional(a, dtype, PRECISION);
    return (signOf(x) + int).padStart(padLeft) + "." + frac.padEnd(padRight);
  };
}

function makeFormatter(
  data: readonly number[],
  dtype: DType,
  is0d: boolean,
): Formatter {
  if (dtype === "bool") {
    const trueStr = is0d ? "True" : " True";
    return (x) => (x ? trueStr : "False");
  }
  if (!isFloat(dtype)) {
    const max = data.reduce((m, v) => Math.max(m, v), -Infinity);
    const min = data.reduce((m, v) => Math.min(m, v), Infinity);
    const width = Math.max(String(max).length, String(min).length);
    return (x) => String(x).padStart(width);
  }
  return floatFormatter(data, dtype);
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** Indices shown along an axis of length `n`: the edges around "..." if summarised. */
function shownIndices(n: number, summarize: boolean): (number | "...")[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) {
    return Array.from({ length: n }, (_, i) => i);
  }
  const edge = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  return [...edge, "...", ...edge.map((i) => n - EDGE_ITEMS + i)];
}

/** numpy's array2string for a non-empty array (its suffix already taken off lineWidth). */
function array2string(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  separator: string,
  prefixLength: number,
  lineWidth: number,
): string {
  const round = roundToDType(dtype);
  const strides = rowMajorStrides(shape);
  const summarize = shape.reduce((a, b) => a * b, 1) > THRESHOLD;
  const trimmedSep = separator.trimEnd();

  // The formatter is fitted to the shown elements only.
  const shown = (axis: number, offset: number): number[] =>
    axis === shape.length
      ? [round(values[offset])]
      : shownIndices(shape[axis], summarize).flatMap((i) =>
        i === "..." ? [] : shown(axis + 1, offset + i * strides[axis])
      );
  const format = makeFormatter(shown(0, 0), dtype, shape.length === 0);

  const recurse = (
    axis: number,
    offset: number,
    indent: string,
    width: number,
  ): string => {
    if (axis === shape.length) return format(round(values[offset]));
    const indices = shownIndices(shape[axis], summarize);
    const next = indent + " ";
    const item = (i: number | "..."): string =>
      i === "..." ? i : recurse(axis + 1, offset + i * strides[axis], next, width - 1);

    let s = "";
    if (axis === shape.length - 1) {
      const elemWidth = width - Math.max(trimmedSep.length, 1);
      let line = indent;
      for (const [k, i] of indices.entries()) {
        const word = item(i);
        // numpy's _extendLine: wrap, unless the line holds no element yet.
        if (
          line.length + word.length > elemWidth && line.length > indent.length
        ) {
          s += line.trimEnd() + "\n";
          line = indent;
        }
        line += word + (k < indices.length - 1 ? separator : "");
      }
      s += line;
    } else {
      const lineSep = trimmedSep + "\n".repeat(shape.length - axis - 1);
      s = indices.map((i) => indent + item(i)).join(lineSep);
    }
    return "[" + s.slice(indent.length) + "]";
  };
  return recurse(0, 0, " ".repeat(prefixLength + 1), lineWidth);
}

function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * Renders an array as JAX's `repr()` does.
 *
 * @param values Flat row-major data (bools as 0/1).
 * @param shape The array's shape; `[]` for a 0-d array.
 * @param dtype The array's dtype.
 * @param weakType Whether the array is weakly typed (adds `weak_type=True`).
 * @returns e.g. `Array([0., 1., 2.], dtype=float32)`.
 *
 * @example
 * ```ts
 * formatRepr([0, 1, 2], [3], "float32"); // "Array([0., 1., 2.], dtype=float32)"
 * formatRepr([3], [], "float32", true); // "Array(3., dtype=float32, weak_type=True)"
 * formatRepr([], [2, 0], "float32"); // "Array([], shape=(2, 0), dtype=float32)"
 * ```
 */
export function formatRepr(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  weakType = false,
): string {
  const dtypeStr = `dtype=${dtype}` + (weakType ? ", weak_type=True" : "");
  const size = shape.reduce((a, b) => a * b, 1);
  // np.array2string(prefix="Array(", suffix=",", separator=", "): the suffix
  // comes off the line width.
  const width = LINE_WIDTH - 1;
  const body = size === 0
    ? `[], shape=${pythonTuple(shape)}`
    : array2string(values, shape, dtype, ", ", REPR_PREFIX.length, width);
  // JAX's own (approximate) check of whether the dtype still fits: it then
  // pads with spaces rather than breaking the line.
  const lastLineLength = body.length - body.lastIndexOf("\n") + 1;
  const sep = lastLineLength + dtypeStr.length + 2 > LINE_WIDTH ? " ".repeat(REPR_PREFIX.length) : " ";
  return `${REPR_PREFIX}${body},${sep}${dtypeStr})`;
}

/**
 * Renders an array as JAX's (numpy's) `str()` does.
 *
 * @param values Flat row-major data (bools as 0/1).
 * @param shape The array's shape; `[]` for a 0-d array, which prints as a scalar.
 * @param dtype The array's dtype.
 * @returns e.g. `[0. 1. 2.]`.
 *
 * @example
 * ```ts
 * formatStr([0, 1, 2], [3], "float32"); // "[0. 1. 2.]"
 * formatStr([1.5, 2, 3, 4], [2, 2], "float32"); // "[[1.5 2. ]\n [3.  4. ]]"
 * formatStr([2], [], "float32"); // "2.0"
 * ```
 */
export function formatStr(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
): string {
  if (shape.length === 0) return formatScalar(values[0], dtype);
  if (shape.some((d) => d === 0)) return "[]";
  return array2string(values, shape, dtype, " ", 0, LINE_WIDTH);
}

/**
 * Renders one element as numpy's `str()` shows a 0-d array (that is, the
 * numpy scalar): shortest round-trip digits at the dtype's precision,
 * positional with at least one fractional digit for 0 and for
 * 1e-4 <= |x| < 1e3 (float16), 1e6 (float32) or 1e16 (float64), scientific
 * otherwise.
 *
 * @param value The element (bools as 0/1).
 * @param dtype Its dtype.
 * @returns e.g. `"0.61468804"`, `"2.0"`, `"1e+20"`, `"nan"`, `"-inf"`, `"True"`, `"3"`.
 *
 * @example
 * ```ts
 * formatScalar(0.1, "float32"); // "0.1"
 * formatScalar(2, "float32"); // "2.0"
 * formatScalar(1e20, "float32"); // "1e+20"
 * formatScalar(1, "bool"); // "True"
 * formatScalar(3, "int32"); // "3"
 * ```
 */
export function formatScalar(value: number, dtype: DType): string {
  if (dtype === "bool") return value ? "True" : "False";
  if (!isFloat(dtype)) return String(value);
  const x = roundToDType(dtype)(value);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  const a = Math.abs(x);
  const d = shortest(a, dtype);
  if (a === 0 || (a >= 1e-4 && a < EXP_CUTOFF[dtype][1])) {
    const [int, frac] = positionalParts(d);
    return `${signOf(x)}${int}.${frac === "" ? "0" : frac}`;
  }
  const mantissa = d.digits.length > 1 ? `${d.digits[0]}.${d.digits.slice(1)}` : d.digits;
  return `${signOf(x)}${mantissa}e${exponentString(d.exp)}`;
}
