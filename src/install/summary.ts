/**
 * What an operator needs after a successful install: where Harbor is, who logs in, and the exact
 * commands that make clients trust it and log in. No password is printed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { HarborConfig } from '../config/model.js';
import { urlHostPort } from './endpoints.js';
import { hostPathResolver } from '../installation/host-paths.js';

/** host[:port] as clients name the registry (docker certs.d dir name, docker login argument) */
export function registryAddress(publicUrl: string): string {
  const hp = urlHostPort(publicUrl);
  if (!hp) return publicUrl;
  const https = publicUrl.startsWith('https:');
  const host = hp.host.includes(':') ? `[${hp.host}]` : hp.host;
  return hp.port === (https ? 443 : 80) ? host : `${host}:${hp.port}`;
}

/** The CA clients should trust: https.ca_file, else the copy prepare puts in ca_download. */
export function clientCaFile(config: HarborConfig, dataVolume: string, root?: string): string | undefined {
  if (config.https?.caFile && existsSync(hostPathResolver(root, config)(config.https.caFile))) return config.https.caFile;
  const download = path.join(dataVolume, 'ca_download', 'ca.crt');
  if (existsSync(download)) return root ? download.slice(path.resolve(root).length) || '/' : download;
  return undefined;
}

export function trustCommand(config: HarborConfig, ca: string | undefined): string {
  const registry = registryAddress(config.publicUrl);
  if (config.protocol !== 'https') return `regctl cert trust --insecure --registry ${registry}`;
  return `regctl cert trust --ca ${ca ?? '<CA certificate that issued the server certificate>'} --registry ${registry}`;
}

export function successSummary(opts: { config: HarborConfig; dataVolume: string; root?: string; containers: number; seconds: number; warnings: string[] }): string[] {
  const { config } = opts;
  const registry = registryAddress(config.publicUrl);
  const ca = clientCaFile(config, opts.dataVolume, opts.root);
  const lines = [
    `Harbor is up at ${config.publicUrl} (${opts.containers} containers running and healthy, ${opts.seconds.toFixed(1)}s)`,
    `  admin user:  admin (password: harbor_admin_password from ${config.source.file}; it applies on the first start only)`,
    `  on each client, trust it:  ${trustCommand(config, ca)}`,
    `  then log in:               docker login ${registry} -u admin`,
  ];
  if (config.protocol === 'https' && !ca) lines.push('  (no CA file known: if a public CA issued the certificate, clients already trust it)');
  for (const w of opts.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
