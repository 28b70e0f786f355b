import path from 'node:path';

/**
 * A host path under the --root prefix (tests, chroots). No root, or '/', leaves it unchanged.
 * Every command that takes --root maps paths through this one function.
 */
export function underRoot(root: string | undefined, p: string): string {
  // normalised against '/' before the join: `/../../tmp/x` is /tmp/x on the host, so R/tmp/x
  // under --root R, never a path outside R
  return root ? path.join(path.resolve(root), path.resolve('/', p)) : p;
}

export function isRealRoot(root: string | undefined): boolean {
  return !root || path.resolve(root) === '/';
}
