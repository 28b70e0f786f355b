/**
 * System store detection, in mkcert's order (RHEL first: some RHEL-likes also have the Debian
 * directory), with Alpine ahead of Debian because it shares Debian's anchor directory.
 */
import { promises as fs } from 'node:fs';
import { underRoot } from '../../util/root.js';
import { alpineStore } from './alpine.js';
import { archStore } from './arch.js';
import { debianStore } from './debian.js';
import { rhelStore } from './rhel.js';
import { suseStore } from './suse.js';
import type { SystemStoreLayout } from './types.js';

export type { SystemStoreLayout } from './types.js';

export const SYSTEM_STORES: SystemStoreLayout[] = [rhelStore, alpineStore, debianStore, archStore, suseStore];

export async function detectSystemStore(root: string): Promise<SystemStoreLayout | undefined> {
  for (const layout of SYSTEM_STORES) {
    if (await fs.stat(underRoot(root, layout.marker)).then(() => true, () => false)) return layout;
  }
  return undefined;
}
