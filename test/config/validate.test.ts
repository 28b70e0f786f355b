import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { RegctlError, type Problem } from '../../src/errors.js';
import { exampleYaml, makeWorkspace, type Workspace } from '../helpers/workspace.js';

const opts = { withTrivy: false, schemaVersion: '2.15.0' };
let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

/** Loads harbor.yml from a workspace with the given edits; returns every problem (errors or warnings). */
function problemsFor(edits: Record<string, unknown>, raw?: (w: Workspace) => string): { problems: Problem[]; threw: boolean; text: string; file: string } {
  ws = makeWorkspace(edits);
  const file = ws.configPath;
  const text = raw ? raw(ws) : readFileSync(file, 'utf8');
  try {
    const loaded = loadConfigText(file, text, opts);
    return { problems: loaded.problems, threw: false, text, file };
  } catch (e) {
    if (!(e instanceof RegctlError)) throw e;
    expect(e.exitCode).toBe(2);
    return { problems: e.problems, threw: true, text, file };
  }
}

function lineOf(text: string, re: RegExp): number {
  const i = text.split('\n').findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`no line matches ${re}`);
  return i + 1;
}

function only(problems: Problem[], code: string): Problem {
  const found = problems.filter((p) => p.code === code);
  expect(found, `problems: ${JSON.stringify(problems.map((p) => p.code))}`).toHaveLength(1);
  return found[0];
}

describe('validation: each rule names file, line, key and a fix', () => {
  it('the bundled example is valid (only default-password warnings)', () => {
    const r = problemsFor({});
    expect(r.threw).toBe(false);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(r.problems.map((p) => p.code).sort()).toEqual(['W_DEFAULT_PASSWORD', 'W_DEFAULT_PASSWORD']);
  });

  it('YAML syntax errors are reported with line and column', () => {
    const r = problemsFor({}, (w) => {
      const bad = readFileSync(w.configPath, 'utf8').replace('  port: 443', '   port: 443\n  certificate x');
      return bad;
    });
    expect(r.threw).toBe(true);
    const p = r.problems[0];
    expect(p.code).toBe('E_YAML_SYNTAX');
    expect(p.file).toBe(r.file);
    expect(p.line).toBeGreaterThan(1);
    expect(p.column).toBeGreaterThan(0);
    expect(p.fix).toBeTruthy();
  });

  const badHostnames: [string, RegExp][] = [
    ['localhost', /loopback/],
    ['127.0.0.1', /127\.0\.0\.1 can not be the hostname/],
    ['127.0.1.1', /loopback/],
    ['::1', /loopback/],
    ['0.0.0.0', /wildcard/],
    ['reg.mydomain.com', /placeholder/],
    ['https://reg.example.com', /scheme/],
    ['reg.example.com:8443', /port/],
    ['reg_example!.com', /not a valid DNS name/],
  ];
  for (const [value, message] of badHostnames) {
    it(`hostname '${value}' is rejected`, () => {
      const r = problemsFor({ hostname: value });
      expect(r.threw).toBe(true);
      const p = only(r.problems, 'E_HOSTNAME');
      expect(p.message).toMatch(message);
      expect(p.key).toBe('hostname');
      expect(p.line).toBe(lineOf(r.text, /^hostname:/));
      expect(p.fix).toMatch(/hostname/);
    });
  }

  it('the certificate placeholder is rejected', () => {
    const r = problemsFor({ 'https.certificate': '/your/certificate/path' });
    const p = only(r.problems, 'E_HTTPS_CERT');
    expect(p.key).toBe('https.certificate');
    expect(p.line).toBe(lineOf(r.text, /^\s+certificate:/));
    expect(p.fix).toMatch(/--generate-certs/);
  });

  it('the private key placeholder is rejected (Harbor misses this one)', () => {
    const r = problemsFor({ 'https.private_key': '/your/private/key/path' });
    const p = only(r.problems, 'E_HTTPS_KEY');
    expect(p.key).toBe('https.private_key');
    expect(p.line).toBe(lineOf(r.text, /^\s+private_key:/));
  });

  it('a missing certificate file is rejected before anything runs', () => {
    const r = problemsFor({ 'https.certificate': '/nonexistent/server.crt' });
    const p = only(r.problems, 'E_FILE_MISSING');
    expect(p.message).toContain('/nonexistent/server.crt');
    expect(p.key).toBe('https.certificate');
  });

  it('a directory where the certificate should be is rejected', () => {
    const r = problemsFor({ 'https.certificate': '/tmp' });
    expect(only(r.problems, 'E_FILE_TYPE').message).toMatch(/directory/);
  });

  it('a certificate that is not PEM is rejected', () => {
    const r = problemsFor({}, (w) => {
      writeFileSync(path.join(w.certDir, 'registry.crt'), 'not a certificate\n');
      return readFileSync(w.configPath, 'utf8');
    });
    expect(only(r.problems, 'E_CERT_PARSE').key).toBe('https.certificate');
  });

  it('a key that does not belong to the certificate is rejected', () => {
    const r = problemsFor({}, (w) => {
      // the CA's key is a real key, but not the server certificate's
      writeFileSync(path.join(w.certDir, 'registry.key'), readFileSync(path.join(w.certDir, 'ca.key')));
      return readFileSync(w.configPath, 'utf8');
    });
    const p = only(r.problems, 'E_KEY_MISMATCH');
    expect(p.key).toBe('https.private_key');
    expect(p.fix).toMatch(/openssl/);
  });

  it('a certificate without an IP SAN for an IP hostname is warned about', () => {
    const r = problemsFor({ hostname: '10.20.30.40' });
    expect(r.threw).toBe(false);
    const p = only(r.problems, 'W_CERT_HOST');
    expect(p.message).toMatch(/no IP SAN for 10\.20\.30\.40/);
    expect(p.fix).toMatch(/--san 10\.20\.30\.40/);
  });

  it('a CN-only certificate is warned about, naming the SAN problem', () => {
    const r = problemsFor({}, (w) => {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=reg.example.com', '-days', '30',
        '-keyout', path.join(w.certDir, 'registry.key'), '-out', path.join(w.certDir, 'registry.crt')], { stdio: 'ignore' });
      return readFileSync(w.configPath, 'utf8');
    });
    expect(only(r.problems, 'W_CERT_CN_ONLY').message).toMatch(/Subject Alternative Name/);
  });

  it('ports out of range and clashing ports are rejected', () => {
    const r1 = problemsFor({ 'http.port': 70000 });
    expect(only(r1.problems, 'E_PORT').key).toBe('http.port');
    const r2 = problemsFor({ 'http.port': 8443, 'https.port': 8443 });
    const p = only(r2.problems, 'E_PORT_CLASH');
    expect(p.key).toBe('https.port');
    expect(p.message).toMatch(/http\.port/);
  });

  it('a non-numeric port is a type error at its line', () => {
    const r = problemsFor({ 'http.port': 'eighty' });
    const p = only(r.problems, 'E_TYPE');
    expect(p.key).toBe('http.port');
    expect(p.line).toBe(lineOf(r.text, /^\s+port: eighty/));
  });

  it('a relative data_volume is rejected', () => {
    const r = problemsFor({ data_volume: 'data' });
    expect(only(r.problems, 'E_PATH').key).toBe('data_volume');
  });

  it('a missing required key names the key and how to add it', () => {
    const r = problemsFor({ 'jobservice.max_job_workers': undefined });
    const p = only(r.problems, 'E_REQUIRED');
    expect(p.key).toBe('jobservice.max_job_workers');
    expect(p.fix).toMatch(/max_job_workers: 10/);
  });

  it('unknown keys are warned with a did-you-mean', () => {
    const r = problemsFor({ 'jobservice.max_job_worker': 5 });
    const p = only(r.problems, 'W_KEY_UNKNOWN');
    expect(p.key).toBe('jobservice.max_job_worker');
    expect(p.fix).toMatch(/did you mean 'jobservice\.max_job_workers'/);
  });

  it('keys of older releases are explained', () => {
    const r = problemsFor({ 'chart.absolute_url': 'disabled' });
    expect(only(r.problems, 'W_KEY_RETIRED').message).toMatch(/ChartMuseum/);
  });

  it('log level must be one of Harbor\'s', () => {
    const r = problemsFor({ 'log.level': 'verbose' });
    const p = only(r.problems, 'E_LOG_LEVEL');
    expect(p.key).toBe('log.level');
  });

  it('external log endpoint needs host, port and tcp/udp', () => {
    const r = problemsFor({ 'log.external_endpoint': { protocol: 'http', host: '', port: 5140 } });
    const codes = r.problems.filter((p) => p.code === 'E_LOG_ENDPOINT').map((p) => p.key).sort();
    expect(codes).toEqual(['log.external_endpoint.host', 'log.external_endpoint.protocol']);
  });

  it('trace enabled without an exporter is rejected', () => {
    const r = problemsFor({ trace: { enabled: true, sample_rate: 1 } });
    expect(only(r.problems, 'E_TRACE').message).toMatch(/no trace exporter/);
  });

  it('upload purging age below 2h is rejected', () => {
    const r = problemsFor({ 'upload_purging.age': '1h' });
    expect(only(r.problems, 'E_PURGE').key).toBe('upload_purging.age');
  });

  it('cache enabled with a zero expiry is rejected', () => {
    const r = problemsFor({ cache: { enabled: true, expire_hours: 0 } });
    expect(only(r.problems, 'E_CACHE').key).toBe('cache.expire_hours');
  });

  it('an unknown quota update provider is rejected', () => {
    const r = problemsFor({ core: { quota_update_provider: 'memory' } });
    expect(only(r.problems, 'E_QUOTA_PROVIDER').message).toMatch(/memory/);
  });

  it('internal TLS with a missing directory is rejected', () => {
    const r = problemsFor({ internal_tls: { enabled: true, dir: '/nonexistent/tls' } });
    expect(only(r.problems, 'E_TLS_DIR').key).toBe('internal_tls.dir');
  });

  it('internal TLS names the missing files', () => {
    const r = problemsFor({}, (w) => {
      const dir = path.join(w.dir, 'tls');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'core.crt'), 'x');
      return exampleYaml({ data_volume: w.dataDir, internal_tls: { enabled: true, dir } });
    });
    const p = only(r.problems, 'E_TLS_FILES');
    expect(p.message).toMatch(/harbor_internal_ca\.crt/);
    expect(p.message).toMatch(/harbor_db\.key/);
    expect(p.message).not.toMatch(/core\.crt,/);
  });

  it('a storage ca_bundle that does not exist is rejected', () => {
    const r = problemsFor({ storage_service: { ca_bundle: '/nonexistent/ca.pem' } });
    expect(only(r.problems, 'E_FILE_MISSING').key).toBe('storage_service.ca_bundle');
  });

  it('neither database nor external_database is an error', () => {
    const r = problemsFor({ database: undefined });
    expect(r.problems.find((p) => p.key === 'database')?.code).toBe('E_REQUIRED');
  });

  it('every problem is reported at once, not just the first', () => {
    const r = problemsFor({ hostname: 'localhost', 'http.port': 0, 'log.level': 'loud', data_volume: 'rel', 'https.private_key': '/your/private/key/path' });
    const codes = r.problems.filter((p) => p.severity === 'error').map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['E_HOSTNAME', 'E_PORT', 'E_LOG_LEVEL', 'E_PATH', 'E_HTTPS_KEY']));
    // sorted by line
    const lines = r.problems.map((p) => p.line ?? 1e9);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });
});

describe('validation: gaps found while rendering', () => {
  it('metrics on a port the components use inside their containers is rejected', () => {
    const r = problemsFor({ metric: { enabled: true, port: 8080, path: '/metrics' } });
    expect(only(r.problems, 'E_PORT_CLASH').key).toBe('metric.port');
  });

  it('a metrics path without a leading slash is rejected', () => {
    const r = problemsFor({ metric: { enabled: true, port: 9090, path: 'metrics' } });
    expect(only(r.problems, 'E_METRIC_PATH').key).toBe('metric.path');
  });

  it('https with both IP families disabled is rejected', () => {
    const r = problemsFor({ ip_family: { ipv4: { enabled: false }, ipv6: { enabled: false } } });
    expect(only(r.problems, 'E_IP_FAMILY').key).toBe('ip_family');
  });

  it('a syslog host with quotes is rejected', () => {
    const r = problemsFor({ 'log.external_endpoint': { protocol: 'tcp', host: 'syslog"; x', port: 5140 } });
    expect(only(r.problems, 'E_LOG_ENDPOINT').key).toBe('log.external_endpoint.host');
  });
});
