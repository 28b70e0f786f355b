/**
 * Typed access to a ConfigDocument that records a located Problem for every bad value instead of
 * throwing, so that one run reports every problem at once. Defaults follow Harbor's Python `or`
 * semantics where Harbor uses them (a null or empty value means "use the default").
 */
import type { ConfigDocument } from './document.js';
import { problem, type Problem } from '../errors.js';

export class ConfigReader {
  constructor(
    readonly doc: ConfigDocument,
    readonly problems: Problem[],
  ) {}

  raw(path: string): unknown {
    let cur: unknown = this.doc.data;
    for (const seg of path.split('.')) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
    return cur;
  }

  /** the key is written (even with an empty value) */
  has(path: string): boolean {
    const i = path.lastIndexOf('.');
    const parent = i < 0 ? this.doc.data : this.raw(path.slice(0, i));
    return parent !== null && typeof parent === 'object' && !Array.isArray(parent) && path.slice(i + 1) in parent;
  }

  /** Python truthiness of the raw value (how Harbor decides whether an optional block is "set") */
  truthy(path: string): boolean {
    const v = this.raw(path);
    if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === 'object') return Object.keys(v).length > 0;
    return true;
  }

  /** the document's location for a key path; a legacy cfg names its own key there (ssl_cert → https.certificate) */
  private where(path: string, fix?: string) {
    const loc = this.doc.locate(path);
    return { ...loc, key: loc.key ?? path, fix };
  }

  error(path: string, code: string, message: string, fix?: string): void {
    this.problems.push(problem('error', code, message, this.where(path, fix)));
  }

  warn(path: string, code: string, message: string, fix?: string): void {
    this.problems.push(problem('warning', code, message, this.where(path, fix)));
  }

  /** A key Harbor reads with a hard lookup: missing → error. */
  required(path: string, fix: string): boolean {
    const v = this.raw(path);
    if (v === undefined || v === null || v === '') {
      this.error(path, 'E_REQUIRED', `'${path}' is required but ${v === undefined ? 'missing' : 'empty'}`, fix);
      return false;
    }
    return true;
  }

  mapping(path: string): Record<string, unknown> | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.error(path, 'E_TYPE', `'${path}' must be a block of keys, not ${describe(v)}`, 'indent its keys under it, two spaces deeper');
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  /** string; null/empty → def; numbers and booleans are accepted and stringified (YAML typing) */
  str(path: string, def: string): string {
    const v = this.raw(path);
    if (v === undefined || v === null || v === '') return def;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.error(path, 'E_TYPE', `'${path}' must be a single value, not ${describe(v)}`, 'write it as `key: value` on one line');
    return def;
  }

  /** integer; null/empty/0 → def (Python `or`), numeric strings accepted */
  int(path: string, def: number, opts: { min?: number; max?: number; zeroIsDefault?: boolean } = {}): number {
    const v = this.raw(path);
    if (v === undefined || v === null || v === '') return def;
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) n = Number(v);
    else {
      this.error(path, 'E_TYPE', `'${path}' must be a whole number, got ${describe(v)}`, 'write digits only, e.g. `10`');
      return def;
    }
    if (!Number.isInteger(n)) {
      this.error(path, 'E_TYPE', `'${path}' must be a whole number, got ${n}`, 'write digits only, e.g. `10`');
      return def;
    }
    if (n === 0 && (opts.zeroIsDefault ?? true)) return def;
    if (opts.min !== undefined && n < opts.min) {
      this.error(path, 'E_RANGE', `'${path}' must be at least ${opts.min}, got ${n}`, `use a value of ${opts.min} or more`);
      return def;
    }
    if (opts.max !== undefined && n > opts.max) {
      this.error(path, 'E_RANGE', `'${path}' must be at most ${opts.max}, got ${n}`, `use a value of ${opts.max} or less`);
      return def;
    }
    return n;
  }

  /** boolean; null → def. Strings true/false/on/off are accepted with a warning (they are not YAML booleans). */
  bool(path: string, def: boolean): boolean {
    const v = this.raw(path);
    if (v === undefined || v === null || v === '') return def;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (['true', 'false', 'on', 'off', 'yes', 'no'].includes(s)) return ['true', 'on', 'yes'].includes(s);
    }
    this.error(path, 'E_TYPE', `'${path}' must be true or false, got ${describe(v)}`, 'write `true` or `false` without quotes');
    return def;
  }

  list(path: string): unknown[] | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.error(path, 'E_TYPE', `'${path}' must be a list, got ${describe(v)}`, 'write one `- item` per line under the key');
      return undefined;
    }
    return v;
  }
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a block of keys';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}
