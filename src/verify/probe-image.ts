/**
 * The image `regctl verify` pushes, made here from nothing (no pull, no base image): one small
 * file in a tar layer. For the docker client the tar is `docker import`ed; for skopeo it becomes
 * an OCI image layout (image-spec: oci-layout, index.json, blobs/sha256) that skopeo copies from
 * `oci:DIR:TAG`. Deterministic bytes except the file's text, which names the run.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A ustar archive of one regular file (POSIX.1-1988 header, 512-byte blocks, two zero blocks at the end). */
export function singleFileTar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (value: string, offset: number, length: number) => header.write(value, offset, length, 'ascii');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0') + '\0';
  field(name, 0, 100);
  field(octal(0o644, 8), 100, 8);
  field(octal(0, 8), 108, 8);
  field(octal(0, 8), 116, 8);
  field(octal(content.length, 12), 124, 12);
  field(octal(946684800, 12), 136, 12); // 2000-01-01: a fixed mtime
  field('        ', 148, 8); // the checksum is computed with its own field as spaces
  field('0', 156, 1);
  field('ustar\0', 257, 6);
  field('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  field(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

export function probeTar(runId: string): Buffer {
  return singleFileTar('regctl-verify.txt', Buffer.from(`regctl verify probe ${runId}\n`));
}

/** Writes an OCI image layout of `tar` under `dir`, tagged `tag`; returns the layout directory. */
export async function writeOciLayout(dir: string, tar: Buffer, tag: string): Promise<string> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (b: Buffer) => {
    const d = sha256(b);
    await writeFile(path.join(blobs, d), b);
    return { digest: `sha256:${d}`, size: b.length };
  };
  const layer = await put(gzipSync(tar));
  const config = await put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(tar)}`] } })));
  const manifest = await put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': tag } }] };
  await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
  return dir;
}
