/**
 * What interrupted runs leave: a staging dir (a kill before the commit point: env files with
 * passwords, server.key) is removed by the next run; a journal whose roots are not this tree's
 * (the install dir was moved or copied mid-write) is refused instead of replayed on the old place.
 */
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleYaml, makeWorkspace } from '../helpers/workspace.js';
import { jsonResult, regctl, regctlInProcess } from '../helpers/cli.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';

const ws = makeWorkspace();
// the suite's token pair, kept by prepare: no RSA-4096 generation here
beforeAll(() => seedTokenKeyPair(ws.dataDir));
afterAll(() => ws.cleanup());
/** In-process, except with a fault injected: those kill the process they run in. */
const prepare = (env?: NodeJS.ProcessEnv, installDir = ws.installDir, extra: string[] = []) =>
  (env ? regctl : regctlInProcess)(['prepare', '--config', ws.configPath, '--install-dir', installDir, '--json', ...extra], { env });
const setPassword = (pw: string) => writeFileSync(ws.configPath, exampleYaml({ data_volume: ws.dataDir, 'log.local.location': path.join(ws.dir, 'log'), 'database.password': pw }));

describe('leftovers of interrupted runs', () => {
  it('a kill before the commit point leaves a private staging dir, which the next run removes', async () => {
    setPassword('first-pw-1');
    expect((await prepare()).code).toBe(0);
    setPassword('second-pw-2');
    const killed = await prepare({ REGCTL_FAULT_INJECT: 'kill-after-stage' });
    expect(killed.signal).toBe('SIGKILL');
    const staging = path.join(ws.installDir, '.regctl-staging');
    const [txid] = readdirSync(staging);
    expect(statSync(path.join(staging, txid!)).mode & 0o777).toBe(0o700);
    expect(statSync(staging).mode & 0o077).toBe(0);

    const next = await prepare();
    expect(next.code, next.stderr).toBe(0);
    expect(jsonResult(next.stdout).findings.map((f) => f.code)).toContain('N_STALE_STAGING_REMOVED');
    expect(existsSync(staging)).toBe(false);
    expect(existsSync(path.join(ws.dataDir, '.regctl-staging'))).toBe(false);
    expect(readFileSync(path.join(ws.installDir, 'common/config/db/env'), 'utf8')).toContain('POSTGRES_PASSWORD=second-pw-2');
  });

  it('a journal copied along with the install dir is refused, and the original tree is not touched', async () => {
    setPassword('third-pw-3');
    const killed = await prepare({ REGCTL_FAULT_INJECT: 'kill-after-renames:1' });
    expect(killed.signal).toBe('SIGKILL');
    const copy = path.join(ws.dir, 'install-copy');
    cpSync(ws.installDir, copy, { recursive: true });
    const before = readFileSync(path.join(ws.installDir, 'common/config/db/env'), 'utf8');
    const r = await prepare(undefined, copy);
    expect(r.code).toBe(1);
    expect(jsonResult(r.stdout).error).toMatchObject({ code: 'E_JOURNAL_ROOTS', message: expect.stringContaining('moved or copied mid-write') });
    expect(readFileSync(path.join(ws.installDir, 'common/config/db/env'), 'utf8')).toBe(before);
    // the original location recovers normally
    const ok = await prepare();
    expect(ok.code, ok.stderr).toBe(0);
    expect(jsonResult(ok.stdout).findings.map((f) => f.code)).toContain('W_RECOVERED');
  });

  it('a rollback leaves no empty .regctl/ state dir behind', async () => {
    setPassword('fourth-pw-4');
    const failed = await prepare({ REGCTL_FAULT_INJECT: 'throw-after-renames:2' });
    expect(failed.code).toBe(1);
    expect(jsonResult(failed.stdout).error?.code).toBe('E_APPLY_FAILED');
    expect(existsSync(path.join(ws.installDir, '.regctl'))).toBe(false);
    expect(existsSync(path.join(ws.installDir, '.regctl-staging'))).toBe(false);
    expect(readFileSync(path.join(ws.installDir, 'common/config/db/env'), 'utf8')).toContain('POSTGRES_PASSWORD=third-pw-3');
  });

  it('turning trivy off removes its files and the directory they leave empty (a stray file there too: the tree is managed)', async () => {
    expect((await prepare(undefined, ws.installDir, ['--with-trivy'])).code).toBe(0);
    const trivyDir = path.join(ws.installDir, 'common/config/trivy-adapter');
    expect(readdirSync(trivyDir).length).toBeGreaterThan(0);
    const off = await prepare();
    expect(off.code, off.stderr).toBe(0);
    expect(existsSync(trivyDir)).toBe(false);

    expect((await prepare(undefined, ws.installDir, ['--with-trivy'])).code).toBe(0);
    writeFileSync(path.join(ws.installDir, 'common/config/trivy-adapter/operator-notes.txt'), 'mine\n');
    expect((await prepare()).code).toBe(0);
    // a stray file in a managed tree is removed like any file regctl no longer renders
    expect(existsSync(trivyDir)).toBe(false);
  });
});
