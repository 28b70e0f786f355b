/**
 * migrate --output into another directory: relative paths (a harbor.cfg's ssl_cert, a
 * harbor.yml's https.certificate) are rewritten so the new file names the same files, which its
 * validation then finds; absolute paths and a migration in place are left alone.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonResult, regctlInProcess } from '../helpers/cli.js';
import { tempDirSync } from '../helpers/tmp.js';
import { exampleYaml, repoRoot } from '../helpers/workspace.js';
import { relocatedPath, relocateText } from '../../src/migrate/relocate.js';

describe('migrate --output elsewhere keeps relative paths pointing at the same files', () => {
  it('harbor.cfg: ssl_cert = certs/registry.crt becomes ../old/certs/registry.crt in new/harbor.yml, which validates', async () => {
    const dir = tempDirSync('regctl-relocate');
    const old = path.join(dir, 'old');
    mkdirSync(old);
    cpSync(path.join(repoRoot, 'examples/harbor.cfg'), path.join(old, 'harbor.cfg'));
    cpSync(path.join(repoRoot, 'examples/certs'), path.join(old, 'certs'), { recursive: true });
    const out = path.join(dir, 'new', 'harbor.yml');
    mkdirSync(path.dirname(out));
    const r = await regctlInProcess(['migrate', '--config', path.join(old, 'harbor.cfg'), '--output', out, '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const y = parse(readFileSync(out, 'utf8'));
    expect(y.https.certificate).toBe('../old/certs/registry.crt');
    expect(y.https.private_key).toBe('../old/certs/registry.key');
    const env = jsonResult(r.stdout);
    expect(JSON.stringify(env.data)).toContain('https.certificate certs/registry.crt → ../old/certs/registry.crt');
    // the new file's own check finds the certificate (a wrong relative path would be E_FILE_MISSING)
    expect(JSON.stringify(env)).not.toMatch(/E_FILE_MISSING|does not exist/);
    const check = await regctlInProcess(['prepare', '--config', out, '--dry-run'], { cwd: dir });
    expect(check.code, check.stderr).toBe(0);
  });

  it('harbor.yml: a relative certificate is rewritten where it is written, comments kept; absolute data_volume untouched', async () => {
    const dir = tempDirSync('regctl-relocate');
    mkdirSync(path.join(dir, 'a'));
    cpSync(path.join(repoRoot, 'examples/certs'), path.join(dir, 'a', 'certs'), { recursive: true });
    const input = path.join(dir, 'a', 'harbor.yml');
    writeFileSync(input, exampleYaml({ 'https.certificate': 'certs/registry.crt', 'https.private_key': './certs/registry.key', data_volume: path.join(dir, 'data'), 'log.local.location': path.join(dir, 'log') }));
    const out = path.join(dir, 'b', 'c', 'harbor.yml');
    mkdirSync(path.dirname(out), { recursive: true });
    const r = await regctlInProcess(['migrate', '--config', input, '--output', out, '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const text = readFileSync(out, 'utf8');
    const y = parse(text);
    expect(y.https.certificate).toBe('../../a/certs/registry.crt');
    expect(y.https.private_key).toBe('../../a/certs/registry.key');
    expect(y.data_volume).toBe(path.join(dir, 'data'));
    // the example's comments survive the edit
    expect(text.split('\n').filter((l) => l.trim().startsWith('#')).length).toBe(readFileSync(input, 'utf8').split('\n').filter((l) => l.trim().startsWith('#')).length);
    expect((await regctlInProcess(['prepare', '--config', out, '--dry-run'], { cwd: dir })).code).toBe(0);
  });

  it('changes nothing in place or for absolute paths', () => {
    expect(relocatedPath('certs/x.crt', '/etc/harbor', '/etc/harbor')).toBeUndefined();
    expect(relocatedPath('/etc/pki/x.crt', '/a', '/b')).toBeUndefined();
    expect(relocatedPath('', '/a', '/b')).toBeUndefined();
    expect(relocatedPath('x', '/a', '/a/x')).toBe('.');
    const text = 'https:\n  certificate: /abs/x.crt # kept\n  private_key: k.key\n';
    expect(relocateText(text, '/a', '/b')).toEqual({ text: 'https:\n  certificate: /abs/x.crt # kept\n  private_key: "../a/k.key"\n', relocations: [{ key: 'https.private_key', from: 'k.key', to: '../a/k.key' }] });
  });
});
