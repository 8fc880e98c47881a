import { stringify } from 'yaml';
import { CliError, ExitCode } from './errors.js';

export type OutputFormat = 'table' | 'json' | 'yaml' | 'name';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml', 'name'];

export function parseOutput(value: string): OutputFormat {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) throw new CliError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}`, ExitCode.Usage);
  return value as OutputFormat;
}

export interface Column<T> {
  header: string;
  value: (item: T) => unknown;
}

const cell = (v: unknown): string => (v === null || v === undefined || v === '' ? '<none>' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** kubectl-style columns: upper-case headers, padded with three spaces. */
export function table<T>(items: readonly T[], columns: ReadonlyArray<Column<T>>): string {
  const rows = [columns.map((c) => c.header.toUpperCase()), ...items.map((i) => columns.map((c) => cell(c.value(i))))];
  const widths = columns.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows.map((r) => r.map((v, j) => (j === r.length - 1 ? v : v.padEnd((widths[j] ?? 0) + 3))).join('').trimEnd()).join('\n');
}

/**
 * Prints one object or a list: `json`/`yaml` the API's own shape, `name` as `kind/name` per line
 * (like `kubectl -o name`), `table` with the given columns.
 */
export function print<T>(data: T | T[], format: OutputFormat, opts: { kind: string; name: (item: T) => string; columns: ReadonlyArray<Column<T>> }, out: (s: string) => void = (s) => process.stdout.write(s)): void {
  const list = Array.isArray(data) ? data : [data];
  if (format === 'json') return out(`${JSON.stringify(Array.isArray(data) ? { items: data } : data, null, 2)}\n`);
  if (format === 'yaml') return out(stringify(Array.isArray(data) ? { items: data } : data));
  if (format === 'name') return out(list.map((i) => `${opts.kind}/${opts.name(i)}\n`).join(''));
  if (list.length === 0) return out('No resources found.\n');
  out(`${table(list, opts.columns)}\n`);
}

/** `2m3s`-style age of an ISO time. */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
