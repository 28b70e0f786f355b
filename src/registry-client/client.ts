/**
 * A Registry HTTP API V2 client for the two lists regctl reads (the catalog and a repository's
 * tags) and the manifest HEAD and DELETE of `regctl verify`. It pings /v2/ (which proves the peer is a registry: Docker-Distribution-Api-Version),
 * answers its WWW-Authenticate challenge (Basic with the credentials, or a Bearer token for the
 * list's scope) and follows Link pagination on the registry's own origin.
 */
import { ExitCode, RegctlError } from '../errors.js';
import { basicHeader, fetchBearerToken } from './bearer.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { connectionError } from './connection-errors.js';
import type { Credentials } from './docker-config.js';
import { nextPageUrl } from './pagination.js';
import { accessDenied, authFailed, authRequired, type CredentialHint, registryErrorText, unexpectedStatus } from './registry-errors.js';
import type { RegistryTarget } from './target.js';
import type { HttpResponse, Transport } from './transport.js';
import type { TrustAnchors } from './trust-anchors.js';

export interface ClientOptions {
  target: RegistryTarget;
  transport: Transport;
  anchors?: TrustAnchors;
  credentials?: Credentials;
  hint?: CredentialHint;
  /** `n` of each page request; the registry may send fewer */
  pageSize?: number;
}

export type AuthScheme = 'none' | 'basic' | 'bearer';

export interface ListResult {
  items: string[];
  pages: number;
  auth: AuthScheme;
}

const MAX_PAGES = 100_000;
/** the manifest media types of the distribution and OCI image specs (no schema1) */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const HTTPS_PORT_ANSWERS = ['Client sent an HTTP request to an HTTPS server', 'The plain HTTP request was sent to HTTPS port'];

export class RegistryClient {
  private challenge: Challenge | undefined;
  private pinged = false;
  private readonly tokens = new Map<string, string>();
  private readonly origin: URL;
  private readonly name: string;
  private readonly peer: string;

  constructor(private readonly opts: ClientOptions) {
    this.origin = new URL(opts.target.origin);
    this.name = opts.target.registry.name;
    this.peer = `the registry ${opts.target.origin.replace(/^https:\/\//, '')}`;
  }

  async catalog(): Promise<ListResult> {
    return this.list('/v2/_catalog', 'registry:catalog:*', 'repositories', 'list the catalog');
  }

  async tags(repository: string): Promise<ListResult> {
    return this.list(`/v2/${repository}/tags/list`, `repository:${repository}:pull`, 'tags', `list the tags of ${repository}`, repository);
  }

  /**
   * Whether this registry is Harbor: its API answers GET /api/v2.0/ping with "Pong" (Harbor's
   * api/v2.0/swagger.yaml, operation getPing). Any failure means "not Harbor".
   */
  async isHarbor(): Promise<boolean> {
    try {
      const res = await this.opts.transport.get(new URL('/api/v2.0/ping', this.origin));
      return res.status === 200 && res.body.toString('utf8').trim() === 'Pong';
    } catch {
      return false;
    }
  }

  /**
   * HEAD /v2/REPO/manifests/REF: the digest the registry serves for a tag (Docker-Content-Digest),
   * asking for the manifest types clients push so no schema1 conversion changes it.
   */
  async manifestDigest(repository: string, reference: string): Promise<string> {
    const res = await this.manifestRequest('HEAD', repository, reference, 'pull', { accept: MANIFEST_TYPES.join(', ') });
    if (res.status === 404) throw new RegctlError('E_REGISTRY_MANIFEST_NOT_FOUND', `${this.name} has no manifest ${repository}:${reference}`, { fix: 'push it first; check the registry storage and logs', exitCode: ExitCode.failure });
    if (res.status !== 200) throw unexpectedStatus(this.peer, `HEAD /v2/${repository}/manifests/${reference}`, res);
    const digest = res.headers['docker-content-digest'];
    if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new RegctlError('E_REGISTRY_PROTOCOL', `${this.peer} answered HEAD of ${repository}:${reference} without a Docker-Content-Digest`, { fix: 'check the registry version: regctl speaks the Registry HTTP API V2', exitCode: ExitCode.failure });
    return digest;
  }

  /**
   * DELETE /v2/REPO/manifests/DIGEST. 'disabled': the registry does not allow deletion (405, or
   * distribution's UNSUPPORTED code when storage.delete is off), which is a setting, not a fault.
   */
  async deleteManifest(repository: string, digest: string): Promise<'deleted' | 'disabled'> {
    const res = await this.manifestRequest('DELETE', repository, digest, 'delete');
    if (res.status === 202 || res.status === 200) return 'deleted';
    if (res.status === 405 || registryErrorText(res)?.startsWith('UNSUPPORTED')) return 'disabled';
    if (res.status === 403) throw accessDenied(this.name, `delete ${repository}@${digest}`, this.opts.credentials, res);
    throw unexpectedStatus(this.peer, `DELETE /v2/${repository}/manifests/${digest}`, res);
  }

  private async manifestRequest(method: 'HEAD' | 'DELETE', repository: string, reference: string, action: string, extra: Record<string, string> = {}): Promise<HttpResponse> {
    await this.ping();
    const auth = await this.authorization(`repository:${repository}:${action}`);
    const url = new URL(`/v2/${repository}/manifests/${reference}`, this.origin);
    const request = this.opts.transport.request;
    if (!request) throw new Error('this transport cannot send HEAD or DELETE');
    let res: HttpResponse;
    try {
      res = await request(method, url, { ...extra, ...(auth ? { authorization: auth } : {}) });
    } catch (err) {
      throw connectionError(err, url, { registryName: this.name, peer: this.peer, anchors: this.opts.anchors });
    }
    if (res.status === 401) {
      if (this.opts.credentials) throw authFailed(this.name, this.opts.credentials, this.peer, res, true);
      throw authRequired(this.name, this.challenge?.scheme === 'bearer' ? 'Bearer' : 'Basic', this.opts.hint);
    }
    return res;
  }

  private async get(url: URL, headers: Record<string, string> = {}): Promise<HttpResponse> {
    try {
      return await this.opts.transport.get(url, headers);
    } catch (err) {
      throw connectionError(err, url, { registryName: this.name, peer: this.peer, anchors: this.opts.anchors });
    }
  }

  /** GET /v2/: is this a registry, and which challenge does it send. */
  async ping(): Promise<void> {
    if (this.pinged) return;
    const res = await this.get(new URL('/v2/', this.origin));
    const body = res.body.toString('utf8', 0, Math.min(res.body.length, 4096));
    if (this.origin.protocol === 'http:' && HTTPS_PORT_ANSWERS.some((s) => body.includes(s))) {
      throw new RegctlError('E_REGISTRY_EXPECTS_HTTPS', `${this.peer} serves https:// on this port; the plain HTTP request was refused (HTTP ${res.status})`, {
        fix: `write ${this.origin.host} without http:// (https is the default), and trust its CA if needed: regctl cert trust --ca FILE --registry ${this.name}`,
        exitCode: ExitCode.failure,
      });
    }
    if (!res.headers['docker-distribution-api-version']) {
      throw new RegctlError('E_REGISTRY_NOT_A_REGISTRY', `${this.origin.host} answered GET /v2/ with HTTP ${res.status} but no Docker-Distribution-Api-Version header: it is not a container registry (Registry HTTP API V2)`, {
        fix: `check the host and port: the registry's own port (Harbor: the https port of harbor.yml), not a web UI or another service`,
        exitCode: ExitCode.failure,
      });
    }
    if (res.status === 401) {
      const challenges = parseChallenges(res.all('www-authenticate'));
      this.challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
      if (!this.challenge) {
        throw new RegctlError('E_REGISTRY_AUTH_UNSUPPORTED', `${this.peer} asks for authentication regctl does not speak (${challenges.map((c) => c.scheme).join(', ') || 'no WWW-Authenticate challenge'})`, { fix: 'regctl speaks Basic and Bearer (token) auth, as Docker does', exitCode: ExitCode.failure });
      }
    } else if (res.status !== 200) throw unexpectedStatus(this.peer, 'GET /v2/', res);
    this.pinged = true;
  }

  get authScheme(): AuthScheme {
    return (this.challenge?.scheme as AuthScheme | undefined) ?? 'none';
  }

  private async authorization(scope: string): Promise<string | undefined> {
    const c = this.challenge;
    if (!c) return undefined;
    if (c.scheme === 'basic') {
      if (!this.opts.credentials) throw authRequired(this.name, 'Basic', this.opts.hint);
      return basicHeader(this.opts.credentials);
    }
    let token = this.tokens.get(scope);
    if (!token) {
      token = await fetchBearerToken(c, scope, { transport: this.opts.transport, registryName: this.name, registryOrigin: this.origin, anchors: this.opts.anchors, credentials: this.opts.credentials, hint: this.opts.hint });
      this.tokens.set(scope, token);
    }
    return `Bearer ${token}`;
  }

  private async list(pathname: string, scope: string, key: 'repositories' | 'tags', what: string, repository?: string): Promise<ListResult> {
    await this.ping();
    const auth = await this.authorization(scope);
    const headers: Record<string, string> = auth ? { authorization: auth } : {};
    let url: URL | undefined = new URL(pathname, this.origin);
    if (this.opts.pageSize) url.searchParams.set('n', String(this.opts.pageSize));
    const items: string[] = [];
    const seen = new Set<string>();
    let pages = 0;
    while (url) {
      if (seen.has(url.href) || pages >= MAX_PAGES) throw new RegctlError('E_REGISTRY_PROTOCOL', `${this.peer} keeps sending the same next page (${url.pathname}${url.search})`, { fix: 'a registry bug: check its version and logs', exitCode: ExitCode.failure });
      seen.add(url.href);
      const res = await this.get(url, headers);
      if (res.status === 401) {
        if (this.opts.credentials) throw authFailed(this.name, this.opts.credentials, this.peer, res, true);
        throw authRequired(this.name, this.challenge?.scheme === 'bearer' ? 'Bearer' : 'Basic', this.opts.hint);
      }
      if (res.status === 403) throw accessDenied(this.name, what, this.opts.credentials, res);
      if (res.status === 404 && repository) {
        throw new RegctlError('E_REGISTRY_REPO_NOT_FOUND', `${this.name} has no repository ${repository}`, { fix: `list the repositories with regctl registry catalog ${this.opts.target.scheme === 'http' ? 'http://' : ''}${this.origin.host}`, exitCode: ExitCode.failure });
      }
      if (res.status !== 200) throw unexpectedStatus(this.peer, `GET ${url.pathname}`, res);
      pages++;
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new RegctlError('E_REGISTRY_PROTOCOL', `${this.peer} answered ${url.pathname} with something that is not JSON`, { fix: 'check that this is the registry, not a proxy error page', exitCode: ExitCode.failure });
      }
      const page = doc[key];
      if (page !== null && page !== undefined && !(Array.isArray(page) && page.every((x) => typeof x === 'string'))) {
        throw new RegctlError('E_REGISTRY_PROTOCOL', `${this.peer} answered ${url.pathname} without a list of ${key}`, { fix: 'check the registry version: regctl speaks the Registry HTTP API V2', exitCode: ExitCode.failure });
      }
      items.push(...((page as string[] | null) ?? []));
      const next = nextPageUrl(res.all('link'), url);
      if (next && next.origin !== this.origin.origin) {
        throw new RegctlError('E_REGISTRY_PROTOCOL', `${this.peer} points its next page at another host (${next.origin}); regctl does not send credentials there`, { fix: 'check the registry\'s http.host setting (it should be its own address)', exitCode: ExitCode.failure });
      }
      url = next;
    }
    return { items, pages, auth: this.authScheme };
  }
}
