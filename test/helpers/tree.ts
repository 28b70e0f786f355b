/** Snapshots of a directory tree (content hash, mode, owner, mtime) to prove what changed. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface FileState {
  sha: string;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ino: number;
}

export function snapshot(root: string): Map<string, FileState> {
  const out = new Map<string, FileState>();
  const walk = (rel: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else {
        const p = path.join(root, r);
        const st = lstatSync(p);
        out.set(r, {
          sha: createHash('sha256').update(readFileSync(p)).digest('hex'),
          mode: st.mode & 0o7777,
          uid: st.uid,
          gid: st.gid,
          mtimeMs: st.mtimeMs,
          ino: st.ino,
        });
      }
    }
  };
  walk('');
  return out;
}

/** paths whose content, mode, owner or inode differ (inode: the file was replaced) */
export function changedPaths(a: Map<string, FileState>, b: Map<string, FileState>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k))).sort();
}
