/**
 * The seed's harbor.cfg through the whole loader (src/config/load.ts): the legacy mapping, the
 * model builder and the validator, with the real example certificate files in examples/certs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED = path.resolve(here, '../../../examples/harbor.cfg');

describe("the seed's harbor.cfg through the loader", () => {
  it('loads without errors into an https model with certificate paths resolved from the file', () => {
    const loaded = loadConfigText(SEED, readFileSync(SEED, 'utf8'), { withTrivy: false, schemaVersion: '2.15.0' });
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(loaded.config.source.format).toBe('cfg');
    expect(loaded.config.hostname).toBe('192.168.120.85');
    expect(loaded.config.protocol).toBe('https');
    expect(loaded.config.https).toMatchObject({ port: 443, certificate: path.resolve(here, '../../../examples/certs/registry.crt') });
    expect(loaded.config.jobservice.maxJobWorkers).toBe(3);
    expect(loaded.config.database).toMatchObject({ external: false, password: 'haichuang' });
    expect(loaded.problems.map((p) => p.code)).toContain('W_CFG_UNMAPPED');
  });
});
