/**
 * harbor.yml of an older schema → a newer one, on the YAML Document (comments, key order, quoting
 * and unknown keys survive), by applying the steps of src/migrate/steps/ in order. Then the typed
 * model of the file before and after is compared on everything both read: a recognised value that
 * changed meaning is a bug, so it stops the run instead of writing the file.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { ExitCode, problem, RegctlError, type Problem } from '../errors.js';
import { buildModel } from '../config/build-model.js';
import { parseHarborYml } from '../config/yaml-document.js';
import { harborYmlSchema, type KeySchema } from '../config/schema.js';
import { MIGRATION_STEPS, OLDEST_SCHEMA, SCHEMA_VERSIONS, type StepChange } from './steps/index.js';

export interface YmlMigration {
  /** the schema version the file said (normalised: 2.8.6 → 2.8.0) */
  from: string;
  to: string;
  text: string;
  /** one line per change made, for the report */
  changes: string[];
  problems: Problem[];
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** '2.8.6', 'v2.8.0', '2.8' → '2.8.0'; undefined when it is no version at all. */
export function schemaOf(raw: unknown): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(String(raw ?? '').trim());
  return m ? `${Number(m[1])}.${Number(m[2])}.0` : undefined;
}

const splitKey = (key: string) => key.split('.');

export function migrateYmlText(file: string, text: string, targetSchema: string): YmlMigration {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) {
    // the ordinary reader words syntax errors with line, column and a fix
    const parsed = parseHarborYml(file, text);
    throw new RegctlError('E_CONFIG_INVALID', `${file} is not a harbor.yml regctl can read; nothing was written`, { file, exitCode: ExitCode.invalidInput, problems: parsed.problems, fix: 'fix the problems listed above, then run migrate again' });
  }
  const at = (node: { range?: [number, number, number] | null } | null | undefined, key: string) => {
    const off = node?.range?.[0];
    if (off === undefined) return { file, key };
    const { line, col } = lineCounter.linePos(off);
    return { file, line, column: col, key };
  };
  const versionNode = doc.get('_version', true) as Scalar | undefined;
  const rawVersion = versionNode?.value;
  const from = schemaOf(rawVersion);
  const known = SCHEMA_VERSIONS.join(', ');
  if (rawVersion === undefined || rawVersion === null || rawVersion === '') {
    throw new RegctlError('E_MIGRATE_NO_VERSION', `${file} has no _version, so the release it was written for is unknown`, {
      file, key: '_version', exitCode: ExitCode.invalidInput,
      fix: `add \`_version: X.Y.Z\` with the Harbor release the file was written for (its harbor.yml.tmpl says it at the end); known schema versions: ${known}`,
    });
  }
  if (!from || !SCHEMA_VERSIONS.includes(from)) {
    throw new RegctlError('E_MIGRATE_VERSION', `_version ${String(rawVersion)} is not a harbor.yml schema version regctl can migrate from`, {
      ...at(versionNode, '_version'), exitCode: ExitCode.invalidInput,
      fix: compareVersions(from ?? '0.0.0', OLDEST_SCHEMA) < 0
        ? `files older than ${OLDEST_SCHEMA} (Harbor 1.8 and before) are harbor.cfg era: migrate the harbor.cfg instead; known schema versions: ${known}`
        : `known schema versions: ${known}`,
    });
  }
  if (compareVersions(from, targetSchema) > 0) {
    throw new RegctlError('E_MIGRATE_DOWNGRADE', `${file} is for schema ${from}, newer than the target ${targetSchema}: regctl does not downgrade`, {
      ...at(versionNode, '_version'), exitCode: ExitCode.invalidInput,
      fix: 'keep the file for the release it was written for (--to names the release to migrate to), or restore the backup made before the upgrade',
    });
  }

  const before = modelFlat(file, text);
  const problems: Problem[] = [...unknownKeys(doc, at)];
  const changes: string[] = [];
  const touchedModel = new Set<string>();
  // _version first (its range is known now); the steps' edits never touch it
  let out = text;
  if (String(rawVersion) !== targetSchema) {
    const r = (versionNode as Ranged).range!;
    out = splice(out, r[0], r[1], targetSchema);
    changes.push(`_version: ${String(rawVersion)} → ${targetSchema}`);
  }
  // locations name the line in the file as the user wrote it
  const originalAt: At = (node, key) => {
    const found = pairAt(doc, key);
    return found ? at(found.pair.key as Ranged, key) : { file, key };
  };
  for (const step of MIGRATION_STEPS) {
    if (compareVersions(step.version, from) <= 0 || compareVersions(step.version, targetSchema) > 0) continue;
    for (const change of step.changes) {
      const applied = applyChange(out, change, step.version, originalAt, problems);
      if (!applied) continue;
      out = applied.text;
      changes.push(`${step.version}: ${applied.made}`);
      for (const m of ('model' in change ? change.model : undefined) ?? []) touchedModel.add(m);
    }
  }

  const after = modelFlat(file, out);
  const lost: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (IGNORED_MODEL.some((p) => key === p || key.startsWith(`${p}.`))) continue;
    if ([...touchedModel].some((p) => key === p || key.startsWith(`${p}.`) || key.startsWith(`${p}[`))) continue;
    if (before.get(key) !== after.get(key)) lost.push(`${key}: ${before.get(key) ?? '(unset)'} → ${after.get(key) ?? '(unset)'}`);
  }
  if (lost.length) {
    throw new RegctlError('E_MIGRATE_LOST', `migrating ${file} would change what ${lost.length} recognised value${lost.length === 1 ? '' : 's'} mean${lost.length === 1 ? 's' : ''}: ${lost.join('; ')}`, {
      file, exitCode: ExitCode.failure, fix: 'nothing was written; this is a regctl bug, please report it with the file (passwords removed)',
    });
  }
  return { from, to: targetSchema, text: out, changes, problems };
}

/** fields of the model that say where it came from, not what it means */
const IGNORED_MODEL = ['source', 'schemaVersion', 'configRelativePaths'];

/** The typed model of a harbor.yml text, flattened to path → JSON value. */
function modelFlat(file: string, text: string): Map<string, string> {
  const flat = new Map<string, string>();
  const parsed = parseHarborYml(file, text);
  if (!parsed.doc) return flat;
  const { config } = buildModel(parsed.doc);
  const walk = (v: unknown, p: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
    } else if (v !== undefined) flat.set(p, JSON.stringify(v));
  };
  walk(config, '');
  return flat;
}

type Loc = { file?: string; line?: number; column?: number; key?: string };
type At = (node: { range?: [number, number, number] | null } | null | undefined, key: string) => Loc;
type Ranged = { range?: [number, number, number] | null };

/**
 * Each change is a text edit of the file at the nodes' source ranges (the document is parsed again
 * after every edit), so every line a change does not touch stays byte for byte as the user wrote
 * it: comments, their indentation, quoting, blank lines.
 */
function parseRanged(text: string): Document {
  return parseDocument(text, { uniqueKeys: false });
}

function pairIn(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return (map.items as Pair[]).find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
}

function pairAt(doc: Document, key: string): { map: YAMLMap; pair: Pair } | undefined {
  const segs = splitKey(key);
  const parent = segs.length === 1 ? doc.contents : doc.getIn(segs.slice(0, -1), true);
  const pair = pairIn(parent, segs[segs.length - 1]!);
  return pair ? { map: parent as YAMLMap, pair } : undefined;
}

const lineStart = (text: string, off: number) => text.lastIndexOf('\n', off - 1) + 1;
const lineEnd = (text: string, off: number) => {
  const i = text.indexOf('\n', off);
  return i < 0 ? text.length : i + 1;
};
const splice = (text: string, start: number, end: number, insert = '') => text.slice(0, start) + insert + text.slice(end);

/** [start, end) of the whole lines a pair occupies (key line to the line its value ends on) */
function pairLines(text: string, pair: Pair): [number, number] {
  const k = (pair.key as Ranged).range!;
  const v = (pair.value as Ranged | null)?.range;
  const last = Math.max(k[1], v ? v[1] : k[1]);
  // a block value's range may end at the start of the next line
  const endOff = last > k[1] && text[last - 1] === '\n' ? last - 1 : last;
  return [lineStart(text, k[0]), lineEnd(text, Math.max(endOff - 1, k[0]))];
}

/** Lines of `key: value` as YAML, each indented. */
function renderPair(key: string, value: unknown, indent: string, comment?: string): string {
  const body = stringify({ [key]: value }, { lineWidth: 0 });
  const lines = body.replace(/\n$/, '').split('\n').map((l) => indent + l);
  if (comment) lines.unshift(`${indent}# ${comment}`);
  return `${lines.join('\n')}\n`;
}

/** Inserts `key: value` as the last entry of the map at `segs` (creating the missing maps). */
function insertKey(text: string, doc: Document, segs: string[], value: unknown, comment?: string): string {
  // the deepest existing block map on the way
  let map: unknown = doc.contents;
  let depth = 0;
  while (depth < segs.length - 1) {
    const next = pairIn(map, segs[depth]!);
    if (!next || !isMap(next.value) || (next.value as YAMLMap).flow || !(next.value as YAMLMap).items.length) break;
    map = next.value;
    depth++;
  }
  const rest = segs.slice(depth);
  let nested: unknown = value;
  for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i]!]: nested };
  const items = (map as YAMLMap).items as Pair[];
  if (depth > 0 || map === doc.contents) {
    // a placeholder `parent:` with an empty or null value is replaced as a whole
    const blocker = pairIn(map, rest[0]!);
    if (blocker && rest.length > 1) {
      const [s, e] = pairLines(text, blocker);
      const indent = ' '.repeat(((blocker.key as Ranged).range![0]) - lineStart(text, (blocker.key as Ranged).range![0]));
      return splice(text, s, e, renderPair(rest[0]!, nested, indent, comment));
    }
    if (map === doc.contents && depth === 0) {
      const sep = text.endsWith('\n') || text === '' ? '' : '\n';
      return `${text}${sep}${renderPair(rest[0]!, nested, '', comment)}`;
    }
    const last = items[items.length - 1]!;
    const first = (items[0]!.key as Ranged).range![0];
    const indent = ' '.repeat(first - lineStart(text, first));
    const [, end] = pairLines(text, last);
    return splice(text, end, end, renderPair(rest[0]!, nested, indent, comment));
  }
  return text;
}

/** One step change applied to the text; undefined when it did not apply (nothing to change). */
function applyChange(text: string, change: StepChange, version: string, at: At, problems: Problem[]): { text: string; made: string } | undefined {
  const doc = parseRanged(text);
  switch (change.kind) {
    case 'add': {
      if (pairAt(doc, change.key)) return undefined;
      const out = insertKey(text, doc, splitKey(change.key), change.value, `added by regctl migrate (${version}): the target's prepare needs it`);
      problems.push(problem('note', 'N_MIGRATE_ADDED', `${change.key} added with ${JSON.stringify(change.value)}: ${change.why}`, { file: at(undefined, change.key).file, key: change.key }));
      return { text: out, made: `added ${change.key}: ${JSON.stringify(change.value)}` };
    }
    case 'rename': {
      const found = pairAt(doc, change.from);
      if (!found) return undefined;
      const where = at(found.pair.key as Ranged, change.from);
      const fromSegs = splitKey(change.from);
      const toSegs = splitKey(change.to);
      const [s, e] = pairLines(text, found.pair);
      if (pairAt(doc, change.to)) {
        problems.push(problem('warning', 'W_MIGRATE_DROPPED', `${change.from} dropped: ${change.to} is written too and wins (${change.why})`, { ...where, fix: `check that ${change.to} holds the value you want` }));
        return { text: splice(text, s, e), made: `dropped ${change.from} (${change.to} is written too)` };
      }
      problems.push(problem('note', 'N_MIGRATE_RENAMED', `${change.from} is now ${change.to} (${change.why})`, where));
      if (fromSegs.slice(0, -1).join('.') === toSegs.slice(0, -1).join('.')) {
        const k = (found.pair.key as Ranged).range!;
        return { text: splice(text, k[0], k[1], toSegs[toSegs.length - 1]), made: `renamed ${change.from} → ${change.to}` };
      }
      const value = doc.getIn(fromSegs);
      const removed = splice(text, s, e);
      return { text: insertKey(removed, parseRanged(removed), toSegs, value), made: `moved ${change.from} → ${change.to}` };
    }
    case 'remove': {
      const found = pairAt(doc, change.key);
      if (!found) return undefined;
      problems.push(problem('warning', 'W_MIGRATE_REMOVED', `${change.key} removed: ${change.why}`, { ...at(found.pair.key as Ranged, change.key), fix: 'nothing to do unless you relied on it; the old file keeps it' }));
      const [s, e] = pairLines(text, found.pair);
      return { text: splice(text, s, e), made: `removed ${change.key}` };
    }
    case 'removeItem': {
      const list = doc.getIn(splitKey(change.key), true);
      if (!isSeq(list)) return undefined;
      const item = list.items.find((it) => isScalar(it) && String(it.value) === change.item) as Scalar | undefined;
      if (!item) return undefined;
      problems.push(problem('warning', 'W_MIGRATE_REMOVED', `'${change.item}' removed from ${change.key}: ${change.why}`, at(item as Ranged, change.key)));
      const values = list.items.filter((it) => it !== item).map((it) => (isScalar(it) ? it.value : it));
      if (list.flow) {
        const r = (list as Ranged).range!;
        return { text: splice(text, r[0], r[1], `[${values.map((v) => String(v)).join(', ')}]`), made: `removed '${change.item}' from ${change.key}` };
      }
      const r = (item as Ranged).range!;
      return { text: splice(text, lineStart(text, r[0]), lineEnd(text, r[0])), made: `removed '${change.item}' from ${change.key}` };
    }
    case 'joinPort': {
      const port = pairAt(doc, change.with);
      if (!port) return undefined;
      const host = pairAt(doc, change.key);
      const p = isScalar(port.pair.value) ? String(port.pair.value.value ?? '') : '';
      let out = text;
      let made = `removed ${change.with}`;
      if (host && isScalar(host.pair.value) && p && !/:\d+$/.test(String(host.pair.value.value))) {
        const r = (host.pair.value as Ranged).range!;
        out = splice(out, r[0], r[1], `${String(host.pair.value.value)}:${p}`);
        made = `joined ${change.with} into ${change.key} (host:port)`;
      }
      const again = pairAt(parseRanged(out), change.with)!;
      const [s, e] = pairLines(out, again.pair);
      return { text: splice(out, s, e), made };
    }
  }
}

/** Keys harbor.yml of no line knows: kept where they are, with a warning. */
function unknownKeys(doc: Document, at: At): Problem[] {
  const out: Problem[] = [];
  const visit = (node: unknown, schema: KeySchema, prefix: string) => {
    if (!isMap(node)) return;
    for (const p of node.items as Pair[]) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      const k = String(p.key.value);
      const key = prefix ? `${prefix}.${k}` : k;
      const s = schema[k];
      if (s === undefined) {
        out.push(problem('warning', 'W_MIGRATE_UNKNOWN_KEY', `${key} is not a harbor.yml key of any release regctl knows; kept as written`, { ...at(p.key as never, key), fix: 'remove it if it is a typo or a leftover; Harbor ignores it' }));
      } else if (typeof s === 'object') visit(p.value, s, key);
    }
  };
  visit(doc.contents, harborYmlSchema, '');
  return out;
}
