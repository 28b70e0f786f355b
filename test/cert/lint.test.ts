/**
 * The linter against certificates crafted with openssl to have exactly one defect each (the
 * failures Harbor users report, spec §1 A), and against good ones.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, writeCa } from '../../src/cert/ca.js';
import { hasErrors, lintCertificate } from '../../src/cert/lint.js';
import type { CertFinding } from '../../src/cert/lint.js';
import { parseSans } from '../../src/cert/san.js';
import { issueToFiles } from '../../src/cert/server-cert.js';
import { craftLeaf, makeOpensslCa, mustOpenssl } from './helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';

const GOOD_EXT = ['subjectAltName=DNS:reg.example.com,IP:10.0.0.5', 'extendedKeyUsage=serverAuth', 'keyUsage=critical,digitalSignature,keyEncipherment', 'basicConstraints=critical,CA:FALSE'];

let dir: string;
let root: Awaited<ReturnType<typeof makeOpensslCa>>;
let intermediate: Awaited<ReturnType<typeof makeOpensslCa>>;
let good: { cert: string; key: string };

const codes = (f: CertFinding[]) => f.map((x) => x.code);
const errors = (f: CertFinding[]) => f.filter((x) => x.severity === 'error').map((x) => x.code);
const byCode = (f: CertFinding[], code: string) => f.find((x) => x.code === code);
const at = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await tempDir('regctl-lint');
  root = await makeOpensslCa(at('root'), { cn: 'Test Root CA' });
  // an intermediate signed by the root, itself able to sign leaves
  intermediate = await makeOpensslCa(at('intermediate'), { cn: 'Test Intermediate CA' });
  const inter = await craftLeaf({
    ca: root,
    out: at('intermediate/signed'),
    cn: 'Test Intermediate CA',
    key: intermediate.key,
    ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign'],
    days: 365,
  });
  await fs.copyFile(inter.cert, intermediate.cert);
  good = await craftLeaf({ ca: root, out: at('good'), cn: 'reg.example.com', ext: GOOD_EXT });
});

describe('lintCertificate on good certificates', () => {
  it('an openssl-made leaf with SANs, serverAuth, its key and CA: no findings', async () => {
    const f = await lintCertificate({ cert: good.cert, key: good.key, ca: root.cert, hosts: ['reg.example.com', '10.0.0.5', 'reg.example.com:5000'] });
    expect(f).toEqual([]);
  });

  it('a regctl-issued leaf checked against the regctl CA directory: no findings', async () => {
    const caDir = at('regctl-ca');
    const ca = await createCa({ commonName: 'regctl CA for lint', keyType: 'ecdsa-p256' });
    await writeCa(caDir, ca);
    await issueToFiles({ ca, sans: parseSans(['192.168.120.85', 'reg.example.com']), certPath: at('regctl.crt'), keyPath: at('regctl.key') });
    expect(await lintCertificate({ cert: at('regctl.crt'), key: at('regctl.key'), ca: caDir, hosts: ['192.168.120.85', 'reg.example.com'] })).toEqual([]);
  });
});

describe('lintCertificate on crafted bad certificates', () => {
  it('CN-only: an error that names the missing SAN and the Go behaviour', async () => {
    const c = await craftLeaf({ ca: root, out: at('cn-only'), cn: 'reg.example.com', ext: ['extendedKeyUsage=serverAuth'] });
    const f = await lintCertificate({ cert: c.cert, key: c.key, ca: root.cert, hosts: ['reg.example.com'] });
    expect(errors(f)).toEqual(['CERT_CN_ONLY', 'HOST_NOT_COVERED']);
    expect(byCode(f, 'CERT_CN_ONLY')!.message).toMatch(/no subjectAltName \(SAN\).*CN 'reg.example.com'.*legacy Common Name field, use SANs/);
    expect(byCode(f, 'CERT_CN_ONLY')!.fix).toMatch(/regctl cert issue .*--san reg.example.com/);
    expect(byCode(f, 'HOST_NOT_COVERED')!.message).toMatch(/only as the CN/);
  });

  it('wrong key: KEY_MISMATCH', async () => {
    await mustOpenssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', at('other.key')]);
    const f = await lintCertificate({ cert: good.cert, key: at('other.key'), ca: root.cert });
    expect(errors(f)).toEqual(['KEY_MISMATCH']);
    expect(byCode(f, 'KEY_MISMATCH')!.fix).toMatch(/openssl x509 -noout -pubkey/);
  });

  it('missing intermediate: CHAIN_INCOMPLETE naming the intermediate; the fullchain passes; reversed order is CHAIN_ORDER', async () => {
    const leaf = await craftLeaf({ ca: intermediate, out: at('via-intermediate'), cn: 'reg.example.com', ext: GOOD_EXT });
    const f = await lintCertificate({ cert: leaf.cert, key: leaf.key, ca: root.cert });
    expect(errors(f)).toEqual(['CHAIN_INCOMPLETE']);
    expect(byCode(f, 'CHAIN_INCOMPLETE')!.message).toMatch(/issued by 'Test Intermediate CA'.*intermediate is missing.*unknown authority/);
    expect(byCode(f, 'CHAIN_INCOMPLETE')!.fix).toMatch(/append it after the server certificate/);

    const leafPem = await fs.readFile(leaf.cert, 'utf8');
    const interPem = await fs.readFile(intermediate.cert, 'utf8');
    await fs.writeFile(at('fullchain.crt'), leafPem + interPem);
    expect(await lintCertificate({ cert: at('fullchain.crt'), key: leaf.key, ca: root.cert })).toEqual([]);

    await fs.writeFile(at('reversed.crt'), interPem + leafPem);
    const reversed = await lintCertificate({ cert: at('reversed.crt'), key: leaf.key, ca: root.cert });
    expect(errors(reversed)).toEqual(['CHAIN_ORDER']);

    // without --ca the linter cannot know the root and says so, as a warning
    const noCa = await lintCertificate({ cert: leaf.cert });
    expect(codes(noCa)).toEqual(['CHAIN_UNKNOWN_ISSUER']);
    expect(hasErrors(noCa)).toBe(false);
  });

  it('expired and not yet valid', async () => {
    const expired = await craftLeaf({ ca: root, out: at('expired'), cn: 'reg.example.com', ext: GOOD_EXT, startdate: '20200101000000Z', enddate: '20200301000000Z' });
    const f = await lintCertificate({ cert: expired.cert, ca: root.cert });
    expect(errors(f)).toEqual(['CERT_EXPIRED']);
    expect(byCode(f, 'CERT_EXPIRED')!.message).toMatch(/expired on 2020-03-01/);
    const future = await craftLeaf({ ca: root, out: at('future'), cn: 'reg.example.com', ext: GOOD_EXT, startdate: '20991201000000Z', enddate: '20991231000000Z' });
    expect(errors(await lintCertificate({ cert: future.cert, ca: root.cert }))).toEqual(['CERT_NOT_YET_VALID']);
  });

  it('1000-day leaf: CERT_VALIDITY_TOO_LONG citing the 825-day limit', async () => {
    const c = await craftLeaf({ ca: root, out: at('long'), cn: 'reg.example.com', ext: GOOD_EXT, days: 1000 });
    const f = await lintCertificate({ cert: c.cert, ca: root.cert });
    expect(errors(f)).toEqual(['CERT_VALIDITY_TOO_LONG']);
    expect(byCode(f, 'CERT_VALIDITY_TOO_LONG')!.message).toMatch(/1000 days.*825/);
  });

  it('1024-bit RSA key: CERT_RSA_TOO_SMALL', async () => {
    const c = await craftLeaf({ ca: root, out: at('small'), cn: 'reg.example.com', ext: GOOD_EXT, keyArgs: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'] });
    const f = await lintCertificate({ cert: c.cert, key: c.key, ca: root.cert });
    expect(errors(f)).toEqual(['CERT_RSA_TOO_SMALL']);
    expect(byCode(f, 'CERT_RSA_TOO_SMALL')!.message).toMatch(/1024-bit/);
  });

  it('SHA-1 signature: CERT_WEAK_SIGNATURE', async () => {
    const c = await craftLeaf({ ca: root, out: at('sha1'), cn: 'reg.example.com', ext: GOOD_EXT, md: 'sha1' });
    expect(errors(await lintCertificate({ cert: c.cert, ca: root.cert }))).toEqual(['CERT_WEAK_SIGNATURE']);
  });

  it('clientAuth only: CERT_NO_SERVER_AUTH; no EKU at all: a warning', async () => {
    const client = await craftLeaf({ ca: root, out: at('client'), cn: 'reg.example.com', ext: ['subjectAltName=DNS:reg.example.com', 'extendedKeyUsage=clientAuth'] });
    expect(errors(await lintCertificate({ cert: client.cert, ca: root.cert }))).toEqual(['CERT_NO_SERVER_AUTH']);
    const none = await craftLeaf({ ca: root, out: at('no-eku'), cn: 'reg.example.com', ext: ['subjectAltName=DNS:reg.example.com'] });
    const f = await lintCertificate({ cert: none.cert, ca: root.cert });
    expect(codes(f)).toEqual(['CERT_NO_EKU']);
    expect(hasErrors(f)).toBe(false);
  });

  it('a CA named like the server: error when the whole name is equal, warning when only the CN is', async () => {
    const same = await makeOpensslCa(at('same-name-ca'), { cn: 'reg.example.com' });
    const c = await craftLeaf({ ca: same, out: at('same-name'), cn: 'reg.example.com', ext: GOOD_EXT });
    expect(errors(await lintCertificate({ cert: c.cert, ca: same.cert }))).toEqual(['CERT_CA_NAME_EQUALS_LEAF']);

    const cnOnly = await makeOpensslCa(at('same-cn-ca'), { cn: 'reg.example.com', extraSubject: '/O=Ops' });
    const d = await craftLeaf({ ca: cnOnly, out: at('same-cn'), cn: 'reg.example.com', ext: GOOD_EXT });
    expect(codes(await lintCertificate({ cert: d.cert, ca: cnOnly.cert }))).toEqual(['CERT_CA_CN_EQUALS_LEAF']);
  });

  it('hosts: an IP written as a DNS SAN, a deep name under a wildcard', async () => {
    const c = await craftLeaf({ ca: root, out: at('ip-as-dns'), cn: '10.0.0.5', ext: ['subjectAltName=DNS:10.0.0.5,DNS:*.example.com', 'extendedKeyUsage=serverAuth'] });
    const f = await lintCertificate({ cert: c.cert, ca: root.cert, hosts: ['10.0.0.5', 'reg.example.com', 'a.b.example.com'] });
    expect(errors(f)).toEqual(['HOST_NOT_COVERED', 'HOST_NOT_COVERED']);
    expect(f[0]!.message).toMatch(/10.0.0.5 is listed as a DNS name.*IP:10.0.0.5/);
    expect(f[1]!.message).toMatch(/\*.example.com covers exactly one label/);
  });

  it('the wrong CA, a self-signed server certificate, DER input, a key inside the certificate file, missing files', async () => {
    // a CA of the same name with another key (re-created): named as such
    const recreated = await makeOpensslCa(at('recreated-ca'), { cn: 'Test Root CA' });
    const wrong = await lintCertificate({ cert: good.cert, ca: recreated.cert });
    expect(errors(wrong)).toEqual(['CHAIN_WRONG_CA']);
    expect(wrong[0]!.message).toMatch(/different key/);
    // an unrelated CA: the issuer is unknown, which is what a missing intermediate looks like too
    const other = await makeOpensslCa(at('other-ca'), { cn: 'Other Root' });
    expect(errors(await lintCertificate({ cert: good.cert, ca: other.cert }))).toEqual(['CHAIN_INCOMPLETE']);

    await mustOpenssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('self.key'), '-out', at('self.crt'), '-days', '90', '-subj', '/CN=reg.example.com', '-addext', 'subjectAltName=DNS:reg.example.com', '-addext', 'extendedKeyUsage=serverAuth']);
    const self = await lintCertificate({ cert: at('self.crt'), key: at('self.key') });
    expect(codes(self)).toContain('CERT_SELF_SIGNED');
    expect(hasErrors(self)).toBe(false);

    await mustOpenssl(['x509', '-in', good.cert, '-outform', 'der', '-out', at('good.der')]);
    const der = await lintCertificate({ cert: at('good.der') });
    expect(codes(der)).toEqual(['CERT_NOT_PEM']);
    expect(der[0]!.fix).toMatch(/openssl x509 -inform der/);

    await fs.writeFile(at('with-key.pem'), (await fs.readFile(good.cert, 'utf8')) + (await fs.readFile(good.key, 'utf8')));
    expect(codes(await lintCertificate({ cert: at('with-key.pem'), ca: root.cert }))).toEqual(['CERT_CONTAINS_PRIVATE_KEY']);

    expect(codes(await lintCertificate({ cert: at('nope.crt'), key: at('nope.key') }))).toEqual(['CERT_UNREADABLE', 'KEY_UNREADABLE']);
  });

  it('a world-readable key is a warning', async () => {
    await fs.copyFile(good.key, at('loose.key'));
    await fs.chmod(at('loose.key'), 0o644);
    const f = await lintCertificate({ cert: good.cert, key: at('loose.key'), ca: root.cert });
    expect(codes(f)).toEqual(['KEY_PERMISSIONS']);
    expect(f[0]!.fix).toBe(`chmod 600 ${at('loose.key')}`);
  });
});
