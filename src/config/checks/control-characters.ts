/**
 * No value may carry a newline, NUL or other control character: regctl writes values into env
 * files (one KEY=value per line), nginx configs and YAML, where a newline in a password would
 * start a line of its own (`CORE_SECRET=...`, `POSTGRES_USER=...`). Such a value is an error
 * naming its key and line, whatever format the config came in (a harbor.cfg continuation line
 * glues a newline into its value). Tabs are allowed; the value itself is never printed.
 */
import type { ConfigReader } from '../reader.js';

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

function describe(ch: string): string {
  if (ch === '\n') return 'a newline';
  if (ch === '\r') return 'a carriage return';
  if (ch === '\u0000') return 'a NUL byte';
  return `the control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
}

export function checkControlCharacters(r: ConfigReader, data: unknown, prefix = ''): void {
  if (typeof data === 'string') {
    const m = CONTROL.exec(data);
    if (m) {
      r.error(
        prefix,
        'E_CONTROL_CHARACTER',
        `'${prefix}' contains ${describe(m[0])} (at character ${m.index + 1}); regctl writes it into env files, nginx and YAML, where it would break the line or inject another setting`,
        'write the value on one line without control characters (in a harbor.cfg, an indented next line continues the value)',
      );
    }
    return;
  }
  if (Array.isArray(data)) {
    data.forEach((v, i) => checkControlCharacters(r, v, `${prefix}[${i}]`));
    return;
  }
  if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) checkControlCharacters(r, v, prefix ? `${prefix}.${k}` : k);
  }
}
