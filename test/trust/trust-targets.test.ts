import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCa } from '../../src/cert/ca.js';
import { parseSans } from '../../src/cert/san.js';
import { issueToFiles } from '../../src/cert/server-cert.js';
import type { RegctlError } from '../../src/errors.js';
import { loadTrustAnchor } from '../../src/trust/ca-source.js';
import { parseRegistry } from '../../src/trust/registry.js';
import { trustRegistry } from '../../src/trust/trust.js';
import { untrustRegistry } from '../../src/trust/untrust.js';
import type { CommandRunner } from '../../src/trust/types.js';
import { tempDir } from '../helpers/tmp.js';
import { verify } from '../cert/helpers/openssl.js';
import { caOnDisk, filesWithPrivateKeys, listDirs, listFiles } from './helpers.js';

let caDir: string;
let caPem: string;

beforeAll(async () => {
  caDir = await tempDir('regctl-trust-ca');
  caPem = (await loadTrustAnchor((await caOnDisk(caDir)).certPath)).pem;
});

/** A runner that records instead of running: nothing may run unless the root is '/'. */
function recordingRunner(): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return Object.assign(async (argv: string[]) => {
    calls.push(argv);
    return { ok: true, output: '' };
  }, { calls });
}

describe('trust and untrust under a temporary --root, per target', () => {
  it('docker: ca.crt in certs.d/HOST:PORT only, the CA itself, openssl-readable', async () => {
    const root = await tempDir();
    const registry = parseRegistry('192.168.120.85:8443');
    const r = await trustRegistry({ root, registry, caPem, targets: ['docker'], explicitTargets: true });
    expect(r.written).toEqual(['/etc/docker/certs.d/192.168.120.85:8443/ca.crt']);
    expect(await listFiles(root)).toEqual(['etc/docker/certs.d/192.168.120.85:8443/ca.crt', 'var/lib/regctl/trust/192.168.120.85_8443.json']);
    const installed = path.join(root, 'etc/docker/certs.d/192.168.120.85:8443/ca.crt');
    expect((await fs.stat(installed)).mode & 0o777).toBe(0o644);
    expect((await verify(installed, path.join(caDir, 'ca.crt'))).ok).toBe(true);
    expect(r.plans[0]!.restart).toBeUndefined();

    await untrustRegistry({ root, registry });
    expect(await listFiles(root)).toEqual([]);
    // directories trust created are gone too; the manifest directory is regctl's own state
    expect(await listDirs(root)).toEqual(['var', 'var/lib', 'var/lib/regctl', 'var/lib/regctl/trust']);
  });

  it('docker and containers on port 443: both HOST and HOST:443 directories', async () => {
    const root = await tempDir();
    const registry = parseRegistry('reg.example.com');
    await trustRegistry({ root, registry, caPem, targets: ['docker', 'containers'], explicitTargets: true });
    expect((await listFiles(root)).filter((f) => f.startsWith('etc/'))).toEqual([
      'etc/containers/certs.d/reg.example.com/ca.crt',
      'etc/containers/certs.d/reg.example.com:443/ca.crt',
      'etc/docker/certs.d/reg.example.com/ca.crt',
      'etc/docker/certs.d/reg.example.com:443/ca.crt',
    ]);
    const u = await untrustRegistry({ root, registry });
    expect(u.removed).toHaveLength(4);
    expect((await listFiles(root)).filter((f) => f.startsWith('etc/'))).toEqual([]);
  });

  it('containerd: hosts.toml with server and ca; warns when config.toml lacks config_path', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, 'etc/containerd'), { recursive: true });
    await fs.writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n');
    const registry = parseRegistry('reg.example.com:5000');
    const r = await trustRegistry({ root, registry, caPem, targets: ['containerd'], explicitTargets: true });
    const toml = await fs.readFile(path.join(root, 'etc/containerd/certs.d/reg.example.com:5000/hosts.toml'), 'utf8');
    expect(toml).toContain('server = "https://reg.example.com:5000"');
    expect(toml).toContain('[host."https://reg.example.com:5000"]');
    expect(toml).toContain('ca = "/etc/containerd/certs.d/reg.example.com:5000/ca.crt"');
    expect(await fs.readFile(path.join(root, 'etc/containerd/certs.d/reg.example.com:5000/ca.crt'), 'utf8')).toBe(caPem);
    expect(r.plans[0]!.warnings.join('\n')).toMatch(/sets no config_path for \/etc\/containerd\/certs.d/);
    expect(r.plans[0]!.restart).toMatch(/containerd/);

    // with config_path set: no warning, no restart
    await fs.writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d:/etc/docker/certs.d"\n');
    const again = await trustRegistry({ root, registry, caPem, targets: ['containerd'], explicitTargets: true });
    expect(again.plans[0]!.warnings).toEqual([]);
    expect(again.plans[0]!.restart).toBeUndefined();
    expect(again.unchanged).toHaveLength(2);

    await untrustRegistry({ root, registry });
    expect(await listFiles(root)).toEqual(['etc/containerd/config.toml']);
  });

  it.each([
    ['Debian/Ubuntu', ['/usr/local/share/ca-certificates'], 'usr/local/share/ca-certificates/regctl-reg.example.com_5000.crt', ['update-ca-certificates']],
    ['RHEL/Fedora', ['/etc/pki/ca-trust/source/anchors', '/usr/local/share/ca-certificates'], 'etc/pki/ca-trust/source/anchors/regctl-reg.example.com_5000.pem', ['update-ca-trust', 'extract']],
    ['Alpine', ['/etc/alpine-release'], 'usr/local/share/ca-certificates/regctl-reg.example.com_5000.crt', ['update-ca-certificates']],
    ['Arch', ['/etc/ca-certificates/trust-source/anchors'], 'etc/ca-certificates/trust-source/anchors/regctl-reg.example.com_5000.crt', ['trust', 'extract-compat']],
    ['SUSE', ['/usr/share/pki/trust/anchors'], 'usr/share/pki/trust/anchors/regctl-reg.example.com_5000.pem', ['update-ca-certificates']],
  ])('system store, %s layout: the anchor file, the refresh command recorded but not run off /', async (_name, markers, expectedFile, refresh) => {
    const root = await tempDir();
    for (const m of markers) {
      if (m.endsWith('-release')) {
        await fs.mkdir(path.join(root, path.dirname(m)), { recursive: true });
        await fs.writeFile(path.join(root, m), '3.20.0\n');
      } else await fs.mkdir(path.join(root, m), { recursive: true });
    }
    const registry = parseRegistry('reg.example.com:5000');
    const run = recordingRunner();
    const r = await trustRegistry({ root, registry, caPem, targets: ['system'], explicitTargets: true, run });
    expect(r.written).toEqual(['/' + expectedFile]);
    expect(await fs.readFile(path.join(root, expectedFile), 'utf8')).toBe(caPem);
    expect(r.commands).toEqual([{ argv: refresh, ok: true, output: '', ran: false }]);
    expect(r.plans[0]!.restart).toMatch(/Docker daemon/);
    const manifest = JSON.parse(await fs.readFile(path.join(root, 'var/lib/regctl/trust/reg.example.com_5000.json'), 'utf8'));
    expect(manifest.refreshCommands).toEqual([refresh]);

    const u = await untrustRegistry({ root, registry, run });
    expect(u.removed).toEqual(['/' + expectedFile]);
    expect(u.commands).toEqual([{ argv: refresh, ok: true, output: '', ran: false }]);
    expect(run.calls).toEqual([]);
    // the marker directories were there before: untrust leaves them
    for (const m of markers) expect(await fs.stat(path.join(root, m)).then(() => true)).toBe(true);
    expect(await fs.stat(path.join(root, expectedFile)).catch(() => 'gone')).toBe('gone');
  });

  it('all targets by default: a file per runtime and a system anchor, no private key anywhere; a missing system store is skipped', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, 'usr/local/share/ca-certificates'), { recursive: true });
    const registry = parseRegistry('reg.example.com');
    // the CA directory holds ca.key too: only the certificate may travel
    const anchor = await loadTrustAnchor(caDir);
    const r = await trustRegistry({ root, registry, caPem: anchor.pem, targets: ['docker', 'containerd', 'containers', 'system'], explicitTargets: false });
    expect(r.written).toHaveLength(2 + 4 + 2 + 1);
    expect(await filesWithPrivateKeys(root)).toEqual([]);

    const bare = await tempDir();
    const r2 = await trustRegistry({ root: bare, registry, caPem, targets: ['docker', 'system'], explicitTargets: false });
    expect(r2.skipped.map((s) => s.target)).toEqual(['system']);
    await expect(trustRegistry({ root: bare, registry: parseRegistry('other.example.com'), caPem, targets: ['system'], explicitTargets: true })).rejects.toMatchObject({ code: 'E_TRUST_NO_SYSTEM_STORE' });
  });
});

describe('trust only touches what it owns', () => {
  it('refuses, writing nothing, when a file it would write exists with other content', async () => {
    const root = await tempDir();
    const foreign = path.join(root, 'etc/containers/certs.d/reg.example.com:5000/ca.crt');
    await fs.mkdir(path.dirname(foreign), { recursive: true });
    await fs.writeFile(foreign, 'someone else\'s CA\n');
    const registry = parseRegistry('reg.example.com:5000');
    await expect(trustRegistry({ root, registry, caPem, targets: ['docker', 'containers'], explicitTargets: true })).rejects.toMatchObject({ code: 'E_TRUST_CONFLICT' });
    expect(await listFiles(root)).toEqual(['etc/containers/certs.d/reg.example.com:5000/ca.crt']);
    expect(await fs.readFile(foreign, 'utf8')).toBe('someone else\'s CA\n');
  });

  it('an identical file it did not write is left alone, also by untrust', async () => {
    const root = await tempDir();
    const existing = path.join(root, 'etc/docker/certs.d/reg.example.com:5000/ca.crt');
    await fs.mkdir(path.dirname(existing), { recursive: true });
    await fs.writeFile(existing, caPem);
    const registry = parseRegistry('reg.example.com:5000');
    const r = await trustRegistry({ root, registry, caPem, targets: ['docker'], explicitTargets: true });
    expect(r.foreign).toEqual(['/etc/docker/certs.d/reg.example.com:5000/ca.crt']);
    await untrustRegistry({ root, registry });
    expect(await fs.readFile(existing, 'utf8')).toBe(caPem);
  });

  it('re-trusting with a new CA replaces its own files; untrust keeps files changed since and other files in the directory', async () => {
    const root = await tempDir();
    const registry = parseRegistry('reg.example.com:5000');
    await trustRegistry({ root, registry, caPem, targets: ['docker', 'containers'], explicitTargets: true });
    const newCa = (await loadTrustAnchor((await caOnDisk(await tempDir())).certPath)).pem;
    const r = await trustRegistry({ root, registry, caPem: newCa, targets: ['docker', 'containers'], explicitTargets: true });
    expect(r.written).toHaveLength(2);
    expect(await fs.readFile(path.join(root, 'etc/docker/certs.d/reg.example.com:5000/ca.crt'), 'utf8')).toBe(newCa);

    await fs.appendFile(path.join(root, 'etc/containers/certs.d/reg.example.com:5000/ca.crt'), '# edited by hand\n');
    await fs.writeFile(path.join(root, 'etc/docker/certs.d/reg.example.com:5000/client.cert'), 'x');
    const u = await untrustRegistry({ root, registry });
    expect(u.removed).toEqual(['/etc/docker/certs.d/reg.example.com:5000/ca.crt']);
    expect(u.keptChanged).toEqual(['/etc/containers/certs.d/reg.example.com:5000/ca.crt']);
    expect((await listFiles(root)).filter((f) => f.startsWith('etc/'))).toEqual([
      'etc/containers/certs.d/reg.example.com:5000/ca.crt',
      'etc/docker/certs.d/reg.example.com:5000/client.cert',
    ]);
    await expect(untrustRegistry({ root, registry })).rejects.toMatchObject({ code: 'E_UNTRUST_UNKNOWN' });
  });

  it('warns about private keys and .cert files already in certs.d', async () => {
    const root = await tempDir();
    const dir = path.join(root, 'etc/docker/certs.d/reg.example.com:5000');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'reg.example.com.key'), 'x');
    await fs.writeFile(path.join(dir, 'reg.example.com.cert'), 'x');
    const r = await trustRegistry({ root, registry: parseRegistry('reg.example.com:5000'), caPem, targets: ['docker'], explicitTargets: true });
    const w = r.plans[0]!.warnings.join('\n');
    expect(w).toMatch(/reg.example.com.key is a private key in a client trust directory/);
    expect(w).toMatch(/reg.example.com.cert is read as a client certificate/);
  });
});

describe('loadTrustAnchor', () => {
  it('refuses a file holding a private key, and a server certificate, before anything is written', async () => {
    const d = await tempDir();
    const { certPem, keyPem } = await caOnDisk(path.join(d, 'ca'));
    await fs.writeFile(path.join(d, 'bundle.pem'), certPem + keyPem);
    await expect(loadTrustAnchor(path.join(d, 'bundle.pem'))).rejects.toMatchObject({ code: 'E_TRUST_PRIVATE_KEY', exitCode: 2 });
    await expect(loadTrustAnchor(path.join(d, 'ca', 'ca.key'))).rejects.toMatchObject({ code: 'E_TRUST_PRIVATE_KEY' });
    await expect(loadTrustAnchor(path.join(d, 'missing.crt'))).rejects.toMatchObject({ code: 'E_TRUST_CA_NOT_FOUND' });

    const ca = await loadCa(path.join(d, 'ca'));
    await issueToFiles({ ca, sans: parseSans(['reg.example.com']), certPath: path.join(d, 'server.crt'), keyPath: path.join(d, 'server.key') });
    const err = await loadTrustAnchor(path.join(d, 'server.crt')).catch((e: RegctlError) => e);
    expect(err).toMatchObject({ code: 'E_TRUST_NOT_CA' });
    expect((err as RegctlError).fix).toMatch(/trust the CA that issued it/);
  });
});
