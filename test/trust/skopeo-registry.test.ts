/**
 * A real client trusting a real registry through certs.d: Debian's docker-registry serves TLS
 * with a regctl-issued leaf on 127.0.0.1; regctl trust (root '/', one unique host:port directory)
 * installs the CA; skopeo pushes and inspects with TLS verification on. Before trust, and after
 * untrust, the same skopeo call fails with an unknown-authority error.
 */
import { execa, ResultPromise } from 'execa';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../src/cert/ca.js';
import { parseSans } from '../../src/cert/san.js';
import { issueToFiles } from '../../src/cert/server-cert.js';
import { MANIFEST_DIR } from '../../src/trust/manifest.js';
import { parseRegistry, RegistryRef } from '../../src/trust/registry.js';
import { trustRegistry } from '../../src/trust/trust.js';
import { untrustRegistry } from '../../src/trust/untrust.js';
import type { TargetName } from '../../src/trust/types.js';
import { freePort, waitForPort } from '../cert/helpers/net.js';
import { tempDir } from '../helpers/tmp.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A one-layer OCI image layout on disk, built by hand (no image can be pulled here). */
async function ociLayout(dir: string): Promise<string> {
  const layout = path.join(dir, 'oci');
  const blobs = path.join(layout, 'blobs', 'sha256');
  await fs.mkdir(blobs, { recursive: true });
  const src = path.join(dir, 'rootfs');
  await fs.mkdir(src, { recursive: true });
  await fs.writeFile(path.join(src, 'hello.txt'), 'pushed through a CA installed by regctl\n');
  const tar = (await execa('tar', ['-C', src, '-cf', '-', 'hello.txt'], { encoding: 'buffer' })).stdout as unknown as Buffer;
  const layer = gzipSync(tar);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha(tar)] } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length }],
    }),
  );
  for (const b of [layer, config, manifest]) await fs.writeFile(path.join(blobs, sha(b).slice(7)), b);
  await fs.writeFile(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await fs.writeFile(
    path.join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': '1' } }] }),
  );
  return layout;
}

describe('skopeo against docker-registry over TLS, trusting through certs.d', () => {
  let dir: string;
  let port: number;
  let registry: RegistryRef;
  let server: ResultPromise;
  let caPem: string;
  let layout: string;
  let manifestDirExisted: boolean;

  beforeAll(async () => {
    dir = await tempDir('regctl-skopeo');
    const ca = await createCa({ commonName: 'regctl CA for skopeo-test', keyType: 'rsa-2048' });
    caPem = ca.certPem;
    await issueToFiles({ ca, sans: parseSans(['127.0.0.1', 'localhost']), certPath: path.join(dir, 'server.crt'), keyPath: path.join(dir, 'server.key') });
    port = await freePort();
    registry = parseRegistry(`127.0.0.1:${port}`);
    await fs.writeFile(
      path.join(dir, 'config.yml'),
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${dir}/data`,
        'http:',
        `  addr: 127.0.0.1:${port}`,
        '  tls:',
        `    certificate: ${dir}/server.crt`,
        `    key: ${dir}/server.key`,
        '',
      ].join('\n'),
    );
    server = execa('/usr/bin/docker-registry', ['serve', path.join(dir, 'config.yml')], { reject: false, all: true });
    await waitForPort(port);
    layout = await ociLayout(dir);
    manifestDirExisted = await fs.stat(MANIFEST_DIR).then(() => true, () => false);
  });

  afterEach(async () => {
    // only this test's host:port directories (and the manifest) are touched
    await untrustRegistry({ root: '/', registry }).catch(() => undefined);
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await server;
    if (!manifestDirExisted) {
      // regctl's state directory was made by this test: remove it when empty, parents too
      for (const d of [MANIFEST_DIR, path.dirname(MANIFEST_DIR)]) await fs.rmdir(d).catch(() => undefined);
    }
  });

  const push = (tag: string) =>
    execa('skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=true', `oci:${layout}:1`, `docker://127.0.0.1:${port}/regctl/test:${tag}`], { reject: false, timeout: 60_000 });
  const inspect = (tag: string) => execa('skopeo', ['inspect', '--tls-verify=true', `docker://127.0.0.1:${port}/regctl/test:${tag}`], { reject: false, timeout: 60_000 });

  it('without trust, skopeo refuses the registry certificate', async () => {
    const r = await inspect('1');
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/x509: certificate signed by unknown authority/);
  });

  it.each<TargetName[]>([['containers'], ['docker']])('with the CA in the %s certs.d, skopeo pushes and inspects with TLS verification', async (target) => {
    const r = await trustRegistry({ root: '/', registry, caPem, targets: [target], explicitTargets: true });
    const certsDir = target === 'docker' ? '/etc/docker/certs.d' : '/etc/containers/certs.d';
    expect(r.written).toEqual([`${certsDir}/127.0.0.1:${port}/ca.crt`]);
    expect(r.commands).toEqual([]);

    const pushed = await push(target);
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const inspected = await inspect(target);
    expect(inspected.exitCode, inspected.stderr).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ Name: `127.0.0.1:${port}/regctl/test`, Os: 'linux' });

    const u = await untrustRegistry({ root: '/', registry });
    expect(u.removed).toEqual([`${certsDir}/127.0.0.1:${port}/ca.crt`]);
    expect(await fs.stat(`${certsDir}/127.0.0.1:${port}`).catch(() => 'gone')).toBe('gone');
    const after = await inspect(target);
    expect(after.stderr).toMatch(/x509: certificate signed by unknown authority/);
  });
});
