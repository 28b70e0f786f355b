/**
 * Semantic checks on the model: every effective check of Harbor v2.15's prepare (spec §2, same
 * meaning) plus the stricter ones users need (placeholders, loopback hostnames, files that must
 * exist, certificates that must fit). Reads the files the config names; writes nothing.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { statSync } from 'node:fs';
import { readRegularFileSync } from '../util/safe-read.js';
import net from 'node:net';
import path from 'node:path';
import type { ConfigDocument } from './document.js';
import type { HarborConfig } from './model.js';
import { ConfigReader } from './reader.js';
import { LOG_LEVELS, PLACEHOLDER_CERT, PLACEHOLDER_KEY } from './build-model.js';
import { harborYmlSchema, retiredKeys, type KeySchema } from './schema.js';
import { didYouMean } from '../util/levenshtein.js';
import { checkAllowedValue } from './checks/allowed-values.js';
import { HTTPS_ONLY_KEYS, SERVING_KEYS } from './checks/serving-keys.js';
import { checkServedProtocol } from './checks/served-protocol.js';
import type { Problem } from '../errors.js';
import { bundledExample } from '../util/package-files.js';
import { checkControlCharacters } from './checks/control-characters.js';
import { keyOutsideLine } from './key-lifetimes.js';
import { releases } from '../releases/index.js';

export interface ValidateOptions {
  withTrivy: boolean;
  /** --with-notary (the 2.8 line): internal TLS then needs the notary_server and notary_signer pairs */
  withNotary?: boolean;
  /** --generate-certs: a missing https certificate AND key are fine, prepare will create them */
  generateCerts?: boolean;
  /** the Harbor release's harbor.yml schema version, e.g. '2.15.0' */
  schemaVersion: string;
  /** where regctl reads a host path the config names (the --root rule) */
  hostPath?: (configPath: string) => string;
}

const PLACEHOLDER_HOSTNAME = 'reg.mydomain.com';

export function validateConfig(doc: ConfigDocument, config: HarborConfig, opts: ValidateOptions): Problem[] {
  const problems: Problem[] = [];
  const r = new ConfigReader(doc, problems);
  if (doc.format === 'yml') checkUnknownKeys(r, doc.data, harborYmlSchema, '', opts.schemaVersion);
  checkControlCharacters(r, doc.data);
  checkHostname(r, config);
  checkPorts(r, config);
  checkPaths(r, config);
  checkHttps(r, config, opts);
  checkServedProtocol(r, doc, config, opts, problems);
  checkDatabaseSslMode(r, config);
  checkExternalUrl(r, config);
  checkLog(r, config);
  checkStorage(r, config);
  checkJobservice(r, config);
  checkModels(r, config);
  checkInternalTls(r, config, opts);
  checkRedis(r, config);
  checkProxy(r, config);
  checkVersion(r, config, opts);
  checkDefaults(r, config);
  return problems;
}

/** A key of another line: the release that introduced it is named (src/config/key-lifetimes.ts). */
function checkKeyInLine(r: ConfigReader, keyPath: string, schemaVersion: string): boolean {
  const outside = keyOutsideLine(keyPath, schemaVersion);
  if (!outside) return true;
  const line = schemaVersion.split('.').slice(0, 2).join('.');
  if (outside.since) {
    const newest = releases[0]!.version.replace(/^v/, '');
    r.error(keyPath, 'E_KEY_NOT_IN_RELEASE', `'${keyPath}' came with Harbor v${outside.since}; the ${line} line this run renders for does not read it`, `remove it for the ${line} line, or render for a release that has it (--harbor-version ${newest})`);
  } else {
    r.warn(keyPath, 'W_KEY_RETIRED', `'${keyPath}' is not read from Harbor v${outside.until} on: ${retiredKeys[keyPath] ?? 'remove it.'}`, `remove the key (this release's keys are in ${bundledExample('harbor.yml')})`);
  }
  return false;
}

function checkUnknownKeys(r: ConfigReader, data: unknown, schema: KeySchema, prefix: string, schemaVersion: string): void {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    const known = schema[key];
    if (known === undefined) {
      const retired = retiredKeys[keyPath];
      if (retired) {
        r.warn(keyPath, 'W_KEY_RETIRED', `'${keyPath}' is not read by Harbor v2.15: ${retired}`, `remove the key (this release's keys are in ${bundledExample('harbor.yml')})`);
        continue;
      }
      const guess = didYouMean(key, Object.keys(schema));
      const guessPath = guess ? (prefix ? `${prefix}.${guess}` : guess) : undefined;
      if (prefix !== 'https' && HTTPS_ONLY_KEYS.has(key)) {
        r.error(keyPath, 'E_KEY_MISPLACED', `'${keyPath}' is only read under https:; as written, Harbor would serve plain http and ignore it`, `indent it under an \`https:\` block (with port: 443), or remove it to serve plain http`);
      } else if (guessPath && SERVING_KEYS.has(guessPath)) {
        r.error(keyPath, 'E_KEY_UNKNOWN', `unknown key '${keyPath}': did you mean '${guessPath}'? Ignoring it would change what Harbor serves or where it keeps its data`, `rename it to '${guessPath}' (check the spelling and the indentation)`);
      } else {
        r.warn(
          keyPath,
          'W_KEY_UNKNOWN',
          `unknown key '${keyPath}' is ignored`,
          guessPath ? `did you mean '${guessPath}'? (check the spelling and the indentation)` : 'remove it, or check its indentation: it may belong under another block',
        );
      }
      continue;
    }
    if (!checkKeyInLine(r, keyPath, schemaVersion)) continue;
    if (typeof known === 'object') checkUnknownKeys(r, value, known, keyPath, schemaVersion);
  }
}

function isLoopback(host: string): boolean {
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function checkHostname(r: ConfigReader, c: HarborConfig): void {
  const h = c.hostname;
  if (!h) return; // reported as required
  const fix = 'set hostname to the DNS name or IP address that clients (docker login, browsers) use to reach this host';
  if (h === '127.0.0.1') {
    r.error('hostname', 'E_HOSTNAME', '127.0.0.1 can not be the hostname: other machines could not reach Harbor', fix);
  } else if (h === PLACEHOLDER_HOSTNAME) {
    r.error('hostname', 'E_HOSTNAME', `hostname is still the template placeholder '${PLACEHOLDER_HOSTNAME}'`, fix);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(h)) {
    r.error('hostname', 'E_HOSTNAME', `hostname '${h}' must not contain a scheme`, `set hostname to only the host, e.g. '${h.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[:/].*$/, '')}'; use external_url for a full URL`);
  } else if (h.toLowerCase() === 'localhost' || h.toLowerCase().endsWith('.localhost') || isLoopback(h)) {
    r.error('hostname', 'E_HOSTNAME', `hostname '${h}' is a loopback name: only this machine could reach it, and the token service URL would point clients at themselves`, fix);
  } else if (h === '0.0.0.0' || h === '::' || h === '[::]') {
    r.error('hostname', 'E_HOSTNAME', `hostname '${h}' is a wildcard address, not an address clients can connect to`, fix);
  } else if (!net.isIP(h) && /:\d*$/.test(h)) {
    r.error('hostname', 'E_HOSTNAME', `hostname '${h}' must not carry a port`, `set hostname to '${h.replace(/:\d*$/, '')}' and the port in ${c.https ? 'https.port' : 'http.port'}`);
  } else if (/[\s/@]/.test(h)) {
    r.error('hostname', 'E_HOSTNAME', `hostname '${h}' is not a valid host name`, fix);
  } else if (!net.isIP(h) && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(h)) {
    r.error('hostname', 'E_HOSTNAME', `hostname '${h}' is not a valid DNS name (letters, digits, '-' and '.')`, fix);
  }
}

function checkPorts(r: ConfigReader, c: HarborConfig): void {
  const used: { key: string; port: number }[] = [];
  const check = (key: string, port: number) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      r.error(key, 'E_PORT', `port ${port} in '${key}' is out of range`, 'use a port between 1 and 65535');
      return;
    }
    const clash = used.find((u) => u.port === port);
    if (clash) r.error(key, 'E_PORT_CLASH', `'${key}' uses port ${port}, which '${clash.key}' already uses`, 'give each published port its own number');
    used.push({ key, port });
  };
  check('http.port', c.http.port);
  if (c.https) check('https.port', c.https.port);
  if (c.metric.enabled) check('metric.port', c.metric.port);
  if (c.metric.enabled) {
    // inside the containers core listens on 8080 and the registry on 5000/5001: the metrics
    // listener of each component uses metric.port too, so it must not take one of those
    if ([8080, 8443, 5000, 5001, 5443].includes(c.metric.port)) {
      r.error('metric.port', 'E_PORT_CLASH', `metric.port ${c.metric.port} is a port Harbor's components already listen on inside their containers`, 'use another port, e.g. 9090');
    }
    if (!c.metric.path.startsWith('/')) {
      r.error('metric.path', 'E_METRIC_PATH', `metric.path '${c.metric.path}' must start with '/'`, 'e.g. path: /metrics');
    }
  }
  if (c.https && (c.https.port === 8433 || /:8433(\/|$)/.test(c.externalUrl))) {
    r.warn(c.https.port === 8433 ? 'https.port' : 'external_url', 'W_PORT_TYPO', 'port 8433 is one digit away from the common 8443 (a frequent copy of the template example)', 'double-check the port clients will use; it must match in https.port, external_url and the certs.d directory');
  }
}

function checkPaths(r: ConfigReader, c: HarborConfig): void {
  if (c.dataVolume && !path.isAbsolute(c.dataVolume)) {
    r.error('data_volume', 'E_PATH', `data_volume '${c.dataVolume}' must be an absolute path`, 'use an absolute host directory, e.g. /data');
  }
  const loc = c.log.local.location;
  if (loc && !path.isAbsolute(loc)) {
    r.error('log.local.location', 'E_PATH', `log.local.location '${loc}' must be an absolute path`, 'use an absolute host directory, e.g. /var/log/harbor');
  }
  const files: [string, string][] = [
    ['uaa.ca_file', c.uaaCaFile],
    ['storage_service.gcs.keyfile', c.storage.provider === 'gcs' ? String(c.storage.providerConfig.keyfile ?? '') : ''],
    ['external_redis.tlsOptions.rootCA', c.redis.tlsRootCA ?? ''],
    ['https.ca_file', c.https?.caFile ?? ''],
  ];
  for (const [key, p] of files) if (p) requireRegularFile(r, key, p);
}

/** Docker creates a directory where a missing bind source was meant to be a file: catch it first. */
function requireRegularFile(r: ConfigReader, key: string, p: string): boolean {
  let st;
  try {
    st = statSync(p);
  } catch {
    r.error(key, 'E_FILE_MISSING', `'${key}' names ${p}, which does not exist`, 'fix the path, or create the file before running prepare');
    return false;
  }
  if (!st.isFile()) {
    r.error(key, 'E_FILE_TYPE', `'${key}' names ${p}, which is ${st.isDirectory() ? 'a directory' : 'not a regular file'}`, 'point it at the file itself');
    return false;
  }
  return true;
}

function fileExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function checkHttps(r: ConfigReader, c: HarborConfig, opts: ValidateOptions): void {
  if (c.https && !c.ipFamily.ipv4 && !c.ipFamily.ipv6) {
    r.error('ip_family', 'E_IP_FAMILY', 'both ip_family.ipv4 and ip_family.ipv6 are disabled: the https server would listen nowhere', 'enable at least one, usually ipv4.enabled: true');
  }
  if (!c.https) {
    r.warn('https', 'W_HTTP_INSECURE', 'HTTP protocol is insecure: passwords and tokens cross the network in clear text, and every Docker client must list this registry under insecure-registries', 'add an https block (regctl prepare --generate-certs can make the certificate), or run `regctl cert trust --insecure` on each client');
    return;
  }
  const { certificate, privateKey } = c.https;
  if (opts.generateCerts && certificate && privateKey && ![certificate, privateKey].some((p) => p.startsWith('/your/'))) {
    const have = [certificate, privateKey].filter(fileExists);
    if (have.length === 0) return; // both will be created
    if (have.length === 1) {
      const [key, missing] = have[0] === certificate ? ['https.private_key', privateKey] : ['https.certificate', certificate];
      r.error(key, 'E_CERT_PAIR_INCOMPLETE', `${have[0]} exists but ${missing} does not; --generate-certs will not replace one half of a pair`, `restore ${missing}, or remove ${have[0]} to let regctl issue a new pair`);
      return;
    }
  }
  let certOk = false;
  let keyOk = false;
  if (!certificate || certificate === PLACEHOLDER_CERT) {
    r.error('https.certificate', 'E_HTTPS_CERT', 'the protocol is https but https.certificate is not set', 'set https.certificate to your certificate file, or run `regctl prepare --generate-certs` to create one');
  } else if (!fileExists(certificate) && !fileExists(privateKey)) {
    r.error('https.certificate', 'E_FILE_MISSING', `'https.certificate' names ${certificate}, which does not exist (nor does the key ${privateKey})`, 'run `regctl prepare --generate-certs` to create a CA and a certificate there, or fix the paths');
    return;
  } else certOk = requireRegularFile(r, 'https.certificate', certificate);
  if (!privateKey || privateKey === PLACEHOLDER_KEY || privateKey === PLACEHOLDER_CERT) {
    r.error('https.private_key', 'E_HTTPS_KEY', 'the protocol is https but https.private_key is not set (still the template placeholder)', 'set https.private_key to the key file of your certificate');
  } else keyOk = requireRegularFile(r, 'https.private_key', privateKey);

  let cert: X509Certificate | undefined;
  if (certOk) {
    try {
      const pem = (readRegularFileSync(certificate, { follow: true, what: 'https.certificate' }) ?? Buffer.alloc(0)).toString('utf8');
      const first = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
      if (!first) throw new Error('no PEM certificate block');
      cert = new X509Certificate(first[0]);
    } catch (e) {
      r.error('https.certificate', 'E_CERT_PARSE', `${certificate} is not a PEM certificate (${(e as Error).message})`, 'use the PEM file (BEGIN CERTIFICATE) of the server certificate, followed by its intermediates');
    }
  }
  let keyObj;
  if (keyOk) {
    try {
      keyObj = createPrivateKey(readRegularFileSync(privateKey, { follow: true, what: 'https.private_key' }) ?? Buffer.alloc(0));
    } catch (e) {
      r.error('https.private_key', 'E_KEY_PARSE', `${privateKey} is not an unencrypted PEM private key (${(e as Error).message})`, 'use the PEM key without a passphrase (openssl pkey -in KEY -out KEY.plain)');
    }
  }
  if (cert && keyObj && !cert.checkPrivateKey(keyObj)) {
    r.error('https.private_key', 'E_KEY_MISMATCH', `${privateKey} does not belong to the certificate ${certificate}`, 'point https.private_key at the key the certificate was issued for (compare `openssl x509 -noout -pubkey` with `openssl pkey -pubout`)');
  }
  if (cert) checkCertCovers(r, cert, c);
}

function checkCertCovers(r: ConfigReader, cert: X509Certificate, c: HarborConfig): void {
  const names = [c.hostname];
  if (c.externalUrl) {
    try {
      names.push(new URL(c.externalUrl).hostname.replace(/^\[|\]$/g, ''));
    } catch {
      /* reported by checkExternalUrl */
    }
  }
  if (!cert.subjectAltName) {
    r.warn('https.certificate', 'W_CERT_CN_ONLY', 'the certificate has no Subject Alternative Name: Docker and other Go clients ignore the CN and will reject it ("relies on legacy Common Name field")', 'issue a certificate with SANs: `regctl cert issue --ca DIR --san ' + c.hostname + '`');
    return;
  }
  for (const name of [...new Set(names)]) {
    if (!name) continue;
    const covered = net.isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name) !== undefined;
    if (!covered) {
      r.warn(
        'https.certificate',
        'W_CERT_HOST',
        net.isIP(name)
          ? `the certificate has no IP SAN for ${name}: clients will fail with "doesn't contain any IP SANs"`
          : `the certificate does not cover ${name} (SANs: ${cert.subjectAltName})`,
        `issue a certificate that lists it: \`regctl cert issue --ca DIR --san ${name}\``,
      );
    }
  }
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() < Date.now()) {
    r.warn('https.certificate', 'W_CERT_EXPIRED', `the certificate expired on ${notAfter.toISOString().slice(0, 10)}`, 'renew it: `regctl cert renew --ca DIR --cert FILE --key FILE`');
  }
}

function checkExternalUrl(r: ConfigReader, c: HarborConfig): void {
  if (!c.externalUrl) return;
  let url: URL;
  try {
    url = new URL(c.externalUrl);
  } catch {
    r.error('external_url', 'E_URL', `external_url '${c.externalUrl}' is not a URL`, 'write it as https://host[:port]');
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    r.error('external_url', 'E_URL', `external_url must start with https:// or http://, got '${url.protocol}'`, 'write it as https://host[:port]');
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    r.warn('external_url', 'W_URL_PATH', `external_url has a path (${url.pathname}); Harbor must be served at the root of its host`, 'remove the path');
  }
}

function checkLog(r: ConfigReader, c: HarborConfig): void {
  // Harbor's prepare lower-cases log.level before comparing (utils/configs.py), so 'INFO' is fine.
  const level = checkAllowedValue('log.level', r.str('log.level', 'info').toLowerCase(), LOG_LEVELS);
  if (level) r.error('log.level', 'E_LOG_LEVEL', level.message, level.fix);
  const ep = c.log.externalEndpoint;
  if (ep) {
    if (!ep.host) r.error('log.external_endpoint.host', 'E_LOG_ENDPOINT', 'must set log endpoint host to enable external host', 'set host: to your syslog server');
    else if (!/^[A-Za-z0-9.:\-\[\]]+$/.test(ep.host)) r.error('log.external_endpoint.host', 'E_LOG_ENDPOINT', `log endpoint host '${ep.host}' is not a host name or IP address`, 'write only the host, without quotes, scheme or port');
    if (!ep.port) r.error('log.external_endpoint.port', 'E_LOG_ENDPOINT', 'must set log endpoint port to enable external host', 'set port: to your syslog server port, e.g. 5140');
    else if (ep.port < 1 || ep.port > 65535) r.error('log.external_endpoint.port', 'E_PORT', `log endpoint port ${ep.port} is out of range`, 'use a port between 1 and 65535');
    const protocol = checkAllowedValue('log.external_endpoint.protocol', ep.protocol, ['tcp', 'udp']);
    if (protocol) r.error('log.external_endpoint.protocol', 'E_LOG_ENDPOINT', protocol.message, protocol.fix);
  }
}

function checkStorage(r: ConfigReader, c: HarborConfig): void {
  const bundle = c.storage.caBundle;
  if (bundle) {
    let st;
    try {
      st = statSync(bundle);
    } catch {
      r.error('storage_service.ca_bundle', 'E_FILE_MISSING', `storage_service.ca_bundle names ${bundle}, which does not exist`, 'fix the path or remove ca_bundle');
      st = undefined;
    }
    if (st) {
      const ownerRead = (st.mode & 0o400) !== 0;
      const otherRead = (st.mode & 0o004) !== 0;
      if ((st.uid === 10000 && !ownerRead) || (st.uid !== 10000 && !otherRead)) {
        r.error('storage_service.ca_bundle', 'E_CA_BUNDLE_MODE', `cert file ${bundle} should be owned by user with uid 10000 or readable by others`, `chmod o+r ${bundle}`);
      }
    }
  }
  if (r.has('storage_service.redirect.disabled')) {
    r.warn('storage_service.redirect.disabled', 'W_KEY_RENAMED', "'redirect.disabled' was renamed to 'redirect.disable' in Harbor v2.8 and is ignored", 'rename it to `disable:`');
  }
}

/** libpq's sslmode values (postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-SSLMODE); core passes it through. */
const PG_SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

function checkDatabaseSslMode(r: ConfigReader, c: HarborConfig): void {
  const db = c.database;
  if (!db.external) return;
  const bad = checkAllowedValue('external_database.harbor.ssl_mode', db.sslMode, PG_SSL_MODES);
  if (bad) r.error('external_database.harbor.ssl_mode', 'E_SSL_MODE', bad.message, bad.fix);
}

function checkJobservice(r: ConfigReader, c: HarborConfig): void {
  for (const l of c.jobservice.jobLoggers) {
    const bad = checkAllowedValue('job logger', l, ['STD_OUTPUT', 'FILE', 'DB']);
    if (bad) r.error('jobservice.job_loggers', 'E_JOB_LOGGER', bad.message, bad.fix);
  }
}

function checkModels(r: ConfigReader, c: HarborConfig): void {
  const t = c.trace;
  if (t.enabled) {
    if (!t.jaeger && !t.otel) r.error('trace', 'E_TRACE', 'trace enabled but no trace exporter set', 'add a jaeger: or otel: block under trace:');
    else if (t.jaeger && t.otel) r.error('trace', 'E_TRACE', 'only one trace exporter can be set at a time (both jaeger and otel are)', 'remove one of the two blocks');
    else if (t.jaeger) {
      if (!t.jaeger.endpoint && !t.jaeger.agentHost) r.error('trace.jaeger', 'E_TRACE', 'jaeger collector endpoint or agent host not set, must set one', 'set trace.jaeger.endpoint (or agent_host)');
      if (t.jaeger.endpoint && t.jaeger.agentHost) r.error('trace.jaeger', 'E_TRACE', 'jaeger collector endpoint and agent host are both set, only one can be', 'remove endpoint or agent_host');
    } else if (t.otel) {
      if (!t.otel.endpoint) r.error('trace.otel.endpoint', 'E_TRACE', 'trace endpoint not set', 'set trace.otel.endpoint, e.g. otel-collector:4318');
      if (!t.otel.urlPath) r.error('trace.otel.url_path', 'E_TRACE', 'trace url path not set', 'set trace.otel.url_path, e.g. /v1/traces');
    }
  }
  const p = c.uploadPurging;
  if (p.enabled) {
    for (const [key, v] of [['age', p.age], ['interval', p.interval]] as const) {
      const m = /^(\d+)h$/.exec(v);
      if (!m) r.error(`upload_purging.${key}`, 'E_PURGE', `purge upload ${key} should be set as <n>h, n being the number of hours (got '${v}')`, `e.g. ${key}: ${key === 'age' ? '168h' : '24h'}`);
      else if (Number(m[1]) < 2) r.error(`upload_purging.${key}`, 'E_PURGE', `purge upload ${key} must be at least 2h (got '${v}')`, `e.g. ${key}: ${key === 'age' ? '168h' : '24h'}`);
    }
  }
  if (c.cache.enabled && !(c.cache.expireHours > 0)) {
    r.error('cache.expire_hours', 'E_CACHE', 'cache expire hours should be a positive number', 'e.g. expire_hours: 24');
  }
  const quota = checkAllowedValue('core.quota_update_provider', c.core.quotaUpdateProvider, ['db', 'redis']);
  if (quota) r.error('core.quota_update_provider', 'E_QUOTA_PROVIDER', quota.message, quota.fix);
}

const INTERNAL_TLS_FILES = [
  'harbor_internal_ca.crt', 'proxy.crt', 'proxy.key', 'core.crt', 'core.key', 'job_service.crt', 'job_service.key',
  'registryctl.crt', 'registryctl.key', 'registry.crt', 'registry.key', 'portal.crt', 'portal.key',
];

export function requiredInternalTlsFiles(c: HarborConfig, withTrivy: boolean, withNotary = false): string[] {
  const files = [...INTERNAL_TLS_FILES];
  if (withTrivy) files.push('trivy_adapter.crt', 'trivy_adapter.key');
  // v2.8.6 models.py InternalTLS.notary_certs_filename: required with --with-notary (its prepare
  // dies with FileNotFoundError without them); regctl requires them too and does not make them,
  // as it makes none of the other internal pairs
  if (withNotary) files.push('notary_server.crt', 'notary_server.key', 'notary_signer.crt', 'notary_signer.key');
  if (!c.database.external) files.push('harbor_db.crt', 'harbor_db.key');
  return files;
}

function checkInternalTls(r: ConfigReader, c: HarborConfig, opts: ValidateOptions): void {
  if (!c.internalTls.enabled) return;
  const dir = c.internalTls.dir;
  if (!dir) {
    r.error('internal_tls.dir', 'E_REQUIRED', "'internal_tls.dir' is required when internal TLS is enabled", 'set dir: to the directory holding the internal certificates');
    return;
  }
  let st;
  try {
    st = statSync(dir);
  } catch {
    st = undefined;
  }
  if (!st?.isDirectory()) {
    r.error('internal_tls.dir', 'E_TLS_DIR', `internal TLS directory ${dir} does not exist`, 'create the internal certificates there first (one CA plus a certificate per component)');
    return;
  }
  const missing = requiredInternalTlsFiles(c, opts.withTrivy, opts.withNotary).filter((f) => {
    try {
      return !statSync(path.join(dir, f)).isFile();
    } catch {
      return true;
    }
  });
  if (missing.length) {
    r.error('internal_tls.dir', 'E_TLS_FILES', `internal TLS directory ${dir} lacks ${missing.join(', ')}`, 'add the missing certificates and keys (names as Harbor expects them)');
  }
}

function checkRedis(r: ConfigReader, c: HarborConfig): void {
  if (r.truthy('redis') && r.truthy('external_redis')) {
    r.warn('redis', 'W_REDIS_BOTH', "both 'redis' and 'external_redis' are set: Harbor builds the redis URLs from the 'redis' block and ignores external_redis's host and password, yet drops the bundled redis service", "remove the 'redis' block and put the db indexes under external_redis");
  }
  if (r.truthy('external_redis')) r.required('external_redis.host', 'set external_redis.host: to host:port (or host1:port,host2:port for sentinel)');
  void c;
}

function checkProxy(r: ConfigReader, c: HarborConfig): void {
  for (const [key, v] of [['proxy.http_proxy', c.proxy.httpProxy], ['proxy.https_proxy', c.proxy.httpsProxy]] as const) {
    if (v && !/^https?:\/\//i.test(v)) {
      r.warn(key, 'W_PROXY_URL', `${key} '${v}' has no http:// or https:// scheme`, 'write the proxy as a URL, usually http://proxy:3128 (even for https_proxy)');
    }
  }
  const known = ['core', 'jobservice', 'trivy', 'registry'];
  for (const comp of c.proxy.components) {
    if (!known.includes(comp)) r.warn('proxy.components', 'W_PROXY_COMPONENT', `proxy component '${comp}' is not one Harbor v2.15 knows`, 'use any of core, jobservice, trivy');
  }
}

function checkVersion(r: ConfigReader, c: HarborConfig, opts: ValidateOptions): void {
  if (c.source.format !== 'yml') return;
  if (!c.schemaVersion) {
    r.warn('_version', 'W_VERSION', `harbor.yml has no _version; assuming ${opts.schemaVersion}`, `add \`_version: ${opts.schemaVersion}\``);
  } else if (c.schemaVersion !== opts.schemaVersion) {
    r.warn('_version', 'W_VERSION', `harbor.yml says _version ${c.schemaVersion}, this release reads ${opts.schemaVersion}`, `set _version: ${opts.schemaVersion} after checking the keys against this release's template (${bundledExample('harbor.yml')}), then prepare again`);
  }
}

function checkDefaults(r: ConfigReader, c: HarborConfig): void {
  if (c.harborAdminPassword === 'Harbor12345') {
    r.warn('harbor_admin_password', 'W_DEFAULT_PASSWORD', 'the admin password is the well-known template default', 'choose a strong password before the first start (it only applies then)');
  }
  if (!c.database.external && c.database.password === 'root123') {
    r.warn('database.password', 'W_DEFAULT_PASSWORD', 'the database password is the well-known template default', 'choose a strong password before the first start (it only applies then)');
  }
}
