/**
 * harbor.yml keys that only some release lines read: the first schema version whose template
 * (goharbor/harbor make/harbor.yml.tmpl at that tag) has the key, and the first that dropped it.
 * A key outside its lifetime is an error for that line, naming the release that introduced or
 * removed it. A key absent here is read by every supported line.
 */
export interface KeyLifetime {
  key: string;
  /** first schema version that reads it, e.g. '2.15.0' */
  since?: string;
  /** first schema version that no longer reads it */
  until?: string;
}

export const KEY_LIFETIMES: readonly KeyLifetime[] = [
  { key: 'https.strong_ssl_ciphers', since: '2.9.0' },
  { key: 'jobservice.job_loggers', since: '2.9.0' },
  { key: 'core', since: '2.9.0' },
  // the template comments it from 2.9; utils/configs.py reads it (as skip_java_db_update below) from
  // v2.10.1 on, a patch of the 2.10.0 schema: regctl's 2.10 line is v2.10.3, which reads both
  { key: 'internal_tls.strong_ssl_ciphers', since: '2.10.0' },
  { key: 'ip_family', since: '2.11.0' },
  { key: 'trivy.skip_java_db_update', since: '2.10.0' },
  { key: 'jobservice.max_job_duration_hours', since: '2.13.0' },
  { key: 'external_redis.tlsOptions', since: '2.13.0' },
  { key: 'trivy.db_repository', since: '2.15.0' },
  { key: 'trivy.java_db_repository', since: '2.15.0' },
  { key: 'external_database.notary_signer', until: '2.9.0' },
  { key: 'external_database.notary_server', until: '2.9.0' },
];

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Why `keyPath` is not read by the line of `schemaVersion`, or undefined when it is. */
export function keyOutsideLine(keyPath: string, schemaVersion: string): { since?: string; until?: string } | undefined {
  const entry = KEY_LIFETIMES.find((l) => l.key === keyPath);
  if (!entry) return undefined;
  if (entry.since && compareVersions(schemaVersion, entry.since) < 0) return { since: entry.since };
  if (entry.until && compareVersions(schemaVersion, entry.until) >= 0) return { until: entry.until };
  return undefined;
}
