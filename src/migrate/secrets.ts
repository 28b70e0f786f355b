/**
 * --apply-secrets: a 1.x Harbor kept its secretkey (the AES key of every password core stored
 * encrypted: replication endpoints, LDAP search password...) in secretkey_path (default /data), with
 * Notary's defaultalias beside it. They are copied to data_volume/secret/keys/, where 2.x reads them,
 * owned by uid 10000 and mode 0600 like Harbor's. A different file already there is never
 * replaced: that would make every value encrypted with it unreadable.
 */
import { chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import type { CfgEntry } from '../config/legacy/index.js';
import { readIfExists } from '../util/fs.js';
import { underRoot } from '../util/root.js';
import { writeAtomically } from './write.js';

export interface SecretCopy {
  name: string;
  from: string;
  to: string;
  /** copied, already there (identical), or absent at the source */
  status: 'copied' | 'identical' | 'absent' | 'would copy';
}

export async function applySecrets(opts: { entries: ReadonlyMap<string, CfgEntry>; dataVolume: string; root?: string; dryRun: boolean; file: string }): Promise<SecretCopy[]> {
  const entry = opts.entries.get('secretkey_path');
  const sourceDir = entry?.value || '/data';
  const destDir = path.join(opts.dataVolume, 'secret', 'keys');
  const plan: { name: string; from: string; to: string; content?: string; existing?: string }[] = [];
  for (const name of ['secretkey', 'defaultalias']) {
    const from = path.join(sourceDir, name);
    const to = path.join(destDir, name);
    plan.push({ name, from, to, content: await readIfExists(underRoot(opts.root, from), 'utf8'), existing: await readIfExists(underRoot(opts.root, to), 'utf8') });
  }
  const key = plan[0]!;
  if (key.content === undefined) {
    throw new RegctlError('E_SECRETKEY_MISSING', `--apply-secrets: there is no secretkey at ${key.from} (secretkey_path ${entry ? `= ${sourceDir}, line ${entry.line}` : 'unset: /data'})`, {
      file: opts.file, line: entry?.line, key: 'secretkey_path', exitCode: ExitCode.invalidInput,
      fix: 'point secretkey_path at the directory of the old Harbor\'s secretkey (it was mounted into the old containers), or copy it by hand; nothing was written',
    });
  }
  if (key.content.length !== 16) {
    throw new RegctlError('E_SECRETKEY_LENGTH', `--apply-secrets: ${key.from} holds ${key.content.length} characters; Harbor's secret key is exactly 16`, { file: opts.file, exitCode: ExitCode.invalidInput, fix: 'restore the original file from a backup (a trailing newline counts); nothing was written' });
  }
  for (const p of plan) {
    if (p.content !== undefined && p.existing !== undefined && p.existing !== p.content) {
      throw new RegctlError('E_SECRETKEY_DIFFERS', `--apply-secrets: ${p.to} already exists and differs from ${p.from}; regctl never replaces it`, {
        exitCode: ExitCode.invalidInput, key: 'secretkey_path',
        fix: `values the new Harbor encrypted use the existing ${p.name}; if it was never started with data you need, move ${p.to} aside and run again; nothing was written`,
      });
    }
  }
  const out: SecretCopy[] = [];
  for (const p of plan) {
    if (p.content === undefined) out.push({ name: p.name, from: p.from, to: p.to, status: 'absent' });
    else if (p.existing !== undefined) out.push({ name: p.name, from: p.from, to: p.to, status: 'identical' });
    else if (opts.dryRun) out.push({ name: p.name, from: p.from, to: p.to, status: 'would copy' });
    else {
      const dest = underRoot(opts.root, p.to);
      await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      await writeAtomically(dest, p.content, 0o600);
      if (process.getuid?.() === 0) await chown(dest, 10000, 10000);
      out.push({ name: p.name, from: p.from, to: p.to, status: 'copied' });
    }
  }
  return out;
}
