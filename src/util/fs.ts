import { lstat } from 'node:fs/promises';

/** true when something (file, directory, symlink) is at p; other errors than ENOENT propagate */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
