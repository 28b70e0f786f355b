/**
 * harbor.cfg entries → harbor.yml-shaped data for Harbor v2.15 (spec harbor-v1.md §4.3, §4.4).
 *
 * We start from the template's defaults and lay the mapped values on top, as the research notes
 * recommend: today's prepare needs keys (data_volume, job loggers, log.level…) that no harbor.cfg
 * ever had. Each value set here remembers the legacy line it came from (`origins`), so that every
 * later message about the harbor.yml key can point at the line the user actually wrote.
 */
import { problem, type Problem, type Severity } from '../../errors.js';
import { HARBOR_YML_KEY_ORDER, harborYmlDefaults } from './defaults.js';
import type { CfgEntry } from './parse.js';
import { reportLeftoverKeys, type SystemSettings } from './leftovers.js';
import {
  parseLegacyInt,
  parseRedisDbIndex,
  parseRedisUrl,
  parseStorageConfig,
  splitHostPort,
  userNoProxyEntries,
} from './values.js';
import { detectLegacyVersion, isAtMost, type LegacyVersion, type LegacyVersionInfo } from './version.js';
import { didYouMean } from '../../util/levenshtein.js';

export interface LegacyMapOptions {
  /** the release that wrote the file, when the user knows better than the heuristic */
  legacyVersion?: LegacyVersion;
}

export interface LegacyMapResult {
  /** harbor.yml-shaped data */
  data: Record<string, unknown>;
  /** harbor.yml key path → the legacy entries its value came from */
  origins: Map<string, CfgEntry[]>;
  problems: Problem[];
  version: LegacyVersionInfo;
  /** settings that now live in Harbor's database, under today's names, with converted values */
  systemSettings: SystemSettings;
}

export const STORAGE_PROVIDERS = ['filesystem', 'azure', 'gcs', 's3', 'swift', 'oss'] as const;

/** Keys legacy prepare required and that have a harbor.yml home: a missing one gets today's default. */
const REQUIRED_WITH_DEFAULT: ReadonlyArray<[string, string]> = [
  ['ui_url_protocol', 'http (no https block)'],
  ['db_password', 'database.password root123'],
  ['max_job_workers', 'jobservice.max_job_workers 10'],
  ['harbor_admin_password', 'harbor_admin_password Harbor12345'],
];

export function mapLegacyEntries(file: string, entries: ReadonlyMap<string, CfgEntry>, options: LegacyMapOptions = {}): LegacyMapResult {
  const data = harborYmlDefaults();
  const origins = new Map<string, CfgEntry[]>();
  const problems: Problem[] = [];
  const handled = new Set<string>();
  const version = detectLegacyVersion(entries, options.legacyVersion);

  const get = (key: string): CfgEntry | undefined => {
    handled.add(key);
    return entries.get(key);
  };
  const set = (path: string[], value: unknown, ...from: Array<CfgEntry | undefined>): void => {
    let node = data;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = value;
    const sources = from.filter((e): e is CfgEntry => e !== undefined);
    if (sources.length > 0) origins.set(path.join('.'), sources);
  };
  const report = (severity: Severity, code: string, message: string, fix: string, entry?: CfgEntry, target?: string): void => {
    const key = entry ? (target ? `${entry.key} (→ ${target})` : entry.key) : target;
    problems.push(problem(severity, code, message, { file, line: entry?.line, column: entry ? entry.column : undefined, key, fix }));
  };

  // --- which release wrote the file -------------------------------------------------------------
  if (version.badVersionValue !== undefined) {
    const declared = entries.get('_version');
    report(
      'warning',
      'W_CFG_VERSION',
      `_version = ${JSON.stringify(version.badVersionValue)} is not a release that used harbor.cfg (1.1–1.7); ${version.version ? `the keys look like Harbor ${version.version}` : 'regctl could not tell the release from the keys'}`,
      'Fix or remove the _version line (legacy Harbor wrote 1.5.0, 1.6.0 or 1.7.0 there), or pass --legacy-version.',
      declared,
    );
  }
  if (version.version === '0.5') {
    report(
      'warning',
      'W_CFG_VERSION',
      'this harbor.cfg looks like Harbor 0.5 (it has crt_* or use_compressed_js keys), older than the 1.x formats regctl reads; it is mapped as a 1.1 file',
      'Check the result with regctl prepare --dry-run before installing.',
      version.evidence,
    );
  }

  for (const [key, fallback] of REQUIRED_WITH_DEFAULT) {
    if (!entries.has(key)) {
      report('warning', 'W_CFG_MISSING_KEY', `${key} is missing (legacy Harbor required it); regctl uses today's default: ${fallback}`, `Add a line "${key} = …" to say what you want.`, undefined, key);
    }
  }

  // --- hostname and protocol -------------------------------------------------------------------
  const protocolEntry = get('ui_url_protocol');
  const https = protocolEntry?.value === 'https';
  if (protocolEntry && protocolEntry.value !== 'https' && protocolEntry.value !== 'http') {
    report(
      'warning',
      'W_CFG_PROTOCOL',
      `ui_url_protocol = ${JSON.stringify(protocolEntry.value)} is neither "http" nor "https"; legacy Harbor compared it with exactly "https" and served plain http, and so does regctl`,
      'Write ui_url_protocol = https (lower case) to serve https, or http to keep plain http.',
      protocolEntry,
      'https',
    );
  }
  if (https) {
    set(['https', 'port'], 443, protocolEntry);
    origins.set('https', [protocolEntry as CfgEntry]);
    for (const [legacy, target] of [['ssl_cert', 'certificate'], ['ssl_cert_key', 'private_key']] as const) {
      const entry = get(legacy);
      if (!entry || entry.value === '') {
        report(
          'error',
          'E_CFG_MISSING_KEY',
          `ui_url_protocol is https but ${legacy} is ${entry ? 'empty' : 'not set'}`,
          `Set ${legacy} to the path of the server ${target === 'certificate' ? 'certificate' : 'private key'} (PEM), or set ui_url_protocol = http.`,
          entry ?? protocolEntry,
          `https.${target}`,
        );
      } else {
        set(['https', target], entry.value, entry);
      }
    }
  } else {
    // The choice of plain http comes from this line too (e.g. for "HTTP is insecure" warnings).
    if (protocolEntry) origins.set('https', [protocolEntry]);
    // Unused by legacy Harbor in http mode as well; nothing to say about them.
    handled.add('ssl_cert');
    handled.add('ssl_cert_key');
  }

  const hostEntry = get('hostname');
  if (!hostEntry || hostEntry.value === '') {
    report(
      'error',
      'E_CFG_MISSING_KEY',
      `hostname is ${hostEntry ? 'empty' : 'not set'}; it is the name or IP address clients use to reach the registry`,
      'Add "hostname = <the registry\'s DNS name or IP address>" (not localhost or 127.0.0.1).',
      hostEntry,
      'hostname',
    );
  } else {
    const split = splitHostPort(hostEntry.value);
    if (split) {
      const port = Number(split.port);
      const portKey = https ? 'https.port' : 'http.port';
      set(['hostname'], split.host, hostEntry);
      set([https ? 'https' : 'http', 'port'], port, hostEntry);
      report(
        'warning',
        'W_CFG_HOSTNAME_PORT',
        `hostname = ${JSON.stringify(hostEntry.value)} carries a port: regctl uses hostname ${split.host} and ${portKey} ${port}`,
        'Legacy Harbor needed a hand-edited docker-compose.yml for this; regctl publishes the port itself. If a proxy in front of Harbor owns that port, use external_url in a harbor.yml instead.',
        hostEntry,
        'hostname',
      );
    } else {
      set(['hostname'], hostEntry.value, hostEntry);
    }
  }

  // --- admin password, job workers, logs ----------------------------------------------------------
  const adminPassword = get('harbor_admin_password');
  if (adminPassword) set(['harbor_admin_password'], adminPassword.value, adminPassword);

  const workers = get('max_job_workers');
  if (workers) mapInteger(workers, ['jobservice', 'max_job_workers'], 10);
  const rotateCount = get('log_rotate_count');
  if (rotateCount) mapInteger(rotateCount, ['log', 'local', 'rotate_count'], 50);
  const rotateSize = get('log_rotate_size');
  if (rotateSize) {
    if (rotateSize.value === '') {
      report('warning', 'W_CFG_EMPTY_VALUE', "log_rotate_size is empty; regctl uses today's default 200M", 'Set a size such as 200M, or delete the line.', rotateSize, 'log.local.rotate_size');
    } else {
      set(['log', 'local', 'rotate_size'], rotateSize.value, rotateSize);
    }
  }

  function mapInteger(entry: CfgEntry, path: string[], fallback: number): void {
    const target = path.join('.');
    if (entry.value === '') {
      report('warning', 'W_CFG_EMPTY_VALUE', `${entry.key} is empty (legacy Harbor read that as 0); regctl uses today's default ${fallback}`, `Set ${entry.key} to a whole number, or delete the line.`, entry, target);
      return;
    }
    const n = parseLegacyInt(entry.value);
    if (n === undefined) {
      report('error', 'E_CFG_NOT_INTEGER', `${entry.key} = ${JSON.stringify(entry.value)} is not a whole number`, `Set ${entry.key} to a whole number such as ${fallback}.`, entry, target);
      return;
    }
    set(path, n, entry);
  }

  // --- database ------------------------------------------------------------------------------------
  const dbPassword = get('db_password');
  if (dbPassword) set(['database', 'password'], dbPassword.value, dbPassword);
  const mysqlEra = isAtMost(version.version, '1.5');
  mapDatabase();

  function mapDatabase(): void {
    const host = get('db_host');
    const port = get('db_port');
    const user = get('db_user');
    if (!host || host.value === '') return;
    const internal = mysqlEra ? host.value === 'mysql' : host.value === 'postgresql' && (!port || port.value === '' || port.value === '5432');
    if (internal) {
      const defaultUser = mysqlEra ? 'root' : 'postgres';
      const defaultPort = mysqlEra ? '3306' : '5432';
      for (const [entry, expected] of [[user, defaultUser], [port, defaultPort]] as const) {
        if (entry && entry.value !== '' && entry.value !== expected) {
          report(
            'warning',
            'W_CFG_IGNORED_VALUE',
            `${entry.key} = ${JSON.stringify(entry.value)} is ignored: db_host ${host.value} is the bundled database, which Harbor v2.15 runs as PostgreSQL with user postgres on port 5432`,
            'Delete the line, or point db_host at your own PostgreSQL server to use an external database.',
            entry,
          );
        }
      }
      return;
    }
    if (mysqlEra) {
      report(
        'error',
        'E_CFG_EXTERNAL_MYSQL',
        `db_host = ${JSON.stringify(host.value)} is an external MySQL database (Harbor ${version.version} used MySQL); Harbor v2.15 only works with PostgreSQL`,
        'Migrate the data to PostgreSQL with the official harbor-migrator first, then set db_host, db_port and db_user to the PostgreSQL server; or set db_host = mysql to use the bundled database.',
        host,
        'external_database.harbor.host',
      );
      return;
    }
    let portNumber = 5432;
    if (port && port.value !== '') {
      const n = parseLegacyInt(port.value);
      if (n === undefined) {
        report('error', 'E_CFG_NOT_INTEGER', `db_port = ${JSON.stringify(port.value)} is not a port number`, 'Set db_port to the PostgreSQL port, e.g. 5432.', port, 'external_database.harbor.port');
      } else {
        portNumber = n;
      }
    }
    set(['external_database', 'harbor', 'host'], host.value, host);
    set(['external_database', 'harbor', 'port'], portNumber, port ?? host);
    set(['external_database', 'harbor', 'db_name'], 'registry', host);
    set(['external_database', 'harbor', 'username'], user?.value || 'postgres', user ?? host);
    set(['external_database', 'harbor', 'password'], dbPassword?.value ?? '', dbPassword ?? host);
    set(['external_database', 'harbor', 'ssl_mode'], 'disable', host);
    origins.set('external_database', [host]);
  }

  if (mysqlEra) {
    report(
      'warning',
      'W_CFG_MYSQL_DATA',
      `this harbor.cfg is from Harbor ${version.version}, whose database was MySQL; Harbor v2.15's PostgreSQL cannot use that database (data_volume/database), and the db_password value is now the PostgreSQL password`,
      'For a fresh install, use an empty data_volume. To keep projects, users and images, upgrade the old Harbor step by step with the official migrator (MySQL → PostgreSQL happened in v1.6) before switching to regctl.',
      entries.get('db_host') ?? dbPassword ?? version.evidence,
      'database',
    );
  }

  // --- redis ---------------------------------------------------------------------------------------
  let externalRedis = false;
  const redisHost = get('redis_host');
  const redisPort = get('redis_port');
  const redisPassword = get('redis_password');
  const redisUrl = get('redis_url');
  if (redisHost || redisPort) {
    const host = redisHost?.value || 'redis';
    const port = redisPort?.value || '6379';
    if (host === 'redis' && port === '6379') {
      if (redisPassword && redisPassword.value !== '') {
        report('warning', 'W_CFG_IGNORED_VALUE', 'redis_password is ignored: redis_host redis is the bundled redis, which has no password', 'Delete the value, or point redis_host at your own redis server.', redisPassword);
      }
    } else if (parseLegacyInt(port) === undefined) {
      report('error', 'E_CFG_NOT_INTEGER', `redis_port = ${JSON.stringify(port)} is not a port number`, 'Set redis_port to the redis port, e.g. 6379.', redisPort, 'external_redis.host');
    } else {
      externalRedis = true;
      set(['external_redis', 'host'], `${host}:${port}`, redisHost, redisPort);
      if (redisPassword && redisPassword.value !== '') set(['external_redis', 'password'], redisPassword.value, redisPassword);
      origins.set('external_redis', [(redisHost ?? redisPort) as CfgEntry]);
    }
  } else if (redisUrl && redisUrl.value !== '') {
    const parsed = parseRedisUrl(redisUrl.value);
    if (parsed.host === 'redis:6379') {
      if (parsed.password !== '') {
        report('warning', 'W_CFG_IGNORED_VALUE', 'the password in redis_url is ignored: redis:6379 is the bundled redis, which has no password', 'Delete the password part, or point redis_url at your own redis server.', redisUrl);
      }
    } else if (!splitHostPort(parsed.host)) {
      report('error', 'E_CFG_REDIS_URL', 'redis_url does not start with host:port', 'Write redis_url as host:port[,weight,password,db_index], e.g. redis.example.com:6379.', redisUrl, 'external_redis.host');
    } else {
      externalRedis = true;
      set(['external_redis', 'host'], parsed.host, redisUrl);
      if (parsed.password !== '') set(['external_redis', 'password'], parsed.password, redisUrl);
      origins.set('external_redis', [redisUrl]);
      if (parsed.dbIndex !== '') {
        report(
          'warning',
          'W_CFG_IGNORED_VALUE',
          'the db_index part of redis_url has no place in Harbor v2.15, which uses one redis database per component (registry 1, jobservice 2, trivy 5)',
          'Check that those database numbers are free on your redis server.',
          redisUrl,
          'external_redis',
        );
      }
    }
  }

  const dbIndex = get('redis_db_index');
  if (dbIndex && dbIndex.value !== '') {
    const block = externalRedis ? 'external_redis' : 'redis';
    const parsed = parseRedisDbIndex(dbIndex.value);
    if (!parsed) {
      report('error', 'E_CFG_REDIS_DB_INDEX', `redis_db_index = ${JSON.stringify(dbIndex.value)} is not "registry,jobservice,chartmuseum" database numbers`, 'Write it like the shipped default: redis_db_index = 1,2,3.', dbIndex, block);
    } else {
      if (parsed.registry !== 1 || parsed.jobservice !== 2) {
        set([block, 'registry_db_index'], parsed.registry, dbIndex);
        set([block, 'jobservice_db_index'], parsed.jobservice, dbIndex);
        origins.set(block, origins.get(block) ?? [dbIndex]);
      }
      if (parsed.registry === 0 || parsed.jobservice === 0) {
        report('warning', 'W_CFG_REDIS_DB_INDEX', 'redis_db_index uses database 0, which Harbor v2.15 reserves for core', 'Use other database numbers, e.g. redis_db_index = 1,2,3.', dbIndex, block);
      }
    }
  }

  // --- storage -------------------------------------------------------------------------------------
  const providerEntry = get('registry_storage_provider_name');
  const providerConfig = get('registry_storage_provider_config');
  const caBundle = get('registry_custom_ca_bundle');
  const provider = providerEntry?.value || 'filesystem';
  if (caBundle && caBundle.value !== '') set(['storage_service', 'ca_bundle'], caBundle.value, caBundle);
  if (!(STORAGE_PROVIDERS as readonly string[]).includes(provider)) {
    const guess = didYouMean(provider.toLowerCase(), STORAGE_PROVIDERS);
    report(
      'error',
      'E_CFG_STORAGE_PROVIDER',
      `registry_storage_provider_name = ${JSON.stringify(provider)} is not a storage driver Harbor knows${guess ? `; did you mean ${guess}?` : ''}`,
      `Use one of ${STORAGE_PROVIDERS.join(', ')}.`,
      providerEntry,
      'storage_service',
    );
  } else if (providerConfig && providerConfig.value !== '') {
    const parsed = parseStorageConfig(providerConfig.value);
    if (parsed.bad.length > 0) {
      report(
        'error',
        'E_CFG_STORAGE_CONFIG',
        `registry_storage_provider_config has ${parsed.bad.length} part${parsed.bad.length === 1 ? '' : 's'} that ${parsed.bad.length === 1 ? 'is' : 'are'} not "key: value"`,
        'Write it as a comma-separated list of key: value pairs, e.g. "accesskey: AK, secretkey: SK, region: us-east-1, bucket: harbor" (values cannot contain commas).',
        providerConfig,
        `storage_service.${provider}`,
      );
    } else {
      const config: Record<string, unknown> = {};
      for (const pair of parsed.pairs) config[pair.key] = pair.value;
      set(['storage_service', provider], config, providerConfig);
      for (const pair of parsed.pairs) origins.set(`storage_service.${provider}.${pair.key}`, [providerConfig]);
      const cramped = parsed.pairs.filter((p) => p.missingSpace).map((p) => p.key);
      if (cramped.length > 0) {
        report(
          'warning',
          'W_CFG_STORAGE_CONFIG',
          `in registry_storage_provider_config, ${cramped.join(', ')} ${cramped.length === 1 ? 'has' : 'have'} no space after ":"; legacy Harbor wrote such pairs into an invalid registry config, regctl reads them as key: value`,
          'Put a space after each ":" to keep the file readable by both.',
          providerConfig,
          `storage_service.${provider}`,
        );
      }
    }
    if (providerEntry) origins.set('storage_service', [providerEntry]);
  } else if (provider !== 'filesystem') {
    report(
      'error',
      'E_CFG_STORAGE_CONFIG',
      `registry_storage_provider_name is ${provider} but registry_storage_provider_config is empty (legacy Harbor refused this too)`,
      `Give the ${provider} settings as "key: value, key2: value2" in registry_storage_provider_config.`,
      providerConfig ?? providerEntry,
      `storage_service.${provider}`,
    );
  }

  // --- proxy ---------------------------------------------------------------------------------------
  const httpProxy = get('http_proxy');
  const httpsProxy = get('https_proxy');
  const noProxy = get('no_proxy');
  if (httpProxy && httpProxy.value !== '') set(['proxy', 'http_proxy'], httpProxy.value, httpProxy);
  if (httpsProxy && httpsProxy.value !== '') set(['proxy', 'https_proxy'], httpsProxy.value, httpsProxy);
  if (noProxy) {
    const mine = userNoProxyEntries(noProxy.value);
    if (mine.length > 0) set(['proxy', 'no_proxy'], mine.join(','), noProxy);
  }
  const proxySet = [httpProxy, httpsProxy].find((e) => e && e.value !== '');
  if (proxySet) {
    origins.set('proxy', [proxySet]);
    report(
      'warning',
      'W_CFG_PROXY_SCOPE',
      'the proxy now applies to more than before: legacy Harbor used http_proxy/https_proxy only for Clair, Harbor v2.15 uses them for core, jobservice and trivy (proxy.components)',
      'If core and jobservice must not use the proxy (replication, webhooks), convert to harbor.yml (regctl migrate) and set proxy.components to [trivy].',
      proxySet,
      'proxy',
    );
  }

  // --- UAA CA ---------------------------------------------------------------------------------------
  const authMode = entries.get('auth_mode');
  if (authMode?.value === 'uaa_auth') {
    const ca = [entries.get('uaa_ca_cert'), entries.get('uaa_ca_root')].find((e) => e && e.value !== '');
    if (ca) {
      handled.add('uaa_ca_cert');
      handled.add('uaa_ca_root');
      set(['uaa', 'ca_file'], ca.value, ca);
      origins.set('uaa', [ca]);
    }
  }

  // --- secretkey -------------------------------------------------------------------------------------
  const secretkeyPath = entries.get('secretkey_path');
  if (secretkeyPath && secretkeyPath.value !== '' && secretkeyPath.value.replace(/\/+$/, '') !== '/data') {
    const dir = secretkeyPath.value.replace(/\/+$/, '');
    const dataVolume = data.data_volume as string;
    const admiral = entries.get('admiral_url');
    const vic = admiral && admiral.value !== '' && admiral.value !== 'NA' && version.version !== null && !isAtMost(version.version, '1.5');
    report(
      'warning',
      'W_CFG_SECRETKEY_PATH',
      `secretkey_path is ${dir}: before the first regctl prepare, copy ${dir}/secretkey to ${dataVolume}/secret/keys/secretkey (unchanged, 16 characters)${vic ? `; with admiral_url set, Harbor ${version.version} also kept its data there, so check data_volume` : ''}`,
      'Harbor encrypts stored passwords (replication endpoints, LDAP) with this key; without the same key they cannot be decrypted, and regctl would create a new one.',
      secretkeyPath,
    );
  }

  // --- everything else: system settings, removed keys, unknown keys ------------------------------------
  const leftovers = reportLeftoverKeys(file, entries, handled, version);
  problems.push(...leftovers.problems);

  return { data: orderTopLevel(data), origins, problems, version, systemSettings: leftovers.systemSettings };
}

function orderTopLevel(data: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of HARBOR_YML_KEY_ORDER) if (key in data) ordered[key] = data[key];
  for (const key of Object.keys(data)) if (!(key in ordered)) ordered[key] = data[key];
  return ordered;
}
