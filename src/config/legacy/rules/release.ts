/** Rules about the file as a whole: which release wrote it, and the keys legacy prepare required. */
import type { LegacyRule } from './context.js';

const versionWarnings: LegacyRule = {
  name: 'the release that wrote the file',
  reads: [],
  consults: ['_version'],
  writes: [],
  note: 'only tells the release apart; harbor.yml gets the target _version',
  apply(ctx) {
    const { version } = ctx;
    if (version.badVersionValue !== undefined) {
      ctx.warn(
        'W_CFG_VERSION',
        `_version = ${JSON.stringify(version.badVersionValue)} is not a release that used harbor.cfg (1.1–1.7); ${version.version ? `the keys look like Harbor ${version.version}` : 'regctl could not tell the release from the keys'}`,
        'Fix or remove the _version line (legacy Harbor wrote 1.5.0, 1.6.0 or 1.7.0 there; write e.g. 1.3.0 for a file from Harbor 1.3).',
        ctx.entry('_version'),
      );
    }
    if (version.version === '0.5') {
      ctx.warn(
        'W_CFG_VERSION',
        'this harbor.cfg looks like Harbor 0.5 (it has crt_* or use_compressed_js keys), older than the 1.x formats regctl reads; it is mapped as a 1.1 file',
        'Check the result with regctl prepare --dry-run before installing.',
        version.evidence,
      );
    }
  },
};

/** Keys legacy prepare required and that have a harbor.yml home: a missing one gets today's default. */
const REQUIRED_WITH_DEFAULT: ReadonlyArray<[string, string]> = [
  ['ui_url_protocol', 'http (no https block)'],
  ['db_password', 'database.password root123'],
  ['max_job_workers', 'jobservice.max_job_workers 10'],
  ['harbor_admin_password', 'harbor_admin_password Harbor12345'],
];

const requiredKeys: LegacyRule = {
  name: 'keys legacy prepare required',
  reads: [],
  consults: REQUIRED_WITH_DEFAULT.map(([key]) => key),
  writes: [],
  note: "a missing one keeps today's default from the template",
  apply(ctx) {
    for (const [key, fallback] of REQUIRED_WITH_DEFAULT) {
      if (!ctx.entry(key)) {
        ctx.warn('W_CFG_MISSING_KEY', `${key} is missing (legacy Harbor required it); regctl uses today's default: ${fallback}`, `Add a line "${key} = …" to say what you want.`, undefined, key);
      }
    }
  },
};

export const RELEASE_RULES: readonly LegacyRule[] = [versionWarnings, requiredKeys];
