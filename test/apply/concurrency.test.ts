/**
 * Runs that collide on one install dir and data_volume: one holds the run lock, the others wait
 * (default) or give up at once (--lock-wait 0, exit 1 naming the holder). Before the lock, three
 * prepares at once mixed configs (core/env with one database password, db/env with another),
 * deleted files and replaced each other's secretkey.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleYaml, makeWorkspace } from '../helpers/workspace.js';
import { jsonResult, regctl } from '../helpers/cli.js';
import { lockPath } from '../../src/util/run-lock.js';
import { describeWithDocker } from '../e2e/helpers/engine.js';

const ws = makeWorkspace();
afterAll(() => ws.cleanup());

/** Three configs for the same tree, differing in the database password. */
const configs = ['alpha', 'bravo', 'charlie'].map((name) => {
  const file = path.join(ws.dir, `harbor-${name}.yml`);
  writeFileSync(file, exampleYaml({ data_volume: ws.dataDir, 'log.local.location': path.join(ws.dir, 'log'), 'database.password': `pw-${name}-1234` }));
  return { name, file, password: `pw-${name}-1234` };
});

const envValue = (file: string, key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(readFileSync(path.join(ws.installDir, file), 'utf8'))?.[1];

/** The tree is one config's whole tree: every file there, and every file naming the same password. */
function assertOneConfigsTree(): string {
  for (const f of ['docker-compose.yml', 'common/config/jobservice/config.yml', 'common/config/core/env', 'common/config/db/env', 'common/config/registry/config.yml']) {
    expect(existsSync(path.join(ws.installDir, f)), f).toBe(true);
  }
  const inCore = envValue('common/config/core/env', 'POSTGRESQL_PASSWORD');
  const inDb = envValue('common/config/db/env', 'POSTGRES_PASSWORD');
  expect(inCore).toBe(inDb);
  expect(configs.map((c) => c.password)).toContain(inCore);
  expect(existsSync(path.join(ws.installDir, '.regctl'))).toBe(false);
  return inCore!;
}

const prepare = (file: string, ...extra: string[]) => regctl(['prepare', '--config', file, '--install-dir', ws.installDir, ...extra]);

describe('concurrent prepares on one tree', () => {
  it('with --lock-wait 0: exactly one wins each round, the others exit 1 naming the lock and its holder', async () => {
    let secretKey: string | undefined;
    let lost = 0;
    for (let round = 0; round < 4; round++) {
      const runs = await Promise.all(configs.map((c) => prepare(c.file, '--lock-wait', '0')));
      const winners = runs.filter((r) => r.code === 0);
      const losers = runs.filter((r) => r.code !== 0);
      expect(winners.length, runs.map((r) => r.stderr).join('\n')).toBeGreaterThanOrEqual(1);
      lost += losers.length;
      for (const l of losers) {
        expect(l.code).toBe(1);
        expect(l.stderr).toMatch(/another regctl run \(pid \d+, since .+\) holds the lock on .+\[E_LOCKED\]/);
      }
      // a run that starts after the winner finished also wins: at least one, never a mixed tree
      assertOneConfigsTree();
      const key = readFileSync(path.join(ws.dataDir, 'secret', 'keys', 'secretkey'), 'utf8');
      if (secretKey) expect(key).toBe(secretKey);
      secretKey = key;
    }
    // three runs started together overlap: some must have lost (without the lock, all "win")
    expect(lost).toBeGreaterThan(0);
  });

  it('a run held by another process: --lock-wait 0 fails naming its pid; a wait long enough succeeds once it is released', async () => {
    const held = await lockPath(ws.installDir, 'test: holding the install dir');
    try {
      const refused = await prepare(configs[0]!.file, '--lock-wait', '0', '--json');
      expect(refused.code).toBe(1);
      expect(jsonResult(refused.stdout).error).toMatchObject({ code: 'E_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) });
      const waiting = prepare(configs[0]!.file, '--lock-wait', '20');
      await new Promise((r) => setTimeout(r, 1500));
      await held();
      const r = await waiting;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr + r.stdout).toContain(`waiting for regctl pid ${process.pid} (test: holding the install dir`);
    } finally {
      await held();
    }
  });

  it('a lock left by a killed run is taken over at once', async () => {
    expect((await prepare(configs[1]!.file, '--lock-wait', '0')).code).toBe(0);
    // another password: files change, so the fault hook has renames to kill in
    const killed = await regctl(['prepare', '--config', configs[2]!.file, '--install-dir', ws.installDir], { env: { REGCTL_FAULT_INJECT: 'kill-after-renames:1' } });
    expect(killed.signal).toBe('SIGKILL');
    const next = await prepare(configs[1]!.file, '--lock-wait', '0');
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/W_RECOVERED/);
  });

  it('by default: the others wait their turn, all succeed, and the tree is the last one\'s', async () => {
    // held for a moment first, so all three start while it is taken and must queue
    const held = await lockPath(ws.dataDir, 'test: holding data_volume');
    const pending = Promise.all(configs.map((c) => prepare(c.file, '--json')));
    await new Promise((r) => setTimeout(r, 1500));
    await held();
    const runs = await pending;
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0]);
    expect(runs.some((r) => /waiting for regctl pid \d+/.test(r.stderr))).toBe(true);
    const finalPassword = assertOneConfigsTree();
    // the last to write decided the tree; a fresh run with its config changes nothing
    const last = configs.find((c) => c.password === finalPassword)!;
    const again = await prepare(last.file, '--dry-run');
    expect(again.stdout).toMatch(/plan: 0 to create, 0 to change, 0 to remove/);
  });

  it('a --dry-run waits for a writer too, so it never reads a half-swapped tree', async () => {
    const [write, dry] = await Promise.all([prepare(configs[0]!.file), prepare(configs[1]!.file, '--dry-run', '--lock-wait', '30')]);
    expect([write.code, dry.code]).toEqual([0, 0]);
    expect(dry.stderr + dry.stdout).not.toMatch(/E_INTERRUPTED/);
  });
});

describeWithDocker('down against a run that holds the lock', () => {
  it('with --lock-wait 0 it is refused naming the holder and stops nothing; with a wait it runs once the lock is released', async () => {
    expect((await prepare(configs[0]!.file, '--lock-wait', '0')).code).toBe(0);
    const down = (...extra: string[]) => regctl(['down', '--config', configs[0]!.file, '--install-dir', ws.installDir, ...extra]);
    const held = await lockPath(ws.installDir, 'test: an install of this dir');
    try {
      const refused = await down('--lock-wait', '0', '--json');
      expect(refused.code, refused.stderr).toBe(1);
      expect(jsonResult(refused.stdout).error).toMatchObject({ code: 'E_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) });
      const waiting = down('--lock-wait', '20');
      await new Promise((r) => setTimeout(r, 1500));
      await held();
      const r = await waiting;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toContain(`waiting for regctl pid ${process.pid} (test: an install of this dir`);
      expect(r.stdout).toMatch(/nothing to stop: compose project \S+ has no containers/);
    } finally {
      await held();
    }
  });
});
