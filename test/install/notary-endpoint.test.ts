/**
 * install's and status's Notary check against a real TLS server standing where nginx publishes
 * notary-server: only notary-server's own 401 (service="harbor-notary") passes; nginx's 502 while
 * notary-server is still migrating its schema, or something else answering, fails.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNotaryEndpoint, type ProbeTarget } from '../../src/install/endpoints.js';
import { examplesDir } from '../helpers/workspace.js';

let answer: { status: number; headers: Record<string, string> } = { status: 401, headers: {} };
let server: https.Server;
let port = 0;

beforeAll(async () => {
  server = https.createServer(
    { cert: readFileSync(path.join(examplesDir, 'certs/registry.crt')), key: readFileSync(path.join(examplesDir, 'certs/registry.key')) },
    (_req, res) => {
      res.writeHead(answer.status, answer.headers);
      res.end();
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const target = (): ProbeTarget => ({
  protocol: 'https',
  connectHost: '127.0.0.1',
  port: 443,
  hostname: 'reg.example.com',
  publicUrl: 'https://reg.example.com',
  ca: readFileSync(path.join(examplesDir, 'certs/ca.crt')),
});

describe('checkNotaryEndpoint', () => {
  it("passes on notary-server's challenge, verified against the CA for the public name", async () => {
    answer = { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="https://reg.example.com/service/token",service="harbor-notary",scope=""' } };
    expect(await checkNotaryEndpoint(target(), 3000, port)).toMatchObject({ status: 'pass', check: `GET :${port}/v2/ (notary)` });
  });

  it('fails on the 502 nginx answers while notary-server is not up yet', async () => {
    answer = { status: 502, headers: {} };
    expect(await checkNotaryEndpoint(target(), 3000, port)).toMatchObject({ status: 'fail', detail: expect.stringContaining('got HTTP 502'), fix: expect.stringContaining('regctl logs notary-server') });
  });

  it("fails on a 401 that is not notary's (the registry's challenge)", async () => {
    answer = { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="https://reg.example.com/service/token",service="harbor-registry"' } };
    expect((await checkNotaryEndpoint(target(), 3000, port)).status).toBe('fail');
  });

  it('fails when TLS does not verify for the public name', async () => {
    answer = { status: 401, headers: { 'WWW-Authenticate': 'service="harbor-notary"' } };
    const r = await checkNotaryEndpoint({ ...target(), hostname: 'other.example.com', publicUrl: 'https://other.example.com' }, 3000, port);
    expect(r).toMatchObject({ status: 'fail', detail: expect.stringContaining('does not cover other.example.com') });
  });
});
