import type { SystemStoreLayout } from './types.js';

/**
 * Alpine: the Debian layout, but slim images often lack the ca-certificates package (and with it
 * the directory and the tool), so it is recognised by /etc/alpine-release instead.
 */
export const alpineStore: SystemStoreLayout = {
  name: 'Alpine',
  marker: '/etc/alpine-release',
  anchorDir: '/usr/local/share/ca-certificates',
  fileName: (base) => `${base}.crt`,
  refreshCommand: ['update-ca-certificates'],
  toolHint: 'apk add ca-certificates',
};
