/** regctl registry user add|remove|list on real files, through the built CLI (stdin, exit codes, modes). */
import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyHtpasswd } from '../../src/htpasswd/line.js';
import { jsonResult, regctl } from '../helpers/cli.js';
import { tempDirSync } from '../helpers/tmp.js';

const tmp = tempDirSync('regctl-user');

const lineOf = (file: string, user: string) => readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))!;

describe('regctl registry user', () => {
  it('add with a generated password prints it once; the file is new with mode 0644; list names the users', async () => {
    const file = path.join(tmp, 'passwd');
    const r = await regctl(['registry', 'user', 'add', 'ci', '--htpasswd', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const env = jsonResult(r.stdout);
    expect(env.data).toMatchObject({ user: 'ci', created: true, replaced: false });
    expect(env.data.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(verifyHtpasswd(lineOf(file, 'ci'), env.data.password)).toBe(true);
    expect(lineOf(file, 'ci')).toMatch(/^ci:\$2y\$10\$/);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const again = await regctl(['registry', 'user', 'add', 'alice', '--htpasswd', file, '--password-stdin'], { input: 'alice-pass\n' });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('alice-pass');
    expect(verifyHtpasswd(lineOf(file, 'alice'), 'alice-pass')).toBe(true);
    const list = await regctl(['registry', 'user', 'list', '--htpasswd', file, '--json']);
    expect(jsonResult(list.stdout).data.users).toEqual(['ci', 'alice']);
  });

  it('htpasswd -B lines and comments are kept; mode and content order survive add --force and remove', async () => {
    const file = path.join(tmp, 'kept');
    writeFileSync(file, '# managed by hand\n');
    execFileSync('htpasswd', ['-bB', file, 'apache', 'apache-pass'], { stdio: 'pipe' });
    chmodSync(file, 0o640);
    expect((await regctl(['registry', 'user', 'add', 'bob', '--htpasswd', file, '--password-stdin'], { input: 'one' })).code).toBe(0);
    const exists = await regctl(['registry', 'user', 'add', 'bob', '--htpasswd', file, '--password-stdin', '--json'], { input: 'two' });
    expect(exists.code).toBe(2);
    expect(jsonResult(exists.stdout).error!.code).toBe('E_HTPASSWD_USER_EXISTS');
    expect((await regctl(['registry', 'user', 'add', 'bob', '--htpasswd', file, '--password-stdin', '--force'], { input: 'two' })).code).toBe(0);
    expect(verifyHtpasswd(lineOf(file, 'bob'), 'two')).toBe(true);
    expect(() => execFileSync('htpasswd', ['-vb', file, 'bob', 'two'], { stdio: 'pipe' })).not.toThrow();
    expect((await regctl(['registry', 'user', 'remove', 'apache', '--htpasswd', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# managed by hand\nbob:\$2y\$10\$[^\n]+\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const missing = await regctl(['registry', 'user', 'remove', 'apache', '--htpasswd', file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[E_HTPASSWD_NO_USER]');
  });

  it('refuses a symlink and a FIFO (exit 2), a bad name and an empty password, writing nothing', async () => {
    const real = path.join(tmp, 'real');
    writeFileSync(real, '');
    const link = path.join(tmp, 'link');
    symlinkSync(real, link);
    const viaLink = await regctl(['registry', 'user', 'add', 'x', '--htpasswd', link]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain('[E_SYMLINK]');
    const fifo = path.join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const viaFifo = await regctl(['registry', 'user', 'list', '--htpasswd', fifo], { timeoutMs: 20_000 });
    expect(viaFifo.code).toBe(2);
    expect(viaFifo.stderr).toContain('[E_NOT_REGULAR_FILE]');
    expect((await regctl(['registry', 'user', 'add', 'a:b', '--htpasswd', real])).stderr).toContain('[E_HTPASSWD_USER]');
    expect((await regctl(['registry', 'user', 'add', 'a', '--htpasswd', real, '--password-stdin'], { input: '' })).stderr).toContain('[E_HTPASSWD_PASSWORD]');
    expect(readFileSync(real, 'utf8')).toBe('');
  });
});
