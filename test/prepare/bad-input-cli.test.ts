import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { regctlInProcess } from '../helpers/cli.js';
import { changedPaths, snapshot } from '../helpers/tree.js';
import { exampleYaml, makeWorkspace, type Workspace } from '../helpers/workspace.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';

/**
 * About twenty kinds of bad input, each run through the CLI after a good prepare: exit 2, a message
 * naming the key (or the line), a fix, no stack trace, and the earlier output left untouched.
 */
const cases: { name: string; edits?: Record<string, unknown>; raw?: (good: string) => string; args?: string[]; expect: RegExp }[] = [
  { name: 'YAML indentation slip', raw: (g) => g.replace('  port: 443', ' port: 443'), expect: /harbor\.yml:\d+:\d+.*YAML syntax error/ },
  { name: 'tab indentation', raw: (g) => g.replace('  port: 443', '\tport: 443'), expect: /harbor\.yml:\d+:\d+/ },
  { name: 'duplicate key', raw: (g) => g.replace('hostname: reg.example.com', 'hostname: reg.example.com\nhostname: other.example.com'), expect: /harbor\.yml:\d+:\d+.*(duplicate|unique)/i },
  { name: 'hostname localhost', edits: { hostname: 'localhost' }, expect: /key 'hostname'.*loopback/ },
  { name: 'hostname 127.0.0.1', edits: { hostname: '127.0.0.1' }, expect: /key 'hostname'/ },
  { name: 'hostname placeholder', edits: { hostname: 'reg.mydomain.com' }, expect: /key 'hostname'.*placeholder/ },
  { name: 'hostname with port', edits: { hostname: 'reg.example.com:443' }, expect: /key 'hostname'.*port/ },
  { name: 'hostname with scheme', edits: { hostname: 'https://reg.example.com' }, expect: /key 'hostname'.*scheme/ },
  { name: 'certificate placeholder', edits: { 'https.certificate': '/your/certificate/path' }, expect: /key 'https\.certificate'/ },
  { name: 'private key placeholder', edits: { 'https.private_key': '/your/private/key/path' }, expect: /key 'https\.private_key'/ },
  { name: 'certificate file missing', edits: { 'https.certificate': '/nonexistent/x.crt' }, expect: /key 'https\.certificate'.*does not exist/ },
  { name: 'key of another certificate', raw: (g) => g.replace('certs/registry.key', 'certs/ca.key'), expect: /key 'https\.private_key'.*does not belong/ },
  { name: 'port out of range', edits: { 'https.port': 70000 }, expect: /key 'https\.port'.*out of range/ },
  { name: 'same port twice', edits: { 'http.port': 443 }, expect: /key 'https\.port'.*already uses/ },
  { name: 'port not a number', edits: { 'http.port': 'eighty' }, expect: /key 'http\.port'.*whole number/ },
  { name: 'relative data_volume', edits: { data_volume: 'data' }, expect: /key 'data_volume'.*absolute/ },
  { name: 'missing required key', edits: { 'jobservice.max_job_workers': undefined }, expect: /key 'jobservice\.max_job_workers'.*required/ },
  { name: 'bad log level', edits: { 'log.level': 'verbose' }, expect: /key 'log\.level'/ },
  { name: 'syslog over http', edits: { 'log.external_endpoint': { protocol: 'http', host: 'syslog', port: 5140 } }, expect: /key 'log\.external_endpoint\.protocol'/ },
  { name: 'trace without exporter', edits: { trace: { enabled: true } }, expect: /key 'trace'.*exporter/ },
  { name: 'upload purging too short', edits: { 'upload_purging.age': '1h' }, expect: /key 'upload_purging\.age'/ },
  { name: 'cache without expiry', edits: { cache: { enabled: true, expire_hours: 0 } }, expect: /key 'cache\.expire_hours'/ },
  { name: 'quota provider', edits: { core: { quota_update_provider: 'memory' } }, expect: /key 'core\.quota_update_provider'/ },
  { name: 'internal TLS dir missing', edits: { internal_tls: { enabled: true, dir: '/nonexistent/tls' } }, expect: /key 'internal_tls\.dir'/ },
  { name: 'external database incomplete', edits: { external_database: { harbor: { host: 'db' } } }, expect: /key 'external_database\.harbor\.port'.*required/ },
  // A value outside its allowed set, or a misspelt key that decides what is served, is an error.
  { name: 'misspelt https block', raw: (g) => g.replace(/^https:/m, 'htps:'), expect: /key 'htps'.*did you mean 'https'/ },
  { name: 'misspelt data_volume', raw: (g) => g.replace(/^data_volume:/m, 'data_volum:'), expect: /key 'data_volum'.*did you mean 'data_volume'/ },
  { name: 'certificate outside https', raw: (g) => g.replace(/^https:\n  port: 443\n  certificate: (.*)\n  private_key: (.*)\n/m, 'certificate: $1\nprivate_key: $2\n'), expect: /key 'certificate'.*only read under https/ },
  { name: 'misspelt storage provider', edits: { storage_service: { s4: { bucket: 'b' } } }, expect: /key 'storage_service\.s4'.*did you mean 'storage_service\.s3'/ },
  { name: 'log level misspelt', edits: { 'log.level': 'infoo' }, expect: /key 'log\.level'.*'infoo' is not one of[\s\S]*did you mean 'info'/ },
  { name: 'job logger misspelt', edits: { 'jobservice.job_loggers': ['STD_OUTPUT', 'FIEL'] }, expect: /key 'jobservice\.job_loggers'[\s\S]*did you mean 'FILE'/ },
  { name: 'ssl mode misspelt', edits: { external_database: { harbor: { host: 'db', port: 5432, db_name: 'registry', username: 'u', password: 'p', ssl_mode: 'requir' } } }, expect: /key 'external_database\.harbor\.ssl_mode'[\s\S]*did you mean 'require'/ },
  { name: '--generate-certs on plain http', edits: { https: undefined }, args: ['--generate-certs'], expect: /key 'https'.*--generate-certs.*plain http/ },
  { name: 'unclosed quote, reported where it opens', raw: (g) => g.replace(/^hostname: (.*)$/m, 'hostname: "$1'), expect: /harbor\.yml:8:11: YAML syntax error: Missing closing "quote \(opened on this line\)/ },
  { name: 'YAML alias bomb', raw: (g) => `${g}\nbomb1: &a ["x","x","x","x","x","x","x","x","x"]\nbomb2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nbomb3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nbomb4: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`, expect: /too many YAML aliases.*\[E_YAML_ALIASES\]/ },
  { name: 'duplicate key deep inside a block', raw: (g) => g.replace('  port: 443', '  port: 443\n  port: 8443'), expect: /harbor\.yml:\d+:3: YAML syntax error: map keys must be unique; 'port' is written twice/ },
  // control characters would inject lines into env files (CORE_SECRET=..., POSTGRES_USER=...)
  { name: 'newline in the database password', edits: { 'database.password': 'pw\nPOSTGRES_USER=evil' }, expect: /key 'database\.password'.*contains a newline/ },
  { name: 'NUL in the admin password', edits: { harbor_admin_password: 'Harbor\u000012345' }, expect: /key 'harbor_admin_password'.*contains a NUL byte/ },
  { name: 'newline in data_volume', raw: (g) => g.replace(/^data_volume: .*$/m, 'data_volume: "/data\\nx"'), expect: /key 'data_volume'.*contains a newline/ },
  { name: 'escape character in an external redis password', edits: { external_redis: { host: 'redis:6379', password: 'a\u001bb', registry_db_index: 1, jobservice_db_index: 2, trivy_db_index: 5, idle_timeout_seconds: 30 } }, expect: /key 'external_redis\.password'.*U\+001B/ },
  { name: 'metrics on core\'s port', edits: { metric: { enabled: true, port: 8080, path: '/metrics' } }, expect: /key 'metric\.port'/ },
];

let ws: Workspace;
let good: string;
let before: Map<string, unknown>;
const trees = () => new Map<string, unknown>([...snapshot(ws.installDir), ...[...snapshot(ws.dataDir)].map(([k, v]) => [`data:${k}`, v] as const)]);

beforeAll(async () => {
  ws = makeWorkspace();
  await seedTokenKeyPair(ws.dataDir); // the suite's token pair, kept by prepare: no RSA-4096 generation here
  good = readFileSync(ws.configPath, 'utf8');
  const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir]);
  expect(r.code, r.stderr).toBe(0);
  before = trees();
});
afterAll(() => ws.cleanup());

describe('regctl prepare rejects bad input clearly and leaves the earlier tree untouched', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const text = c.raw
        ? c.raw(good)
        : exampleYaml({ data_volume: ws.dataDir, 'log.local.location': path.join(ws.dir, 'log'), ...c.edits });
      writeFileSync(ws.configPath, text);
      const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir, ...(c.args ?? [])]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.expect);
      expect(r.stderr).toMatch(/^\s+fix: /m);
      expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
      expect(changedPaths(before as never, trees() as never)).toEqual([]);
    });
  }
});
