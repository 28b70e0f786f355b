/**
 * Relative paths in a config are read from the config file's directory (config/build-model.ts
 * pathResolver). When migrate writes the new harbor.yml into another directory (--output), a
 * relative `https.certificate: cert/server.crt` would then point somewhere else: each relative
 * path value is rewritten relative to the output's directory, so it names the same file.
 * Absolute paths are host paths (--root prefixes them) and stay as written.
 */
import path from 'node:path';
import { isScalar, parseDocument } from 'yaml';

/** Every harbor.yml key whose value is a host path, as build-model.ts reads them. */
export const PATH_KEYS = [
  'https.certificate',
  'https.private_key',
  'https.ca_file',
  'internal_tls.dir',
  'storage_service.ca_bundle',
  'storage_service.gcs.keyfile',
  'uaa.ca_file',
  'external_redis.tlsOptions.rootCA',
  'data_volume',
  'log.local.location',
] as const;

/** The value that names the same file from `toDir`, or undefined when it needs no change. */
export function relocatedPath(value: unknown, fromDir: string, toDir: string): string | undefined {
  if (typeof value !== 'string' || value === '' || path.isAbsolute(value) || path.resolve(fromDir) === path.resolve(toDir)) return undefined;
  return path.relative(toDir, path.resolve(fromDir, value)) || '.';
}

export interface Relocation {
  key: string;
  from: string;
  to: string;
}

/** Rewrites the relative path values of plain config data in place (harbor.cfg's mapped data). */
export function relocateData(data: Record<string, unknown>, fromDir: string, toDir: string): Relocation[] {
  const out: Relocation[] = [];
  for (const key of PATH_KEYS) {
    const segments = key.split('.');
    const parent = segments.slice(0, -1).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
    if (!parent || typeof parent !== 'object') continue;
    const leaf = segments[segments.length - 1]!;
    const value = (parent as Record<string, unknown>)[leaf];
    const to = relocatedPath(value, fromDir, toDir);
    if (to === undefined) continue;
    (parent as Record<string, unknown>)[leaf] = to;
    out.push({ key, from: value as string, to });
  }
  return out;
}

/** The same for harbor.yml text: each value is replaced where it is written, comments and layout kept. */
export function relocateText(text: string, fromDir: string, toDir: string): { text: string; relocations: Relocation[] } {
  const doc = parseDocument(text, { uniqueKeys: false });
  const edits: { start: number; end: number; value: string; r: Relocation }[] = [];
  for (const key of PATH_KEYS) {
    const node = doc.getIn(key.split('.'), true);
    if (!isScalar(node) || !node.range) continue;
    const to = relocatedPath(node.value, fromDir, toDir);
    if (to === undefined) continue;
    edits.push({ start: node.range[0], end: node.range[1], value: JSON.stringify(to), r: { key, from: String(node.value), to } });
  }
  let out = text;
  // from the end, so earlier offsets stay valid
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.value + out.slice(e.end);
  return { text: out, relocations: edits.map((e) => e.r).sort((a, b) => PATH_KEYS.indexOf(a.key as (typeof PATH_KEYS)[number]) - PATH_KEYS.indexOf(b.key as (typeof PATH_KEYS)[number])) };
}

export function relocationNote(r: Relocation[], toDir: string): string {
  return `relative paths rewritten for ${toDir} (the new file's directory), so they name the same files: ${r.map((x) => `${x.key} ${x.from} → ${x.to}`).join(', ')}`;
}
