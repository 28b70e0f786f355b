/** The pure parts of the registry client: arguments, WWW-Authenticate, Link, Docker config entries, error wording. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../src/registry-client/challenge.js';
import { connectionError } from '../../src/registry-client/connection-errors.js';
import { dockerConfigFile, lookupDockerConfig } from '../../src/registry-client/docker-config.js';
import { nextPageUrl } from '../../src/registry-client/pagination.js';
import { parseTarget } from '../../src/registry-client/target.js';
import { tempDirSync } from '../helpers/tmp.js';

const tmp = tempDirSync('regctl-rc-unit');

describe('parseTarget', () => {
  it('HOST[:PORT] is https, http:// is plain, 443 is left out, the repository follows the first slash', () => {
    expect(parseTarget('reg.example.com:5000', { repository: false })).toMatchObject({ scheme: 'https', origin: 'https://reg.example.com:5000', registry: { name: 'reg.example.com:5000' } });
    expect(parseTarget('reg.example.com:443', { repository: false }).origin).toBe('https://reg.example.com');
    expect(parseTarget('http://127.0.0.1:5000/library/nginx', { repository: true })).toMatchObject({ scheme: 'http', origin: 'http://127.0.0.1:5000', repository: 'library/nginx' });
    expect(parseTarget('[::1]:5000/a', { repository: true }).origin).toBe('https://[::1]:5000');
  });

  it.each([
    ['reg.example.com', true, 'names no repository'],
    ['reg.example.com/seed', false, 'per registry'],
    ['ftp://reg.example.com', false, 'scheme'],
    ['reg.example.com/Seed', true, 'not a repository name'],
    ['reg.example.com:99999/seed', true, 'out of range'],
  ])('%s is refused with exit 2', (raw, repository, text) => {
    expect(() => parseTarget(raw, { repository })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(text) }));
  });
});

describe('parseChallenges', () => {
  it('reads Bearer with quoted parameters and Basic, in one header or several', () => {
    expect(parseChallenges(['Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"'])).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull,push' } },
    ]);
    expect(parseChallenges(['Basic realm="regctl test"', 'Bearer realm="x", error="insufficient_scope"'])).toEqual([
      { scheme: 'basic', params: { realm: 'regctl test' } },
      { scheme: 'bearer', params: { realm: 'x', error: 'insufficient_scope' } },
    ]);
    expect(parseChallenges(['Basic realm="a", Bearer realm="b"']).map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(parseChallenges(['Basic realm="a \\"quoted\\""'])[0]!.params['realm']).toBe('a "quoted"');
  });
});

describe('nextPageUrl', () => {
  const page = new URL('https://reg:5000/v2/_catalog?n=100');
  it('resolves rel="next" against the page', () => {
    expect(nextPageUrl(['</v2/_catalog?last=b&n=100>; rel="next"'], page)?.href).toBe('https://reg:5000/v2/_catalog?last=b&n=100');
    expect(nextPageUrl(['<https://reg:5000/v2/x/tags/list?n=2&last=v1>; rel=next'], page)?.searchParams.get('last')).toBe('v1');
    expect(nextPageUrl(['</a>; rel="prev", </b>; rel="next"'], page)?.pathname).toBe('/b');
  });
  it('no Link or no next: the last page', () => {
    expect(nextPageUrl([], page)).toBeUndefined();
    expect(nextPageUrl(['</a>; rel="prev"'], page)).toBeUndefined();
  });
});

describe('Docker CLI config', () => {
  it('DOCKER_CONFIG is a directory; else ~/.docker', () => {
    expect(dockerConfigFile({ DOCKER_CONFIG: '/x' }, '/home/u')).toBe('/x/config.json');
    expect(dockerConfigFile({}, '/home/u')).toBe('/home/u/.docker/config.json');
  });

  it('finds auths under any spelling of the registry, and names a helper instead of running it', async () => {
    const file = path.join(tmp, 'config.json');
    writeFileSync(file, JSON.stringify({ auths: { 'https://reg:5000/v1/': { auth: Buffer.from('u:p:w').toString('base64') } }, credHelpers: { 'other:5000': 'ecr-login' } }));
    expect((await lookupDockerConfig(file, ['reg:5000'])).credentials).toMatchObject({ username: 'u', password: 'p:w', source: file });
    expect(await lookupDockerConfig(file, ['other:5000'])).toMatchObject({ helper: 'docker-credential-ecr-login', helperKey: 'credHelpers["other:5000"]' });
    expect((await lookupDockerConfig(file, ['third'])).credentials).toBeUndefined();
    expect((await lookupDockerConfig(path.join(tmp, 'none.json'), ['reg:5000'])).credentials).toBeUndefined();
  });

  it('malformed JSON is exit 2 naming the file', async () => {
    const file = path.join(tmp, 'bad.json');
    writeFileSync(file, '{"auths":');
    await expect(lookupDockerConfig(file, ['reg'])).rejects.toMatchObject({ code: 'E_DOCKER_CONFIG_INVALID', exitCode: 2, location: { file } });
  });
});

describe('connectionError', () => {
  const url = new URL('https://no-such-host.invalid:5000/v2/');
  const ctx = { registryName: 'no-such-host.invalid:5000', peer: 'the registry no-such-host.invalid:5000' };
  const errno = (code: string, message = code) => Object.assign(new Error(message), { code });
  it.each([
    ['ENOTFOUND', 'E_REGISTRY_NAME'],
    ['EAI_AGAIN', 'E_REGISTRY_NAME'],
    ['ECONNREFUSED', 'E_REGISTRY_UNREACHABLE'],
    ['EHOSTUNREACH', 'E_REGISTRY_UNREACHABLE'],
    ['ECONNRESET', 'E_REGISTRY_CONNECTION'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'E_REGISTRY_PLAIN_HTTP'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'E_REGISTRY_TLS_UNTRUSTED'],
    ['CERT_HAS_EXPIRED', 'E_REGISTRY_TLS_VALIDITY'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'E_REGISTRY_TLS_NAME'],
  ])('%s is %s, exit 1', (code, expected) => {
    expect(connectionError(errno(code), url, ctx)).toMatchObject({ code: expected, exitCode: 1 });
  });
  it('an AggregateError (happy eyeballs) is read by its first code', () => {
    expect(connectionError(new AggregateError([errno('ECONNREFUSED')], 'x'), url, ctx).code).toBe('E_REGISTRY_UNREACHABLE');
  });
});
