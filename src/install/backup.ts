/**
 * Backups of data_volume/secret before every install: the secretkey (decrypts what core stored in
 * the database), the token-signing pair and the server certificate copy. Losing secretkey makes
 * stored registry credentials unreadable, so each install keeps a timestamped copy (modes and
 * owners preserved) and the newest `keep` of them. An unchanged secret dir is not copied again.
 */
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

export const BACKUP_DIR = 'secret-backups';
export const KEEP_BACKUPS = 5;

export interface BackupResult {
  /** the backup written, or the existing identical one */
  path?: string;
  /** true when nothing new was written (no secret dir, or identical to the newest backup) */
  reused: boolean;
  removed: string[];
  files: number;
}

/** 20260101T120000Z: sortable, no characters that need quoting */
export function backupStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

async function treeDigest(dir: string): Promise<{ digest: string; files: number }> {
  const h = createHash('sha256');
  let files = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = (await fs.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const r = path.join(rel, e.name);
      const full = path.join(dir, r);
      const st = await fs.lstat(full);
      h.update(`${r}\0${st.mode}\0${st.uid}\0${st.gid}\0`);
      if (e.isDirectory()) await walk(r);
      else if (e.isSymbolicLink()) h.update(await fs.readlink(full));
      else if (e.isFile()) {
        h.update(await fs.readFile(full));
        files++;
      }
    }
  };
  await walk('');
  return { digest: h.digest('hex'), files };
}

/** Recursive copy keeping mode, owner and timestamps (fs.cp does not keep owners). */
async function copyTree(from: string, to: string): Promise<void> {
  const st = await fs.lstat(from);
  if (st.isDirectory()) {
    await fs.mkdir(to, { mode: st.mode & 0o7777 });
    for (const name of await fs.readdir(from)) await copyTree(path.join(from, name), path.join(to, name));
  } else if (st.isSymbolicLink()) {
    await fs.symlink(await fs.readlink(from), to);
    return;
  } else if (st.isFile()) {
    await fs.copyFile(from, to);
  } else {
    return;
  }
  await fs.chmod(to, st.mode & 0o7777);
  await fs.lchown(to, st.uid, st.gid).catch(() => {}); // not root: keep our own uid
  await fs.utimes(to, st.atime, st.mtime);
}

/** Backs up `<dataVolume>/secret` into `<dataVolume>/secret-backups/<stamp>`, keeping `keep`. */
export async function backupSecrets(dataVolume: string, now: Date, keep = KEEP_BACKUPS): Promise<BackupResult> {
  const secret = path.join(dataVolume, 'secret');
  const root = path.join(dataVolume, BACKUP_DIR);
  try {
    await fs.access(secret);
  } catch {
    return { reused: true, removed: [], files: 0 };
  }
  const current = await treeDigest(secret);
  await fs.mkdir(root, { recursive: true, mode: 0o700 });
  await fs.chmod(root, 0o700);
  const existing = (await fs.readdir(root)).filter((n) => /^\d{8}T\d{6}Z(-\d+)?$/.test(n)).sort();
  const newest = existing[existing.length - 1];
  if (newest && (await treeDigest(path.join(root, newest)).catch(() => undefined))?.digest === current.digest) {
    return { path: path.join(root, newest), reused: true, removed: [], files: current.files };
  }
  let name = backupStamp(now);
  for (let i = 1; existing.includes(name); i++) name = `${backupStamp(now)}-${i}`;
  const dest = path.join(root, name);
  const staging = path.join(root, `.${name}.partial`);
  await fs.rm(staging, { recursive: true, force: true });
  await copyTree(secret, staging);
  await fs.rename(staging, dest);
  const all = [...existing, name].sort();
  const removed: string[] = [];
  for (const old of all.slice(0, Math.max(0, all.length - keep))) {
    await fs.rm(path.join(root, old), { recursive: true, force: true });
    removed.push(path.join(root, old));
  }
  return { path: dest, reused: false, removed, files: current.files };
}
