import { ExitCode, RegctlError } from '../errors.js';
import type { HarborRelease } from '../releases/types.js';
import type { MigrateOptions, MigrateResult } from './run.js';

export async function migrateCfg(opts: MigrateOptions & { input: string; text: string; release: HarborRelease }): Promise<MigrateResult> {
  throw new RegctlError('E_MIGRATE_CFG', `migrating a harbor.cfg (${opts.input}) is not implemented yet`, { exitCode: ExitCode.invalidInput, fix: 'regctl prepare --config harbor.cfg reads it directly' });
}
