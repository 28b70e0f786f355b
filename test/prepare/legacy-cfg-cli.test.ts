import { describe, it, expect } from 'vitest';
import { copyFileSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { regctlInProcess } from '../helpers/cli.js';
import { examplesDir } from '../helpers/workspace.js';
import { tempDirSync } from '../helpers/tmp.js';

let dir = '';

describe('regctl prepare with the seed walk-through\'s harbor.cfg', () => {
  it('renders a Harbor v2.15 tree from the v1.1 file, and lists the settings harbor.yml cannot hold in one warning', async () => {
    dir = tempDirSync('regctl-cfg');
    mkdirSync(path.join(dir, 'certs'));
    for (const f of ['registry.crt', 'registry.key']) copyFileSync(path.join(examplesDir, 'certs', f), path.join(dir, 'certs', f));
    const cfg = path.join(dir, 'harbor.cfg');
    writeFileSync(cfg, readFileSync(path.join(examplesDir, 'harbor.cfg'), 'utf8'));
    const root = path.join(dir, 'root');
    mkdirSync(root);
    const r = await regctlInProcess(['prepare', '--config', cfg, '--root', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/W_CFG_UNMAPPED/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/auth_mode \(line \d+\)/);
    expect(r.stdout + r.stderr).not.toContain('haichuang'); // the seed's passwords are never echoed

    const install = path.join(root, dir);
    const env = readFileSync(path.join(install, 'common/config/core/env'), 'utf8');
    expect(env).toMatch(/^EXT_ENDPOINT=https:\/\/192\.168\.120\.85$/m);
    expect(env).toMatch(/^MAX_JOB_WORKERS=3$/m);
    expect(env).toMatch(/^HARBOR_ADMIN_PASSWORD=haichuang$/m);
    expect(readFileSync(path.join(install, 'common/config/db/env'), 'utf8')).toBe('POSTGRES_PASSWORD=haichuang\n');
    const compose = parse(readFileSync(path.join(install, 'docker-compose.yml'), 'utf8'));
    expect(compose.services.proxy.ports).toEqual(expect.arrayContaining(['80:8080', '443:8443']));
    // data_volume is /data for a legacy file (written under --root)
    expect(readFileSync(path.join(root, 'data/secret/cert/server.crt'), 'utf8')).toBe(readFileSync(path.join(examplesDir, 'certs/registry.crt'), 'utf8'));
  });

  it('a broken cfg line is an error with its line number, and nothing is written', async () => {
    dir = tempDirSync('regctl-cfg');
    const cfg = path.join(dir, 'harbor.cfg');
    writeFileSync(cfg, readFileSync(path.join(examplesDir, 'harbor.cfg'), 'utf8').replace('db_password = haichuang', 'db_password haichuang'));
    mkdirSync(path.join(dir, 'root'));
    const r = await regctlInProcess(['prepare', '--config', cfg, '--root', path.join(dir, 'root')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/harbor\.cfg:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(path.join(dir, 'root', 'data/secret/keys/secretkey'))).toThrow();
  });

  /** The example harbor.cfg with `edit` applied, in a fresh dir with the example certs and an empty --root. */
  function legacyWorkspace(edit: (text: string) => string): { cfg: string; root: string } {
    dir = tempDirSync('regctl-cfg');
    mkdirSync(path.join(dir, 'certs'));
    for (const f of ['registry.crt', 'registry.key']) copyFileSync(path.join(examplesDir, 'certs', f), path.join(dir, 'certs', f));
    const cfg = path.join(dir, 'harbor.cfg');
    writeFileSync(cfg, edit(readFileSync(path.join(examplesDir, 'harbor.cfg'), 'utf8')));
    const root = path.join(dir, 'root');
    mkdirSync(root);
    return { cfg, root };
  }

  it('a misspelt ui_url_protocol exits 2 naming the key and line with a did-you-mean, and writes nothing', async () => {
    const { cfg, root } = legacyWorkspace((t) => t.replace('ui_url_protocol = https', 'ui_url_protocol = htps'));
    const r = await regctlInProcess(['prepare', '--config', cfg, '--root', root]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/harbor\.cfg:10:\d+ key 'ui_url_protocol \(→ https\)'.*'htps' is not one of http, https/);
    expect(r.stderr).toMatch(/fix: did you mean 'https'\?/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('ui_url_protocol = http with ssl_cert naming an existing certificate exits 2 (the user meant https)', async () => {
    const { cfg, root } = legacyWorkspace((t) => t.replace('ui_url_protocol = https', 'ui_url_protocol = http'));
    const r = await regctlInProcess(['prepare', '--config', cfg, '--root', root]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/harbor\.cfg:22:\d+ key 'ssl_cert'.*existing certificate .*registry\.crt.*ui_url_protocol is http/);
    expect(readdirSync(root)).toEqual([]);
    // the same file with ssl_cert cleared serves plain http on purpose
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^ssl_cert = .*$/m, 'ssl_cert =').replace(/^ssl_cert =  .*$/m, 'ssl_cert ='));
    const ok = await regctlInProcess(['prepare', '--config', cfg, '--root', root]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  });

  it('--generate-certs with ui_url_protocol = http exits 2: the certificate would never be served', async () => {
    const { cfg, root } = legacyWorkspace((t) => t.replace('ui_url_protocol = https', 'ui_url_protocol = http').replace(/^ssl_cert =.*$/m, 'ssl_cert =').replace(/^ssl_cert_key =.*$/m, 'ssl_cert_key ='));
    const r = await regctlInProcess(['prepare', '--config', cfg, '--root', root, '--generate-certs']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/harbor\.cfg:10:\d+ .*--generate-certs .*plain http/);
    expect(r.stderr).toContain('set ui_url_protocol = https');
    expect(readdirSync(root)).toEqual([]);
  });

  it('a continuation line glued onto db_password exits 2 naming its line: no CORE_SECRET=... is injected', async () => {
    const { cfg, root } = legacyWorkspace((t) => t.replace(/^db_password = (.*)$/m, 'db_password = $1\n  CORE_SECRET=injected'));
    const r = await regctlInProcess(['prepare', '--config', cfg, '--root', root]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/harbor\.cfg:\d+:\d+ key 'db_password \(→ database\.password\)'.*contains a newline.*\[E_CONTROL_CHARACTER\]/);
    expect(r.stdout + r.stderr).not.toContain('injected');
    expect(readdirSync(root)).toEqual([]);
  });
});
