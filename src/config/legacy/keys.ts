/**
 * Every key any harbor.cfg (0.5, 1.1–1.7) could hold, and what becomes of it today (Harbor v2.15).
 * Facts from goharbor/harbor make/harbor.cfg at each tag v0.5.0, v1.1.0–v1.7.6: which releases shipped the key,
 * and whether it maps onto harbor.yml, onto a system setting kept in Harbor's database, or nowhere.
 */

/** How a legacy value is typed when it becomes a system setting. */
export type SettingType = 'string' | 'secret' | 'bool' | 'int' | 'ldapScope';

export type LegacyKeyFate =
  /** becomes (part of) harbor.yml; `targets` are harbor.yml key paths, for the reader of this table */
  | { kind: 'harbor.yml'; targets: string[] }
  /** lives in Harbor's database now: web UI / PUT /api/v2.0/configurations */
  | { kind: 'setting'; setting: string; type: SettingType }
  /** nothing takes it today; `where` tells the user what happened to it */
  | { kind: 'gone'; where: string; type?: 'bool' }
  /** only used to tell which release wrote the file */
  | { kind: 'version' };

export interface LegacyKey {
  key: string;
  /** releases whose shipped harbor.cfg has it ("opt" = read when present, never shipped active) */
  versions: string;
  fate: LegacyKeyFate;
  /** never echo the value in a message */
  secret?: boolean;
}

const yml = (...targets: string[]): LegacyKeyFate => ({ kind: 'harbor.yml', targets });
const setting = (name: string, type: SettingType = 'string'): LegacyKeyFate => ({ kind: 'setting', setting: name, type });
const gone = (where: string, type?: 'bool'): LegacyKeyFate => ({ kind: 'gone', where, type });

const EMAIL = 'removed in Harbor v2.7 (Harbor no longer sends e-mail)';
const CLAIR = 'removed in Harbor v2.2 with Clair; use --with-trivy for scanning';
const V05 = 'obsolete since Harbor v1.1';

export const LEGACY_KEYS: readonly LegacyKey[] = [
  { key: 'hostname', versions: 'all', fate: yml('hostname', 'http.port', 'https.port') },
  { key: 'ui_url_protocol', versions: 'all', fate: yml('https') },
  { key: 'ssl_cert', versions: 'all', fate: yml('https.certificate') },
  { key: 'ssl_cert_key', versions: 'all', fate: yml('https.private_key') },
  { key: 'db_password', versions: 'all', fate: yml('database.password', 'external_database.harbor.password'), secret: true },
  { key: 'db_host', versions: '1.3+', fate: yml('external_database.harbor.host') },
  { key: 'db_port', versions: '1.3+', fate: yml('external_database.harbor.port') },
  { key: 'db_user', versions: '1.3+', fate: yml('external_database.harbor.username') },
  { key: 'max_job_workers', versions: 'all', fate: yml('jobservice.max_job_workers') },
  { key: 'harbor_admin_password', versions: 'all', fate: yml('harbor_admin_password'), secret: true },
  { key: 'log_rotate_count', versions: '1.3+', fate: yml('log.local.rotate_count') },
  { key: 'log_rotate_size', versions: '1.3+', fate: yml('log.local.rotate_size') },
  { key: 'http_proxy', versions: '1.5+', fate: yml('proxy.http_proxy') },
  { key: 'https_proxy', versions: '1.5+', fate: yml('proxy.https_proxy') },
  { key: 'no_proxy', versions: '1.5+', fate: yml('proxy.no_proxy') },
  { key: 'redis_url', versions: '1.4–1.5', fate: yml('external_redis.host', 'external_redis.password'), secret: true },
  { key: 'redis_host', versions: '1.6+', fate: yml('external_redis.host') },
  { key: 'redis_port', versions: '1.6+', fate: yml('external_redis.host') },
  { key: 'redis_password', versions: '1.6+', fate: yml('external_redis.password'), secret: true },
  { key: 'redis_db_index', versions: '1.6+', fate: yml('redis.registry_db_index', 'redis.jobservice_db_index', 'external_redis.registry_db_index', 'external_redis.jobservice_db_index') },
  { key: 'registry_storage_provider_name', versions: '1.4+', fate: yml('storage_service') },
  { key: 'registry_storage_provider_config', versions: '1.4+', fate: yml('storage_service.<provider>'), secret: true },
  { key: 'registry_custom_ca_bundle', versions: '1.6+', fate: yml('storage_service.ca_bundle') },
  { key: 'uaa_ca_cert', versions: '1.4+', fate: yml('uaa.ca_file') },
  { key: 'uaa_ca_root', versions: '1.3', fate: yml('uaa.ca_file') },
  { key: '_version', versions: '1.5+', fate: { kind: 'version' } },

  { key: 'auth_mode', versions: 'all', fate: setting('auth_mode') },
  { key: 'self_registration', versions: 'all', fate: setting('self_registration', 'bool') },
  { key: 'token_expiration', versions: 'all', fate: setting('token_expiration', 'int') },
  { key: 'project_creation_restriction', versions: 'all', fate: setting('project_creation_restriction') },
  { key: 'ldap_url', versions: 'all', fate: setting('ldap_url') },
  { key: 'ldap_searchdn', versions: 'opt', fate: setting('ldap_search_dn') },
  { key: 'ldap_search_pwd', versions: 'opt', fate: setting('ldap_search_password', 'secret'), secret: true },
  { key: 'ldap_basedn', versions: 'all', fate: setting('ldap_base_dn') },
  { key: 'ldap_filter', versions: 'opt', fate: setting('ldap_filter') },
  { key: 'ldap_uid', versions: 'all', fate: setting('ldap_uid') },
  { key: 'ldap_scope', versions: 'all', fate: setting('ldap_scope', 'ldapScope') },
  { key: 'ldap_timeout', versions: '1.1+', fate: setting('ldap_timeout', 'int') },
  { key: 'ldap_verify_cert', versions: '1.4+', fate: setting('ldap_verify_cert', 'bool') },
  { key: 'ldap_group_basedn', versions: '1.5+', fate: setting('ldap_group_base_dn') },
  { key: 'ldap_group_filter', versions: '1.5+', fate: setting('ldap_group_search_filter') },
  { key: 'ldap_group_gid', versions: '1.5+', fate: setting('ldap_group_attribute_name') },
  { key: 'ldap_group_scope', versions: '1.5+', fate: setting('ldap_group_search_scope', 'int') },
  { key: 'ldap_group_admin_dn', versions: 'opt (1.6+)', fate: setting('ldap_group_admin_dn') },
  { key: 'uaa_endpoint', versions: '1.3+', fate: setting('uaa_endpoint') },
  { key: 'uaa_clientid', versions: '1.3+', fate: setting('uaa_client_id') },
  { key: 'uaa_clientsecret', versions: '1.3+', fate: setting('uaa_client_secret', 'secret'), secret: true },
  { key: 'uaa_verify_cert', versions: '1.4+', fate: setting('uaa_verify_cert', 'bool') },

  { key: 'email_identity', versions: 'all', fate: gone(EMAIL) },
  { key: 'email_server', versions: 'all', fate: gone(EMAIL) },
  { key: 'email_server_port', versions: 'all', fate: gone(EMAIL) },
  { key: 'email_username', versions: 'all', fate: gone(EMAIL) },
  { key: 'email_password', versions: 'all', fate: gone(EMAIL), secret: true },
  { key: 'email_from', versions: 'all', fate: gone(EMAIL) },
  { key: 'email_ssl', versions: 'all', fate: gone(EMAIL, 'bool') },
  { key: 'email_insecure', versions: '1.3+', fate: gone(EMAIL, 'bool') },
  { key: 'clair_db_password', versions: '1.2+', fate: gone(CLAIR), secret: true },
  { key: 'clair_db_host', versions: '1.4+', fate: gone(CLAIR) },
  { key: 'clair_db_port', versions: '1.4+', fate: gone(CLAIR) },
  { key: 'clair_db_username', versions: '1.4+', fate: gone(CLAIR) },
  { key: 'clair_db', versions: '1.4+', fate: gone(CLAIR) },
  { key: 'clair_updaters_interval', versions: '1.6+', fate: gone(`${CLAIR} (the nearest, not equivalent, setting is trivy.skip_update)`) },
  { key: 'customize_crt', versions: 'all', fate: gone('regctl keeps the token key pair under data_volume/secret (created once, then kept)') },
  { key: 'secretkey_path', versions: '1.1+', fate: gone('regctl keeps the secretkey in data_volume/secret/keys/secretkey') },
  { key: 'admiral_url', versions: '1.1+', fate: gone('removed: the Admiral integration ended with Harbor v1.8') },
  { key: 'verify_remote_cert', versions: '1.1–1.2', fate: gone("moved in Harbor v1.3 to each replication endpoint ('Verify Remote Cert' / insecure)", 'bool') },
  { key: 'reload_config', versions: 'opt (1.4+)', fate: gone("removed; the nearest today is core's CONFIG_OVERWRITE_JSON") },
  { key: 'skip_reload_env_pattern', versions: 'opt (1.5.2+)', fate: gone("removed; the nearest today is core's CONFIG_OVERWRITE_JSON") },
  { key: 'use_compressed_js', versions: '0.5', fate: gone(V05) },
  { key: 'crt_country', versions: '0.5', fate: gone(V05) },
  { key: 'crt_state', versions: '0.5', fate: gone(V05) },
  { key: 'crt_location', versions: '0.5', fate: gone(V05) },
  { key: 'crt_organization', versions: '0.5', fate: gone(V05) },
  { key: 'crt_organizationalunit', versions: '0.5', fate: gone(V05) },
  { key: 'crt_commonname', versions: '0.5', fate: gone(V05) },
  { key: 'crt_email', versions: '0.5', fate: gone(V05) },
];

const BY_NAME = new Map(LEGACY_KEYS.map((k) => [k.key, k]));

export function legacyKey(key: string): LegacyKey | undefined {
  return BY_NAME.get(key);
}

/** Whether a value must not be echoed; unknown keys are judged by their name. */
export function isSecretLegacyKey(key: string): boolean {
  const known = BY_NAME.get(key);
  if (known) return known.secret === true;
  return /pass|pwd|secret|token|credential|key$/i.test(key);
}
