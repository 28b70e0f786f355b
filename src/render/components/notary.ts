/**
 * Notary (Docker Content Trust), only with --with-notary and only on a line that has it (the 2.8
 * line; removed in v2.9.0): notary-server and notary-signer with their configs under
 * common/config/notary/, the nginx hooks that publish notary-server on 4443, and the two networks.
 *
 * Facts: goharbor/harbor v2.8.6 make/photon/prepare/utils/notary.py, templates/notary/*,
 * templates/nginx/notary.*.conf.jinja and the `{% if with_notary %}` parts of
 * templates/docker_compose/docker-compose.yml.jinja.
 *
 * Database URLs: Harbor pastes the external_database.notary_* values into postgres:// URLs as they
 * are, so a password with '#', '@', '/' or '%' breaks the URL (notary cannot connect). regctl
 * percent-encodes the user, password and database name instead; lib/pq and golang-migrate decode
 * them, so the URL means what harbor.yml says.
 */
import type { NotaryDatabaseConfig } from '../../config/model.js';
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { toEnvFile } from '../formats.js';
import { SECRET_PATHS } from '../../secrets/store.js';
import { NOTARY_SIGNER_HOSTNAME } from '../../secrets/notary-signer.js';
import type { ComposeAdditions, ComposeServiceSpec, ServiceContext } from '../compose/service.js';
import { bind, CONFIG, internalTlsMounts, trustMount } from '../compose/service.js';
import { NGINX_CONFD_DIR } from './nginx.js';
import { SERVER_CERT, SERVER_KEY } from './nginx/view.js';
import { COMPATIBLE_CIPHERS } from './nginx/tls.js';

export const NOTARY_DIR = 'common/config/notary';
/** the networks Harbor puts notary on: core/proxy/postgresql reach notary-server, notary-server the signer */
export const NOTARY_NETWORK = 'harbor-notary';
export const NOTARY_SIGNER_NETWORK = 'notary-sig';
/** published as is: no harbor.yml key moves it (v2.8.6 docker-compose.yml.jinja) */
export const NOTARY_PUBLIC_PORT = 4443;
const SIGNER_GRPC_PORT = 7899;
/** regctl's files in nginx's conf.d (its include globs pick them up) */
const NGINX_HOOKS = ['notary.upstream.conf', 'notary.server.conf'] as const;

/** Is Notary part of this deployment? */
export function notaryDeployed(ctx: ServiceContext): boolean {
  return Boolean(ctx.options.withNotary) && ctx.release.capabilities.notary;
}

/** The bundled database's notary users and databases (harbor-db's initial-notary*.sql at v2.8.6). */
const BUNDLED: { server: NotaryDatabaseConfig; signer: NotaryDatabaseConfig } = {
  server: { host: 'postgresql', port: 5432, dbName: 'notaryserver', username: 'server', password: 'password', sslMode: 'disable' },
  signer: { host: 'postgresql', port: 5432, dbName: 'notarysigner', username: 'signer', password: 'password', sslMode: 'disable' },
};

function database(ctx: RenderContext, which: 'server' | 'signer'): NotaryDatabaseConfig {
  if (!ctx.config.database.external) return BUNDLED[which];
  const db = ctx.config.notaryDatabases?.[which];
  // checkNotaryConfig (src/installation/release-choice.ts) refuses the run before rendering
  if (!db) throw new Error(`external_database.notary_${which} is missing`);
  return db;
}

export function notaryDbUrl(db: NotaryDatabaseConfig): string {
  const e = encodeURIComponent;
  return `postgres://${e(db.username)}:${e(db.password)}@${db.host}:${db.port}/${e(db.dbName)}?sslmode=${e(db.sslMode)}`;
}

export function notaryServerConfig(ctx: RenderContext): Record<string, unknown> {
  return {
    server: { http_addr: `:${NOTARY_PUBLIC_PORT}` },
    trust_service: {
      type: 'remote',
      hostname: NOTARY_SIGNER_HOSTNAME,
      // a string in Harbor's template; notary reads either
      port: String(SIGNER_GRPC_PORT),
      // relative paths are read next to the config file (/etc/notary)
      tls_ca_file: './notary-signer-ca.crt',
      key_algorithm: 'ecdsa',
    },
    logging: { level: 'debug' },
    storage: { backend: 'postgres', db_url: notaryDbUrl(database(ctx, 'server')) },
    // core's token service signs for this service with secret/core/private_key.pem
    auth: {
      type: 'token',
      options: {
        realm: `${ctx.config.publicUrl}/service/token`,
        service: 'harbor-notary',
        issuer: 'harbor-token-issuer',
        rootcertbundle: '/etc/notary/root.crt',
      },
    },
  };
}

export function notarySignerConfig(ctx: RenderContext): Record<string, unknown> {
  return {
    server: { grpc_addr: `:${SIGNER_GRPC_PORT}`, tls_cert_file: './notary-signer.crt', tls_key_file: './notary-signer.key' },
    logging: { level: 'debug' },
    // the alias's passphrase comes from NOTARY_SIGNER_DEFAULTALIAS (signer_env)
    storage: { backend: 'postgres', db_url: notaryDbUrl(database(ctx, 'signer')), default_alias: 'defaultalias' },
  };
}

/** read by the images' migrate.sh (golang-migrate), not by notary itself */
export function notaryServerEnv(ctx: RenderContext): string {
  return toEnvFile([
    ['MIGRATIONS_PATH', 'migrations/server/postgresql'],
    ['DB_URL', notaryDbUrl(database(ctx, 'server'))],
  ]);
}

export function notarySignerEnv(ctx: RenderContext): string {
  const alias = ctx.secrets.notary?.defaultAlias;
  if (!alias) throw new Error('the notary secrets were not loaded'); // loadOrCreateSecrets({ withNotary }) makes them
  return toEnvFile([
    ['NOTARY_SIGNER_DEFAULTALIAS', alias],
    ['MIGRATIONS_PATH', 'migrations/signer/postgresql'],
    ['DB_URL', notaryDbUrl(database(ctx, 'signer'))],
  ]);
}

/** conf.d/notary.upstream.conf, included by nginx.conf's `*.upstream.conf` (https only) */
export function notaryUpstreamConf(): string {
  return ['upstream notary-server {', `  server notary-server:${NOTARY_PUBLIC_PORT};`, '}', ''].join('\n');
}

/**
 * conf.d/notary.server.conf: TLS on 4443 with Harbor's server certificate, /v2/ to notary-server.
 * Harbor's template spells `tlsv1.2` and `shared:ssl` in lower case (nginx matches protocol names
 * case-insensitively; `ssl` is a zone of its own) and has no ip_family or strong-cipher switch;
 * kept as it is.
 */
export function notaryServerConf(): string {
  return `# Notary (Docker Content Trust) on ${NOTARY_PUBLIC_PORT}, written by regctl prepare --with-notary.
server {
  listen ${NOTARY_PUBLIC_PORT} ssl;
  server_tokens off;
  ssl_certificate ${SERVER_CERT};
  ssl_certificate_key ${SERVER_KEY};
  ssl_protocols tlsv1.2;
  ssl_ciphers '${COMPATIBLE_CIPHERS}';
  ssl_prefer_server_ciphers on;
  ssl_session_cache shared:ssl:10m;

  # signed metadata can be large; docker clients may send it chunked
  client_max_body_size 0;
  chunked_transfer_encoding on;

  location /v2/ {
    proxy_pass http://notary-server/v2/;
    proxy_set_header Host $http_host;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_buffering off;
    proxy_request_buffering off;
  }
}
`;
}

const notaryConfigMount = `${CONFIG}/notary:/etc/notary:z`;
// Harbor drops no capabilities for the notary services
const noCapDrop = { cap_add: null } as const;

/** notary-server: the TUF metadata service docker clients talk to (through nginx on 4443). */
export const notaryServerService: ComposeServiceSpec = {
  name: 'notary-server',
  containerName: 'notary-server',
  image: 'notaryServer',
  tlsPair: 'notary_server',
  noProxy: ['notary-server'],
  deployed: notaryDeployed,
  body: ({ config }) => ({
    ...noCapDrop,
    networks: [NOTARY_SIGNER_NETWORK, NOTARY_NETWORK],
    volumes: [
      notaryConfigMount,
      bind(`${config.dataVolume}/${SECRET_PATHS.notarySignerCa}`, '/etc/notary/notary-signer-ca.crt'),
      bind(`${config.dataVolume}/${SECRET_PATHS.tokenCert}`, '/etc/notary/root.crt'),
      trustMount(),
      ...internalTlsMounts(config, 'notary_server', '/etc/harbor/ssl'),
    ],
    env_file: [`${CONFIG}/notary/server_env`],
    depends_on: [...(config.database.external ? [] : ['postgresql']), 'notary-signer'],
  }),
};

/** notary-signer: holds the timestamp/snapshot keys, gRPC over TLS for notary-server only. */
export const notarySignerService: ComposeServiceSpec = {
  name: 'notary-signer',
  containerName: 'notary-signer',
  image: 'notarySigner',
  tlsPair: 'notary_signer',
  noProxy: ['notary-signer'],
  deployed: notaryDeployed,
  body: ({ config }) => ({
    ...noCapDrop,
    networks: { [NOTARY_NETWORK]: null, [NOTARY_SIGNER_NETWORK]: { aliases: [NOTARY_SIGNER_HOSTNAME] } },
    volumes: [
      notaryConfigMount,
      bind(`${config.dataVolume}/${SECRET_PATHS.notarySignerCert}`, '/etc/notary/notary-signer.crt'),
      bind(`${config.dataVolume}/${SECRET_PATHS.notarySignerKey}`, '/etc/notary/notary-signer.key'),
      trustMount(),
      ...internalTlsMounts(config, 'notary_signer', '/etc/harbor/ssl'),
    ],
    env_file: [`${CONFIG}/notary/signer_env`],
    depends_on: ['log', ...(config.database.external ? [] : ['postgresql'])],
  }),
};

export const notaryRenderer: ComponentRenderer = {
  name: 'notary',
  services: [notaryServerService, notarySignerService],
  composeAdditions(ctx): ComposeAdditions {
    if (!notaryDeployed(ctx)) return {};
    return {
      services: {
        // notary's databases live in the bundled postgres, which it knows as harbor-db
        postgresql: { networks: { [NOTARY_NETWORK]: { aliases: ['harbor-db'] } } },
        core: { networks: { [NOTARY_NETWORK]: null } },
        proxy: { networks: { [NOTARY_NETWORK]: null }, ports: [`${NOTARY_PUBLIC_PORT}:${NOTARY_PUBLIC_PORT}`] },
      },
      networks: [NOTARY_NETWORK, NOTARY_SIGNER_NETWORK],
    };
  },
  render(ctx: RenderContext): RenderedEntry[] {
    if (!notaryDeployed(ctx)) {
      // conf.d keeps the operator's files, so regctl's notary hooks go explicitly: an upstream
      // naming a service that is gone stops nginx from starting
      return NGINX_HOOKS.map((f) => ({ kind: 'retired' as const, root: 'install' as const, path: `${NGINX_CONFD_DIR}/${f}` }));
    }
    const n = ctx.secrets.notary;
    if (!n) throw new Error('the notary secrets were not loaded');
    const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
    return [
      { kind: 'dir', root: 'install', path: NOTARY_DIR, mode: 0o755, owner: ROOT, contents: 'managed' },
      { kind: 'file', root: 'install', path: `${NOTARY_DIR}/server-config.postgres.json`, content: json(notaryServerConfig(ctx)), mode: 0o640, owner: HARBOR, secret: ctx.config.database.external },
      { kind: 'file', root: 'install', path: `${NOTARY_DIR}/server_env`, content: notaryServerEnv(ctx), mode: 0o640, owner: ROOT, secret: true },
      { kind: 'file', root: 'install', path: `${NOTARY_DIR}/signer-config.postgres.json`, content: json(notarySignerConfig(ctx)), mode: 0o640, owner: HARBOR, secret: ctx.config.database.external },
      { kind: 'file', root: 'install', path: `${NOTARY_DIR}/signer_env`, content: notarySignerEnv(ctx), mode: 0o640, owner: ROOT, secret: true },
      { kind: 'file', root: 'install', path: `${NGINX_CONFD_DIR}/${NGINX_HOOKS[0]}`, content: notaryUpstreamConf(), mode: 0o640, owner: HARBOR },
      { kind: 'file', root: 'install', path: `${NGINX_CONFD_DIR}/${NGINX_HOOKS[1]}`, content: notaryServerConf(), mode: 0o640, owner: HARBOR },
      { kind: 'file', root: 'data', path: SECRET_PATHS.notaryAlias, content: n.defaultAlias, mode: 0o600, owner: HARBOR, secret: true },
      { kind: 'dir', root: 'data', path: 'secret/notary', mode: 0o755, owner: ROOT, contents: 'keep' },
      { kind: 'file', root: 'data', path: SECRET_PATHS.notarySignerCa, content: n.signerCaCertPem, mode: 0o600, owner: HARBOR },
      { kind: 'file', root: 'data', path: SECRET_PATHS.notarySignerCert, content: n.signerCertPem, mode: 0o600, owner: HARBOR },
      { kind: 'file', root: 'data', path: SECRET_PATHS.notarySignerKey, content: n.signerKeyPem, mode: 0o600, owner: HARBOR, secret: true },
      // compose binds the signer certs and the token cert onto /etc/notary/* inside the bound
      // common/config/notary, so dockerd leaves empty files of those names here: Docker's, not
      // stale files to remove (a reinstall removed them; found by test/e2e/notary.test.ts)
      ...['notary-signer-ca.crt', 'notary-signer.crt', 'notary-signer.key', 'root.crt'].map((f) => ({ kind: 'mountpoint' as const, root: 'install' as const, path: `${NOTARY_DIR}/${f}` })),
    ];
  },
};
