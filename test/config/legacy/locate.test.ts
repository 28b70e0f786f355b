/** locate(): every harbor.yml key points back at the legacy line that produced it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHarborCfg } from '../../../src/config/legacy/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED = path.resolve(here, '../../../examples/harbor.cfg');

/** 1-based line of the first line matching re, found independently of the parser */
const lineOf = (text: string, re: RegExp) => text.split('\n').findIndex((l) => re.test(l)) + 1;

describe('locate() on the seed harbor.cfg', () => {
  const text = readFileSync(SEED, 'utf8');
  const doc = parseHarborCfg(SEED, text).doc!;

  it('points https.certificate at the ssl_cert line and names both keys', () => {
    expect(lineOf(text, /^ssl_cert\s*=/)).toBe(22);
    expect(doc.locate('https.certificate')).toEqual({ file: SEED, line: 22, column: 13, key: 'ssl_cert (→ https.certificate)' });
    expect(doc.locate('https.private_key')).toMatchObject({ line: lineOf(text, /^ssl_cert_key\s*=/), key: 'ssl_cert_key (→ https.private_key)' });
  });

  it('points each mapped key at its legacy line', () => {
    const cases: Array<[string, RegExp, string]> = [
      ['hostname', /^hostname\s*=/, 'hostname'],
      ['https', /^ui_url_protocol\s*=/, 'ui_url_protocol'],
      ['https.port', /^ui_url_protocol\s*=/, 'ui_url_protocol'],
      ['database.password', /^db_password\s*=/, 'db_password'],
      ['jobservice.max_job_workers', /^max_job_workers\s*=/, 'max_job_workers'],
      ['harbor_admin_password', /^harbor_admin_password\s*=/, 'harbor_admin_password'],
    ];
    for (const [keyPath, re, legacy] of cases) {
      expect(doc.locate(keyPath), keyPath).toMatchObject({ file: SEED, line: lineOf(text, re), key: `${legacy} (→ ${keyPath})` });
    }
  });

  it('falls back to the nearest parent that came from the file', () => {
    expect(doc.locate('https.strong_ssl_ciphers')).toMatchObject({ line: lineOf(text, /^ui_url_protocol/), key: 'ui_url_protocol (→ https.strong_ssl_ciphers)' });
  });

  it('gives the file alone for template defaults no legacy line produced', () => {
    expect(doc.locate('data_volume')).toEqual({ file: SEED, key: 'data_volume' });
    expect(doc.locate('jobservice.job_loggers')).toEqual({ file: SEED, key: 'jobservice.job_loggers' });
    expect(doc.locate('database.max_idle_conns')).toEqual({ file: SEED, key: 'database.max_idle_conns' });
  });
});

describe('locate() for derived and multi-line sources', () => {
  const FILE = '/srv/harbor/harbor.cfg';
  const text = [
    '_version = 1.7.0', // 1
    'hostname = reg.example.com:8080', // 2
    'ui_url_protocol = http', // 3
    'db_password = pw', // 4
    'max_job_workers = 10', // 5
    'harbor_admin_password = adm', // 6
    'db_host = pg.example.com', // 7
    'db_port = 5433', // 8
    'db_user = harbor', // 9
    'redis_host = cache.example.com', // 10
    'redis_port = 6380', // 11
    'registry_storage_provider_name = s3', // 12
    'registry_storage_provider_config = region: eu-west-1, bucket: harbor', // 13
    '',
  ].join('\n');
  const doc = parseHarborCfg(FILE, text).doc!;

  it('points a port split off the hostname at the hostname line', () => {
    expect(doc.locate('http.port')).toMatchObject({ line: 2, key: 'hostname (→ http.port)' });
    expect(doc.locate('https')).toMatchObject({ line: 3, key: 'ui_url_protocol (→ https)' });
  });

  it('points external_database keys at their db_* lines', () => {
    expect(doc.locate('external_database.harbor.host')).toMatchObject({ line: 7, key: 'db_host (→ external_database.harbor.host)' });
    expect(doc.locate('external_database.harbor.port')).toMatchObject({ line: 8 });
    expect(doc.locate('external_database.harbor.username')).toMatchObject({ line: 9 });
    expect(doc.locate('external_database.harbor.password')).toMatchObject({ line: 4, key: 'db_password (→ external_database.harbor.password)' });
    expect(doc.locate('external_database')).toMatchObject({ line: 7 });
  });

  it('names both legacy keys for a value merged from two lines', () => {
    expect(doc.locate('external_redis.host')).toMatchObject({ line: 10, key: 'redis_host, redis_port (→ external_redis.host)' });
  });

  it('points storage settings at the provider config line', () => {
    expect(doc.locate('storage_service.s3.bucket')).toMatchObject({ line: 13, key: 'registry_storage_provider_config (→ storage_service.s3.bucket)' });
    expect(doc.locate('storage_service')).toMatchObject({ line: 12 });
  });
});
