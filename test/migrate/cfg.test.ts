/**
 * regctl migrate for a harbor.cfg: every sample cfg and the seed's migrate to a harbor.yml that
 * regctl validates, each legacy key's fate in the report, the database settings as
 * CONFIG_OVERWRITE_JSON and a curl call with no password in them, and --apply-secrets.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cfgToYmlText, settingsCommands } from '../../src/migrate/cfg.js';
import { loadConfigText } from '../../src/config/load.js';
import { defaultRelease, findRelease } from '../../src/releases/index.js';
import { jsonResult, regctlInProcess } from '../helpers/cli.js';
import { tempDirSync } from '../helpers/tmp.js';
import { repoRoot } from '../helpers/workspace.js';

const samples = path.join(repoRoot, 'test/config/legacy/fixtures');
const sampleFiles = readdirSync(samples).filter((f) => /^harbor-v1\.\d\.\d\.cfg$/.test(f));

function seedDir(): string {
  const dir = tempDirSync('regctl-migrate-cfg');
  cpSync(path.join(repoRoot, 'examples/harbor.cfg'), path.join(dir, 'harbor.cfg'));
  cpSync(path.join(repoRoot, 'examples/certs'), path.join(dir, 'certs'), { recursive: true });
  return dir;
}

describe('every sample harbor.cfg migrates to a harbor.yml regctl validates', () => {
  it.each(sampleFiles)('%s (hostname set to a real address)', (name) => {
    const file = path.join('/tmp/x', name);
    const text = readFileSync(path.join(samples, name), 'utf8').replace(/^hostname = .*$/m, 'hostname = 192.168.120.85');
    const r = cfgToYmlText(file, text, defaultRelease);
    const data = parse(r.text) as Record<string, any>;
    expect(data._version).toBe('2.15.0');
    expect(data.hostname).toBe('192.168.120.85');
    expect(r.text).toContain('# harbor.yml for Harbor v2.15.2');
    const loaded = loadConfigText('/tmp/x/harbor.yml', r.text, { withTrivy: false, schemaVersion: '2.15.0' });
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // every key of the cfg has exactly one fate in the report
    const keys = r.report.keys.map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(r.entries.size);
  });

  it('for the 2.13 line the keys it does not read are left out', () => {
    const text = readFileSync(path.join(samples, 'harbor-v1.7.5.cfg'), 'utf8').replace(/^hostname = .*$/m, 'hostname = 192.168.120.85');
    const r = cfgToYmlText('/tmp/x/harbor.cfg', text, findRelease('2.13')!);
    const data = parse(r.text) as Record<string, any>;
    expect(data._version).toBe('2.13.0');
    expect(data.trivy.db_repository).toBeUndefined();
    expect(loadConfigText('/tmp/x/harbor.yml', r.text, { withTrivy: false, schemaVersion: '2.13.0' }).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe("the seed's harbor.cfg", () => {
  const text = readFileSync(path.join(repoRoot, 'examples/harbor.cfg'), 'utf8');
  const r = cfgToYmlText(path.join(repoRoot, 'examples/harbor.cfg'), text, defaultRelease);
  const data = parse(r.text) as Record<string, any>;

  it('maps its values onto the example template, comments kept', () => {
    expect(data).toMatchObject({
      hostname: '192.168.120.85',
      https: { port: 443, certificate: 'certs/registry.crt', private_key: 'certs/registry.key' },
      harbor_admin_password: 'haichuang',
      database: { password: 'haichuang' },
      jobservice: { max_job_workers: 3, job_loggers: ['STD_OUTPUT', 'FILE'] },
      _version: '2.15.0',
    });
    expect(r.text).toContain('# first start only');
  });

  it('reports each key: mapped (to which key), in the database, or dropped and why', () => {
    const fate = Object.fromEntries(r.report.keys.map((k) => [k.key, k]));
    expect(fate['hostname']).toMatchObject({ fate: 'mapped', to: expect.arrayContaining(['hostname']) });
    expect(fate['ssl_cert']).toMatchObject({ fate: 'mapped', to: ['https.certificate'] });
    expect(fate['max_job_workers']).toMatchObject({ fate: 'mapped', to: ['jobservice.max_job_workers'] });
    expect(fate['ldap_url']).toMatchObject({ fate: 'database', setting: 'ldap_url', differs: true });
    // ldap_scope = 3 meant subtree in 1.1–1.3: today's 2, Harbor's default
    expect(fate['ldap_scope']).toMatchObject({ fate: 'database', setting: 'ldap_scope', differs: false });
    expect(fate['auth_mode']).toMatchObject({ fate: 'database', differs: false });
    expect(fate['email_server']).toMatchObject({ fate: 'dropped', why: expect.stringContaining('v2.7') });
    expect(fate['verify_remote_cert']).toMatchObject({ fate: 'dropped' });
    expect(fate['secretkey_path']).toMatchObject({ fate: 'dropped' });
  });

  it('only the database settings that differ from Harbor defaults', () => {
    expect(r.systemSettings).toEqual({
      ldap_url: 'ldaps://ldap.mydomain.com',
      ldap_base_dn: 'ou=people,dc=mydomain,dc=com',
      ldap_uid: 'uid',
      self_registration: true,
      project_creation_restriction: 'adminonly',
    });
  });
});

describe('database settings as commands', () => {
  it('secrets are read from the terminal and spliced in as variables, never printed', () => {
    const c = settingsCommands({ ldap_url: 'ldap://x', ldap_search_password: 'hunter2-secret', ldap_scope: 1 }, 'https://reg.example.com');
    const all = [c.json, ...c.curl].join('\n');
    expect(all).not.toContain('hunter2-secret');
    expect(c.curl[0]).toMatch(/^read -rsp 'ldap_search_password: ' LDAP_SEARCH_PASSWORD; echo; /);
    expect(c.json).toBe(`'{"ldap_url":"ldap://x","ldap_search_password":"'"$LDAP_SEARCH_PASSWORD"'","ldap_scope":1}'`);
    expect(c.curl[1]).toContain('curl -u admin -X PUT');
    expect(c.curl[1]).toContain('https://reg.example.com/api/v2.0/configurations');
    expect(c.shown.ldap_search_password).toEqual({ secret: true });
  });

  it('run in a real shell, a password with quotes, backslashes and spaces comes out as valid JSON with its exact value', () => {
    const c = settingsCommands({ ldap_url: 'ldap://x', ldap_search_password: 'x' }, 'https://reg.example.com');
    const password = String.raw`pa"ss\w o'rd$HOME`;
    const out = execFileSync('bash', ['-c', `${c.curl[0]}\nprintf '%s' ${c.json}`], { input: `${password}\n`, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ ldap_url: 'ldap://x', ldap_search_password: password });
  });
});

describe('regctl migrate --config harbor.cfg', () => {
  it('writes harbor.yml next to it, prints the report, the JSON envelope has no secret', async () => {
    const dir = seedDir();
    const cfg = readFileSync(path.join(dir, 'harbor.cfg'), 'utf8').replace(/^ldap_searchdn.*$/m, '') + '\nldap_search_pwd = very-secret-pw\nldap_searchdn = cn=admin\n';
    writeFileSync(path.join(dir, 'harbor.cfg'), cfg);
    const r = await regctlInProcess(['migrate', '--config', path.join(dir, 'harbor.cfg'), '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain('very-secret-pw');
    expect(`${r.stdout}${r.stderr}`).not.toContain('haichuang');
    const env = jsonResult(r.stdout);
    expect(env.data).toMatchObject({ inputFormat: 'cfg', wrote: true, output: path.join(dir, 'harbor.yml') });
    expect(env.data.report.settings.ldap_search_password).toEqual({ secret: true });
    expect(env.data.report.configOverwriteJson).toContain('"ldap_url":"ldaps://ldap.mydomain.com"');
    // the seed is a Harbor 1.1 file: its MySQL data is a next step
    expect(env.data.nextSteps.map((p: { code: string }) => p.code)).toContain('W_CFG_MYSQL_DATA');
    const loaded = loadConfigText(path.join(dir, 'harbor.yml'), readFileSync(path.join(dir, 'harbor.yml'), 'utf8'), { withTrivy: false, schemaVersion: '2.15.0' });
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // a second run does not overwrite it
    const again = await regctlInProcess(['migrate', '--config', path.join(dir, 'harbor.cfg'), '--json'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(jsonResult(again.stdout).error?.code).toBe('E_OUTPUT_EXISTS');
  });

  it('text mode prints the key-by-key report and the curl call', async () => {
    const dir = seedDir();
    const r = await regctlInProcess(['migrate', '--config', path.join(dir, 'harbor.cfg'), '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mapped into harbor.yml');
    expect(r.stdout).toContain("in Harbor's database now");
    expect(r.stdout).toContain('dropped');
    expect(r.stdout).toContain('CONFIG_OVERWRITE_JSON=');
    expect(r.stdout).toContain('curl -u admin -X PUT');
    expect(existsSync(path.join(dir, 'harbor.yml'))).toBe(false);
  });
});

describe('--apply-secrets', () => {
  const setup = () => {
    const dir = seedDir();
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'data'), { recursive: true });
    writeFileSync(path.join(root, 'data/secretkey'), 'abcdefghijklmnop');
    writeFileSync(path.join(root, 'data/defaultalias'), 'alias-1');
    return { dir, root };
  };

  it('copies secretkey and defaultalias to data_volume/secret/keys (0600)', async () => {
    const { dir, root } = setup();
    const r = await regctlInProcess(['migrate', '--config', path.join(dir, 'harbor.cfg'), '--apply-secrets', '--root', root, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(root, 'data/secret/keys/secretkey'), 'utf8')).toBe('abcdefghijklmnop');
    expect(readFileSync(path.join(root, 'data/secret/keys/defaultalias'), 'utf8')).toBe('alias-1');
    expect(statSync(path.join(root, 'data/secret/keys/secretkey')).mode & 0o777).toBe(0o600);
    expect(jsonResult(r.stdout).data.secrets.map((s: { status: string }) => s.status)).toEqual(['copied', 'copied']);
    expect(r.stdout).not.toContain('abcdefghijklmnop');
  });

  it('a different secretkey already there: says so and stops, nothing written', async () => {
    const { dir, root } = setup();
    mkdirSync(path.join(root, 'data/secret/keys'), { recursive: true });
    writeFileSync(path.join(root, 'data/secret/keys/secretkey'), 'ZZZZZZZZZZZZZZZZ');
    const r = await regctlInProcess(['migrate', '--config', path.join(dir, 'harbor.cfg'), '--apply-secrets', '--root', root, '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_SECRETKEY_DIFFERS');
    expect(readFileSync(path.join(root, 'data/secret/keys/secretkey'), 'utf8')).toBe('ZZZZZZZZZZZZZZZZ');
    expect(existsSync(path.join(dir, 'harbor.yml'))).toBe(false);
  });

  it('no secretkey at secretkey_path: exit 2', async () => {
    const { dir } = setup();
    const empty = path.join(dir, 'empty-root');
    mkdirSync(empty);
    const r = await regctlInProcess(['migrate', '--config', path.join(dir, 'harbor.cfg'), '--apply-secrets', '--root', empty, '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_SECRETKEY_MISSING');
  });
});
