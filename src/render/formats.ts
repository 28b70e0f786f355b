/**
 * Serialisers shared by component renderers. YAML outputs (compose, registry, jobservice and
 * registryctl configs) are built as objects and serialised here, so values are always quoted
 * correctly (Harbor's templates break on passwords containing ':' or '#'); env files are ordered
 * key/value lists.
 */
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });
}

export type EnvEntries = ReadonlyArray<readonly [string, string | number | boolean | undefined]>;

/** Python spelling of booleans, as Harbor's env files have them (Go's ParseBool accepts both). */
export function pyBool(v: boolean): string {
  return v ? 'True' : 'False';
}

/**
 * KEY=value lines, in the given order. Values are written verbatim (docker-compose v1 reads env
 * files literally); undefined entries are skipped.
 */
export function toEnvFile(entries: EnvEntries): string {
  const lines: string[] = [];
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    lines.push(`${k}=${typeof v === 'boolean' ? String(v) : v}`);
  }
  return lines.join('\n') + '\n';
}
