/**
 * data_volume/secret/cert belongs to uid 10000 and is mounted read-write into the proxy container:
 * whatever runs there can put a symlink to /etc/shadow, a FIFO or a link to /dev/zero where
 * regctl's server.crt copy was. Each is planted here by uid 10000 itself (setpriv), then root's
 * prepare --diff and prepare run: nothing is followed or read, nothing hangs, the link or special
 * file is reported and replaced by regctl's own file. Operator-named files (the config, https
 * certificate, --ca) that are FIFOs or devices are refused with exit 2 instead of hanging.
 */
import { chmodSync, existsSync, lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';
import { regctl, jsonResult } from '../helpers/cli.js';

const ws = makeWorkspace();
afterAll(() => ws.cleanup());
const certCopy = path.join(ws.dataDir, 'secret', 'cert', 'server.crt');
const shadowLine = readFileSync('/etc/shadow', 'utf8').split('\n')[0]!;
const prepare = (...extra: string[]) => regctl(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir, '--lock-wait', '0', ...extra], { timeoutMs: 60_000 });

/** Runs a shell command as uid/gid 10000, the user of Harbor's containers, with F set to the file. */
const asHarborUser = (script: string) => execa('setpriv', ['--reuid=10000', '--regid=10000', '--clear-groups', 'sh', '-c', script], { env: { F: certCopy } });

beforeAll(async () => {
  await seedTokenKeyPair(ws.dataDir); // the suite's token pair, kept by prepare: no RSA-4096 generation here
  // uid 10000 must reach data_volume, as it does on a host (temp dirs are made 0700)
  chmodSync(ws.dir, 0o755);
  const first = await prepare();
  expect(first.code, first.stderr).toBe(0);
  expect(lstatSync(path.dirname(certCopy)).uid).toBe(10000);
});

const plants: [string, string][] = [
  ['a symbolic link to /etc/shadow', `rm -f "$F" && ln -s /etc/shadow "$F"`],
  ['a FIFO', `rm -f "$F" && mkfifo "$F"`],
  ['a symbolic link to /dev/zero', `rm -f "$F" && ln -s /dev/zero "$F"`],
];

describe.each(plants)('server.crt replaced by uid 10000 with %s', (what, script) => {
  it('--diff neither follows, reads nor hangs, and warns; prepare replaces it with its own copy', async () => {
    await asHarborUser(script);
    expect(lstatSync(certCopy).isFile() && !lstatSync(certCopy).isSymbolicLink(), `planted ${what}`).toBe(false);
    const diff = await prepare('--diff', '--json');
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout + diff.stderr).not.toContain(shadowLine.split(':')[0] + ':' + shadowLine.split(':')[1]);
    const findings = jsonResult(diff.stdout).findings.filter((f) => f.code === 'W_UNSAFE_FILE_REPLACED');
    expect(findings.map((f) => f.message).join('\n')).toContain('secret/cert/server.crt was a');

    const run = await prepare();
    expect(run.code, run.stderr).toBe(0);
    const st = lstatSync(certCopy);
    expect(st.isFile() && !st.isSymbolicLink()).toBe(true);
    expect(readFileSync(certCopy, 'utf8')).toBe(readFileSync(path.join(ws.certDir, 'registry.crt'), 'utf8'));
    // /etc/shadow and /dev/zero are untouched: the link itself was moved aside, not written through
    expect(lstatSync('/etc/shadow').isFile()).toBe(true);
  });
});

describe('operator-named files that are not regular files', () => {
  it('a FIFO as the config exits 2 at once naming it', async () => {
    const fifo = path.join(ws.dir, 'harbor-fifo.yml');
    await execa('mkfifo', [fifo]);
    const r = await regctl(['prepare', '--config', fifo, '--install-dir', ws.installDir, '--json'], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error).toMatchObject({ code: 'E_NOT_REGULAR_FILE', message: expect.stringContaining('is a FIFO') });
  });

  it('a config over the size cap exits 2 without reading it whole', async () => {
    const big = path.join(ws.dir, 'harbor-big.yml');
    writeFileSync(big, `${readFileSync(ws.configPath, 'utf8')}\n# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const r = await regctl(['prepare', '--config', big, '--install-dir', ws.installDir, '--json']);
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_FILE_TOO_BIG');
  });

  it('a link to /dev/zero as https.certificate exits 2 (validation refuses the device)', async () => {
    const zero = path.join(ws.dir, 'zero.crt');
    symlinkSync('/dev/zero', zero);
    const cfg = path.join(ws.dir, 'harbor-zero.yml');
    writeFileSync(cfg, readFileSync(ws.configPath, 'utf8').replace(/certificate: .*/, `certificate: ${zero}`));
    const r = await regctl(['prepare', '--config', cfg, '--install-dir', ws.installDir, '--json'], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(readlinkSync(zero)).toBe('/dev/zero');
  });

  it('a FIFO as cert trust --ca exits 2 at once', async () => {
    const fifo = path.join(ws.dir, 'ca-fifo.crt');
    await execa('mkfifo', [fifo]);
    const root = path.join(ws.dir, 'trust-root');
    await execa('mkdir', ['-p', root]);
    const r = await regctl(['cert', 'trust', '--ca', fifo, '--registry', 'reg.example.com', '--root', root, '--json'], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_NOT_REGULAR_FILE');
    expect(existsSync(path.join(root, 'etc'))).toBe(false);
  });
});

