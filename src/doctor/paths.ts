import path from 'node:path';

/** --root prefixes every absolute host path regctl reads or writes (tests, chroots). */
export function underRoot(root: string | undefined, p: string): string {
  return root ? path.join(path.resolve(root), p) : p;
}
