/**
 * A tiny OCI image layout made locally (nothing pulled): one gzip layer of a few files, a config,
 * a manifest and index.json, so skopeo can copy `oci:DIR:TAG` into a registry.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export function makeOciLayout(dir: string, tag: string): string {
  const layout = path.join(dir, 'oci');
  const blobs = path.join(layout, 'blobs', 'sha256');
  const files = path.join(dir, 'rootfs');
  mkdirSync(blobs, { recursive: true });
  mkdirSync(path.join(files, 'etc'), { recursive: true });
  writeFileSync(path.join(files, 'etc', 'seed-release'), 'seed 1.0\n');
  writeFileSync(path.join(files, 'hello.txt'), 'the seed of the journey\n');
  const tarGz = path.join(dir, 'layer.tar.gz');
  execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--mtime=2020-01-01', '-czf', tarGz, '-C', files, '.']);
  const layer = readFileSync(tarGz);
  const put = (b: Buffer | string) => {
    const d = sha(b);
    writeFileSync(path.join(blobs, d), b);
    return { digest: `sha256:${d}`, size: Buffer.byteLength(b) };
  };
  const layerDesc = put(layer);
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha(gunzipSync(layer))}`] } });
  const configDesc = put(config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configDesc },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerDesc }],
  });
  const manifestDesc = put(manifest);
  writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifestDesc, annotations: { 'org.opencontainers.image.ref.name': tag } }] }),
  );
  return layout;
}
