/**
 * --diff masks every secret of the old tree and of the new: an external redis password (inside
 * _REDIS_URL_* and redis_url) and an S3 secretkey the config has just changed were printed in
 * clear text, because only the current config's values were masked.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleYaml, makeWorkspace } from '../helpers/workspace.js';
import { regctlInProcess } from '../helpers/cli.js';
import { redactor } from '../../src/apply/report.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';

const ws = makeWorkspace();
// the suite's token pair, kept by prepare: no RSA-4096 generation here
beforeAll(() => seedTokenKeyPair(ws.dataDir));
afterAll(() => ws.cleanup());

const config = (redisPw: string, s3Secret: string, dbPw: string) =>
  exampleYaml({
    data_volume: ws.dataDir,
    'log.local.location': path.join(ws.dir, 'log'),
    'database.password': dbPw,
    external_redis: { host: 'redis.corp:6379', password: redisPw, registry_db_index: 1, jobservice_db_index: 2, trivy_db_index: 5, idle_timeout_seconds: 30 },
    storage_service: { s3: { accesskey: 'AKIAOLDACCESS', secretkey: s3Secret, region: 'eu-west-1', bucket: 'harbor' } },
  });

describe('prepare --diff', () => {
  it('masks the old and the new values of every secret, wherever they appear in a line', async () => {
    const old = { redis: 'oldRedisPw-7f3a', s3: 'oldS3Secret-9c1d', db: 'oldDbPw-2b8e' };
    writeFileSync(ws.configPath, config(old.redis, old.s3, old.db));
    expect((await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir])).code).toBe(0);

    const next = { redis: 'newRedisPw-4e6b', s3: 'newS3Secret-5a0f', db: 'newDbPw-8d2c' };
    writeFileSync(ws.configPath, config(next.redis, next.s3, next.db));
    const diff = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir, '--diff']);
    expect(diff.code, diff.stderr).toBe(0);
    const out = diff.stdout + diff.stderr;
    // the diff does show that those files change
    expect(out).toMatch(/^[-+]_REDIS_URL_CORE=redis:\/\/:\*{8}@redis\.corp:6379/m);
    expect(out).toMatch(/^[-+]\s+secretkey: \*{8}$/m);
    for (const v of [...Object.values(old), ...Object.values(next)]) {
      expect(out).not.toContain(v);
      expect(out).not.toContain(encodeURIComponent(v));
    }
  });

  it('the structural rules mask what no list of values names', () => {
    const redact = redactor([]);
    expect(redact('-redis_url: redis://:s3cr3t@redis:6379/2')).toBe('-redis_url: redis://:********@redis:6379/2');
    expect(redact('+EXT_ENDPOINT=https://user:pa55@example.com/x')).toBe('+EXT_ENDPOINT=https://user:********@example.com/x');
    expect(redact('-    accountkey: abc123')).toBe('-    accountkey: ********');
    expect(redact('+POSTGRESQL_PASSWORD=hunter22')).toBe('+POSTGRESQL_PASSWORD=********');
    // not secrets: left alone
    expect(redact(' hostname: reg.example.com')).toBe(' hostname: reg.example.com');
    expect(redact('+POSTGRESQL_USERNAME=postgres')).toBe('+POSTGRESQL_USERNAME=postgres');
  });
});
