/**
 * Text for --diff: unified diffs with secrets masked (loaded only when --diff is given).
 */
import { createTwoFilesPatch } from 'diff';
import type { PlannedFile } from './plan.js';

const MASK = '********';

/** A password inside a URL (redis://:pw@host, https://user:pw@host), wherever it appears in a line. */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;
/** env lines whose key names a secret: CORE_SECRET=, POSTGRESQL_PASSWORD=, CSRF_KEY=, ... */
const SECRET_ENV = /^([+\- ]?[A-Z0-9_]*(PASSWORD|SECRET|TOKEN|_KEY|CREDENTIAL)[A-Z0-9_]*=).+$/gm;
/** YAML lines whose key names a secret: password:, secretkey:, accesskey:, accountkey:, token: ... */
const SECRET_YAML = /^([+\- ]?\s*["']?[\w-]*(password|secret|accesskey|accountkey|token|credential)[\w-]*["']?:[ \t]+)(?![|>]\s*$).+$/gim;

/**
 * Masks every known secret value (and its URL-encoded form), and, structurally, whatever sits
 * where a secret goes: a URL's password, the value of a secret-named env or YAML key. The
 * structural rules catch the old tree's secrets too (an external redis password or S3 key the
 * config no longer names), which no list of current values can.
 */
export function redactor(secretValues: string[]): (text: string) => string {
  const values = [...new Set(secretValues.filter((v) => v && v.length >= 4).flatMap((v) => [v, encodeURIComponent(v)]))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join(MASK);
    return out.replace(URL_USERINFO, `$1${MASK}@`).replace(SECRET_ENV, `$1${MASK}`).replace(SECRET_YAML, `$1${MASK}`);
  };
}

function isText(b: Buffer | undefined): boolean {
  return !b || !b.includes(0);
}

export function fileDiff(f: PlannedFile, redact: (s: string) => string): string {
  const name = `${f.root}:${f.path}`;
  if (f.change === 'unchanged') return '';
  // whole-secret files (keys, secretkey, kept secrets) are never shown; files that merely contain
  // secrets (env files) are diffed with every known secret value masked
  if (f.secret && (f.root === 'data' || /PRIVATE KEY/.test(String(f.content ?? f.current ?? '')))) return `--- ${name}\n+++ ${name}\n(secret file ${f.change === 'create' ? 'created' : f.change === 'remove' ? 'removed' : 'changed'}; content not shown)\n`;
  if (f.metadataOnly) return `--- ${name}\n+++ ${name}\n(mode/owner only: ${f.mode.toString(8).padStart(4, '0')} ${f.owner.uid}:${f.owner.gid})\n`;
  if (!isText(f.current) || !isText(f.content)) return `--- ${name}\n+++ ${name}\n(binary content ${f.change})\n`;
  const before = f.current ? f.current.toString('utf8') : '';
  const after = f.content ? f.content.toString('utf8') : '';
  // diff first, mask after: a changed secret still shows as a -/+ pair, with both values masked
  return redact(createTwoFilesPatch(f.change === 'create' ? '/dev/null' : name, f.change === 'remove' ? '/dev/null' : name, before, after, '', '', { context: 3 }));
}
