import path from 'node:path';

/** A system path under the --root prefix. */
export function underRoot(root: string, systemPath: string): string {
  return path.join(path.resolve(root), systemPath);
}

export function isRealRoot(root: string): boolean {
  return path.resolve(root) === '/';
}
