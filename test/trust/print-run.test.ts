/**
 * The --print script run for real, as root, inside a private mount namespace whose trust
 * directories are empty tmpfs mounts: it must install the CA where clients look, rebuild the
 * Debian bundle so openssl trusts the registry certificate, and leave the host untouched.
 */
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCa } from '../../src/cert/ca.js';
import { issueLeaf } from '../../src/cert/leaf.js';
import { parseSans } from '../../src/cert/san.js';
import { trustScript } from '../../src/trust/print.js';
import { parseRegistry } from '../../src/trust/registry.js';
import { tempDir } from '../helpers/tmp.js';

// update.d is emptied too: its hooks (e.g. Java's keystore) are not what this test is about
const PRIVATE_DIRS = ['/etc/docker', '/etc/containers', '/etc/containerd', '/usr/local/share/ca-certificates', '/etc/ssl/certs', '/etc/ca-certificates/update.d'];

describe('trust --print output, executed', () => {
  it('installs the CA for every runtime and the Debian system store in a private mount namespace', async () => {
    const d = await tempDir();
    const ca = await createCa({ commonName: 'regctl CA for print-run', keyType: 'ecdsa-p256' });
    const leaf = await issueLeaf({ ca, sans: parseSans(['reg.example.com']) });
    await fs.writeFile(path.join(d, 'leaf.crt'), leaf.certPem);
    const script = (await trustScript(parseRegistry('reg.example.com:5000'), ca.certPem, ['docker', 'containerd', 'containers', 'system'])).join('\n');
    await fs.writeFile(path.join(d, 'trust.sh'), script + '\n');
    const hostBefore = await Promise.all(PRIVATE_DIRS.map((p) => fs.readdir(p).catch(() => [])));

    const check = [
      'set -e',
      // every mount must succeed before the script may run; none of them is visible outside
      ...PRIVATE_DIRS.map((p) => `mkdir -p ${p} && mount -t tmpfs regctl-test ${p}`),
      `sh ${d}/trust.sh > ${d}/out.txt 2>&1`,
      'find /etc/docker /etc/containers /etc/containerd /usr/local/share/ca-certificates -type f | sort',
      `openssl verify -CAfile /etc/ssl/certs/ca-certificates.crt ${d}/leaf.crt`,
    ].join('\n');
    const r = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', check], { reject: false, timeout: 120_000 });
    const out = await fs.readFile(path.join(d, 'out.txt'), 'utf8').catch(() => '');
    expect(r.exitCode, `${r.stderr}\n${out}`).toBe(0);
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      '/etc/containerd/certs.d/reg.example.com:5000/ca.crt',
      '/etc/containerd/certs.d/reg.example.com:5000/hosts.toml',
      '/etc/containers/certs.d/reg.example.com:5000/ca.crt',
      '/etc/docker/certs.d/reg.example.com:5000/ca.crt',
      '/usr/local/share/ca-certificates/regctl-reg.example.com_5000.crt',
    ]);
    expect(r.stdout).toContain(`${d}/leaf.crt: OK`);
    expect(out).toMatch(/Updating certificates in \/etc\/ssl\/certs[\s\S]*\d+ added/);
    expect(out).toMatch(/warning: containerd CRI reads \/etc\/containerd\/certs.d only with config_path/);
    expect(out).toMatch(/now restart the Docker daemon/);

    const hostAfter = await Promise.all(PRIVATE_DIRS.map((p) => fs.readdir(p).catch(() => [])));
    expect(hostAfter).toEqual(hostBefore);
    // outside the namespace the host's bundle does not know the CA
    const outside = await execa('openssl', ['verify', '-CAfile', '/etc/ssl/certs/ca-certificates.crt', path.join(d, 'leaf.crt')], { reject: false });
    expect(outside.exitCode).not.toBe(0);
  });
});
