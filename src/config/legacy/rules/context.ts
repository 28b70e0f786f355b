/**
 * The one context every harbor.cfg mapping rule works on: the entries legacy prepare saw, the
 * harbor.yml-shaped document being built on top of v2.15's template defaults, where each value came
 * from (`origins`, so that later messages about a harbor.yml key point at the line the user wrote),
 * and the problems found so far. Same idea as the ConfigReader that validate.ts's checks share.
 */
import { problem, type Problem, type Severity } from '../../../errors.js';
import { harborYmlDefaults } from '../defaults.js';
import type { CfgEntry } from '../parse.js';
import type { LegacyVersionInfo } from '../version.js';

export interface LegacyContext {
  readonly file: string;
  readonly version: LegacyVersionInfo;
  /** harbor.yml-shaped data: the template defaults, then whatever the rules so far have set */
  readonly data: Record<string, unknown>;
  /** harbor.yml key path → the legacy entries its value came from */
  readonly origins: Map<string, CfgEntry[]>;
  readonly problems: Problem[];
  /** legacy keys a rule has mapped: they are not listed among the keys harbor.yml cannot hold */
  readonly claimed: ReadonlySet<string>;
  /** certificate entries (ssl_cert) the file names although it serves plain http; load checks whether they exist */
  readonly unservedCertificates: CfgEntry[];
  /** the entry legacy prepare saw for a (lower-cased) key */
  entry(key: string): CfgEntry | undefined;
  claim(...keys: string[]): void;
  /** sets a harbor.yml value by dotted path, remembering the entries it came from */
  set(path: string, value: unknown, ...from: Array<CfgEntry | undefined>): void;
  /** says which entries a whole block (e.g. `https`) came from, without setting a value */
  origin(path: string, from: CfgEntry[]): void;
  /** a problem at `entry`'s line; `target` names the harbor.yml key it is about */
  warn(code: string, message: string, fix: string, entry?: CfgEntry, target?: string): void;
  error(code: string, message: string, fix: string, entry?: CfgEntry, target?: string): void;
}

/** One legacy-key mapping: adding a mapping means adding one of these to the list in rules/index.ts. */
export interface LegacyRule {
  /** what it maps, e.g. "hostname" */
  name: string;
  /** the legacy keys it maps: the runner claims them before `apply` runs */
  reads: readonly string[];
  /** keys it only looks at; they stay in the "no place in harbor.yml" listing unless `apply` claims them */
  consults?: readonly string[];
  /** the harbor.yml key paths it may write (a trailing `.*` for a block written key by key) */
  writes: readonly string[];
  /** for a rule that writes nothing: what becomes of the value */
  note?: string;
  apply(ctx: LegacyContext): void;
}

export function createLegacyContext(file: string, entries: ReadonlyMap<string, CfgEntry>, version: LegacyVersionInfo): LegacyContext {
  const data = harborYmlDefaults();
  const origins = new Map<string, CfgEntry[]>();
  const problems: Problem[] = [];
  const claimed = new Set<string>();
  const report = (severity: Severity, code: string, message: string, fix: string, entry?: CfgEntry, target?: string): void => {
    const key = entry ? (target ? `${entry.key} (→ ${target})` : entry.key) : target;
    problems.push(problem(severity, code, message, { file, line: entry?.line, column: entry ? entry.column : undefined, key, fix }));
  };
  return {
    file,
    version,
    data,
    origins,
    problems,
    claimed,
    unservedCertificates: [],
    entry: (key) => entries.get(key),
    claim: (...keys) => {
      for (const key of keys) claimed.add(key);
    },
    set: (path, value, ...from) => {
      setPath(data, path.split('.'), value);
      const sources = from.filter((e): e is CfgEntry => e !== undefined);
      if (sources.length > 0) origins.set(path, sources);
    },
    origin: (path, from) => {
      origins.set(path, from);
    },
    warn: (code, message, fix, entry, target) => report('warning', code, message, fix, entry, target),
    error: (code, message, fix, entry, target) => report('error', code, message, fix, entry, target),
  };
}

function setPath(data: Record<string, unknown>, path: string[], value: unknown): void {
  let node = data;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}
