import path from 'node:path';

/**
 * A host path under the --root prefix (tests, chroots). No root, or '/', leaves it unchanged.
 * Every command that takes --root maps paths through this one function.
 */
export function underRoot(root: string | undefined, p: string): string {
  return root ? path.join(path.resolve(root), p) : p;
}

export function isRealRoot(root: string | undefined): boolean {
  return !root || path.resolve(root) === '/';
}
