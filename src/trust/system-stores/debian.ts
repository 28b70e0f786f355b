import type { SystemStoreLayout } from './types.js';

/** Debian and Ubuntu: one PEM certificate per file, the name must end in .crt. */
export const debianStore: SystemStoreLayout = {
  name: 'Debian/Ubuntu',
  marker: '/usr/local/share/ca-certificates',
  anchorDir: '/usr/local/share/ca-certificates',
  fileName: (base) => `${base}.crt`,
  refreshCommand: ['update-ca-certificates'],
  toolHint: 'apt-get install ca-certificates',
};
