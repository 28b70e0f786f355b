/** Directories trust creates are recorded so untrust can remove them again, and only them. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { underRoot } from '../util/root.js';

/** Ancestors of `systemPath` (a file) missing under root, outermost first. */
export async function missingDirectories(root: string, systemPath: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = path.posix.dirname(systemPath); dir !== '/' && dir !== '.'; dir = path.posix.dirname(dir)) {
    const present = await fs.stat(underRoot(root, dir)).then(() => true, () => false);
    if (present) break;
    missing.unshift(dir);
  }
  return missing;
}

/** Removes the given directories when empty, innermost first; returns those removed. */
export async function removeEmptyDirectories(root: string, dirs: string[]): Promise<string[]> {
  const removed: string[] = [];
  const deepestFirst = [...new Set(dirs)].sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
  for (const dir of deepestFirst) {
    try {
      await fs.rmdir(underRoot(root, dir));
      removed.push(dir);
    } catch {
      // not empty (someone else put files there) or already gone: leave it
    }
  }
  return removed;
}
