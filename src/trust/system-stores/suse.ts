import type { SystemStoreLayout } from './types.js';

/** openSUSE and SLES: p11-kit anchors under /usr/share/pki, rebuilt by update-ca-certificates. */
export const suseStore: SystemStoreLayout = {
  name: 'SUSE',
  marker: '/usr/share/pki/trust/anchors',
  anchorDir: '/usr/share/pki/trust/anchors',
  fileName: (base) => `${base}.pem`,
  refreshCommand: ['update-ca-certificates'],
  toolHint: 'zypper install ca-certificates',
};
