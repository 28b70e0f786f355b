/**
 * Writing certificate material: all files of one result appear together or not at all (staged
 * next to their targets, then renamed), with exact modes (keys 0600, certificates 0644) whatever
 * the umask. Files that would be replaced are first copied to a timestamped backup.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface FileToWrite {
  path: string;
  content: string;
  mode: number;
  /** keep this owner (a file regctl edits for the operator, like daemon.json) */
  owner?: { uid: number; gid: number };
}

export const KEY_MODE = 0o600;
export const CERT_MODE = 0o644;

import { pathExists, writeDurable } from '../util/fs.js';

export const exists = pathExists;

/** `20260115T093000Z`: sorts by time and is safe in file names. */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Copies `file` to `file.bak-<timestamp>` with its mode; returns the backup path. */
export async function backupFile(file: string, now: Date): Promise<string> {
  let backup = `${file}.bak-${timestamp(now)}`;
  for (let i = 1; await exists(backup); i++) backup = `${file}.bak-${timestamp(now)}-${i}`;
  const { mode } = await fs.stat(file);
  await fs.copyFile(file, backup);
  await fs.chmod(backup, mode & 0o777);
  return backup;
}

/** Writes every file or none: stage all, then rename all; undo what was done on failure. */
export async function writeFilesAtomically(files: FileToWrite[], dirMode = 0o755): Promise<void> {
  const staged: { tmp: string; target: string; existed: boolean }[] = [];
  try {
    for (const f of files) {
      await fs.mkdir(path.dirname(f.path), { recursive: true, mode: dirMode });
      const tmp = path.join(path.dirname(f.path), `.${path.basename(f.path)}.regctl-${randomBytes(4).toString('hex')}`);
      // synced before the rename, so a crash leaves the old file or the whole new one
      await writeDurable(tmp, f.content, f.mode, 'wx');
      if (f.owner && process.getuid?.() === 0) await fs.chown(tmp, f.owner.uid, f.owner.gid);
      staged.push({ tmp, target: f.path, existed: await exists(f.path) });
    }
  } catch (err) {
    await Promise.all(staged.map((s) => fs.rm(s.tmp, { force: true })));
    throw err;
  }
  const done: typeof staged = [];
  try {
    for (const s of staged) {
      await fs.rename(s.tmp, s.target);
      done.push(s);
    }
  } catch (err) {
    // best effort: files that did not exist before are removed again; replaced ones have backups
    for (const s of done) if (!s.existed) await fs.rm(s.target, { force: true });
    for (const s of staged) if (!done.includes(s)) await fs.rm(s.tmp, { force: true });
    throw err;
  }
}
