/**
 * Release lines as data: --harbor-version picks a description from src/releases/, its files carry
 * that line's differences (facts from goharbor/harbor make/photon/prepare/templates/ at each tag),
 * the install dir records the release and later runs keep to it, and keys or components a line
 * does not have are refused before anything is written. In-process (runCli), real files.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeWorkspace, type Workspace } from '../helpers/workspace.js';
import { jsonResult, regctlInProcess } from '../helpers/cli.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';

const spaces: Workspace[] = [];
afterAll(() => spaces.forEach((w) => w.cleanup()));

/** A 2.13/2.14-compatible harbor.yml; `seeded`: the suite's token pair in place (no RSA-4096 per test). */
async function workspace(edits: Record<string, unknown> = {}, seeded = true): Promise<Workspace> {
  const w = makeWorkspace({ 'trivy.db_repository': undefined, 'trivy.java_db_repository': undefined, ...edits });
  spaces.push(w);
  if (seeded) await seedTokenKeyPair(w.dataDir);
  return w;
}

const regctl = (argv: string[], cwd: string) => regctlInProcess(argv, { cwd, env: { HOME: cwd } });

const prepare = (w: Workspace, ...flags: string[]) => regctl(['prepare', '--config', w.configPath, '--install-dir', w.installDir, '--json', ...flags], w.dir);
const read = (w: Workspace, rel: string) => readFileSync(path.join(w.installDir, rel), 'utf8');
const envKeys = (text: string) => text.split('\n').filter((l) => l.includes('=')).map((l) => l.slice(0, l.indexOf('=')));

describe('--harbor-version', () => {
  it('2.14.4: redis-photon, SYNC_QUOTA, no redis username, no trivy DB repositories; recorded in the install dir', async () => {
    const w = await workspace();
    const r = await prepare(w, '--harbor-version', '2.14.4', '--with-trivy');
    expect(r.code, r.stdout).toBe(0);
    const compose = parse(read(w, 'docker-compose.yml'));
    expect(compose.services.redis.image).toBe('goharbor/redis-photon:v2.14.4');
    expect(compose.services.core.image).toBe('goharbor/harbor-core:v2.14.4');
    const core = read(w, 'common/config/core/env');
    expect(core).toContain('SYNC_QUOTA=true');
    expect(envKeys(core)).toContain('REPLICATION_ADAPTER_WHITELIST');
    expect(envKeys(core)).toContain('QUOTA_UPDATE_PROVIDER');
    expect(parse(read(w, 'common/config/registry/config.yml')).redis).not.toHaveProperty('username');
    expect(envKeys(read(w, 'common/config/trivy-adapter/env'))).not.toContain('SCANNER_TRIVY_DB_REPOSITORY');
    expect(envKeys(read(w, 'common/config/jobservice/env'))).not.toContain('MAX_JOB_DURATION_SECONDS');
    expect(JSON.parse(read(w, 'common/config/regctl/installation.json'))).toEqual({ harborVersion: 'v2.14.4', withTrivy: true, withNotary: false });
  });

  it('2.13.5: quay among the proxy-cache types, no replication whitelist, MAX_JOB_DURATION_SECONDS = hours x 3600', async () => {
    const w = await workspace({ 'jobservice.max_job_duration_hours': 48 });
    expect((await prepare(w, '--harbor-version', 'v2.13.5')).code).toBe(0);
    const core = read(w, 'common/config/core/env');
    expect(core).toMatch(/^PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE=.*,google-gcr,quay,docker-registry,/m);
    expect(envKeys(core)).not.toContain('REPLICATION_ADAPTER_WHITELIST');
    expect(read(w, 'common/config/jobservice/env')).toMatch(/^MAX_JOB_DURATION_SECONDS=172800$/m);
  });

  it('2.12.4 (a hop line): no LOG_LEVEL or MAX_JOB_DURATION_SECONDS for jobservice, no enableTLS for the registry\'s redis; harbor-db of PostgreSQL 15', async () => {
    const w = await workspace({ _version: '2.12.0', 'jobservice.max_job_duration_hours': undefined });
    const r = await prepare(w, '--harbor-version', '2.12');
    expect(r.code, r.stdout).toBe(0);
    const compose = parse(read(w, 'docker-compose.yml'));
    expect(compose.services.core.image).toBe('goharbor/harbor-core:v2.12.4');
    expect(compose.services.postgresql.image).toBe('goharbor/harbor-db:v2.12.4');
    const jobservice = envKeys(read(w, 'common/config/jobservice/env'));
    expect(jobservice).not.toContain('LOG_LEVEL');
    expect(jobservice).not.toContain('MAX_JOB_DURATION_SECONDS');
    expect(parse(read(w, 'common/config/registry/config.yml')).redis).not.toHaveProperty('enableTLS');
    expect(JSON.parse(read(w, 'common/config/regctl/installation.json')).harborVersion).toBe('v2.12.4');
  });

  it('2.10.3 (a hop line): compose file version 2.3, no ali-acr among the proxy-cache types, no IPv6 listen lines', async () => {
    const w = await workspace({ _version: '2.10.0', 'jobservice.max_job_duration_hours': undefined });
    const r = await prepare(w, '--harbor-version', '2.10.3');
    expect(r.code, r.stdout).toBe(0);
    const composeText = read(w, 'docker-compose.yml');
    expect(parse(composeText).version).toBe('2.3');
    expect(parse(composeText).services.registry.image).toBe('goharbor/registry-photon:v2.10.3');
    expect(read(w, 'common/config/core/env')).toMatch(/^PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE=(?!.*ali-acr).*docker-hub/m);
    expect(read(w, 'common/config/nginx/nginx.conf')).not.toMatch(/listen \[::\]/);
  });

  it('the default, 2.15.2: valkey, no SYNC_QUOTA, the redis username line and the trivy DB repositories', async () => {
    const w = await workspace({ 'trivy.db_repository': 'ghcr.io/aquasecurity/trivy-db' });
    expect((await prepare(w, '--with-trivy')).code).toBe(0);
    expect(parse(read(w, 'docker-compose.yml')).services.redis.image).toBe('goharbor/valkey-photon:v2.15.2');
    expect(envKeys(read(w, 'common/config/core/env'))).not.toContain('SYNC_QUOTA');
    expect(parse(read(w, 'common/config/registry/config.yml')).redis).toHaveProperty('username');
    expect(envKeys(read(w, 'common/config/trivy-adapter/env'))).toContain('SCANNER_TRIVY_DB_REPOSITORY');
  });

  it('a line by its name (2.14, 2.14.x) is its newest patch', async () => {
    for (const v of ['2.14', '2.14.x']) {
      const w = await workspace();
      expect((await prepare(w, '--harbor-version', v)).code).toBe(0);
      expect(JSON.parse(read(w, 'common/config/regctl/installation.json')).harborVersion).toBe('v2.14.4');
    }
  });

  it('an unsupported version is refused with the list, exit 2, nothing written', async () => {
    const w = await workspace({}, false);
    for (const v of ['2.16.0', '2.12.3', '1.10', 'latest']) {
      const r = await prepare(w, '--harbor-version', v);
      expect(r.code).toBe(2);
      const e = jsonResult(r.stdout).error!;
      expect(e).toMatchObject({ code: 'E_RELEASE', key: '--harbor-version' });
      expect(e.fix).toContain('2.15.2 (the 2.15 line), 2.14.4 (the 2.14 line), 2.13.5 (the 2.13 line)');
    }
    expect(readdirSync(w.installDir)).toEqual([]);
    expect(existsSync(w.dataDir)).toBe(false);
  });

  it('later runs keep to the recorded release; another one is a warning and re-records', async () => {
    const w = await workspace();
    expect((await prepare(w, '--harbor-version', '2.13.5')).code).toBe(0);
    const again = await prepare(w);
    expect(again.code).toBe(0);
    expect(jsonResult(again.stdout).data.wrote).toBe(false);
    expect(parse(read(w, 'docker-compose.yml')).services.core.image).toBe('goharbor/harbor-core:v2.13.5');
    const moved = await prepare(w, '--harbor-version', '2.15.2');
    expect(moved.code).toBe(0);
    expect(jsonResult(moved.stdout).findings).toContainEqual(expect.objectContaining({ code: 'W_RELEASE_CHANGED', message: expect.stringContaining('rendered for Harbor v2.13.5; this run renders v2.15.2') }));
    expect(JSON.parse(read(w, 'common/config/regctl/installation.json')).harborVersion).toBe('v2.15.2');
  });

  it('a damaged installation record is an error naming the file, not a silent default', async () => {
    const w = await workspace();
    expect((await prepare(w, '--harbor-version', '2.14.4')).code).toBe(0);
    writeFileSync(path.join(w.installDir, 'common/config/regctl/installation.json'), '{"harborVersion": 3}');
    const r = await prepare(w);
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error).toMatchObject({ code: 'E_INSTALLATION_RECORD', file: expect.stringContaining('installation.json') });
  });

  it("a key the line does not read is an error naming the release that introduced it, with file and line", async () => {
    const w = await workspace({ 'trivy.db_repository': 'ghcr.io/aquasecurity/trivy-db' }, false);
    const r = await prepare(w, '--harbor-version', '2.14.4');
    expect(r.code).toBe(2);
    const env = jsonResult(r.stdout);
    const all = [env.error!, ...env.findings];
    const hit = all.find((p) => p.code === 'E_KEY_NOT_IN_RELEASE')!;
    expect(hit).toMatchObject({ key: 'trivy.db_repository', file: w.configPath, line: expect.any(Number) });
    expect(hit.message).toContain('came with Harbor v2.15.0; the 2.14 line');
    expect(hit.fix).toContain('--harbor-version 2.15.2');
    expect(readdirSync(w.installDir)).toEqual([]);
  });
});

describe('--with-notary where the release has no Notary', () => {
  for (const command of ['prepare', 'install', 'doctor'] as const) {
    it(`${command}: refused before anything is read or written, naming v2.9.0 and the 2.8 line`, async () => {
      const w = await workspace({}, false);
      const r = await regctl([command, '--config', w.configPath, '--install-dir', w.installDir, '--with-notary', '--json'], w.dir);
      expect(r.code).toBe(2);
      const e = jsonResult(r.stdout).error!;
      expect(e.code).toBe('E_NOTARY_REMOVED');
      expect(e.message).toContain('removed in v2.9.0');
      expect(e.fix).toMatch(/--harbor-version 2\.8\.6/);
      expect(e.fix).toMatch(/cosign or notation/);
      expect(readdirSync(w.installDir)).toEqual([]);
      expect(existsSync(w.dataDir)).toBe(false);
    });
  }
});

describe('status reads the recorded release', () => {
  it('the installation record is what later commands see (resolveInstallation)', async () => {
    const w = await workspace();
    expect((await prepare(w, '--harbor-version', '2.13.5')).code).toBe(0);
    const { resolveInstallation } = await import('../../src/installation/installation.js');
    const { target } = await resolveInstallation({ cwd: w.dir, configPath: w.configPath, installDir: w.installDir });
    expect(target.release.version).toBe('v2.13.5');
    expect(target.release.database).toEqual({ postgresMajor: 15, upgradesFrom: [14] });
  });
});
