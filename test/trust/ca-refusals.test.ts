/**
 * cert trust refuses a CA clients cannot use (exit 2, dates named, nothing written) unless
 * --force: expired, not yet valid, or without keyCertSign. Before, all three installed with exit 0.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createCa } from '../../src/cert/ca.js';
import { jsonResult, regctlInProcess } from '../helpers/cli.js';
import { tempDirSync } from '../helpers/tmp.js';

const dir = tempDirSync('regctl-ca-refusals');
const DAY = 86_400_000;

async function caFile(name: string, make: () => Promise<string>): Promise<string> {
  const file = path.join(dir, `${name}.crt`);
  writeFileSync(file, await make());
  return file;
}

const cases: [string, () => Promise<string>, RegExp, string][] = [
  ['expired', async () => (await createCa({ commonName: 'old CA', keyType: 'ecdsa-p256', days: 10, now: new Date(Date.now() - 400 * DAY) })).certPem, /expired on \d{4}-\d\d-\d\dT/, 'E_TRUST_CA_EXPIRED'],
  ['not yet valid', async () => (await createCa({ commonName: 'future CA', keyType: 'ecdsa-p256', days: 3650, now: new Date(Date.now() + 30 * DAY) })).certPem, /not valid before \d{4}-/, 'E_TRUST_CA_NOT_YET_VALID'],
  [
    'without keyCertSign',
    async () => {
      const key = path.join(dir, 'nosign.key');
      const crt = path.join(dir, 'nosign-openssl.crt');
      await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', crt, '-days', '30', '-subj', '/CN=no keyCertSign CA',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature']);
      return (await import('node:fs/promises')).readFile(crt, 'utf8');
    },
    /without keyCertSign/,
    'E_TRUST_CA_NO_KEYCERTSIGN',
  ],
];

describe.each(cases)('cert trust with a CA %s', (name, make, message, code) => {
  it('exits 2 naming why and writes nothing; --force installs it with a warning', async () => {
    const ca = await caFile(name.replace(/ /g, '-'), make);
    const root = path.join(dir, `root-${name.replace(/ /g, '-')}`);
    mkdirSync(root);
    const r = await regctlInProcess(['cert', 'trust', '--ca', ca, '--registry', 'reg.example.com', '--root', root, '--json']);
    expect(r.code, r.stderr).toBe(2);
    const env = jsonResult(r.stdout);
    expect(env.error?.code).toBe(code);
    expect(env.error?.message).toMatch(message);
    expect(env.error?.fix).toContain('--force');
    expect(readdirSync(root)).toEqual([]);

    const forced = await regctlInProcess(['cert', 'trust', '--ca', ca, '--registry', 'reg.example.com', '--root', root, '--force', '--targets', 'docker', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(jsonResult(forced.stdout).findings.map((f) => f.message).join('\n')).toMatch(/installed anyway \(--force\)/);
    expect(readdirSync(path.join(root, 'etc/docker/certs.d/reg.example.com'))).toEqual(['ca.crt']);
  });
});

it('a valid CA is installed without --force (control)', async () => {
  const ca = await caFile('good', async () => (await createCa({ commonName: 'good CA', keyType: 'ecdsa-p256' })).certPem);
  const root = path.join(dir, 'root-good');
  mkdirSync(root);
  const r = await regctlInProcess(['cert', 'trust', '--ca', ca, '--registry', 'reg.example.com', '--root', root, '--targets', 'docker']);
  expect(r.code, r.stderr).toBe(0);
});
