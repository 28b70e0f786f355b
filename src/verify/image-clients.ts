/**
 * The two clients `regctl verify` can push and pull with, behind one interface. Both keep their
 * credentials in a temporary directory (docker: DOCKER_CONFIG, skopeo: --authfile) so the user's
 * ~/.docker/config.json is never written, and both get the password on stdin only.
 *
 * Trust: dockerd reads /etc/docker/certs.d/HOST:PORT itself (and skips TLS verification for
 * 127.0.0.0/8: "insecure registries" default, docker docs dockerd --insecure-registry); skopeo
 * verifies always (--tls-verify=true) against the system store plus a --cert-dir holding the CA
 * regctl resolved (--ca, or certs.d under --root).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { firstErrorLine, run, which, type RunResult } from '../docker/cli.js';
import type { Credentials } from '../registry-client/docker-config.js';
import type { TrustAnchors } from '../registry-client/trust-anchors.js';
import { probeTar, writeOciLayout } from './probe-image.js';

export type ClientName = 'docker' | 'skopeo';
export const CLIENT_NAMES: readonly ClientName[] = ['docker', 'skopeo'];

export interface ImageClient {
  readonly name: ClientName;
  login(creds: Credentials): Promise<void>;
  /** builds the probe image locally; returns a detail for the progress line */
  build(): Promise<string>;
  /** pushes; returns the manifest digest the registry stored */
  push(): Promise<string>;
  /** pulls it back (after dropping any local copy); returns the manifest digest pulled */
  pull(): Promise<string>;
  /** removes what it created outside its temp dir (docker: the local tag) */
  cleanup(): Promise<void>;
}

export interface ClientContext {
  /** HOST[:PORT] as in image names */
  registry: string;
  /** REGISTRY/REPO:TAG */
  reference: string;
  tag: string;
  runId: string;
  https: boolean;
  anchors: TrustAnchors;
  /** a fresh temp dir owned by this run */
  dir: string;
  env: NodeJS.ProcessEnv;
}

const TIMEOUT_MS = 180_000;

export function clientError(step: string, tool: string, r: RunResult, ctx: ClientContext): RegctlError {
  const text = `${r.stderr}\n${r.stdout}`;
  const raw = r.spawnError ?? (firstErrorLine(r.stderr) || firstErrorLine(r.stdout) || `exit code ${r.exitCode}`);
  // skopeo logs through logrus: time="..." level=fatal msg="what went wrong"
  const line = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(raw)?.[1]?.replace(/\\"/g, '"') ?? raw;
  const fail = (code: string, message: string, fix: string) => new RegctlError(code, message, { fix, exitCode: ExitCode.failure });
  if (/x509|certificate signed by unknown authority|certificate is not trusted/i.test(text)) {
    return fail('E_VERIFY_TLS_UNTRUSTED', `${tool} ${step}: the registry certificate is not trusted: ${line}`, `trust its CA for ${tool}: regctl cert trust --ca FILE --registry ${ctx.registry}`);
  }
  if (/unauthorized|401|authentication required|(incorrect|invalid) username( or |\/)password/i.test(text)) {
    return fail('E_VERIFY_AUTH', `${tool} ${step} was refused: ${line}`, step === 'login' ? 'check the user name and password (pass the password with --password-stdin)' : 'the user needs push, pull and delete on the repository (Harbor: a project member with the Maintainer role, or pick --repository in a project you own)');
  }
  if (/denied|forbidden|403/i.test(text)) return fail('E_VERIFY_DENIED', `${tool} ${step} was denied: ${line}`, 'give the user push and pull on the repository, or choose another with --repository');
  return fail('E_VERIFY_CLIENT', `${tool} ${step} failed: ${line}`, `run the same ${tool} command by hand to see more; check the registry logs on its host (regctl logs registry for Harbor)`);
}

const digestIn = (re: RegExp, text: string) => re.exec(text)?.[1];

export function dockerClient(ctx: ClientContext): ImageClient {
  const bin = which('docker', ctx.env);
  const env = { ...ctx.env, DOCKER_CONFIG: path.join(ctx.dir, 'docker-config') };
  const docker = async (step: string, args: string[], input?: string) => {
    if (!bin) throw new RegctlError('E_VERIFY_NO_CLIENT', 'docker is not installed (not on PATH)', { fix: 'install the Docker CLI, or use --client skopeo', exitCode: ExitCode.failure });
    const r = await run(bin, args, { env, input, timeoutMs: TIMEOUT_MS });
    if (r.exitCode !== 0) throw clientError(step, 'docker', r, ctx);
    return r;
  };
  return {
    name: 'docker',
    async login(creds) {
      await mkdir(env.DOCKER_CONFIG, { recursive: true, mode: 0o700 });
      await docker('login', ['login', ctx.registry, '--username', creds.username, '--password-stdin'], creds.password);
    },
    async build() {
      const tar = path.join(ctx.dir, 'probe.tar');
      await writeFile(tar, probeTar(ctx.runId));
      const r = await docker('import', ['import', '--message', 'regctl verify probe', tar, ctx.reference]);
      return `docker import of one file: ${r.stdout.trim().slice(0, 19)}`;
    },
    async push() {
      const r = await docker('push', ['push', ctx.reference]);
      const d = digestIn(/digest: (sha256:[0-9a-f]{64})/, r.stdout);
      if (!d) throw new RegctlError('E_VERIFY_CLIENT', `docker push printed no digest: ${firstErrorLine(r.stdout)}`, { fix: 'check the docker version (20.10 or later)', exitCode: ExitCode.failure });
      return d;
    },
    async pull() {
      await docker('untag', ['image', 'rm', ctx.reference]);
      const r = await docker('pull', ['pull', ctx.reference]);
      const d = digestIn(/Digest: (sha256:[0-9a-f]{64})/, r.stdout);
      if (!d) throw new RegctlError('E_VERIFY_CLIENT', `docker pull printed no digest: ${firstErrorLine(r.stdout)}`, { fix: 'check the docker version (20.10 or later)', exitCode: ExitCode.failure });
      return d;
    },
    async cleanup() {
      if (bin) await run(bin, ['image', 'rm', ctx.reference], { env, timeoutMs: TIMEOUT_MS });
    },
  };
}

export function skopeoClient(ctx: ClientContext): ImageClient {
  const bin = which('skopeo', ctx.env);
  const authfile = path.join(ctx.dir, 'auth.json');
  const certDir = path.join(ctx.dir, 'certs');
  const layout = path.join(ctx.dir, 'oci');
  let useCertDir = false;
  // skopeo's flags for one side of a copy ('' for login): TLS always verified on https
  const tls = (side: '' | 'src-' | 'dest-') => (ctx.https ? [`--${side}tls-verify=true`, ...(useCertDir ? [`--${side}cert-dir`, certDir] : [])] : [`--${side}tls-verify=false`]);
  const skopeo = async (step: string, args: string[], input?: string) => {
    if (!bin) throw new RegctlError('E_VERIFY_NO_CLIENT', 'skopeo is not installed (not on PATH)', { fix: 'install it (apt-get install skopeo), or use --client docker', exitCode: ExitCode.failure });
    const r = await run(bin, args, { env: ctx.env, input, timeoutMs: TIMEOUT_MS });
    if (r.exitCode !== 0) throw clientError(step, 'skopeo', r, ctx);
    return r;
  };
  const prepare = async () => {
    await writeFile(authfile, '{"auths":{}}\n', { mode: 0o600, flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    if (ctx.anchors.kind !== 'system') {
      await mkdir(certDir, { recursive: true });
      await writeFile(path.join(certDir, 'ca.crt'), ctx.anchors.ca.join('\n'));
      useCertDir = true;
    }
  };
  const digestFile = async (name: string) => (await readFile(path.join(ctx.dir, name), 'utf8')).trim();
  return {
    name: 'skopeo',
    async login(creds) {
      await prepare();
      await skopeo('login', ['login', '--authfile', authfile, ...tls(''), '--username', creds.username, '--password-stdin', ctx.registry], creds.password);
    },
    async build() {
      await prepare();
      await writeOciLayout(layout, probeTar(ctx.runId), ctx.tag);
      return `OCI layout of one file in ${layout}`;
    },
    async push() {
      await skopeo('push', ['copy', '--authfile', authfile, ...tls('dest-'), '--digestfile', path.join(ctx.dir, 'pushed.digest'), `oci:${layout}:${ctx.tag}`, `docker://${ctx.reference}`]);
      return digestFile('pushed.digest');
    },
    async pull() {
      await skopeo('pull', ['copy', '--authfile', authfile, ...tls('src-'), '--digestfile', path.join(ctx.dir, 'pulled.digest'), `docker://${ctx.reference}`, `oci:${path.join(ctx.dir, 'pulled')}:${ctx.tag}`]);
      return digestFile('pulled.digest');
    },
    async cleanup() {},
  };
}
