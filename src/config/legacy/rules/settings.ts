/** Plain values with a harbor.yml home: the admin password, job workers, log rotation. */
import type { CfgEntry } from '../parse.js';
import { parseLegacyInt } from '../values.js';
import type { LegacyContext, LegacyRule } from './context.js';

/** A whole number; empty (legacy Harbor read it as 0) keeps today's default. */
function integerRule(key: string, target: string, fallback: number): LegacyRule {
  return {
    name: key,
    reads: [key],
    writes: [target],
    apply(ctx) {
      const entry = ctx.entry(key);
      if (entry) mapInteger(ctx, entry, target, fallback);
    },
  };
}

function mapInteger(ctx: LegacyContext, entry: CfgEntry, target: string, fallback: number): void {
  if (entry.value === '') {
    ctx.warn('W_CFG_EMPTY_VALUE', `${entry.key} is empty (legacy Harbor read that as 0); regctl uses today's default ${fallback}`, `Set ${entry.key} to a whole number, or delete the line.`, entry, target);
    return;
  }
  const n = parseLegacyInt(entry.value);
  if (n === undefined) {
    ctx.error('E_CFG_NOT_INTEGER', `${entry.key} = ${JSON.stringify(entry.value)} is not a whole number`, `Set ${entry.key} to a whole number such as ${fallback}.`, entry, target);
    return;
  }
  ctx.set(target, n, entry);
}

const adminPassword: LegacyRule = {
  name: 'harbor_admin_password',
  reads: ['harbor_admin_password'],
  writes: ['harbor_admin_password'],
  apply(ctx) {
    const entry = ctx.entry('harbor_admin_password');
    if (entry) ctx.set('harbor_admin_password', entry.value, entry);
  },
};

const rotateSize: LegacyRule = {
  name: 'log_rotate_size',
  reads: ['log_rotate_size'],
  writes: ['log.local.rotate_size'],
  apply(ctx) {
    const entry = ctx.entry('log_rotate_size');
    if (!entry) return;
    if (entry.value === '') {
      ctx.warn('W_CFG_EMPTY_VALUE', "log_rotate_size is empty; regctl uses today's default 200M", 'Set a size such as 200M, or delete the line.', entry, 'log.local.rotate_size');
    } else {
      ctx.set('log.local.rotate_size', entry.value, entry);
    }
  },
};

export const SETTINGS_RULES: readonly LegacyRule[] = [
  adminPassword,
  integerRule('max_job_workers', 'jobservice.max_job_workers', 10),
  integerRule('log_rotate_count', 'log.local.rotate_count', 50),
  rotateSize,
];
