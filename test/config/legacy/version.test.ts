/** Which release wrote a harbor.cfg (goharbor/harbor make/harbor.cfg and make/prepare at v1.1.0–v1.7.6), and parseHarborCfg's contract. */
import { describe, expect, it } from 'vitest';
import { detectLegacyVersion, normalizeLegacyVersion } from '../../../src/config/legacy/version.js';
import { parseCfgText } from '../../../src/config/legacy/parse.js';
import { parseHarborCfg } from '../../../src/config/legacy/index.js';

const detect = (text: string) => detectLegacyVersion(parseCfgText('/h.cfg', text).entries);

describe('detectLegacyVersion', () => {
  it('1. trusts _version', () => {
    expect(detect('_version = 1.5.0\nsecretkey_path = /data')).toMatchObject({ version: '1.5', from: '_version' });
    expect(detect('_version = 1.6.0')).toMatchObject({ version: '1.6' });
    expect(detect('_version = 1.7.0')).toMatchObject({ version: '1.7' });
  });

  it('2.–6. otherwise goes by the newest marker key present', () => {
    expect(detect('ldap_verify_cert = true\ndb_host = mysql')).toMatchObject({ version: '1.4', from: 'keys' });
    expect(detect('registry_storage_provider_name = filesystem')).toMatchObject({ version: '1.4' });
    expect(detect('log_rotate_count = 50\nclair_db_password = x')).toMatchObject({ version: '1.3' });
    expect(detect('uaa_endpoint = u')).toMatchObject({ version: '1.3' });
    expect(detect('clair_db_password = x\nadmiral_url = NA')).toMatchObject({ version: '1.2' });
    expect(detect('ldap_timeout = 5')).toMatchObject({ version: '1.1' });
    expect(detect('crt_country = CN')).toMatchObject({ version: '0.5' });
  });

  it('names the key that gave it away', () => {
    expect(detect('hostname = h\nadmiral_url = NA').evidence).toMatchObject({ key: 'admiral_url', line: 2 });
  });

  it('returns null when nothing tells', () => {
    expect(detect('hostname = h')).toEqual({ version: null, from: 'none', badVersionValue: undefined });
  });

  it('ignores a _version that is no 1.x harbor.cfg release', () => {
    expect(detect('_version = 2.0.0\nclair_db_password = x')).toMatchObject({ version: '1.2', from: 'keys', badVersionValue: '2.0.0' });
    expect(normalizeLegacyVersion('1.5.0')).toBe('1.5');
    expect(normalizeLegacyVersion('v1.7.5')).toBe('1.7');
    expect(normalizeLegacyVersion('1.8.0')).toBeUndefined();
    expect(normalizeLegacyVersion('latest')).toBeUndefined();
  });
});

describe('parseHarborCfg', () => {
  it('returns a cfg document with warnings when the file parses', () => {
    const r = parseHarborCfg('/etc/harbor/harbor.cfg', 'hostname = h.example.com\nui_url_protocol = http\ndb_password = p\nmax_job_workers = 3\nharbor_admin_password = a\n');
    expect(r.doc).toMatchObject({ file: '/etc/harbor/harbor.cfg', format: 'cfg' });
    expect(r.problems).toEqual([]);
  });

  it('returns no document when a line is unreadable, but still reports every problem at once', () => {
    const r = parseHarborCfg('/etc/harbor/harbor.cfg', 'hostname = h.example.com\nbroken line\nmax_job_workers = many\nstill broken\n');
    expect(r.doc).toBeUndefined();
    expect(r.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.line])).toEqual([
      ['E_CFG_SYNTAX', 2],
      ['E_CFG_NOT_INTEGER', 3],
      ['E_CFG_SYNTAX', 4],
    ]);
  });

  it('returns the document with mapping errors, for the caller to stop on', () => {
    const r = parseHarborCfg('/h.cfg', 'ui_url_protocol = http\n');
    expect(r.doc).toBeDefined();
    expect(r.problems.some((p) => p.severity === 'error' && p.code === 'E_CFG_MISSING_KEY')).toBe(true);
  });
});
