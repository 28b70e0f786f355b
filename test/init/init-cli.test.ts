/**
 * `regctl init` as a command, in-process: --yes writes a 0600 harbor.yml with strong generated
 * passwords and a certificate covering the host, which prepare accepts; the passwords are in no
 * output; without a terminal and without --yes it refuses; an existing file needs --force and is
 * backed up; each line gets only the keys it reads.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { jsonResult } from '../helpers/cli.js';
import { tempDir } from './helpers.js';
import { issueCertificates } from '../e2e/helpers/workspace.js';

async function cli(argv: string[], cwd: string, tty = false) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'regctl', ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: { PATH: process.env['PATH'], HOME: cwd }, isTTY: tty, stdinIsTTY: tty });
  return { code, stdout, stderr };
}

describe('regctl init', () => {
  it('without a terminal and without --yes: exit 2, says to use --yes, writes nothing', async () => {
    const dir = tempDir();
    const r = await cli(['init', '--output', path.join(dir, 'harbor.yml')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[E_NO_TTY]');
    expect(r.stderr).toContain('--yes');
    expect(readdirSync(dir)).toEqual([]);
    const j = await cli(['init', '--json'], dir);
    expect(jsonResult(j.stdout)).toMatchObject({ command: 'init', exitCode: 2, error: { code: 'E_NO_TTY' } });
  });

  it('--yes writes a 0600 file with strong passwords and a certificate for the host that prepare accepts; no password in any output', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'harbor.yml');
    const r = await cli(['init', '--yes', '--hostname', 'reg.init.example', '--output', file, '--root', dir, '--json'], dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const y = parse(readFileSync(file, 'utf8'));
    expect(y.hostname).toBe('reg.init.example');
    for (const pw of [y.harbor_admin_password, y.database.password]) {
      expect(pw.length).toBeGreaterThanOrEqual(12);
      expect(['Harbor12345', 'root123']).not.toContain(pw);
      expect(r.stdout + r.stderr).not.toContain(pw);
    }
    const env = jsonResult(r.stdout);
    expect(env.data).toMatchObject({ file, hostname: 'reg.init.example', protocol: 'https', passwords: { file, generated: ['harbor_admin_password', 'database.password'] } });
    expect(env.next[0]).toMatch(/^regctl install --config \S+ --root \S+ --with-trivy/);
    expect(env.next[1]).toContain('regctl cert trust --ca /etc/harbor/certs/ca/ca.crt --registry reg.init.example');
    const cert = new X509Certificate(readFileSync(path.join(dir, 'etc/harbor/certs/harbor.crt')));
    expect(cert.checkHost('reg.init.example')).toBe('reg.init.example');
    expect(statSync(path.join(dir, 'etc/harbor/certs/harbor.key')).mode & 0o777).toBe(0o600);
    const prep = await cli(['prepare', '--config', file, '--root', dir, '--dry-run'], dir);
    expect(prep.code, prep.stderr).toBe(0);
    expect(prep.stderr).not.toMatch(/^(error|warning):/m);
  }, 60_000);

  it('--yes --http: plain http on the chosen port, a warning about insecure-registries, no certificate', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'harbor.yml');
    const r = await cli(['init', '--yes', '--http', '--http-port', '8080', '--hostname', 'reg.init.example', '--harbor-version', '2.14', '--output', file, '--root', dir], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('[W_HTTP_INSECURE]');
    expect(r.stdout).toContain('next: regctl cert trust --insecure --registry reg.init.example:8080');
    expect(r.stdout).toContain('not printed; read them from');
    const y = parse(readFileSync(file, 'utf8'));
    expect(y.https).toBeUndefined();
    expect(y.http.port).toBe(8080);
    expect(y._version).toBe('2.14.0');
    expect(y.trivy.db_repository).toBeUndefined(); // 2.15's key, not read by 2.14
    expect(existsSync(path.join(dir, 'etc'))).toBe(false);
  });

  it('an existing file: --yes refuses without --force (exit 2, untouched); --force backs it up first', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'harbor.yml');
    writeFileSync(file, 'hostname: old.example\n');
    const args = ['init', '--yes', '--http', '--hostname', 'reg.init.example', '--output', file, '--root', dir];
    const refused = await cli(args, dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('[E_FILE_EXISTS]');
    expect(readFileSync(file, 'utf8')).toBe('hostname: old.example\n');
    const forced = await cli([...args, '--force', '--json'], dir);
    expect(forced.code, forced.stderr).toBe(0);
    const backup = jsonResult(forced.stdout).data.backup as string;
    expect(path.basename(backup)).toMatch(/^harbor\.yml\.bak-\d{8}T\d{6}Z$/);
    expect(readFileSync(backup, 'utf8')).toBe('hostname: old.example\n');
    expect(parse(readFileSync(file, 'utf8')).hostname).toBe('reg.init.example');
  });

  it('a bad flag value is refused before anything is asked or written', async () => {
    const dir = tempDir();
    for (const args of [['--https-port', '99999'], ['--hostname', 'localhost'], ['--data-volume', 'relative/dir'], ['--harbor-version', '1.0.0']]) {
      const r = await cli(['init', '--yes', ...args, '--output', path.join(dir, 'harbor.yml'), '--root', dir, '--json'], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('--yes --certificate/--private-key/--ca: uses the operator\'s files after the linter passed them, generates none', async () => {
    const dir = tempDir();
    // --root: the host paths /pki/... are read under dir, and nothing can land in the real /etc
    await issueCertificates(path.join(dir, 'pki'), 'reg.init.example');
    const file = path.join(dir, 'harbor.yml');
    const r = await cli(['init', '--yes', '--hostname', 'reg.init.example', '--certificate', '/pki/server.crt', '--private-key', '/pki/server.key', '--ca', '/pki/ca.crt', '--output', file, '--root', dir, '--json'], dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const y = parse(readFileSync(file, 'utf8'));
    expect(y.https).toMatchObject({ certificate: '/pki/server.crt', private_key: '/pki/server.key' });
    expect(existsSync(path.join(dir, 'etc'))).toBe(false); // no generated CA or leaf
    expect(jsonResult(r.stdout).next.join('\n')).toContain('regctl cert trust --ca /pki/ca.crt --registry reg.init.example');
    const prep = await cli(['prepare', '--config', file, '--root', dir, '--dry-run'], dir);
    expect(prep.code, prep.stderr).toBe(0);
  }, 60_000);

  it('--yes --certificate for another name, or half a pair, or with --san: exit 2 and nothing written', async () => {
    const dir = tempDir();
    const certs = await issueCertificates(path.join(dir, 'pki'), 'elsewhere.example');
    const out = path.join(dir, 'harbor.yml');
    const wrong = await cli(['init', '--yes', '--hostname', 'reg.init.example', '--certificate', certs.cert, '--private-key', certs.key, '--output', out, '--root', '/', '--json'], dir);
    expect(wrong.code, wrong.stderr).toBe(2);
    expect(jsonResult(wrong.stdout).error).toMatchObject({ code: 'E_INIT_CERTIFICATE', message: expect.stringContaining('reg.init.example') });
    for (const args of [['--certificate', certs.cert], ['--private-key', certs.key], ['--certificate', certs.cert, '--private-key', certs.key, '--san', 'x.example'], ['--certificate', certs.cert, '--private-key', certs.key, '--http']]) {
      const r = await cli(['init', '--yes', '--hostname', 'reg.init.example', ...args, '--output', out, '--json'], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(jsonResult(r.stdout).error?.code).toBe('E_USAGE');
    }
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
