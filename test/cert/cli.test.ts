/**
 * `regctl cert …` as users run it: the built CLI (bin/regctl → dist/, built by `npm run build`,
 * which `npm test` runs first). Exit codes, help, output, and "nothing written on error".
 */
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonResult, regctlInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/workspace.js';
import { mustOpenssl } from './helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';
import { listFiles } from '../trust/helpers.js';

const bin = path.join(repoRoot, 'bin', 'regctl');

beforeAll(async () => {
  const r = await regctlInProcess(['cert', 'trust', '--help']);
  if (r.code !== 0) throw new Error(`the built CLI has no 'cert trust' (run npm run build first): ${r.stderr}`);
});

describe('regctl cert --help', () => {
  it.each(['ca', 'issue', 'check', 'renew', 'trust', 'untrust'])('cert %s --help shows usage and examples, exit 0', async (sub) => {
    const r = await regctlInProcess(['cert', sub, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: regctl cert ${sub}`);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ regctl cert/);
  });
});

describe('regctl cert ca / issue / check / renew', () => {
  it('the seed flow with exit codes, modes and refusals that write nothing', async () => {
    const cwd = await tempDir();
    const ca = await regctlInProcess(['cert', 'ca', '--key-type', 'ecdsa-p256', '--cn', 'regctl CA for cli-test'], { cwd });
    expect(ca.code, ca.stderr).toBe(0);
    expect(ca.stdout).toContain("Created CA 'regctl CA for cli-test' (ECDSA P-256");
    expect(await listFiles(cwd)).toEqual(['regctl-ca/ca.crt', 'regctl-ca/ca.key']);

    const again = await regctlInProcess(['cert', 'ca'], { cwd });
    // a refused overwrite is invalid input (exit 2), as for cert issue over an existing file
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a CA already exists .* nothing was written \[E_CA_EXISTS\]\n {2}fix: .*--force/);

    const issue = await regctlInProcess(['cert', 'issue', '--ca', 'regctl-ca', '--san', '192.168.120.85', '--san', 'reg.example.com'], { cwd });
    expect(issue.code, issue.stderr).toBe(0);
    expect(issue.stdout).toContain('Issued a certificate for IP:192.168.120.85, DNS:reg.example.com');
    expect((await fs.stat(path.join(cwd, '192.168.120.85.key'))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(cwd, '192.168.120.85.crt'))).mode & 0o777).toBe(0o644);
    await mustOpenssl(['verify', '-CAfile', path.join(cwd, 'regctl-ca/ca.crt'), path.join(cwd, '192.168.120.85.crt')]);

    const before = await listFiles(cwd);
    for (const [args, code, pattern] of [
      [['--san', 'reg.example.com', '--days', '900'], 2, /longer than 825 days.*\[E_CERT_DAYS_TOO_LONG\]\n {2}fix: Apple/],
      [['--san', 'https://reg.example.com'], 2, /not a URL \[E_CERT_SAN_INVALID\]\n {2}fix: use --san reg.example.com/],
      [['--san', 'reg.example.com', '--key-type', 'dsa'], 2, /unknown key type 'dsa'/],
      [['--san', '192.168.120.85'], 2, /already exists; nothing was written \[E_CERT_EXISTS\]\n {2}fix: .*regctl cert renew/],
    ] as const) {
      const r = await regctlInProcess(['cert', 'issue', '--ca', 'regctl-ca', ...args], { cwd });
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(pattern);
    }
    expect((await regctlInProcess(['cert', 'issue', '--san', 'x.example.com'], { cwd })).code).toBe(2); // --ca is required
    expect(await listFiles(cwd)).toEqual(before);

    const check = await regctlInProcess(['cert', 'check', '192.168.120.85.crt', '--key', '192.168.120.85.key', '--ca', 'regctl-ca/ca.crt', '--host', '192.168.120.85', '--host', 'reg.example.com'], { cwd });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('names:    reg.example.com, 192.168.120.85');
    expect(check.stdout).toContain('OK: no problems found');

    const json = await regctlInProcess(['cert', 'check', '192.168.120.85.crt', '--host', '10.9.9.9', '--ca', 'regctl-ca', '--json'], { cwd });
    expect(json.code).toBe(1);
    const report = jsonResult(json.stdout);
    expect(report).toMatchObject({ command: 'cert check', ok: false, exitCode: 1, data: { ok: false, errors: 1, certificate: { sans: ['reg.example.com', '192.168.120.85'], key: 'ECDSA P-256' } } });
    expect(report.findings).toEqual([expect.objectContaining({ severity: 'error', code: 'HOST_NOT_COVERED', fix: expect.stringContaining('--san 10.9.9.9') })]);

    const renew = await regctlInProcess(['cert', 'renew', '--ca', 'regctl-ca', '--cert', '192.168.120.85.crt', '--key', '192.168.120.85.key'], { cwd });
    expect(renew.code, renew.stderr).toBe(0);
    expect(renew.stdout).toContain('Renewed the certificate for IP:192.168.120.85, DNS:reg.example.com');
    await mustOpenssl(['verify', '-CAfile', path.join(cwd, 'regctl-ca/ca.crt'), path.join(cwd, '192.168.120.85.crt')]);
  });

  it('check: exit 1 on a CN-only certificate naming the SAN problem, exit 0 with warnings only', async () => {
    const cwd = await tempDir();
    await mustOpenssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'cn.key', '-out', 'cn.crt', '-days', '30', '-subj', '/CN=reg.example.com'], { cwd });
    const bad = await regctlInProcess(['cert', 'check', 'cn.crt'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: no subjectAltName \(SAN\) extension.*\[CERT_CN_ONLY\]\n {2}fix: reissue it with every name as a SAN/);

    await mustOpenssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ss.key', '-out', 'ss.crt', '-days', '90', '-subj', '/CN=reg.example.com', '-addext', 'subjectAltName=DNS:reg.example.com', '-addext', 'extendedKeyUsage=serverAuth'], { cwd });
    const warn = await regctlInProcess(['cert', 'check', 'ss.crt', '--key', 'ss.key'], { cwd });
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(/warning: the certificate is self-signed.*\[CERT_SELF_SIGNED\]/);
    expect(warn.stdout).toContain('OK with 1 warning(s)');
  });
});

describe('regctl cert trust / untrust', () => {
  async function caDir(cwd: string): Promise<string> {
    expect((await regctlInProcess(['cert', 'ca', '--key-type', 'ecdsa-p256'], { cwd })).code).toBe(0);
    return path.join(cwd, 'regctl-ca');
  }

  it('--print writes nothing, anywhere, and prints the CA but no key', async () => {
    const cwd = await tempDir();
    const ca = await caDir(cwd);
    const root = await tempDir();
    const before = await listFiles(cwd);
    const r = await regctlInProcess(['cert', 'trust', '--ca', ca, '--registry', 'reg.example.com:5000', '--root', root, '--print'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('BEGIN CERTIFICATE');
    expect(r.stdout).not.toContain('PRIVATE KEY');
    expect(await listFiles(root)).toEqual([]);
    expect(await listFiles(cwd)).toEqual(before);
  });

  it('trusts and untrusts under --root, refuses a private key (exit 2, nothing written), reports unknown registries (exit 1)', async () => {
    const cwd = await tempDir();
    const ca = await caDir(cwd);
    const root = await tempDir();
    await fs.mkdir(path.join(root, 'usr/local/share/ca-certificates'), { recursive: true });

    const key = await regctlInProcess(['cert', 'trust', '--ca', path.join(ca, 'ca.key'), '--registry', 'reg.example.com', '--root', root], { cwd });
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(/contains a private key; nothing was written \[E_TRUST_PRIVATE_KEY\]/);
    expect((await regctlInProcess(['cert', 'trust', '--registry', 'reg.example.com', '--root', root], { cwd })).stderr).toMatch(/E_TRUST_NO_CA/);
    expect((await regctlInProcess(['cert', 'trust', '--ca', ca, '--registry', 'reg.example.com', '--root', root, '--targets', 'docker,k8s'], { cwd })).code).toBe(2);
    const typo = await regctlInProcess(['cert', 'trust', '--ca', ca, '--registry', 'reg.example.com', '--root', path.join(root, 'mnt/imag')], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--root .* is not an existing directory \[E_ROOT_NOT_DIR\]/);
    expect(await listFiles(root)).toEqual([]);

    const t = await regctlInProcess(['cert', 'trust', '--ca', ca, '--registry', 'reg.example.com', '--root', root], { cwd });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain(`docker: wrote ${root}/etc/docker/certs.d/reg.example.com/ca.crt`);
    expect(t.stdout).toContain(`system: wrote ${root}/usr/local/share/ca-certificates/regctl-reg.example.com.crt`);
    expect(t.stdout).toContain('not run (--root is not /): update-ca-certificates');
    expect(t.stdout).toContain('Restart the Docker daemon');
    expect((await listFiles(root)).filter((f) => f.startsWith('etc/') || f.startsWith('usr/'))).toHaveLength(9);

    const u = await regctlInProcess(['cert', 'untrust', '--registry', 'reg.example.com:443', '--root', root], { cwd });
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout.match(/^removed \//gm)).toHaveLength(9);
    expect(await listFiles(root)).toEqual([]);

    const unknown = await regctlInProcess(['cert', 'untrust', '--registry', 'other.example.com', '--root', root], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no record of regctl trusting other.example.com.*\[E_UNTRUST_UNKNOWN\]/);
  });

  it('--insecure merges daemon.json, and refuses malformed JSON leaving it untouched', async () => {
    const cwd = await tempDir();
    const root = await tempDir();
    const ok = await regctlInProcess(['cert', 'trust', '--insecure', '--registry', '127.0.0.1:5000', '--root', root], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Created .*daemon.json: added "127.0.0.1:5000"/);
    expect(ok.stdout).toMatch(/Restart the Docker daemon/);
    expect(ok.stderr).toMatch(/^note: .*127.0.0.0\/8 .* insecure.* \[N_TRUST_INSECURE\]$/m);

    const file = path.join(root, 'etc/docker/daemon.json');
    await fs.writeFile(file, '{"debug": true,,}');
    const bad = await regctlInProcess(['cert', 'trust', '--insecure', '--registry', '10.0.0.5:5000', '--root', root], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/daemon.json:1:\d+: .* is not valid JSON .*left untouched \[E_DAEMON_JSON_MALFORMED\]/);
    expect(await fs.readFile(file, 'utf8')).toBe('{"debug": true,,}');
  });

  it('with --root /, runs update-ca-certificates on trust and untrust (inside a private mount namespace)', async () => {
    const cwd = await tempDir();
    const ca = await caDir(cwd);
    expect((await regctlInProcess(['cert', 'issue', '--ca', ca, '--san', 'reg.example.com', '--cert', 'leaf.crt', '--key', 'leaf.key'], { cwd })).code).toBe(0);
    const leaf = path.join(cwd, 'leaf.crt');
    const script = [
      'set -e',
      ...['/usr/local/share/ca-certificates', '/etc/ssl/certs', '/etc/ca-certificates/update.d', '/var/lib'].map((p) => `mount -t tmpfs regctl-test ${p}`),
      `node ${bin} cert trust --ca ${ca} --registry reg.example.com:5000 --targets system`,
      `openssl verify -CAfile /etc/ssl/certs/ca-certificates.crt ${leaf}`,
      `node ${bin} cert untrust --registry reg.example.com:5000`,
      `if openssl verify -CAfile /etc/ssl/certs/ca-certificates.crt ${leaf} >/dev/null 2>&1; then echo STILL-TRUSTED; else echo UNTRUSTED; fi`,
    ].join('\n');
    const r = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { reject: false, cwd, timeout: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('system: wrote /usr/local/share/ca-certificates/regctl-reg.example.com_5000.crt');
    expect(r.stdout.match(/^ran: update-ca-certificates$/gm)).toHaveLength(2);
    expect(r.stdout).toContain(`${leaf}: OK`);
    expect(r.stdout.trim().endsWith('UNTRUSTED')).toBe(true);
    expect(await fs.stat('/usr/local/share/ca-certificates/regctl-reg.example.com_5000.crt').catch(() => 'absent on the host')).toBe('absent on the host');
  });
});
