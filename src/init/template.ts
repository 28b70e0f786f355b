/**
 * harbor.yml text for an InitModel: a pure function over regctl's own annotated template
 * (derived from examples/harbor.yml, not Harbor's harbor.yml.tmpl text). One template serves
 * every release line: a line tagged with a key is written only for the lines that read that key
 * (src/config/key-lifetimes.ts), so a 2.14 file never carries trivy.db_repository.
 */
import { keyOutsideLine } from '../config/key-lifetimes.js';
import { lineOf } from '../releases/index.js';
import { certificatePaths, type InitModel } from './model.js';

/**
 * Keys of the template that key-lifetimes.ts does not list because config validation never needs
 * them, but that not every line's harbor.yml.tmpl has: trivy.timeout first appears in v2.11.0's.
 */
const TEMPLATE_ONLY_LIFETIMES: Record<string, string> = { 'trivy.timeout': '2.11.0' };

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Does this line's harbor.yml read `key`? */
export function lineReads(key: string, schemaVersion: string): boolean {
  if (keyOutsideLine(key, schemaVersion)) return false;
  const since = TEMPLATE_ONLY_LIFETIMES[key];
  return !since || compare(schemaVersion, since) >= 0;
}

const YAML_PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./@+-]*$/;
const YAML_AMBIGUOUS = /^(true|false|yes|no|on|off|null|y|n|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o?[0-7]+)$/i;

/** A YAML scalar that PyYAML and the yaml package read back as exactly this string. */
export function yamlString(value: string): string {
  if (value === '') return '';
  if (YAML_PLAIN.test(value) && !YAML_AMBIGUOUS.test(value)) return value;
  return JSON.stringify(value); // a double-quoted YAML scalar is JSON's string syntax
}

type Line = string | { key: string; text: string };

export function renderHarborYml(m: InitModel, opts: { generatedAt?: string } = {}): string {
  const schema = m.release.schemaVersion;
  const line = lineOf(m.release);
  const https = m.protocol === 'https' && m.cert ? certificatePaths(m.cert) : undefined;
  const at = opts.generatedAt ? ` on ${opts.generatedAt}` : '';
  const out: Line[] = [
    `# harbor.yml for Harbor ${m.release.version} (the ${line} line), written by \`regctl init\`${at}.`,
    '# Render and start it with `regctl prepare` / `regctl install`; every key below is checked there.',
    '# This file holds the initial passwords: keep it readable by root only (mode 0600).',
    '',
    '# The name or address clients (docker login, browsers) use to reach this host.',
    '# Not localhost or 127.0.0.1: the token service would send clients to themselves.',
    `hostname: ${yamlString(m.hostname)}`,
    '',
  ];
  if (https) {
    out.push(
      '# Plain http only redirects to https.',
      'http:',
      `  port: ${m.httpPort}`,
      '',
      '# The certificate must cover the hostname (an IP needs an IP SAN); the key stays readable by root only.',
      'https:',
      `  port: ${m.httpsPort}`,
      `  certificate: ${yamlString(https.certificate)}`,
      `  private_key: ${yamlString(https.privateKey)}`,
      '',
    );
  } else {
    out.push(
      '# Served over plain http: every Docker client must list this registry under',
      '# insecure-registries (regctl cert trust --insecure --registry HOST:PORT does it).',
      'http:',
      `  port: ${m.httpPort}`,
      '',
    );
  }
  out.push(
    '# Applied on the first start only; change it in the web UI afterwards.',
    `harbor_admin_password: ${yamlString(m.adminPassword)}`,
    '',
    '# The bundled PostgreSQL (ignored when external_database is set). Applied on the first start only.',
    'database:',
    `  password: ${yamlString(m.databasePassword)}`,
    '  max_idle_conns: 100',
    '  max_open_conns: 900',
    '  conn_max_lifetime: 5m',
    '  conn_max_idle_time: 0',
    '',
    '# Where Harbor keeps images, the database and its secrets on this host.',
    `data_volume: ${yamlString(m.dataVolume)}`,
    '',
    '# The Trivy scanner (started with `--with-trivy`); these keys are read either way.',
    'trivy:',
    '  ignore_unfixed: false',
    '  skip_update: false',
    { key: 'trivy.skip_java_db_update', text: '  skip_java_db_update: false' },
    { key: 'trivy.db_repository', text: '  db_repository: ghcr.io/aquasecurity/trivy-db' },
    { key: 'trivy.java_db_repository', text: '  java_db_repository: ghcr.io/aquasecurity/trivy-java-db' },
    '  offline_scan: false',
    '  security_check: vuln',
    '  insecure: false',
    { key: 'trivy.timeout', text: '  timeout: 5m0s' },
    '',
    'jobservice:',
    '  max_job_workers: 10',
    { key: 'jobservice.max_job_duration_hours', text: '  max_job_duration_hours: 24' },
    { key: 'jobservice.job_loggers', text: '  job_loggers:' },
    { key: 'jobservice.job_loggers', text: '    - STD_OUTPUT' },
    { key: 'jobservice.job_loggers', text: '    - FILE' },
    '  logger_sweeper_duration: 1   # days',
    '',
    'notification:',
    '  webhook_job_max_retry: 3',
    '  webhook_job_http_client_timeout: 3   # seconds',
    '',
    '# Harbor\'s components log through the harbor-log container into this host directory.',
    'log:',
    '  level: info',
    '  local:',
    '    rotate_count: 50',
    '    rotate_size: 200M',
    `    location: ${yamlString(m.logLocation)}`,
    '',
    '# The harbor.yml schema this file follows; prepare compares it with the release it renders for.',
    `_version: ${schema}`,
    '',
  );
  if (m.externalDatabase) {
    const d = m.externalDatabase;
    out.push(
      '# An external PostgreSQL instead of the bundled one.',
      'external_database:',
      '  harbor:',
      `    host: ${yamlString(d.host)}`,
      `    port: ${d.port}`,
      `    db_name: ${yamlString(d.dbName)}`,
      `    username: ${yamlString(d.username)}`,
      `    password: ${yamlString(d.password)}`,
      `    ssl_mode: ${yamlString(d.sslMode)}`,
      '    max_idle_conns: 2',
      '    max_open_conns: 0',
      '',
    );
  }
  if (m.externalRedis) {
    const r = m.externalRedis;
    out.push(
      '# An external Redis instead of the bundled one (db_index 0 is core\'s and cannot change).',
      'external_redis:',
      `  host: ${yamlString(r.host)}`,
      `  password: ${yamlString(r.password)}`,
      '  registry_db_index: 1',
      '  jobservice_db_index: 2',
      '  trivy_db_index: 5',
      '  idle_timeout_seconds: 30',
      '',
    );
  }
  out.push(
    '# Outbound proxy for replication, proxy cache and the Trivy DB download (empty: none).',
    'proxy:',
    `  http_proxy: ${yamlString(m.proxy.httpProxy)}`.trimEnd(),
    `  https_proxy: ${yamlString(m.proxy.httpsProxy)}`.trimEnd(),
    `  no_proxy: ${yamlString(m.proxy.noProxy)}`.trimEnd(),
    '  components:',
    '    - core',
    '    - jobservice',
    '    - trivy',
    '',
    'upload_purging:',
    '  enabled: true',
    '  age: 168h',
    '  interval: 24h',
    '  dryrun: false',
    '',
    'cache:',
    '  enabled: false',
    '  expire_hours: 24',
  );
  const text = out
    .filter((l) => typeof l === 'string' || lineReads(l.key, schema))
    .map((l) => (typeof l === 'string' ? l : l.text));
  return text.join('\n') + '\n';
}
