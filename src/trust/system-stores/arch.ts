import type { SystemStoreLayout } from './types.js';

/** Arch Linux: p11-kit trust anchors, rebuilt by `trust extract-compat`. */
export const archStore: SystemStoreLayout = {
  name: 'Arch',
  marker: '/etc/ca-certificates/trust-source/anchors',
  anchorDir: '/etc/ca-certificates/trust-source/anchors',
  fileName: (base) => `${base}.crt`,
  refreshCommand: ['trust', 'extract-compat'],
  toolHint: 'pacman -S p11-kit ca-certificates',
};
