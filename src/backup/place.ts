/**
 * Putting backup parts back into data_volume and the install dir without following links: every
 * directory on the way from the base down is checked with lstat (a link where a directory should
 * be is refused: a container could have planted it), and each file is written under a temporary
 * name and renamed over the old one, which replaces a link instead of writing through it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { ExitCode, RegctlError } from '../errors.js';
import { readPart, type BackupDir, type BackupPart } from './parts.js';

function linkRefused(p: string): RegctlError {
  return new RegctlError('E_SYMLINK', `${p} is a symbolic link or not a directory; restore does not write through links`, { exitCode: ExitCode.invalidInput, file: p, fix: `remove it (rm ${p}) and run the restore again` });
}

/** mkdir -p below `base` (which must exist), refusing any component that is not a real directory. */
export async function safeDirs(base: string, rel: string, mode = 0o755): Promise<string> {
  let cur = base;
  for (const name of rel.split('/').filter(Boolean)) {
    cur = path.join(cur, name);
    const st = await fs.lstat(cur).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!st) await fs.mkdir(cur, { mode });
    else if (!st.isDirectory()) throw linkRefused(cur);
  }
  return cur;
}

async function chown(p: string, uid: number, gid: number): Promise<void> {
  await fs.lchown(p, uid, gid).catch(() => {}); // not root: the files stay ours
}

/** Writes one part to `<base>/<rel>` with the mode and owner it had. */
export async function placePart(backupDir: string, part: BackupPart, base: string, rel: string): Promise<void> {
  const dir = await safeDirs(base, path.posix.dirname(rel));
  const dest = path.join(dir, path.posix.basename(rel));
  const source = await readPart(backupDir, part.path);
  if (!source) throw new RegctlError('E_BACKUP_INVALID', `${path.join(backupDir, part.path)} is a link or not a regular file`, { exitCode: ExitCode.invalidInput, fix: 'restore from another backup' });
  const tmp = `${dest}.regctl-restore-${process.pid}`;
  await fs.rm(tmp, { force: true });
  await pipeline(source, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
  await fs.chmod(tmp, part.mode);
  await chown(tmp, part.uid, part.gid);
  await fs.rename(tmp, dest);
}

/** Gives the directories of a copied tree their mode and owner back (after the files are in). */
export async function placeDir(d: BackupDir, base: string, rel: string): Promise<void> {
  const p = await safeDirs(base, rel, d.mode);
  await fs.chmod(p, d.mode);
  await chown(p, d.uid, d.gid);
}

/** Where a part of the backup goes, by its top-level directory. */
export interface Placement {
  /** e.g. 'secret/' */
  prefix: string;
  base: string;
  /** path below base for the part's path after the prefix */
  under: string;
}

export function placementOf(placements: Placement[], partPath: string): { base: string; rel: string } | undefined {
  const p = placements.find((x) => partPath === x.prefix.replace(/\/$/, '') || partPath.startsWith(x.prefix));
  if (!p) return undefined;
  const rest = partPath === p.prefix.replace(/\/$/, '') ? '' : partPath.slice(p.prefix.length);
  return { base: p.base, rel: path.posix.join(p.under, rest) };
}
