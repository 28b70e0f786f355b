/**
 * `regctl verify`: prove a registry works end to end with a real client. Reach /v2/ over TLS,
 * log in, build a tiny image locally, push it, pull it back, see the same digest through the API,
 * delete it, clean up. The repository is `regctl-verify/probe` (Harbor: `library/regctl-verify-probe`,
 * since Harbor needs an existing project and `library` is the one every install has) with a tag
 * unique to the run, so user data is never touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import type { ProgressReporter } from '../install/progress.js';
import type { RegistryClient } from '../registry-client/client.js';
import type { Credentials } from '../registry-client/docker-config.js';
import type { RegistryTarget } from '../registry-client/target.js';
import type { TrustAnchors } from '../registry-client/trust-anchors.js';
import { dockerClient, skopeoClient, type ClientName, type ImageClient } from './image-clients.js';
import { runVerifySteps, type StepReport, type VerifyStep } from './steps.js';

export const DEFAULT_REPOSITORY = 'regctl-verify/probe';
export const HARBOR_REPOSITORY = 'library/regctl-verify-probe';

export interface VerifyOptions {
  target: RegistryTarget;
  api: RegistryClient;
  anchors: TrustAnchors;
  credentials?: Credentials;
  client: ClientName;
  /** --repository; default chosen by probing for Harbor */
  repository?: string;
  env: NodeJS.ProcessEnv;
  /** where the run's temp dir goes (default os.tmpdir()) */
  tmpDir?: string;
}

export interface VerifyResult {
  ok: boolean;
  registry: string;
  repository?: string;
  tag: string;
  client: ClientName;
  steps: StepReport[];
  digests: { pushed?: string; pulled?: string; api?: string };
  deletion?: 'deleted' | 'disabled';
}

interface Ctx {
  o: VerifyOptions;
  tag: string;
  runId: string;
  dir: string;
  repository?: string;
  image?: ImageClient;
  digests: VerifyResult['digests'];
  deletion?: 'deleted' | 'disabled';
}

export const VERIFY_STEPS = [
  { id: 'connect', title: 'reach the registry (GET /v2/, TLS verified)' },
  { id: 'login', title: 'log in (temporary credentials file)' },
  { id: 'build', title: 'build a tiny image locally (no pull)' },
  { id: 'push', title: 'push it' },
  { id: 'pull', title: 'pull it back and compare digests' },
  { id: 'api', title: 'see it through the registry API (tags, manifest digest)' },
  { id: 'delete', title: 'delete it (DELETE manifest)' },
  { id: 'cleanup', title: 'remove the local image and temp files' },
] as const;

type StepId = (typeof VERIFY_STEPS)[number]['id'];
const title = (id: StepId) => VERIFY_STEPS.find((s) => s.id === id)!.title;
const mismatch = (what: string, a: string, b: string) =>
  new RegctlError('E_VERIFY_DIGEST_MISMATCH', `${what}: ${a} is not ${b}`, { fix: 'something between this machine and the registry rewrites manifests (a proxy or cache); check the registry storage and logs', exitCode: ExitCode.failure });

const STEPS: readonly VerifyStep<Ctx>[] = [
  {
    id: 'connect',
    title: title('connect'),
    fix: 'check the address and port, and that the registry runs',
    async run(c) {
      await c.o.api.ping();
      c.repository = c.o.repository ?? ((await c.o.api.isHarbor()) ? HARBOR_REPOSITORY : DEFAULT_REPOSITORY);
      c.image = imageClient(c);
      return { detail: `${c.o.target.origin}, ${c.o.api.authScheme} auth, trust from ${c.o.anchors.source}; repository ${c.repository}` };
    },
  },
  {
    id: 'login',
    title: title('login'),
    fix: 'check the user name and password',
    async run(c) {
      if (!c.o.credentials) return { status: 'skip', detail: 'no credentials (no --username, none in the Docker config): anonymous' };
      await c.image!.login(c.o.credentials);
      return { detail: `${c.o.client} login as ${c.o.credentials.username} (credentials from ${c.o.credentials.source})` };
    },
  },
  { id: 'build', title: title('build'), fix: 'check the client', run: async (c) => ({ detail: await c.image!.build() }) },
  {
    id: 'push',
    title: title('push'),
    fix: 'the user needs push access to the repository',
    async run(c) {
      c.digests.pushed = await c.image!.push();
      return { detail: `${reference(c)} ${c.digests.pushed}` };
    },
  },
  {
    id: 'pull',
    title: title('pull'),
    fix: 'the user needs pull access to the repository',
    async run(c) {
      c.digests.pulled = await c.image!.pull();
      if (c.digests.pulled !== c.digests.pushed) throw mismatch('the pulled digest differs from the pushed one', c.digests.pulled, c.digests.pushed!);
      return { detail: `same digest ${c.digests.pulled}` };
    },
  },
  {
    id: 'api',
    title: title('api'),
    fix: 'check the registry logs on its host',
    async run(c) {
      const tags = await c.o.api.tags(c.repository!);
      if (!tags.items.includes(c.tag)) throw new RegctlError('E_VERIFY_TAG_MISSING', `the tags of ${c.repository} do not list ${c.tag} after the push`, { fix: 'check the registry storage and logs', exitCode: ExitCode.failure });
      c.digests.api = await c.o.api.manifestDigest(c.repository!, c.tag);
      if (c.digests.api !== c.digests.pushed) throw mismatch('the API serves another digest than the one pushed', c.digests.api, c.digests.pushed!);
      return { detail: `tag listed, HEAD manifest: ${c.digests.api}` };
    },
  },
  {
    id: 'delete',
    title: title('delete'),
    fix: 'the user needs delete access to the repository',
    async run(c) {
      c.deletion = await c.o.api.deleteManifest(c.repository!, c.digests.pushed!);
      if (c.deletion === 'deleted') return { detail: `${c.repository}@${c.digests.pushed} deleted` };
      return {
        status: 'warn',
        detail: `the registry does not allow deletion; ${reference(c)} stays`,
        fix: `enable deletion (distribution: storage.delete.enabled: true; Harbor enables it) or ignore this; ${c.repository} holds only regctl verify probes`,
      };
    },
  },
  {
    id: 'cleanup',
    title: title('cleanup'),
    fix: 'remove the tag by hand (docker image rm)',
    always: true,
    async run(c) {
      await c.image?.cleanup();
      await rm(c.dir, { recursive: true, force: true });
      return { detail: c.o.client === 'docker' ? 'local tag removed, temp dir removed' : 'temp dir removed' };
    },
  },
];

function imageClient(c: Ctx): ImageClient {
  const make = c.o.client === 'skopeo' ? skopeoClient : dockerClient;
  return make({ registry: c.o.target.registry.asTyped, reference: reference(c), tag: c.tag, runId: c.runId, https: c.o.target.scheme === 'https', anchors: c.o.anchors, dir: c.dir, env: c.o.env });
}

function reference(c: Ctx): string {
  return `${c.o.target.registry.asTyped}/${c.repository}:${c.tag}`;
}

export async function runVerify(o: VerifyOptions, progress: ProgressReporter): Promise<VerifyResult> {
  const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(4).toString('hex')}`;
  const tag = `v${runId.toLowerCase()}`;
  const dir = await mkdtemp(path.join(o.tmpDir ?? os.tmpdir(), 'regctl-verify-'));
  const ctx: Ctx = { o, tag, runId, dir, digests: {} };
  const steps = await runVerifySteps(STEPS, ctx, progress);
  return { ok: steps.every((s) => s.status !== 'fail'), registry: o.target.registry.asTyped, repository: ctx.repository, tag, client: o.client, steps, digests: ctx.digests, deletion: ctx.deletion };
}
