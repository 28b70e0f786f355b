/**
 * regctl verify against real docker-registry processes (Debian's distribution 2.8, native, on
 * loopback ports) with TLS from a private CA and htpasswd auth made by regctl itself:
 *  - A: deletion enabled; B: storage.delete.enabled false (DELETE answers 405 UNSUPPORTED).
 *  - --client skopeo verifies TLS against the CA regctl resolved (--ca → a temp --cert-dir).
 *  - --client docker: dockerd pushes and pulls itself. It treats 127.0.0.0/8 as an insecure
 *    registry (TLS not verified; dockerd's default --insecure-registry 127.0.0.0/8), so this
 *    exercises login, push and pull without writing into the host's /etc/docker/certs.d; trust
 *    through certs.d with a non-loopback address is covered on the Harbor stack
 *    (test/e2e/notary.test.ts, where the CA is trusted with regctl cert trust).
 * Every output is kept and grepped at the end for the password.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonResult, regctl as runRegctl, type CliResult } from '../helpers/cli.js';
import { stopAll } from '../helpers/processes.js';
import { tempDirSync } from '../helpers/tmp.js';
import { makePki, type Pki } from '../registry-client/helpers/pki.js';
import { requireBinary, startRegistry, type RunningRegistry } from '../registry-client/helpers/registry.js';
import { describeWithDocker } from '../e2e/helpers/engine.js';

const PASSWORD = 'Ver1fy-Pa55word-probe-3c9e';
const WRONG = 'wr0ng-Pa55word-probe-77d1';

let work: string;
let dockerConfig: string;
let pki: Pki;
let a: RunningRegistry;
let b: RunningRegistry;
const outputs: string[] = [];

async function regctl(args: string[], input?: string): Promise<CliResult> {
  // DOCKER_CONFIG: an empty directory, so nothing comes from (or goes to) the user's ~/.docker
  const r = await runRegctl(args, { input, env: { DOCKER_CONFIG: dockerConfig }, timeoutMs: 240_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

interface Step {
  id: string;
  status: string;
  detail: string;
  fix?: string;
  code?: string;
}

const statuses = (steps: Step[]) => Object.fromEntries(steps.map((s) => [s.id, s.status]));

beforeAll(async () => {
  requireBinary('docker-registry', 'docker-registry');
  requireBinary('skopeo', 'skopeo');
  work = tempDirSync('regctl-verify');
  dockerConfig = path.join(work, 'docker-empty');
  mkdirSync(dockerConfig);
  pki = makePki(work);
  const htpasswd = path.join(work, 'htpasswd');
  const add = await regctl(['registry', 'user', 'add', 'alice', '--htpasswd', htpasswd, '--password-stdin'], PASSWORD);
  expect(add.code, add.stderr).toBe(0);
  mkdirSync(path.join(work, 'a'));
  mkdirSync(path.join(work, 'b'));
  a = await startRegistry({ dir: path.join(work, 'a'), tls: { cert: pki.cert, key: pki.key }, htpasswd });
  b = await startRegistry({ dir: path.join(work, 'b'), tls: { cert: pki.cert, key: pki.key }, htpasswd, deleteEnabled: false });
}, 120_000);

afterAll(async () => {
  await stopAll();
  if (work) rmSync(work, { recursive: true, force: true });
});

const login = ['--username', 'alice', '--password-stdin'];

describe('regctl verify --client skopeo', () => {
  it('passes every step: same digest pushed, pulled and served by the API; the probe is deleted', async () => {
    const r = await regctl(['verify', '--registry', a.name, '--client', 'skopeo', '--ca', pki.caCert, ...login, '--json'], PASSWORD);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const env = jsonResult(r.stdout);
    const data = env.data as { steps: Step[]; digests: Record<string, string>; repository: string; tag: string; deletion: string };
    expect(statuses(data.steps)).toEqual({ connect: 'done', login: 'done', build: 'done', push: 'done', pull: 'done', api: 'done', delete: 'done', cleanup: 'done' });
    expect(data.digests.pushed).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(data.digests.pulled).toBe(data.digests.pushed);
    expect(data.digests.api).toBe(data.digests.pushed);
    expect(data.repository).toBe('regctl-verify/probe');
    expect(data.deletion).toBe('deleted');
    // the registry's own storage: the manifest blob was stored (blobs stay until garbage
    // collection); the delete removed its revision and the tag pointing at it
    const hex = data.digests.pushed.slice('sha256:'.length);
    const v2 = path.join(a.storage, 'docker/registry/v2');
    expect(readdirSync(path.join(v2, 'blobs/sha256', hex.slice(0, 2)))).toContain(hex);
    const repo = path.join(v2, 'repositories/regctl-verify/probe/_manifests');
    expect(existsSync(path.join(repo, 'revisions/sha256', hex, 'link'))).toBe(false);
    expect(existsSync(path.join(repo, 'tags', data.tag, 'current/link'))).toBe(false);
    // progress events, one per step, before the envelope
    const ends = r.stdout.split('\n').filter((l) => l.startsWith('{"event":"step"')).map((l) => JSON.parse(l)).filter((e) => e.status === 'done');
    expect(ends.map((e) => e.step)).toEqual(['connect', 'login', 'build', 'push', 'pull', 'api', 'delete', 'cleanup']);
  });

  it('in text mode: one line per step and a summary naming the digest', async () => {
    const r = await regctl(['verify', '--registry', a.name, '--client', 'skopeo', '--ca', pki.caCert, ...login], PASSWORD);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/push it/);
    expect(r.stdout).toMatch(new RegExp(`${a.name} works with skopeo: pushed, pulled and listed ${a.name}/regctl-verify/probe:v\\S+ \\(sha256:[0-9a-f]{64}\\), then deleted it`));
  });

  it('a wrong password: the login step fails with a fix, exit 1, the later steps are not reached (cleanup still runs)', async () => {
    const r = await regctl(['verify', '--registry', a.name, '--client', 'skopeo', '--ca', pki.caCert, ...login, '--json'], WRONG);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const env = jsonResult(r.stdout);
    const data = env.data as { steps: Step[] };
    expect(statuses(data.steps)).toEqual({ connect: 'done', login: 'fail', build: 'skip', push: 'skip', pull: 'skip', api: 'skip', delete: 'skip', cleanup: 'done' });
    const failed = data.steps.find((s) => s.id === 'login')!;
    expect(failed.code, failed.detail).toBe('E_VERIFY_AUTH');
    expect(failed.fix).toMatch(/user name and password/);
    expect(data.steps.find((s) => s.id === 'push')!.detail).toBe('not reached');
    expect(env.error).toMatchObject({ code: 'E_VERIFY_AUTH' });
  });

  it('an untrusted CA: the connect step fails naming regctl cert trust, nothing is pushed', async () => {
    const root = path.join(work, 'empty-root');
    mkdirSync(root, { recursive: true });
    const r = await regctl(['verify', '--registry', a.name, '--client', 'skopeo', '--root', root, ...login, '--json'], PASSWORD);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const data = jsonResult(r.stdout).data as { steps: Step[] };
    expect(statuses(data.steps)).toMatchObject({ connect: 'fail', login: 'skip', push: 'skip' });
    const failed = data.steps.find((s) => s.id === 'connect')!;
    expect(failed.code).toBe('E_REGISTRY_TLS_UNTRUSTED');
    expect(failed.fix).toContain(`regctl cert trust --ca FILE --registry ${a.name}`);
  });

  it('deletion disabled on the registry: a warning with a fix, exit 0', async () => {
    const r = await regctl(['verify', '--registry', b.name, '--client', 'skopeo', '--ca', pki.caCert, ...login, '--json'], PASSWORD);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const env = jsonResult(r.stdout);
    const data = env.data as { steps: Step[]; deletion: string };
    expect(data.deletion).toBe('disabled');
    expect(statuses(data.steps)).toMatchObject({ api: 'done', delete: 'warn', cleanup: 'done' });
    expect(env.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'W_VERIFY_DELETE', fix: expect.stringMatching(/storage\.delete\.enabled/) })]);
  });

  it('--repository outside the repository grammar is refused with exit 2', async () => {
    const r = await regctl(['verify', '--registry', a.name, '--repository', 'Bad Name', '--client', 'skopeo', '--ca', pki.caCert]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
  });
});

describeWithDocker('regctl verify --client docker (dockerd, loopback registry)', () => {
  it('logs in with a temporary DOCKER_CONFIG, pushes, pulls, compares and deletes; no local tag is left', async () => {
    const r = await regctl(['verify', '--registry', a.name, '--client', 'docker', '--ca', pki.caCert, ...login, '--json'], PASSWORD);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const data = jsonResult(r.stdout).data as { steps: Step[]; digests: Record<string, string>; tag: string };
    expect(statuses(data.steps)).toEqual({ connect: 'done', login: 'done', build: 'done', push: 'done', pull: 'done', api: 'done', delete: 'done', cleanup: 'done' });
    expect(data.digests.pulled).toBe(data.digests.pushed);
    expect(data.digests.api).toBe(data.digests.pushed);
    const left = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `${a.name}/regctl-verify/probe`], { encoding: 'utf8' });
    expect(left.trim()).toBe('');
    // the test's DOCKER_CONFIG (standing in for ~/.docker) was not written
    expect(readdirSync(dockerConfig)).toEqual([]);
  });
});

describe('secrets', () => {
  it('no output of any run above holds the password', () => {
    expect(outputs.length).toBeGreaterThan(6);
    for (const o of outputs) {
      expect(o).not.toContain(PASSWORD);
      expect(o).not.toContain(WRONG);
    }
  });
});
