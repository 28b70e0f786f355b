import type { MigrationStep } from './types.js';

const NOTARY = 'Notary was removed in Harbor v2.9 (cosign and notation signatures are verified natively); stay on the 2.8 line for Notary';

/** 2.8.0 → 2.9.0: Notary removed; job loggers read with a hard lookup. */
export const step: MigrationStep = {
  version: '2.9.0',
  changes: [
    { kind: 'remove', key: 'external_database.notary_signer', why: NOTARY },
    { kind: 'remove', key: 'external_database.notary_server', why: NOTARY },
    { kind: 'remove', key: 'notary', why: NOTARY },
    {
      kind: 'add',
      key: 'jobservice.job_loggers',
      value: ['STD_OUTPUT', 'FILE'],
      why: "prepare reads jobservice.job_loggers with a hard lookup since v2.9 (the 2.15.2 prepare stops with KeyError: 'job_loggers' without it)",
      model: ['jobservice.jobLoggers'],
    },
  ],
};
