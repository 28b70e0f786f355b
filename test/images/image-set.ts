/**
 * The local image set the e2e tests and bench/install run Harbor with, since Harbor's images
 * cannot be pulled here. Tagged `<prefix>/<image name of the release>:<release tag>`, so a config
 * rendered with `--image-prefix <prefix>` uses them unchanged.
 *
 *  - real: nginx-photon = Debian's nginx, registry-photon = Debian's docker-registry (distribution
 *    2.8), harbor-db = Debian's PostgreSQL 15, valkey-photon = Debian's redis-server; on release
 *    lines with Notary (2.8), notary-server-photon / notary-signer-photon = Debian's notary 0.7
 *    binaries, started after Notary's PostgreSQL schema is applied (files/notary/);
 *  - STAND-INS (label org.regctl.standin): harbor-core, harbor-portal, harbor-jobservice,
 *    harbor-registryctl, harbor-log: small Node programs in test/images/standins/.
 *
 * Each image carries the HEALTHCHECK probe its Harbor counterpart has (same port and path), with
 * a short interval so a test install turns healthy in seconds instead of Harbor's 30 s default.
 * Images are rebuilt only when their inputs change (label org.regctl.test.inputs).
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync, statSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RootfsBuilder } from './rootfs.js';
import { defaultRelease } from '../../src/releases/index.js';
import { imageRef, type HarborRelease } from '../../src/releases/types.js';
import { withLock } from './lock.js';
import { unmanagedTempDir } from '../helpers/tmp.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * The tags are shared by everything using the engine: two checkouts with different test/images
 * sources would rebuild each other's images between a build and an install. REGCTL_TEST_IMAGE_PREFIX
 * gives a checkout its own set (e.g. regctl-test-<branch>).
 */
export const TEST_IMAGE_PREFIX = process.env.REGCTL_TEST_IMAGE_PREFIX || 'regctl-test';
const INPUTS_LABEL = 'org.regctl.test.inputs';
const HEALTH = '--interval=2s --timeout=5s --retries=3';
const HARBOR_UID = 10000;
const PG_UID = 999;

export type ServiceImage = 'proxy' | 'registry' | 'postgresql' | 'redis' | 'core' | 'portal' | 'jobservice' | 'registryctl' | 'log' | 'notaryServer' | 'notarySigner';

export interface ImageSetResult {
  prefix: string;
  /** compose service -> image reference (notaryServer/notarySigner only on lines with Notary) */
  refs: Partial<Record<ServiceImage, string>> & Record<Exclude<ServiceImage, 'notaryServer' | 'notarySigner'>, string>;
  /** a tiny busybox image for tests that need "some other container" */
  busybox: string;
  built: string[];
  reused: string[];
  seconds: number;
}

interface ImageDef {
  service: ServiceImage | 'busybox' | 'standin-base';
  ref: string;
  /** extra inputs (besides the image-set sources) that should trigger a rebuild */
  hostFiles: string[];
  build(ref: string, inputs: string, ctx: BuildContext): Promise<void>;
}

interface BuildContext {
  docker: string;
  workDir: string;
  baseRef: string;
}

function changes(opts: { user?: string; cmd: string[]; health?: string[]; labels: Record<string, string>; env?: string[]; workdir?: string }): string[] {
  const out = [`CMD ${JSON.stringify(opts.cmd)}`];
  if (opts.user) out.push(`USER ${opts.user}`);
  if (opts.health) out.push(`HEALTHCHECK ${HEALTH} CMD ${JSON.stringify(opts.health)}`);
  for (const e of opts.env ?? []) out.push(`ENV ${e}`);
  if (opts.workdir) out.push(`WORKDIR ${opts.workdir}`);
  for (const [k, v] of Object.entries(opts.labels)) out.push(`LABEL ${k}=${JSON.stringify(v)}`);
  return out;
}

/**
 * Where the test harbor-db keeps its cluster: data_volume/database/pg<N> with N the release's
 * PostgreSQL major (pg13 for 2.8.6, pg18 for 2.15.2), the directory Harbor's image of that release
 * uses, so doctor and upgrades see the layout a real install has. STAND-IN quirk: Debian's
 * PostgreSQL (15 here) runs inside it whatever N says.
 */
export function testClusterDir(release: HarborRelease = defaultRelease): string {
  return `pg${release.database?.postgresMajor ?? Number(path.basename(postgresHome()))}`;
}

/** Debian's newest installed PostgreSQL, e.g. /usr/lib/postgresql/15 */
function postgresHome(): string {
  const majors = readdirSync('/usr/lib/postgresql', { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d+$/.test(e.name))
    .map((e) => Number(e.name))
    .sort((a, b) => b - a);
  if (!majors.length) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  return `/usr/lib/postgresql/${majors[0]}`;
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function imageDefs(prefix: string, release: HarborRelease): ImageDef[] {
  const ref = (s: keyof HarborRelease['images']) => imageRef(release, s, prefix);
  const fileText = (rel: string) => readFileSync(path.join(here, rel));
  const realLabel = (what: string, replaces: string) => ({
    'org.regctl.test.image': `real ${what} (host binary) in place of goharbor/${replaces}`,
  });

  const nginx: ImageDef = {
    service: 'proxy',
    ref: ref('proxy'),
    hostFiles: ['/usr/sbin/nginx'],
    async build(tag, inputs, ctx) {
      const fsb = await RootfsBuilder.create(path.join(ctx.workDir, 'nginx'));
      await fsb.addBinary('/usr/sbin/nginx');
      await fsb.addBusybox(['nc', 'head', 'printf']);
      await fsb.addUsers([{ name: 'nginx', uid: HARBOR_UID }]);
      await fsb.mkdir('/var/lib/nginx', 0o755, { uid: HARBOR_UID, gid: HARBOR_UID });
      await fsb.mkdir('/var/log/nginx', 0o755, { uid: HARBOR_UID, gid: HARBOR_UID });
      await fsb.symlink('/var/log/nginx/error.log', '/dev/stderr');
      await fsb.symlink('/var/log/nginx/access.log', '/dev/stdout');
      await fsb.mkdir('/etc/nginx', 0o755);
      await fsb.writeFile('/usr/local/bin/http-healthcheck', fileText('files/http-healthcheck.sh'), 0o755);
      await fsb.importAs(ctx.docker, tag, changes({
        user: String(HARBOR_UID),
        cmd: ['nginx', '-c', '/etc/nginx/nginx.conf', '-g', 'daemon off;'],
        health: ['/usr/local/bin/http-healthcheck', '8080'],
        env: [PATH_ENV],
        labels: { ...realLabel('nginx', release.images.proxy), [INPUTS_LABEL]: inputs },
      }));
    },
  };

  const registry: ImageDef = {
    service: 'registry',
    ref: ref('registry'),
    hostFiles: ['/usr/bin/docker-registry'],
    async build(tag, inputs, ctx) {
      const fsb = await RootfsBuilder.create(path.join(ctx.workDir, 'registry'));
      await fsb.addBinary('/usr/bin/docker-registry');
      await fsb.addBusybox(['nc', 'head', 'printf']);
      await fsb.addUsers([{ name: 'harbor', uid: HARBOR_UID }]);
      await fsb.mkdir('/storage', 0o755, { uid: HARBOR_UID, gid: HARBOR_UID });
      await fsb.mkdir('/etc/registry', 0o755);
      await fsb.writeFile('/usr/local/bin/http-healthcheck', fileText('files/http-healthcheck.sh'), 0o755);
      await fsb.importAs(ctx.docker, tag, changes({
        user: String(HARBOR_UID),
        cmd: ['/usr/bin/docker-registry', 'serve', '/etc/registry/config.yml'],
        health: ['/usr/local/bin/http-healthcheck', '5000'],
        env: [PATH_ENV],
        labels: { ...realLabel('docker-registry (distribution 2.8)', release.images.registry), [INPUTS_LABEL]: inputs },
      }));
    },
  };

  const postgres: ImageDef = {
    service: 'postgresql',
    ref: ref('postgresql'),
    hostFiles: [`${postgresHome()}/bin/postgres`],
    async build(tag, inputs, ctx) {
      const fsb = await RootfsBuilder.create(path.join(ctx.workDir, 'postgres'));
      const home = postgresHome();
      const major = path.basename(home);
      const bin = `${home}/bin`;
      // pg_dump and pg_restore: Harbor's harbor-db has them too; regctl backup and restore run them inside it
      for (const b of ['postgres', 'initdb', 'pg_ctl', 'psql', 'pg_isready', 'pg_dump', 'pg_restore']) await fsb.addBinary(`${bin}/${b}`);
      await fsb.addHostTree(`${home}/lib`, (rel) => !/^(bitcode|pgxs|llvmjit|sepgsql)/.test(rel), true);
      await fsb.addHostTree(`/usr/share/postgresql/${major}`, (rel) => !rel.startsWith('man'));
      await fsb.addHostTree('/usr/share/zoneinfo', (rel) => rel === 'UTC' || rel === 'Etc' || rel.startsWith('Etc/'));
      await fsb.addBusybox(['mktemp', 'printf', 'rm', 'cat']);
      await fsb.addUsers([{ name: 'postgres', uid: PG_UID }]);
      await fsb.mkdir('/var/lib/postgresql', 0o755, { uid: PG_UID, gid: PG_UID });
      await fsb.mkdir('/var/lib/postgresql/data', 0o700, { uid: PG_UID, gid: PG_UID });
      await fsb.mkdir('/var/run/postgresql', 0o775, { uid: PG_UID, gid: PG_UID });
      await fsb.writeFile('/entrypoint.sh', fileText('files/harbor-db/entrypoint.sh'), 0o755);
      await fsb.writeFile('/docker-healthcheck.sh', fileText('files/harbor-db/healthcheck.sh'), 0o755);
      await fsb.mkdir('/docker-entrypoint-initdb.d', 0o755);
      if (release.capabilities.notary) {
        // Harbor's 2.8 harbor-db creates Notary's databases at initdb, with or without --with-notary
        for (const db of ['notaryserver', 'notarysigner']) {
          await fsb.writeFile(`/docker-entrypoint-initdb.d/initial-${db}.sql`, fileText(`files/harbor-db/initial-${db}.sql`));
        }
      }
      await fsb.importAs(ctx.docker, tag, changes({
        user: String(PG_UID),
        cmd: ['/entrypoint.sh'],
        health: ['/docker-healthcheck.sh'],
        env: [PATH_ENV, 'TZ=UTC', 'LANG=C', `PGBIN=${bin}`, `PG_CLUSTER_DIR=${testClusterDir(release)}`],
        labels: { ...realLabel(`PostgreSQL ${major}`, release.images.postgresql), [INPUTS_LABEL]: inputs },
      }));
    },
  };

  const redis: ImageDef = {
    service: 'redis',
    ref: ref('redis'),
    hostFiles: ['/usr/bin/redis-server', '/usr/bin/redis-cli'],
    async build(tag, inputs, ctx) {
      const fsb = await RootfsBuilder.create(path.join(ctx.workDir, 'redis'));
      await fsb.addBinary('/usr/bin/redis-server');
      await fsb.addBinary('/usr/bin/redis-cli');
      await fsb.addBusybox([]);
      await fsb.addUsers([{ name: 'redis', uid: PG_UID }]);
      await fsb.mkdir('/var/lib/redis', 0o755, { uid: PG_UID, gid: PG_UID });
      await fsb.writeFile('/usr/bin/docker-healthcheck', fileText('files/valkey/healthcheck.sh'), 0o755);
      await fsb.importAs(ctx.docker, tag, changes({
        user: String(PG_UID),
        cmd: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--dir', '/var/lib/redis', '--save', '60 1', '--daemonize', 'no'],
        health: ['docker-healthcheck'],
        env: [PATH_ENV],
        workdir: '/var/lib/redis',
        labels: { ...realLabel('redis-server', release.images.redis), [INPUTS_LABEL]: inputs },
      }));
    },
  };

  const notary = (service: 'notaryServer' | 'notarySigner'): ImageDef => {
    const bin = service === 'notaryServer' ? '/usr/bin/notary-server' : '/usr/bin/notary-signer';
    const sub = service === 'notaryServer' ? 'server' : 'signer';
    return {
      service,
      ref: ref(service),
      hostFiles: [bin, `${postgresHome()}/bin/psql`],
      async build(tag, inputs, ctx) {
        const fsb = await RootfsBuilder.create(path.join(ctx.workDir, service));
        await fsb.addBinary(bin);
        await fsb.addBinary(`${postgresHome()}/bin/psql`, '/usr/bin/psql');
        await fsb.addBusybox(['sleep', 'cat', 'printf']);
        await fsb.addUsers([{ name: 'notary', uid: HARBOR_UID }]);
        for (const f of readdirSync(path.join(here, 'files/notary/migrations', sub, 'postgresql')).sort()) {
          await fsb.writeFile(`/migrations/${sub}/postgresql/${f}`, fileText(`files/notary/migrations/${sub}/postgresql/${f}`));
        }
        await fsb.writeFile('/entrypoint.sh', fileText('files/notary/entrypoint.sh'), 0o755);
        await fsb.mkdir('/etc/notary', 0o755);
        // like Harbor's notary images: no HEALTHCHECK (compose and regctl wait for "running")
        await fsb.importAs(ctx.docker, tag, changes({
          user: String(HARBOR_UID),
          cmd: ['/entrypoint.sh'],
          env: [PATH_ENV, `SERVICE_NAME=notary_${sub}`],
          workdir: '/',
          labels: { ...realLabel(`notary-${sub} (Debian notary 0.7)`, release.images[service]!), [INPUTS_LABEL]: inputs },
        }));
      },
    };
  };

  const base: ImageDef = {
    service: 'standin-base',
    ref: `${prefix}/regctl-standin-base:${release.version}`,
    hostFiles: [process.execPath, `${postgresHome()}/bin/psql`],
    async build(tag, inputs, ctx) {
      const fsb = await RootfsBuilder.create(path.join(ctx.workDir, 'standin-base'));
      await fsb.addBinary(process.execPath, '/usr/bin/node');
      // the core stand-in marks the schema dirty with it when a test asks (standins/core.mjs)
      await fsb.addBinary(`${postgresHome()}/bin/psql`, '/usr/bin/psql');
      await fsb.addBusybox(['wget', 'netstat', 'grep']);
      await fsb.addUsers([{ name: 'harbor', uid: HARBOR_UID }]);
      await fsb.importAs(ctx.docker, tag, changes({
        cmd: ['node', '--version'],
        env: [PATH_ENV],
        labels: { 'org.regctl.test.image': 'node runtime for the Harbor stand-ins', [INPUTS_LABEL]: inputs },
      }));
    },
  };

  const standin = (
    service: 'core' | 'portal' | 'jobservice' | 'registryctl' | 'log',
    script: string,
    health: string,
    user: string | undefined,
  ): ImageDef => ({
    service,
    ref: ref(service),
    hostFiles: [],
    async build(tag, inputs, ctx) {
      const dir = path.join(ctx.workDir, `standin-${service}`);
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(dir, { recursive: true });
      await fs.copyFile(path.join(here, 'standins/lib.mjs'), path.join(dir, 'lib.mjs'));
      await fs.copyFile(path.join(here, 'standins', script), path.join(dir, script));
      const harborName = release.images[service];
      const dockerfile = [
        `FROM ${ctx.baseRef}`,
        `COPY lib.mjs ${script} /standin/`,
        `LABEL org.regctl.standin=${JSON.stringify(harborName)} org.opencontainers.image.title=${JSON.stringify(`${harborName} STAND-IN (regctl tests)`)} ${INPUTS_LABEL}=${JSON.stringify(inputs)}`,
        user ? `USER ${user}` : '',
        `ENV REGCTL_STANDIN_RELEASE=${release.version}`,
        `HEALTHCHECK ${HEALTH} CMD ${health}`,
        `CMD ["node", "/standin/${script}"]`,
        '',
      ].join('\n');
      await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile);
      await execa(ctx.docker, ['build', '-q', '-t', tag, dir], { env: { DOCKER_BUILDKIT: '0' } });
    },
  });

  const busybox: ImageDef = {
    service: 'busybox',
    ref: `${prefix}/busybox:local`,
    hostFiles: [],
    async build(tag, inputs, ctx) {
      const fsb = await RootfsBuilder.create(path.join(ctx.workDir, 'busybox'));
      await fsb.addBusybox(['sleep', 'true']);
      await fsb.importAs(ctx.docker, tag, changes({ cmd: ['sleep', '3600'], labels: { [INPUTS_LABEL]: inputs } }));
    },
  };

  return [
    nginx,
    registry,
    postgres,
    redis,
    ...(release.capabilities.notary ? [notary('notaryServer'), notary('notarySigner')] : []),
    base,
    standin('core', 'core.mjs', 'wget -q -O /dev/null http://127.0.0.1:8080/api/v2.0/ping || exit 1', String(HARBOR_UID)),
    standin('portal', 'portal.mjs', 'wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1', String(HARBOR_UID)),
    standin('jobservice', 'jobservice.mjs', 'wget -q -O /dev/null http://127.0.0.1:8080/api/v1/stats || exit 1', String(HARBOR_UID)),
    standin('registryctl', 'registryctl.mjs', 'wget -q -O /dev/null http://127.0.0.1:8080/api/health || exit 1', String(HARBOR_UID)),
    // Harbor's log image starts as root too (it must write into the host's log directory)
    standin('log', 'log.mjs', 'netstat -ltn | grep -q ":10514 " || exit 1', undefined),
    busybox,
  ];
}

/** Hash of this directory's sources plus the size/mtime of the host binaries an image copies. */
function inputsHash(def: ImageDef, baseInputs: string): string {
  const h = createHash('sha256').update(def.service).update(baseInputs);
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.test.ts')) h.update(p.slice(here.length)).update(readFileSync(p));
    }
  };
  walk(here);
  h.update(readFileSync(path.join(here, '../../src/releases/types.ts')));
  for (const f of def.hostFiles) {
    const st = statSync(f);
    h.update(`${f}:${st.size}:${st.mtimeMs}`);
  }
  return h.digest('hex').slice(0, 24);
}

async function labelOf(docker: string, ref: string): Promise<string | undefined> {
  const r = await execa(docker, ['image', 'inspect', '-f', `{{index .Config.Labels "${INPUTS_LABEL}"}}`, ref], { reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/**
 * Builds (or reuses) every image of the set. Safe to call from several test files at once: a
 * lock serialises builders, and an image whose inputs did not change is not rebuilt.
 */
export async function ensureImageSet(opts: { prefix?: string; release?: HarborRelease; docker?: string; log?: (line: string) => void } = {}): Promise<ImageSetResult> {
  const prefix = opts.prefix ?? TEST_IMAGE_PREFIX;
  const release = opts.release ?? defaultRelease;
  const docker = opts.docker ?? 'docker';
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const defs = imageDefs(prefix, release);
  const baseDef = defs.find((d) => d.service === 'standin-base')!;
  const built: string[] = [];
  const reused: string[] = [];
  await withLock(path.join(os.tmpdir(), 'regctl-image-set.lock'), async () => {
    const workDir = await unmanagedTempDir('regctl-images'); // removed below, also outside vitest (build-cli)
    try {
      const baseInputs = inputsHash(baseDef, '');
      for (const def of defs) {
        const inputs = def === baseDef ? baseInputs : inputsHash(def, def.service === 'busybox' ? '' : baseInputs);
        if ((await labelOf(docker, def.ref)) === inputs) {
          reused.push(def.ref);
          continue;
        }
        const t = Date.now();
        await def.build(def.ref, inputs, { docker, workDir, baseRef: baseDef.ref });
        built.push(def.ref);
        log(`built ${def.ref} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
      }
    } finally {
      await fs.rm(workDir, { recursive: true, force: true });
    }
  });
  const refs = Object.fromEntries(defs.filter((d) => d.service !== 'busybox' && d.service !== 'standin-base').map((d) => [d.service, d.ref])) as Record<ServiceImage, string>;
  return { prefix, refs, busybox: defs.find((d) => d.service === 'busybox')!.ref, built, reused, seconds: (Date.now() - started) / 1000 };
}
