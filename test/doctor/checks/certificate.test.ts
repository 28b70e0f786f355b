/**
 * The https certificate check with a stub context on real certificate files: the bundled example
 * pair (examples/certs, copied into a temp workspace) at chosen times, and certificates made here
 * with `openssl req -x509` for the self-signed, expired, wrong-CA and mismatched-key cases.
 */
import { describe, expect, it } from 'vitest';
import { chmod, readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import { certificateCheck, clientHosts } from '../../../src/doctor/checks/certificate.js';
import type { Installation } from '../../../src/installation/installation.js';
import type { HttpsConfig } from '../../../src/config/model.js';
import type { CheckResult } from '../../../src/doctor/types.js';
import { stubContext, useScratch } from './stub-context.js';

const check = 'https certificate';
/** Inside the example server certificate's validity (2026-11-28 .. 2027-12-30). */
const DURING = new Date('2027-03-01T00:00:00Z');

/** A self-signed server certificate for `cn` made by openssl, valid `days` from now. */
async function opensslSelfSigned(dir: string, name: string, cn: string, opts: { days?: number; ca?: boolean; subject?: string } = {}) {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const ext = opts.ca
    ? ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
    : ['-addext', `subjectAltName=DNS:${cn}`, '-addext', 'extendedKeyUsage=serverAuth', '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'basicConstraints=critical,CA:FALSE'];
  await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', String(opts.days ?? 90), '-subj', opts.subject ?? `/CN=${cn}`, ...ext]);
  await chmod(key, 0o600);
  return { cert, key };
}

/** The same installation with other https files (what the config loader would refuse, e.g. a key that does not match). */
const withHttps = (target: Installation, https: Partial<HttpsConfig>): Installation => ({
  ...target,
  config: { ...target.config, https: { ...target.config.https!, ...https } },
});

describe('doctor check: certificate', () => {
  const scratch = useScratch();
  /**
   * The example workspace with ca_file set to the example CA and its key made private (mode 600),
   * so only what a test changes is reported.
   */
  const exampleTarget = async (edits: Record<string, unknown> = {}) => {
    const r = await scratch.target({ 'https.ca_file': 'certs/ca.crt', ...edits });
    await chmod(path.join(r.ws.certDir, 'registry.key'), 0o600);
    return { ...r, cert: path.join(r.ws.certDir, 'registry.crt'), key: path.join(r.ws.certDir, 'registry.key') };
  };

  it('has nothing to check without a target', async () => {
    expect(await certificateCheck.run(stubContext())).toEqual([]);
  });

  it('passes as "not used" for an http-only config', async () => {
    const { target } = await scratch.target({ https: undefined });
    expect(await certificateCheck.run(stubContext({ target }))).toEqual([{ check, status: 'pass', detail: 'not used: Harbor is served over http', fix: '' }]);
  });

  it('passes the example certificate for reg.example.com, with its CA, naming the days left', async () => {
    const { target, cert } = await exampleTarget();
    expect(target.config.https!.caFile).toBe(path.join(path.dirname(cert), 'ca.crt'));
    // notAfter 2027-12-30T22:07:42Z: 304 whole days after 2027-03-01T00:00Z
    expect(await certificateCheck.run(stubContext({ target, now: DURING }))).toEqual([{ check, status: 'pass', detail: `${cert} covers reg.example.com; valid for 304 more days`, fix: '' }]);
  });

  it('lists the external_url host among the names to cover and fails when the certificate lacks it', async () => {
    const { target, cert } = await exampleTarget({ external_url: 'https://registry.other.test:9443' });
    expect(clientHosts(target.config)).toEqual(['reg.example.com', 'registry.other.test']);
    const results = await certificateCheck.run(stubContext({ target, now: DURING }));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ check, status: 'fail', fix: 'reissue the certificate with registry.other.test among the names: regctl cert issue --ca DIR --san registry.other.test --san <other names>' });
    expect(results[0]!.detail).toMatch(new RegExp(`^${cert}: clients using registry\\.other\\.test will fail: .*\\[HOST_NOT_COVERED\\]$`));
  });

  it('an external_url on the hostname adds no second name', async () => {
    const { target } = await exampleTarget({ external_url: 'https://reg.example.com:8443' });
    expect(clientHosts(target.config)).toEqual(['reg.example.com']);
    const [r] = await certificateCheck.run(stubContext({ target, now: DURING }));
    expect(r).toMatchObject({ status: 'pass', detail: expect.stringContaining('covers reg.example.com;') });
  });

  it('warns when no ca_file says who issued the certificate (private CA, not in the file)', async () => {
    const { target, cert } = await exampleTarget({ 'https.ca_file': undefined });
    expect(target.config.https!.caFile).toBeUndefined();
    expect(await certificateCheck.run(stubContext({ target, now: DURING }))).toEqual([
      {
        check,
        status: 'warn',
        detail: `${cert}: the chain ends at 'reg.example.com', issued by 'regctl example CA', which is neither in the file nor a public root CA [CHAIN_UNKNOWN_ISSUER]`,
        fix: "if 'regctl example CA' is your private CA, pass --ca and install it on clients (regctl cert trust); if it is an intermediate, append it to the file after the server certificate",
      },
    ]);
  });

  it('warns when the private key is readable by other users', async () => {
    const { target, ws } = await scratch.target({ 'https.ca_file': 'certs/ca.crt' });
    const key = path.join(ws.certDir, 'registry.key');
    await chmod(key, 0o644);
    expect(await certificateCheck.run(stubContext({ target, now: DURING }))).toEqual([
      {
        check,
        status: 'warn',
        detail: `${path.join(ws.certDir, 'registry.crt')}: ${key} has mode 0644: other users can read the server's private key [KEY_PERMISSIONS]`,
        fix: `chmod 600 ${key}`,
      },
    ]);
  });

  it('warns when the certificate expires within 30 days', async () => {
    const { target, cert } = await exampleTarget();
    const results = await certificateCheck.run(stubContext({ target, now: new Date('2027-12-20T00:00:00Z') }));
    expect(results).toEqual([{ check, status: 'warn', detail: `${cert}: expires on 2027-12-30, in 11 days [CERT_EXPIRES_SOON]`, fix: 'renew it: regctl cert renew --ca DIR --cert FILE --key FILE' }]);
  });

  it('fails an expired certificate', async () => {
    const { target, cert } = await exampleTarget();
    const results = await certificateCheck.run(stubContext({ target, now: new Date('2028-01-09T23:00:00Z') }));
    expect(results).toEqual([{ check, status: 'fail', detail: `${cert}: expired on 2027-12-30 (10 days ago) [CERT_EXPIRED]`, fix: 'renew it from the same CA: regctl cert renew --ca DIR --cert FILE --key FILE' }]);
  });

  it('fails a certificate that is not valid yet (clock behind)', async () => {
    const { target, cert } = await exampleTarget();
    const [r] = await certificateCheck.run(stubContext({ target, now: new Date('2026-11-01T00:00:00Z') }));
    expect(r).toEqual({ check, status: 'fail', detail: `${cert}: not valid before 2026-11-28T22:07:42.000Z [CERT_NOT_YET_VALID]`, fix: "check this machine's clock (and the issuing machine's): clients reject it until then" });
  });

  it('warns on a self-signed openssl certificate that covers the hostname', async () => {
    const dir = await scratch.tempDir();
    const own = await opensslSelfSigned(dir, 'self', 'reg.example.com');
    const { target } = await scratch.target({ 'https.certificate': own.cert, 'https.private_key': own.key });
    const results = await certificateCheck.run(stubContext({ target, now: new Date() }));
    expect(results).toEqual([
      {
        check,
        status: 'warn',
        detail: `${own.cert}: the certificate is self-signed: every client must trust this exact certificate, and each renewal breaks them all [CERT_SELF_SIGNED]`,
        fix: 'issue it from a CA instead: regctl cert ca, then regctl cert issue --ca DIR',
      },
    ]);
  });

  it('fails an openssl certificate made for another name, errors before warnings', async () => {
    const dir = await scratch.tempDir();
    const own = await opensslSelfSigned(dir, 'other', 'other.example.net');
    const { target } = await scratch.target({ 'https.certificate': own.cert, 'https.private_key': own.key });
    const results = await certificateCheck.run(stubContext({ target, now: new Date() }));
    expect(results.map((r) => [r.status, /\[([A-Z_]+)\]$/.exec(r.detail)?.[1]])).toEqual([
      ['fail', 'HOST_NOT_COVERED'],
      ['warn', 'CERT_SELF_SIGNED'],
    ]);
    expect(results[0]!.detail).toMatch(new RegExp(`^${own.cert}: clients using reg\\.example\\.com will fail: `));
    expect(results[0]!.fix).toContain('--san reg.example.com');
  });

  it('fails an openssl certificate once it has expired (valid 1 day, checked 1.5 days after its end)', async () => {
    const dir = await scratch.tempDir();
    const own = await opensslSelfSigned(dir, 'short', 'reg.example.com', { days: 1 });
    const notAfter = new Date(new X509Certificate(await readFile(own.cert)).validTo);
    const { target } = await scratch.target({ 'https.certificate': own.cert, 'https.private_key': own.key });
    const results: CheckResult[] = await certificateCheck.run(stubContext({ target, now: new Date(notAfter.getTime() + 1.5 * 86_400_000) }));
    expect(results[0]).toEqual({
      check,
      status: 'fail',
      detail: `${own.cert}: expired on ${notAfter.toISOString().slice(0, 10)} (1 days ago) [CERT_EXPIRED]`,
      fix: 'renew it from the same CA: regctl cert renew --ca DIR --cert FILE --key FILE',
    });
    expect(results.slice(1).map((r) => r.status)).toEqual(['warn']); // self-signed
  });

  it("fails when the private key is not the certificate's (a key made by openssl)", async () => {
    const dir = await scratch.tempDir();
    const stray = await opensslSelfSigned(dir, 'stray', 'reg.example.com');
    const { target, cert } = await exampleTarget();
    const results = await certificateCheck.run(stubContext({ target: withHttps(target, { privateKey: stray.key }), now: DURING }));
    expect(results).toEqual([
      {
        check,
        status: 'fail',
        detail: `${cert}: ${stray.key} does not belong to ${cert}: the certificate's public key is not this key's (the server will fail with "key values mismatch") [KEY_MISMATCH]`,
        fix: `use the key generated together with this certificate; compare: openssl x509 -noout -pubkey -in ${cert} | sha256sum and openssl pkey -pubout -in ${stray.key} | sha256sum`,
      },
    ]);
  });

  it('fails when ca_file is a re-created CA of the same name (openssl, same subject, new key)', async () => {
    const dir = await scratch.tempDir();
    const impostor = await opensslSelfSigned(dir, 'recreated-ca', 'regctl example CA', { ca: true, subject: '/O=regctl example/CN=regctl example CA' });
    const { target } = await exampleTarget();
    const results = await certificateCheck.run(stubContext({ target: withHttps(target, { caFile: impostor.cert }), now: DURING }));
    expect(results).toEqual([
      {
        check,
        status: 'fail',
        detail: `${target.config.https!.certificate}: 'reg.example.com' names 'regctl example CA' as its issuer, but the --ca certificate of that name has a different key (was the CA re-created?) [CHAIN_WRONG_CA]`,
        fix: 'use the CA that actually signed this certificate, or reissue the certificate from the current CA',
      },
    ]);
  });

  it('fails when ca_file is an unrelated CA (openssl): the issuer is missing', async () => {
    const dir = await scratch.tempDir();
    const otherCa = await opensslSelfSigned(dir, 'other-ca', 'some other CA', { ca: true });
    const { target, cert } = await exampleTarget();
    const results = await certificateCheck.run(stubContext({ target: withHttps(target, { caFile: otherCa.cert }), now: DURING }));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ check, status: 'fail' });
    expect(results[0]!.detail.startsWith(`${cert}: 'reg.example.com' was issued by 'regctl example CA', which is neither in the file nor the --ca certificate ('some other CA')`)).toBe(true);
    expect(results[0]!.detail.endsWith('[CHAIN_INCOMPLETE]')).toBe(true);
  });
});
