/** How clients reach the registry: ui_url_protocol, the certificate pair, hostname. */
import type { CfgEntry } from '../parse.js';
import { splitHostPort } from '../values.js';
import type { LegacyContext, LegacyRule } from './context.js';
import { checkAllowedValue } from '../../checks/allowed-values.js';

/** Legacy prepare compared ui_url_protocol with exactly "https"; anything else served plain http. */
function servesHttps(ctx: LegacyContext): boolean {
  return ctx.entry('ui_url_protocol')?.value === 'https';
}

const protocol: LegacyRule = {
  name: 'protocol and certificate',
  reads: ['ui_url_protocol', 'ssl_cert', 'ssl_cert_key'],
  writes: ['https.port', 'https.certificate', 'https.private_key'],
  apply(ctx) {
    const protocolEntry = ctx.entry('ui_url_protocol');
    if (protocolEntry) {
      // Legacy prepare served plain http for anything but exactly "https" (a typo dropped TLS);
      // regctl refuses instead of falling back.
      const bad = checkAllowedValue('ui_url_protocol', protocolEntry.value, ['http', 'https']);
      if (bad) {
        ctx.error('E_CFG_PROTOCOL', `${bad.message}; legacy Harbor would have served plain http`, bad.fix, protocolEntry, 'https');
        return;
      }
    }
    if (!servesHttps(ctx)) {
      // The choice of plain http comes from this line too (e.g. for "HTTP is insecure" warnings).
      if (protocolEntry) ctx.origin('https', [protocolEntry]);
      const cert = ctx.entry('ssl_cert');
      if (cert && cert.value !== '') ctx.unservedCertificates.push(cert);
      return;
    }
    ctx.set('https.port', 443, protocolEntry);
    ctx.origin('https', [protocolEntry as CfgEntry]);
    for (const [legacy, target] of [['ssl_cert', 'certificate'], ['ssl_cert_key', 'private_key']] as const) {
      const entry = ctx.entry(legacy);
      if (!entry || entry.value === '') {
        ctx.error(
          'E_CFG_MISSING_KEY',
          `ui_url_protocol is https but ${legacy} is ${entry ? 'empty' : 'not set'}`,
          `Set ${legacy} to the path of the server ${target === 'certificate' ? 'certificate' : 'private key'} (PEM), or set ui_url_protocol = http.`,
          entry ?? protocolEntry,
          `https.${target}`,
        );
      } else {
        ctx.set(`https.${target}`, entry.value, entry);
      }
    }
  },
};

const hostname: LegacyRule = {
  name: 'hostname',
  reads: ['hostname'],
  consults: ['ui_url_protocol'],
  writes: ['hostname', 'http.port', 'https.port'],
  apply(ctx) {
    const hostEntry = ctx.entry('hostname');
    if (!hostEntry || hostEntry.value === '') {
      ctx.error(
        'E_CFG_MISSING_KEY',
        `hostname is ${hostEntry ? 'empty' : 'not set'}; it is the name or IP address clients use to reach the registry`,
        'Add "hostname = <the registry\'s DNS name or IP address>" (not localhost or 127.0.0.1).',
        hostEntry,
        'hostname',
      );
      return;
    }
    const split = splitHostPort(hostEntry.value);
    if (!split) {
      ctx.set('hostname', hostEntry.value, hostEntry);
      return;
    }
    // Legacy Harbor needed a hand-edited docker-compose.yml for a port in hostname; regctl publishes it.
    const port = Number(split.port);
    const portKey = servesHttps(ctx) ? 'https.port' : 'http.port';
    ctx.set('hostname', split.host, hostEntry);
    ctx.set(portKey, port, hostEntry);
    ctx.warn(
      'W_CFG_HOSTNAME_PORT',
      `hostname = ${JSON.stringify(hostEntry.value)} carries a port: regctl uses hostname ${split.host} and ${portKey} ${port}`,
      'Legacy Harbor needed a hand-edited docker-compose.yml for this; regctl publishes the port itself. If a proxy in front of Harbor owns that port, use external_url in a harbor.yml instead.',
      hostEntry,
      'hostname',
    );
  },
};

export const ENDPOINT_RULES: readonly LegacyRule[] = [protocol, hostname];
