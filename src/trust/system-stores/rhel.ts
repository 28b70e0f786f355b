import type { SystemStoreLayout } from './types.js';

/** RHEL, Fedora, CentOS, Alma, Rocky: PEM or DER anchors, rebuilt by update-ca-trust. */
export const rhelStore: SystemStoreLayout = {
  name: 'RHEL/Fedora',
  marker: '/etc/pki/ca-trust/source/anchors',
  anchorDir: '/etc/pki/ca-trust/source/anchors',
  fileName: (base) => `${base}.pem`,
  refreshCommand: ['update-ca-trust', 'extract'],
  toolHint: 'dnf install ca-certificates',
};
