/**
 * regctl doctor --profile registry: the checks of the plain registry profile against a real
 * registry.yml, real files, an openssl-made certificate, a real listener on the port and the
 * real Docker engine (the engine and compose checks need it).
 */
import { createServer } from 'node:net';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { regctl, jsonResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { describeWithDocker } from '../e2e/helpers/engine.js';
import { freePort, issueCertificates } from '../e2e/helpers/workspace.js';

interface Check {
  check: string;
  status: string;
  detail: string;
  fix: string;
}

/** registry.yml with a certificate from a CA where --generate-certs keeps it (<install dir>/ca/ca.crt) */
async function registryYml(dir: string, port: number, extra = ''): Promise<string> {
  const certs = await issueCertificates(path.join(dir, 'certs'), 'reg.example.test');
  await mkdir(path.join(dir, 'ca'));
  await copyFile(certs.ca, path.join(dir, 'ca', 'ca.crt'));
  const file = path.join(dir, 'registry.yml');
  await writeFile(file, `hostname: reg.example.test\nport: ${port}\ntls:\n  certificate: ${certs.cert}\n  private_key: ${certs.key}\nauth: {htpasswd: auth/htpasswd}\nstorage: {directory: storage}\n${extra}`);
  return file;
}

const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.check, c]));

describeWithDocker('regctl doctor --profile registry', () => {
  it('passes with a user, a covering certificate and a free port; only the profile\'s checks run', async () => {
    const dir = await tempDir('regctl-reg-doctor');
    const port = await freePort();
    const file = await registryYml(dir, port);
    await mkdir(path.join(dir, 'auth'));
    await writeFile(path.join(dir, 'auth/htpasswd'), 'admin:$2y$05$abcdefghijklmnopqrstuu5Z3UfC9n4Gq7yVh8m4xw6b1h3cJ0mKa\n');
    const r = await regctl(['doctor', '--profile', 'registry', '--config', file, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const data = jsonResult(r.stdout).data as { profile: string; checks: Check[] };
    expect(data.profile).toBe('registry');
    const checks = byName(data.checks);
    expect(Object.keys(checks)).toEqual(expect.arrayContaining([`port ${port} (https)`, 'disk space (storage)', 'storage writable', 'htpasswd users', 'tls certificate']));
    // Harbor's own checks are not part of the profile
    expect(data.checks.some((c) => /container name|data_volume|localhost|SELinux/i.test(c.check))).toBe(false);
    expect(checks['htpasswd users']).toMatchObject({ status: 'pass', detail: expect.stringContaining('1 user') });
    expect(checks['tls certificate']).toMatchObject({ status: 'pass', detail: expect.stringContaining('covers reg.example.test') });
    expect(checks[`port ${port} (https)`]).toMatchObject({ status: 'pass' });
    const text = await regctl(['doctor', '--profile', 'registry', '--config', file]);
    expect(text.stdout).toContain(`regctl install --profile registry --config ${file}`);
  }, 60_000);

  it('fails naming each problem with its fix: no htpasswd file, a certificate for another name, the port taken', async () => {
    const dir = await tempDir('regctl-reg-doctor');
    const port = await freePort();
    const file = await registryYml(dir, port, '');
    // a certificate issued for another name
    const other = await issueCertificates(path.join(dir, 'other'), 'elsewhere.example.test');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/certificate: .*/, `certificate: ${other.cert}`).replace(/private_key: .*/, `private_key: ${other.key}`));
    const listener = createServer().listen(port, '0.0.0.0');
    await new Promise((ok) => listener.once('listening', ok));
    try {
      const r = await regctl(['doctor', '--profile', 'registry', '--config', file, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const checks = byName((jsonResult(r.stdout).data as { checks: Check[] }).checks);
      expect(checks['htpasswd users']).toMatchObject({ status: 'fail', fix: 'add one: regctl registry user add USER --htpasswd ' + path.join(dir, 'auth/htpasswd') });
      expect(checks['tls certificate']!.status).toBe('fail');
      expect(checks['tls certificate']!.detail).toContain('reg.example.test');
      expect(checks[`port ${port} (https)`]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/in use by node/) });
    } finally {
      listener.close();
    }
  }, 60_000);

  it('refuses Harbor-only flags and an unknown profile (exit 2)', async () => {
    const trivy = await regctl(['doctor', '--profile', 'registry', '--with-trivy', '--json']);
    expect(trivy.code).toBe(2);
    expect(jsonResult(trivy.stdout).error?.message).toContain('--with-trivy');
    const unknown = await regctl(['doctor', '--profile', 'quay', '--json']);
    expect(unknown.code).toBe(2);
    const insecure = await regctl(['doctor', '--insecure', '--json']);
    expect(insecure.code).toBe(2);
  });
});
