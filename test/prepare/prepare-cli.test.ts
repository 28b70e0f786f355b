import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { regctl, regctlInProcess } from '../helpers/cli.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';
import { changedPaths, snapshot } from '../helpers/tree.js';
import { exampleYaml, makeWorkspace, type Workspace } from '../helpers/workspace.js';

let ws: Workspace;
const both = () => new Map([...prefixed('install', snapshot(ws.installDir)), ...prefixed('data', snapshot(ws.dataDir))]);
function prefixed<T>(p: string, m: Map<string, T>): Map<string, T> {
  return new Map([...m].map(([k, v]) => [`${p}:${k}`, v]));
}
const prepare = (...extra: string[]) => regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir, ...extra]);
const setConfig = (edits: Record<string, unknown>) =>
  writeFileSync(ws.configPath, exampleYaml({ data_volume: ws.dataDir, 'log.local.location': path.join(ws.dir, 'log'), ...edits }));

beforeEach(async () => {
  ws = makeWorkspace();
  // prepare keeps this pair instead of generating one (RSA-4096); the tests that see generation make their own workspace
  await seedTokenKeyPair(ws.dataDir);
});
/** A fresh workspace without the seeded pair, for the tests that see prepare make it. */
function unseeded(): void {
  ws.cleanup();
  ws = makeWorkspace();
}
afterEach(() => ws.cleanup());

describe('regctl prepare (CLI)', () => {
  it('renders the full tree, and a second run with the same config rewrites no file', async () => {
    unseeded(); // this first run generates the token pair
    const first = await prepare();
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(path.join(ws.installDir, 'docker-compose.yml'))).toBe(true);
    expect(existsSync(path.join(ws.dataDir, 'secret/keys/secretkey'))).toBe(true);
    const before = both();
    const second = await prepare();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/nothing to change/);
    expect(changedPaths(before, both())).toEqual([]);
  });

  it('a changed value rewrites only the files that depend on it', async () => {
    expect((await prepare()).code).toBe(0);
    const before = both();
    setConfig({ 'jobservice.max_job_workers': 5 });
    const r = await prepare();
    expect(r.code, r.stderr).toBe(0);
    expect(changedPaths(before, both())).toEqual(['install:common/config/core/env', 'install:common/config/jobservice/config.yml']);
  });

  it('an invalid config exits 2 with file:line, key and fix, no stack trace, and leaves the earlier tree untouched', async () => {
    expect((await prepare()).code).toBe(0);
    const before = both();
    setConfig({ hostname: 'localhost', 'https.port': 99999 });
    const r = await prepare();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${ws.configPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ key 'hostname'`));
    expect(r.stderr).toMatch(/key 'https\.port'/);
    expect(r.stderr).toMatch(/fix: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(changedPaths(before, both())).toEqual([]);
  });

  it('--dry-run prints one line per file and writes nothing', async () => {
    unseeded();
    const r = await prepare('--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^create\s+install:docker-compose\.yml$/m);
    expect(r.stdout).toMatch(/^create\s+data:secret\/keys\/secretkey$/m);
    expect(r.stdout).toMatch(/nothing written/);
    expect(existsSync(ws.dataDir)).toBe(false);
    expect(snapshot(ws.installDir).size).toBe(0);
    // after a real run, the plan says unchanged for every file
    expect((await prepare()).code).toBe(0);
    const again = await prepare('--dry-run');
    expect(again.stdout).not.toMatch(/^(create|change|remove)\s/m);
    expect(again.stdout).toMatch(/^unchanged\s+install:common\/config\/core\/env$/m);
  });

  it('--diff shows what would change with every secret masked, and writes nothing', async () => {
    expect((await prepare()).code).toBe(0);
    const kept = JSON.parse(readFileSync(path.join(ws.dataDir, 'secret/regctl/secrets.json'), 'utf8')) as Record<string, string>;
    const before = both();
    setConfig({ 'jobservice.max_job_workers': 7, harbor_admin_password: 'S3cret-Admin-Pw', 'database.password': 'db-Pa55word' });
    const r = await prepare('--diff');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-MAX_JOB_WORKERS=10$/m);
    expect(r.stdout).toMatch(/^\+MAX_JOB_WORKERS=7$/m);
    expect(r.stdout).toMatch(/^\+HARBOR_ADMIN_PASSWORD=\*+$/m);
    for (const secret of ['S3cret-Admin-Pw', 'db-Pa55word', kept.coreSecret, kept.registryPassword, kept.csrfKey, readFileSync(path.join(ws.dataDir, 'secret/keys/secretkey'), 'utf8')]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
    expect(changedPaths(before, both())).toEqual([]);
  });

  it('never prints a secret during a normal run', async () => {
    setConfig({ harbor_admin_password: 'S3cret-Admin-Pw' });
    const r = await prepare();
    expect(r.code).toBe(0);
    const kept = JSON.parse(readFileSync(path.join(ws.dataDir, 'secret/regctl/secrets.json'), 'utf8')) as Record<string, string>;
    for (const secret of ['S3cret-Admin-Pw', ...Object.values(kept), readFileSync(path.join(ws.dataDir, 'secret/keys/secretkey'), 'utf8')]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('refuses a secretkey of the wrong length and never replaces it', async () => {
    expect((await prepare()).code).toBe(0);
    const keyFile = path.join(ws.dataDir, 'secret/keys/secretkey');
    writeFileSync(keyFile, readFileSync(keyFile, 'utf8') + '\n');
    const before = both();
    const r = await prepare();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_SECRETKEY_LENGTH/);
    expect(r.stderr).toMatch(/17 characters/);
    expect(changedPaths(before, both())).toEqual([]);
  });

  it('removes files it no longer renders under common/config, but keeps operator drop-ins in nginx/conf.d', async () => {
    expect((await prepare()).code).toBe(0);
    const stray = path.join(ws.installDir, 'common/config/core/old-setting');
    const dropIn = path.join(ws.installDir, 'common/config/nginx/conf.d/harbor.https.extra.conf');
    writeFileSync(stray, 'x');
    writeFileSync(dropIn, 'location /extra/ { return 204; }\n');
    const r = await prepare();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^remove\s+install:common\/config\/core\/old-setting$/m);
    expect(existsSync(stray)).toBe(false);
    expect(readFileSync(dropIn, 'utf8')).toMatch(/extra/);
  });

  it('sets data directory owners and modes like Harbor, chowning an existing registry store whole', async () => {
    unseeded();
    const blob = path.join(ws.dataDir, 'registry/docker/registry/v2/blobs/x');
    mkdirSync(path.dirname(blob), { recursive: true });
    writeFileSync(blob, 'layer');
    chownSync(path.join(ws.dataDir, 'registry'), 1234, 1234);
    chownSync(blob, 1234, 1234);
    const r = await prepare();
    expect(r.code, r.stderr).toBe(0);
    const own = (p: string) => {
      const st = statSync(path.join(ws.dataDir, p));
      return `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
    };
    expect(own('registry')).toBe('755 10000:10000');
    expect(own('registry/docker/registry/v2/blobs/x')).toMatch(/ 10000:10000$/);
    expect(own('database')).toBe('700 999:999');
    expect(own('redis')).toBe('755 999:999');
    expect(own('job_logs')).toBe('755 10000:10000');
    expect(own('ca_download')).toBe('755 10000:10000');
    expect(own('secret/keys/secretkey')).toBe('600 10000:10000');
    expect(own('secret/core/private_key.pem')).toBe('600 10000:10000');
    expect(own('secret/registry/root.crt')).toBe('600 10000:10000');
    expect(own('secret/cert/server.key')).toBe('600 10000:10000');
    const inst = (p: string) => {
      const st = statSync(path.join(ws.installDir, p));
      return `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
    };
    expect(inst('docker-compose.yml')).toBe('644 0:0');
    expect(inst('common/config/core/env')).toBe('640 0:0');
    expect(inst('common/config/core/app.conf')).toBe('640 10000:10000');
    expect(inst('common/config/registry/passwd')).toBe('644 0:0');
    expect(inst('common/config/nginx/nginx.conf')).toBe('640 10000:10000');
  });

  it('finds ./harbor.yml by default and reports a missing config clearly', async () => {
    const r = await regctlInProcess(['prepare', '--install-dir', ws.installDir], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    const none = await regctlInProcess(['prepare'], { cwd: ws.certDir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no harbor\.yml or harbor\.cfg in/);
    expect(none.stderr).toMatch(/fix: /);
  });
});

describe('regctl prepare: a failure mid-write leaves the previous tree as it was', () => {
  for (const n of [1, 2, 5]) {
    it(`an error after ${n} renames is rolled back in-process`, async () => {
      expect((await prepare()).code).toBe(0);
      const before = both();
      setConfig({ 'jobservice.max_job_workers': 3, 'log.level': 'debug', 'http.port': 8080 });
      const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir], { env: { REGCTL_FAULT_INJECT: `throw-after-renames:${n}` } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/E_APPLY_FAILED/);
      expect(changedPaths(before, both())).toEqual([]);
    });

    it(`kill -9 after ${n} renames is rolled back by the next run`, async () => {
      expect((await prepare()).code).toBe(0);
      const before = both();
      setConfig({ 'jobservice.max_job_workers': 3, 'log.level': 'debug', 'http.port': 8080 });
      // a child process: the fault kills the process it runs in
      const killed = await regctl(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir], { env: { REGCTL_FAULT_INJECT: `kill-after-renames:${n}` } });
      expect(killed.signal).toBe('SIGKILL');
      expect(existsSync(path.join(ws.installDir, '.regctl/journal.json'))).toBe(true);
      // a dry run refuses to plan over a half-written tree
      expect((await prepare('--dry-run')).stderr).toMatch(/E_INTERRUPTED/);
      // the next real run (with the old config) restores every old file, then has nothing to do
      setConfig({});
      const next = await prepare();
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).toMatch(/W_RECOVERED/);
      expect(next.stdout).toMatch(/nothing to change/);
      const after = both();
      expect(changedPaths(before, after)).toEqual([]);
      expect(existsSync(path.join(ws.installDir, '.regctl/journal.json'))).toBe(false);
    });
  }
});

describe('regctl prepare: what Docker leaves in the tree', () => {
  it("keeps the data_volume root traversable (0755), and leaves dockerd's nested mount point alone", async () => {
    ws = makeWorkspace();
    expect((await prepare()).code).toBe(0);
    expect(statSync(ws.dataDir).mode & 0o777).toBe(0o755);
    // what dockerd does for the root.crt bind inside the bound common/config/registry/ dir
    writeFileSync(path.join(ws.installDir, 'common/config/registry/root.crt'), '');
    const before = both();
    const r = await prepare();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nothing to change/);
    expect(changedPaths(before, both())).toEqual([]);
    ws.cleanup();
  });
});
