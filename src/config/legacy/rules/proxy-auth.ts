/** The outgoing proxy, the UAA CA, and the secretkey that moved into data_volume. */
import { isAtMost } from '../version.js';
import { userNoProxyEntries } from '../values.js';
import type { LegacyRule } from './context.js';

const proxy: LegacyRule = {
  name: 'proxy',
  reads: ['http_proxy', 'https_proxy', 'no_proxy'],
  writes: ['proxy.http_proxy', 'proxy.https_proxy', 'proxy.no_proxy'],
  apply(ctx) {
    const httpProxy = ctx.entry('http_proxy');
    const httpsProxy = ctx.entry('https_proxy');
    const noProxy = ctx.entry('no_proxy');
    if (httpProxy && httpProxy.value !== '') ctx.set('proxy.http_proxy', httpProxy.value, httpProxy);
    if (httpsProxy && httpsProxy.value !== '') ctx.set('proxy.https_proxy', httpsProxy.value, httpsProxy);
    if (noProxy) {
      // legacy lists carried Harbor's own service names, which today's prepare adds itself: keep the user's
      const mine = userNoProxyEntries(noProxy.value);
      if (mine.length > 0) ctx.set('proxy.no_proxy', mine.join(','), noProxy);
    }
    const proxySet = [httpProxy, httpsProxy].find((e) => e && e.value !== '');
    if (!proxySet) return;
    ctx.origin('proxy', [proxySet]);
    ctx.warn(
      'W_CFG_PROXY_SCOPE',
      'the proxy now applies to more than before: legacy Harbor used http_proxy/https_proxy only for Clair, Harbor v2.15 uses them for core, jobservice and trivy (proxy.components)',
      'If core and jobservice must not use the proxy (replication, webhooks), convert to harbor.yml (`regctl migrate --config harbor.cfg`) and set proxy.components to [trivy].',
      proxySet,
      'proxy',
    );
  },
};

const uaaCa: LegacyRule = {
  name: 'UAA CA certificate',
  reads: [],
  // with another auth_mode the CA keys are listed as unused; auth_mode itself is a system setting
  consults: ['auth_mode', 'uaa_ca_cert', 'uaa_ca_root'],
  writes: ['uaa.ca_file'],
  apply(ctx) {
    if (ctx.entry('auth_mode')?.value !== 'uaa_auth') return;
    const ca = [ctx.entry('uaa_ca_cert'), ctx.entry('uaa_ca_root')].find((e) => e && e.value !== '');
    if (!ca) return;
    ctx.claim('uaa_ca_cert', 'uaa_ca_root');
    ctx.set('uaa.ca_file', ca.value, ca);
    ctx.origin('uaa', [ca]);
  },
};

const secretkeyPath: LegacyRule = {
  name: 'secretkey_path',
  reads: [],
  consults: ['secretkey_path', 'admiral_url'],
  writes: [],
  note: 'the secretkey lives in data_volume/secret/keys/secretkey: a warning says to copy it there',
  apply(ctx) {
    const entry = ctx.entry('secretkey_path');
    if (!entry || entry.value === '' || entry.value.replace(/\/+$/, '') === '/data') return;
    const dir = entry.value.replace(/\/+$/, '');
    const dataVolume = ctx.data.data_volume as string;
    const { version } = ctx.version;
    const admiral = ctx.entry('admiral_url');
    const vic = admiral && admiral.value !== '' && admiral.value !== 'NA' && version !== null && !isAtMost(version, '1.5');
    ctx.warn(
      'W_CFG_SECRETKEY_PATH',
      `secretkey_path is ${dir}: before the first regctl prepare, copy ${dir}/secretkey to ${dataVolume}/secret/keys/secretkey (unchanged, 16 characters)${vic ? `; with admiral_url set, Harbor ${version} also kept its data there, so check data_volume` : ''}`,
      'Harbor encrypts stored passwords (replication endpoints, LDAP) with this key; without the same key they cannot be decrypted, and regctl would create a new one.',
      entry,
    );
  },
};

export const PROXY_AUTH_RULES: readonly LegacyRule[] = [proxy, uaaCa, secretkeyPath];
