/**
 * Editing Docker's daemon.json as JSON: the insecure-registries list changes, every other key is
 * kept as it was. Malformed input is refused with its line and column, never "repaired".
 * lossless-json keeps numbers as written: JSON.parse would round a 20-digit integer and turn
 * 1.50 into 1.5 in a file that belongs to the operator.
 */
import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { RegctlError } from '../errors.js';

export const DAEMON_JSON = '/etc/docker/daemon.json';
const KEY = 'insecure-registries';

type DaemonConfig = Record<string, unknown>;

function parse(text: string, file: string): DaemonConfig {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = parseLossless(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const at = pos ? lineColumn(text, Number(pos[1])) : {};
    throw new RegctlError('E_DAEMON_JSON_MALFORMED', `${file} is not valid JSON (${message}); it was left untouched`, {
      fix: `fix it by hand first (python3 -m json.tool ${file} shows the error); dockerd refuses to start with a broken daemon.json too`,
      file,
      ...at,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RegctlError('E_DAEMON_JSON_MALFORMED', `${file} must hold a JSON object ({...}); it was left untouched`, { fix: 'fix the file by hand first', file });
  }
  const config = value as DaemonConfig;
  const list = config[KEY];
  if (list !== undefined && (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))) {
    throw new RegctlError('E_DAEMON_JSON_MALFORMED', `"${KEY}" in ${file} must be a list of strings; it was left untouched`, { fix: `fix it by hand, e.g. "${KEY}": ["reg.example.com:5000"]`, file, key: KEY });
  }
  return config;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const render = (config: DaemonConfig) => stringifyLossless(config, null, 2) + '\n';

/** Adds `entry`; `text` undefined means the file does not exist. */
export function addInsecureRegistry(text: string | undefined, entry: string, file = DAEMON_JSON): { text: string; changed: boolean } {
  const config = text === undefined ? {} : parse(text, file);
  const list = (config[KEY] as string[] | undefined) ?? [];
  if (list.includes(entry)) return { text: text ?? render(config), changed: false };
  return { text: render({ ...config, [KEY]: [...list, entry] }), changed: true };
}

/** Removes `entry` (and the key, when the list becomes empty and only held it); `empty` when nothing else is left. */
export function removeInsecureRegistry(text: string, entry: string, file = DAEMON_JSON): { text: string; changed: boolean; empty?: boolean } {
  const config = parse(text, file);
  const list = (config[KEY] as string[] | undefined) ?? [];
  if (!list.includes(entry)) return { text, changed: false };
  const rest = list.filter((x) => x !== entry);
  const next = { ...config };
  if (rest.length) next[KEY] = rest;
  else delete next[KEY];
  return { text: render(next), changed: true, empty: Object.keys(next).length === 0 };
}
