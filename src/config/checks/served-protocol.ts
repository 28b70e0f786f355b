/**
 * A setup that asks for TLS must not end up serving plain http: `--generate-certs` on a config
 * without `https:`, or a legacy harbor.cfg that names an existing certificate while its protocol
 * is http, is an error rather than a silent downgrade.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ConfigDocument } from '../document.js';
import type { HarborConfig } from '../model.js';
import type { ConfigReader } from '../reader.js';
import { problem, type Problem } from '../../errors.js';

export interface ServedProtocolOptions {
  generateCerts?: boolean;
  /** where regctl reads a host path the config names (the --root rule) */
  hostPath?: (configPath: string) => string;
}

export function checkServedProtocol(r: ConfigReader, doc: ConfigDocument, config: HarborConfig, opts: ServedProtocolOptions, problems: Problem[]): void {
  if (config.https) return;
  if (opts.generateCerts) {
    r.error(
      'https',
      'E_GENERATE_CERTS_HTTP',
      '--generate-certs was given but the config serves plain http (no https block): the certificate would never be used',
      doc.format === 'cfg' ? 'set ui_url_protocol = https (with ssl_cert and ssl_cert_key), or drop --generate-certs' : 'add an `https:` block (port: 443, certificate:, private_key:), or drop --generate-certs',
    );
  }
  for (const cert of doc.unservedCertificates ?? []) {
    const configured = path.isAbsolute(cert.path) ? cert.path : path.resolve(path.dirname(doc.file), cert.path);
    const at = path.isAbsolute(cert.path) && opts.hostPath ? opts.hostPath(configured) : configured;
    if (!existsSync(at)) continue;
    problems.push(
      problem('error', 'E_CFG_HTTP_WITH_CERTIFICATE', `ssl_cert names an existing certificate (${at}) but ui_url_protocol is http: Harbor would serve plain http and never use it`, {
        ...cert.location,
        fix: 'set ui_url_protocol = https to serve it, or clear ssl_cert (ssl_cert =) to serve plain http on purpose',
      }),
    );
  }
}
