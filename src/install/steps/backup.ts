/** Step 5: back up data_volume/secret before the stack is touched. */
import { backupSecrets } from '../backup.js';
import { need, type InstallStep, type StepOutcome } from './types.js';

export const backupStep: InstallStep = {
  id: 'backup',
  async run(ctx): Promise<StepOutcome> {
    const backup = await backupSecrets(need(ctx.prepared, 'prepared').dataVolume, ctx.now());
    ctx.backup = backup;
    if (!backup.path) return { status: 'skip', detail: 'no data_volume/secret yet' };
    const removed = backup.removed.length ? ` (removed ${backup.removed.length} old)` : '';
    return { status: 'done', detail: backup.reused ? `unchanged since ${backup.path}` : `${backup.files} files to ${backup.path}${removed}` };
  },
};
