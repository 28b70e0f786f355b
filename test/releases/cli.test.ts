/**
 * The 2.8 line through the CLI: a 2.8 harbor.yml loads (with its external_database notary blocks),
 * a 2.15 one is refused key by key, --with-notary is refused before anything is written where it
 * cannot work (a line without Notary, http, an external database without the notary blocks), and a
 * --with-notary install keeps its signer material across runs and never shows it.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { regctl } from '../helpers/cli.js';
import { changedPaths, snapshot, type FileState } from '../helpers/tree.js';
import { exampleYaml, HARBOR_YML_V28_EDITS, makeWorkspace, type Workspace, type YamlEdits } from '../helpers/workspace.js';

let ws: Workspace;
beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => ws.cleanup());

const v28 = HARBOR_YML_V28_EDITS;
const extDb: YamlEdits = {
  database: undefined,
  external_database: {
    harbor: { host: 'db.example.com', port: 5432, db_name: 'registry', username: 'harbor', password: 'h#pw', ssl_mode: 'disable' },
    notary_signer: { host: 'db.example.com', port: 5432, db_name: 'notarysigner', username: 'signer', password: 'sig#pw', ssl_mode: 'disable' },
    notary_server: { host: 'db.example.com', port: 5432, db_name: 'notaryserver', username: 'server', password: 'srv@pw', ssl_mode: 'disable' },
  },
};
const write = (edits: YamlEdits) => writeFileSync(ws.configPath, exampleYaml({ data_volume: ws.dataDir, 'log.local.location': path.join(ws.dir, 'log'), ...edits }));
const run = (cmd: string, ...extra: string[]) => regctl([cmd, '--config', ws.configPath, '--install-dir', ws.installDir, ...extra], { timeoutMs: 120_000 });
const tree = (): Map<string, FileState> =>
  new Map([
    ...[...snapshot(ws.installDir)].map(([k, v]): [string, FileState] => [`install:${k}`, v]),
    ...[...snapshot(ws.dataDir)].map(([k, v]): [string, FileState] => [`data:${k}`, v]),
  ]);
const nothingWritten = () => {
  expect(existsSync(path.join(ws.installDir, 'docker-compose.yml'))).toBe(false);
  expect(existsSync(path.join(ws.dataDir, 'secret'))).toBe(false);
};

describe('the 2.8 line through the CLI', () => {
  it('a 2.8 harbor.yml (_version 2.8.0, external_database with both notary blocks) renders with --harbor-version 2.8.6 --with-notary', async () => {
    write({ ...v28, ...extDb });
    const r = await run('prepare', '--harbor-version', '2.8.6', '--with-notary');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/W_VERSION|E_KEY/);
    const env = readFileSync(path.join(ws.installDir, 'common/config/notary/signer_env'), 'utf8');
    expect(env).toMatch(/^DB_URL=postgres:\/\/signer:sig%23pw@db\.example\.com:5432\/notarysigner\?sslmode=disable$/m);
    expect(readFileSync(path.join(ws.installDir, 'docker-compose.yml'), 'utf8')).toMatch(/notary-server-photon:v2\.8\.6/);
    expect(JSON.parse(readFileSync(path.join(ws.installDir, 'common/config/regctl/installation.json'), 'utf8'))).toMatchObject({ harborVersion: 'v2.8.6', withNotary: true });
  }, 120_000);

  it('a 2.15 harbor.yml on 2.8.6: every key 2.8 does not read is an error naming the release that brought it (exit 2, nothing written)', async () => {
    write({});
    const r = await run('prepare', '--harbor-version', '2.8.6');
    expect(r.code).toBe(2);
    for (const k of ['jobservice.job_loggers', 'jobservice.max_job_duration_hours', 'trivy.db_repository', 'trivy.skip_java_db_update'])
      expect(r.stderr).toMatch(new RegExp(`'${k.replace('.', '\\.')}' came with Harbor v2\\.\\d+\\.0; the 2\\.8 line`));
    expect(r.stderr).toMatch(/E_KEY_NOT_IN_RELEASE/);
    nothingWritten();
  });

  it('2.15 --with-notary (prepare and install): refused before anything is written, naming v2.9.0 and offering --harbor-version 2.8.6', async () => {
    write({});
    for (const cmd of ['prepare', 'install']) {
      const r = await run(cmd, '--with-notary');
      expect([cmd, r.code]).toEqual([cmd, 2]);
      expect(r.stderr).toMatch(/E_NOTARY_REMOVED/);
      expect(r.stderr).toMatch(/removed in v2\.9\.0/);
      expect(r.stderr).toMatch(/--harbor-version 2\.8\.6/);
      nothingWritten();
    }
  });

  it('http --with-notary on 2.8.6 (prepare and install): refused, nothing written', async () => {
    write({ ...v28, https: undefined });
    for (const cmd of ['prepare', 'install']) {
      const r = await run(cmd, '--harbor-version', '2.8.6', '--with-notary');
      expect([cmd, r.code]).toEqual([cmd, 2]);
      expect(r.stderr).toMatch(/E_NOTARY_NEEDS_HTTPS/);
      nothingWritten();
    }
  });

  it('--with-notary with an external database but no notary blocks: exit 2 naming the missing blocks (Harbor: KeyError)', async () => {
    const harborOnly = (extDb.external_database as Record<string, unknown>).harbor;
    write({ ...v28, ...extDb, external_database: { harbor: harborOnly } });
    const r = await run('prepare', '--harbor-version', '2.8.6', '--with-notary');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_NOTARY_DATABASE/);
    expect(r.stderr).toMatch(/external_database\.notary_signer and external_database\.notary_server/);
    nothingWritten();
    write({ ...v28, ...extDb, external_database: { harbor: harborOnly, notary_signer: (extDb.external_database as Record<string, unknown>).notary_signer } });
    const one = await run('prepare', '--harbor-version', '2.8.6', '--with-notary');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/needs external_database\.notary_server:/);
  });

  it('a second --with-notary run changes nothing (alias and signer pair kept); --diff never shows the alias; dropping --with-notary removes the hooks', async () => {
    write(v28);
    const first = await run('prepare', '--harbor-version', '2.8.6', '--with-notary');
    expect(first.code, first.stderr).toBe(0);
    const alias = readFileSync(path.join(ws.dataDir, 'secret/keys/defaultalias'), 'utf8');
    expect(alias).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(first.stdout).not.toContain(alias);
    const before = tree();
    const second = await run('prepare', '--with-notary');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/nothing to change/);
    expect(changedPaths(before, tree())).toEqual([]);
    write({ ...v28, hostname: 'reg2.example.com' });
    const diff = await run('prepare', '--with-notary', '--diff');
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/reg2\.example\.com/);
    expect(diff.stdout).not.toContain(alias);
    const off = await run('prepare');
    expect(off.code, off.stderr).toBe(0);
    expect(existsSync(path.join(ws.installDir, 'common/config/nginx/conf.d/notary.server.conf'))).toBe(false);
    expect(existsSync(path.join(ws.installDir, 'common/config/notary'))).toBe(false);
    // the signer material stays in data_volume, as Harbor leaves it
    expect(readFileSync(path.join(ws.dataDir, 'secret/keys/defaultalias'), 'utf8')).toBe(alias);
  }, 180_000);
});
