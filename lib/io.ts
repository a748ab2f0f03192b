/**
 * Loading numeric text data: `np.loadtxt` (numpy's semantics) and
 * `jnp.load_csv` (CSV files with or without a header row, columns chosen by
 * name or index). Both parse with csv-parse and return arrays in jaxd's default
 * float dtype (float32, or float64 under `jax_enable_x64`) unless `dtype` says
 * otherwise.
 *
 * Bad input raises a {@link ValueError} that names the file, the line and
 * what was wrong; a missing file raises `Deno.errors.NotFound` naming the path.
 *
 * @module
 */

// A pinned npm: specifier, not an import-map name: the library must resolve
// the same way when imported from another project (JSR, or a file URL).
import { parse } from "npm:csv-parse@5.6.0/sync";
import type { NDArray } from "./array.ts";
import { ValueError } from "./errors.ts";
import { array } from "./numpy/creation.ts";
import type { DTypeLike } from "./numpy/util.ts";

/**
 * Options of {@link loadtxt}, as numpy's.
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * Deno.writeTextFileSync("/tmp/t.csv", "a,b\n1,2\n");
 * np.loadtxt("/tmp/t.csv", { delimiter: ",", skiprows: 1, usecols: [1], dtype: "int32" }).tolist(); // [2]
 * ```
 */
export interface LoadtxtOptions {
  /** Field separator; by default any run of whitespace (as numpy's `delimiter=None`). */
  delimiter?: string;
  /** Number of lines to skip at the start of the file (comment lines included). Default 0. */
  skiprows?: number;
  /** Columns to read (0-based, negative from the end); all by default. A single number gives a 1-d result. */
  usecols?: number | readonly number[];
  /** Element type of the result (default float32, or float64 under x64). */
  dtype?: DTypeLike;
  /** Comment marker: the rest of a line after it is ignored. Default `"#"`; `null` disables comments. */
  comments?: string | null;
}

/**
 * Options of {@link load_csv}.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * Deno.writeTextFileSync("/tmp/t.csv", "a,b\n1,2\n");
 * jnp.load_csv("/tmp/t.csv", { header: true, columns: "b", delimiter: ",", dtype: "int32" }).tolist(); // [2]
 * ```
 */
export interface LoadCsvOptions {
  /** Whether the first (non-comment, non-empty) row holds column names. Default true. */
  header?: boolean;
  /**
   * Columns to read: names (needs `header: true`) or 0-based indices (negative
   * from the end). A single name or index gives a 1-d array; several indices a
   * 2-d array; several names an object of name -> 1-d array. All by default.
   */
  columns?: string | number | readonly (string | number)[];
  /** Field separator. Default `","`. */
  delimiter?: string;
  /** Element type of the result (default float32, or float64 under x64). */
  dtype?: DTypeLike;
  /** Comment marker. Default `"#"`; `null` disables comments. */
  comments?: string | null;
}

interface Row {
  fields: string[];
  line: number;
}

function readText(path: string | URL, op: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`${op}: file not found: ${String(path)}`);
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw new ValueError(`${op}: ${String(path)} is a directory, not a file`);
    }
    throw e;
  }
}

/** Splits text into rows of fields with their 1-based line numbers. */
function parseRows(
  text: string,
  path: string | URL,
  op: string,
  o: { delimiter?: string; skiprows?: number; comments?: string | null },
): Row[] {
  const skip = o.skiprows ?? 0;
  if (!Number.isInteger(skip) || skip < 0) {
    throw new ValueError(`${op}: skiprows must be a non-negative integer, got ${skip}`);
  }
  let delimiter = o.delimiter;
  if (delimiter === "") throw new ValueError(`${op}: delimiter must not be empty`);
  let comments = o.comments === undefined ? "#" : o.comments;
  if (delimiter === undefined) {
    // numpy's delimiter=None: fields are separated by runs of whitespace.
    // Cut comments and normalise each line (keeping line numbers) so
    // csv-parse sees tab-separated fields.
    const cut = (l: string) => comments && l.includes(comments) ? l.slice(0, l.indexOf(comments)) : l;
    text = text.split(/\r?\n/).map((l) => cut(l).trim().split(/[ \t]+/).join("\t")).join("\n");
    delimiter = "\t";
    comments = null;
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      from_line: skip + 1,
      ...(comments ? { comment: comments } : {}),
    });
  } catch (e) {
    const err = e as Error & { lines?: number };
    const where = err.lines !== undefined ? ` at line ${err.lines}` : "";
    throw new ValueError(`${op}: ${String(path)}: malformed CSV${where}: ${err.message}`);
  }
  return records
    .map((r) => ({ fields: r.record, line: r.info.lines }))
    // A line holding only a comment gives one empty field: skip it, as numpy does.
    .filter((r) => !(r.fields.length === 1 && r.fields[0] === ""));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses one field as a number, or throws a ValueError naming where it is. */
function parseField(field: string, path: string | URL, op: string, line: number, column: string): number {
  if (NUMBER.test(field)) return Number(field);
  const lower = field.toLowerCase().replace(/^\+/, "");
  if (lower === "nan" || lower === "-nan") return NaN;
  if (lower === "inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  const what = field === "" ? "empty field" : `non-numeric field ${JSON.stringify(field)}`;
  throw new ValueError(`${op}: ${String(path)}: ${what} at line ${line}, column ${column}`);
}

/** Checks that all rows have `width` fields. */
function checkRagged(rows: Row[], width: number, path: string | URL, op: string, first: Row): void {
  for (const r of rows) {
    if (r.fields.length !== width) {
      throw new ValueError(
        `${op}: ${String(path)}: ragged rows: line ${r.line} has ${r.fields.length} field(s), ` +
          `expected ${width} (as on line ${first.line})`,
      );
    }
  }
}

function resolveIndex(c: number, width: number, path: string | URL, op: string, line: number): number {
  if (!Number.isInteger(c)) throw new ValueError(`${op}: column index must be an integer, got ${c}`);
  const i = c < 0 ? c + width : c;
  if (i < 0 || i >= width) {
    throw new ValueError(
      `${op}: ${String(path)}: column index ${c} is out of range for ${width} column(s) (line ${line})`,
    );
  }
  return i;
}

/** Reads the chosen columns of the rows as numbers: out[column][row]. */
function readColumns(
  rows: Row[],
  cols: number[],
  names: string[] | null,
  path: string | URL,
  op: string,
  dtype: DTypeLike | undefined,
): number[][] {
  const integer = typeof dtype === "string" && /^u?int/.test(dtype);
  return cols.map((c) =>
    rows.map((r) => {
      const name = names ? names[c] : String(c);
      const v = parseField(r.fields[c], path, op, r.line, name);
      if (integer && !Number.isInteger(v)) {
        throw new ValueError(
          `${op}: ${String(path)}: field ${JSON.stringify(r.fields[c])} at line ${r.line}, column ${name} ` +
            `is not an integer, but dtype is ${dtype}`,
        );
      }
      return v;
    })
  );
}

/** Columns (column-major) as a 2-d row-major array. */
function toMatrix(columns: number[][], dtype: DTypeLike | undefined): NDArray {
  const nrows = columns[0].length;
  const rows: number[][] = [];
  for (let i = 0; i < nrows; i++) rows.push(columns.map((c) => c[i]));
  return array(rows, dtype === undefined ? undefined : { dtype });
}

function vector(values: number[], dtype: DTypeLike | undefined): NDArray {
  return array(values, dtype === undefined ? undefined : { dtype });
}

/**
 * Loads numbers from a text file, as numpy's `np.loadtxt`: one row per line,
 * fields split on whitespace (or `delimiter`), `#` comments and blank lines
 * skipped. The result is squeezed as numpy's: 1-d for a single column (or a
 * single row, or a scalar `usecols`), 2-d otherwise.
 *
 * @param path file path or URL
 * @param o delimiter, skiprows, usecols, dtype, comments
 * @returns the data, in float32 by default (float64 under x64)
 * @throws {ValueError} on non-numeric fields, ragged rows, bad columns or an empty file
 *
 * @example
 * ```ts
 * import { np } from "@jaxd/jaxd";
 * Deno.writeTextFileSync("/tmp/data.txt", "# a b\n1 2\n3 4\n");
 * np.loadtxt("/tmp/data.txt").shape; // [2, 2]
 * np.loadtxt("/tmp/data.txt", { usecols: 1 }).tolist(); // [2, 4]
 * ```
 */
export function loadtxt(path: string | URL, o: LoadtxtOptions = {}): NDArray {
  const op = "loadtxt";
  const rows = parseRows(readText(path, op), path, op, o);
  if (rows.length === 0) throw new ValueError(`${op}: ${String(path)}: empty file, no data rows`);
  const width = rows[0].fields.length;
  checkRagged(rows, width, path, op, rows[0]);
  const usecols = o.usecols === undefined ? null : typeof o.usecols === "number" ? [o.usecols] : [...o.usecols];
  if (usecols !== null && usecols.length === 0) throw new ValueError(`${op}: usecols must not be empty`);
  const cols = usecols === null
    ? Array.from({ length: width }, (_, i) => i)
    : usecols.map((c) => resolveIndex(c, width, path, op, rows[0].line));
  const data = readColumns(rows, cols, null, path, op, o.dtype);
  if (typeof o.usecols === "number" || cols.length === 1) return vector(data[0], o.dtype);
  if (rows.length === 1) return vector(data.map((c) => c[0]), o.dtype);
  return toMatrix(data, o.dtype);
}

/**
 * Loads a CSV file (by default with a header row of column names) and picks
 * columns by name or index. Return value:
 *
 * - `columns` omitted: the whole table, 2-d (1-d when the file has one column);
 * - one name or index (`"x"`, `["x"]`, `0`): a 1-d array;
 * - several indices (`[0, 2]`): a 2-d array, rows by chosen columns;
 * - several names (`["x", "y"]`): an object `{ x: NDArray, y: NDArray }` of
 *   1-d arrays, since named columns are most often used one by one.
 *
 * @param path file path or URL
 * @param o header (default true), columns, delimiter (default ","), dtype, comments
 * @throws {ValueError} on non-numeric fields, ragged rows, unknown column names or an empty file
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * Deno.writeTextFileSync("/tmp/xy.csv", "x,y\n1,2\n3,4\n");
 * const { x, y } = jnp.load_csv("/tmp/xy.csv", { columns: ["x", "y"] });
 * x.tolist(); // [1, 3]
 * ```
 */
export function load_csv(
  path: string | URL,
  o: LoadCsvOptions & { columns: readonly [string, string, ...string[]] },
): Record<string, NDArray>;
/**
 * Loads a CSV file into one array (see the overload above for several named columns).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * Deno.writeTextFileSync("/tmp/abc.csv", "1;2;3\n4;5;6\n");
 * jnp.load_csv("/tmp/abc.csv", { header: false, delimiter: ";", columns: [0, 2] }).tolist(); // [[1, 3], [4, 6]]
 * jnp.load_csv("/tmp/abc.csv", { header: false, delimiter: ";" }).shape; // [2, 3]
 * ```
 */
export function load_csv(
  path: string | URL,
  o?: LoadCsvOptions & { columns?: string | number | readonly [string] | readonly number[] },
): NDArray;
/**
 * General form: an array, or an object of arrays when several names are given.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * Deno.writeTextFileSync("/tmp/xy.csv", "x,y\n1,2\n3,4\n");
 * const names: string[] = ["x", "y"];
 * const out = jnp.load_csv("/tmp/xy.csv", { columns: names }); // { x, y }
 * ```
 */
export function load_csv(path: string | URL, o?: LoadCsvOptions): NDArray | Record<string, NDArray>;
export function load_csv(path: string | URL, o: LoadCsvOptions = {}): NDArray | Record<string, NDArray> {
  const op = "load_csv";
  const header = o.header ?? true;
  const rows = parseRows(readText(path, op), path, op, { delimiter: o.delimiter ?? ",", comments: o.comments });
  if (rows.length === 0) throw new ValueError(`${op}: ${String(path)}: empty file, no header and no data`);
  const first = rows[0];
  const names = header ? first.fields : null;
  const data = header ? rows.slice(1) : rows;
  if (data.length === 0) {
    throw new ValueError(`${op}: ${String(path)}: no data rows after the header on line ${first.line}`);
  }
  const width = first.fields.length;
  checkRagged(data, width, path, op, first);

  const spec = o.columns === undefined ? null : Array.isArray(o.columns) ? [...o.columns] : [o.columns];
  if (spec !== null && spec.length === 0) throw new ValueError(`${op}: columns must not be empty`);
  const cols = spec === null ? Array.from({ length: width }, (_, i) => i) : spec.map((c) => {
    if (typeof c === "number") return resolveIndex(c, width, path, op, first.line);
    if (names === null) {
      throw new ValueError(`${op}: column name ${JSON.stringify(c)} needs a header row; pass header: true`);
    }
    const i = names.indexOf(c);
    if (i < 0) {
      throw new ValueError(
        `${op}: ${String(path)}: missing column name ${JSON.stringify(c)}: the header on line ${first.line} ` +
          `has ${names.map((n) => JSON.stringify(n)).join(", ")}`,
      );
    }
    return i;
  });
  const values = readColumns(data, cols, names, path, op, o.dtype);
  if (spec !== null && spec.length > 1 && spec.every((c) => typeof c === "string")) {
    const out: Record<string, NDArray> = {};
    cols.forEach((c, k) => out[names![c]] = vector(values[k], o.dtype));
    return out;
  }
  if (cols.length === 1) return vector(values[0], o.dtype);
  return toMatrix(values, o.dtype);
}
