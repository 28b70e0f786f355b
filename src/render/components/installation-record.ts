/** regctl's own record of what the tree was rendered for (src/installation/record.ts reads it). */
import type { ComponentRenderer } from '../types.js';
import { ROOT } from '../types.js';
import { INSTALLATION_RECORD, formatInstallationRecord } from '../../installation/record.js';

export const installationRecordRenderer: ComponentRenderer = {
  name: 'installation-record',
  render: (ctx) => [
    {
      kind: 'file',
      root: 'install',
      path: INSTALLATION_RECORD,
      content: formatInstallationRecord({ harborVersion: ctx.release.version, withTrivy: ctx.options.withTrivy, withNotary: Boolean(ctx.options.withNotary) }),
      mode: 0o644,
      owner: ROOT,
    },
  ],
};
