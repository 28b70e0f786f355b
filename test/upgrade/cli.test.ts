/**
 * regctl upgrade --plan through the in-process CLI on an install prepared for 2.13.5: the
 * recorded release and the cluster in data_volume decide the plan, every block has its exit code,
 * and --plan leaves the workspace byte-identical.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { regctlInProcess, jsonResult } from '../helpers/cli.js';
import { makeWorkspace, type Workspace } from '../helpers/workspace.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';
import { snapshot } from '../helpers/tree.js';
import { INSTALLATION_RECORD } from '../../src/installation/record.js';

async function prepared(edits: Record<string, unknown> = {}): Promise<Workspace> {
  // the example is written for the 2.15 line: drop its 2.15-only keys for 2.13.5
  const ws = makeWorkspace({ _version: '2.13.0', 'trivy.db_repository': undefined, 'trivy.java_db_repository': undefined, ...edits });
  await seedTokenKeyPair(ws.dataDir);
  const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir, '--harbor-version', '2.13.5']);
  expect(r.code, r.stderr).toBe(0);
  return ws;
}

function cluster(ws: Workspace, dir: string, version: string): void {
  mkdirSync(path.join(ws.dataDir, 'database', dir), { recursive: true });
  writeFileSync(path.join(ws.dataDir, 'database', dir, 'PG_VERSION'), `${version}\n`);
}

let ws: Workspace;
beforeAll(async () => {
  ws = await prepared();
});
afterAll(() => ws.cleanup());
beforeEach(() => rmSync(path.join(ws.dataDir, 'database'), { recursive: true, force: true }));

const plan = (...extra: string[]) => regctlInProcess(['upgrade', '--config', ws.configPath, '--install-dir', ws.installDir, ...extra]);

describe('regctl upgrade --plan', () => {
  it('2.13.5 on pg15 -> 2.15.2: one hop over PostgreSQL 15 -> 18, and nothing in the workspace changes', async () => {
    cluster(ws, 'pg15', '15');
    const before = snapshot(ws.dir);
    const r = await plan('--to', '2.15.2', '--plan', '--json');
    expect(r.code, r.stdout).toBe(0);
    const env = jsonResult(r.stdout);
    expect(env).toMatchObject({ command: 'upgrade', ok: true, exitCode: 0 });
    expect(env.data).toEqual({ from: '2.13.5', to: '2.15.2', hops: [{ version: '2.15.2', postgres: 18, renderable: true }], blocked: null, database: { kind: 'cluster', postgres: 15 } });
    expect(env.findings.map((f) => f.code)).not.toContain('W_UPGRADE_NO_DATABASE');
    const text = await plan('--to', '2.15.2', '--plan');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('upgrade plan: Harbor 2.13.5 -> 2.15.2');
    expect(text.stdout).toContain('1. Harbor 2.15.2  PostgreSQL 15 -> 18 on first start');
    expect(text.stdout).toContain('nothing was changed');
    expect(snapshot(ws.dir)).toEqual(before);
  });

  it('a hop through a release regctl cannot render (2.15.1) is refused before anything runs: exit 1, the workspace unchanged', async () => {
    cluster(ws, 'pg15', '15');
    const before = snapshot(ws.dir);
    const r = await plan('--to', '2.15.1', '--yes', '--json');
    expect(r.code, r.stdout).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error?.code).toBe('E_UPGRADE_NOT_RENDERABLE');
    expect(env.error?.message).toContain('2.15.1');
    expect(snapshot(ws.dir)).toEqual(before);
  });

  it('an empty data_volume plans from the cluster 2.13.5 creates, with a warning', async () => {
    const r = await plan('--to', '2.15.2', '--plan', '--json');
    expect(r.code).toBe(0);
    const env = jsonResult(r.stdout);
    expect(env.data.hops.map((h: { version: string }) => h.version)).toEqual(['2.15.2']);
    expect(env.data.database).toEqual({ kind: 'empty' });
    expect(env.findings.find((f) => f.code === 'W_UPGRADE_NO_DATABASE')?.message).toContain('PostgreSQL 15');
  });

  it.each([
    ['the 9.6 layout', () => writeFileSync((mkdirSync(path.join(ws.dataDir, 'database'), { recursive: true }), path.join(ws.dataDir, 'database', 'PG_VERSION')), '9.6\n'), 'E_UPGRADE_PG96_LAYOUT'],
    ['two pgNN clusters', () => (cluster(ws, 'pg14', '14'), cluster(ws, 'pg15', '15')), 'E_UPGRADE_PG_CLUSTERS'],
    ['a pg13 cluster no hop from 2.13.5 starts on', () => cluster(ws, 'pg13', '13'), 'E_UPGRADE_NO_PATH'],
  ])('%s is blocked with a reason and a fix, exit 1, nothing changed', async (_name, setup, code) => {
    setup();
    const before = snapshot(ws.dir);
    const r = await plan('--to', '2.15.2', '--plan', '--json');
    expect(r.code, r.stdout).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error?.code).toBe(code);
    expect(env.data.blocked).toMatchObject({ code });
    expect(env.data.blocked.fix).toBeTruthy();
    expect(env.data.hops).toEqual([]);
    expect(snapshot(ws.dir)).toEqual(before);
  });

  it.each([
    ['2.13.5', 'E_UPGRADE_SAME_VERSION'],
    ['2.8.6', 'E_UPGRADE_DOWNGRADE'],
    ['2.13.4', 'E_UPGRADE_UNKNOWN_TARGET'],
  ])('--to %s is blocked as invalid input (exit 2)', async (to, code) => {
    cluster(ws, 'pg15', '15');
    const r = await plan('--to', to, '--plan', '--json');
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).data.blocked.code).toBe(code);
  });

  it('--to that is not X.Y.Z is a usage error (exit 2)', async () => {
    const r = await plan('--to', 'latest', '--plan', '--json');
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error).toMatchObject({ code: 'E_USAGE', key: '--to' });
  });

  it('without --plan and without --yes exits 2, changes nothing, and says to look at --plan first', async () => {
    const before = snapshot(ws.dir);
    const r = await plan('--to', '2.15.2', '--json');
    expect(r.code).toBe(2);
    const env = jsonResult(r.stdout);
    expect(env.error?.code).toBe('E_CONFIRM');
    expect(env.error?.fix).toContain('--plan');
    expect(snapshot(ws.dir)).toEqual(before);
  });
});

describe('regctl upgrade --plan: other installs', () => {
  it('refuses an install dir without the installation record (exit 2), naming prepare --harbor-version', async () => {
    const bare = makeWorkspace();
    try {
      const r = await regctlInProcess(['upgrade', '--config', bare.configPath, '--install-dir', bare.installDir, '--to', '2.15.2', '--plan', '--json']);
      expect(r.code).toBe(2);
      const env = jsonResult(r.stdout);
      expect(env.error?.code).toBe('E_UPGRADE_NO_RECORD');
      expect(env.error?.message).toContain(INSTALLATION_RECORD);
      expect(env.error?.fix).toContain('--harbor-version');
    } finally {
      bare.cleanup();
    }
  });

  it('an external database puts no PostgreSQL constraint on the plan', async () => {
    const ext = await prepared({ external_database: { harbor: { host: 'db', port: 5432, db_name: 'registry', username: 'u', password: 'p', ssl_mode: 'disable' } } });
    try {
      cluster(ext, 'pg13', '13'); // not the database Harbor uses: ignored
      const r = await regctlInProcess(['upgrade', '--config', ext.configPath, '--install-dir', ext.installDir, '--to', '2.15.2', '--plan', '--json']);
      expect(r.code, r.stdout).toBe(0);
      expect(jsonResult(r.stdout).data).toMatchObject({ hops: [{ version: '2.15.2', postgres: null, renderable: true }], blocked: null, database: { kind: 'external' } });
    } finally {
      ext.cleanup();
    }
  });
});
