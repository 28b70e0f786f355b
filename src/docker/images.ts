/**
 * Local images: which of the images a compose file names are present, and loading an offline
 * bundle (`docker save` output, optionally gzipped) with byte-level progress.
 */
import { createReadStream, statSync } from 'node:fs';
import { execa } from 'execa';
import { RegctlError } from '../errors.js';
import { firstErrorLine, runDocker, type DockerCli } from './cli.js';

export async function imagePresent(cli: DockerCli, ref: string): Promise<boolean> {
  const r = await runDocker(cli, ['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 30_000 });
  return r.exitCode === 0;
}

/** The refs that are not present locally, in the order given. */
export async function missingImages(cli: DockerCli, refs: string[]): Promise<string[]> {
  const present = await Promise.all(refs.map((r) => imagePresent(cli, r)));
  return refs.filter((_, i) => !present[i]);
}

export interface LoadProgress {
  bytes: number;
  total: number;
}

/** `docker load` of a bundle, streamed through stdin so progress can be reported. */
export async function loadImages(cli: DockerCli, file: string, onProgress: (p: LoadProgress) => void): Promise<string[]> {
  const total = statSync(file).size;
  let bytes = 0;
  const input = createReadStream(file);
  input.on('data', (chunk) => {
    bytes += chunk.length;
    onProgress({ bytes, total });
  });
  const child = execa(cli.bin, ['load'], { env: cli.env, extendEnv: false, reject: false, stdin: 'pipe' });
  input.on('error', () => child.kill());
  input.pipe(child.stdin!);
  const r = await child;
  if (r.exitCode !== 0) {
    throw new RegctlError('E_IMAGE_LOAD', `docker load of ${file} failed: ${firstErrorLine(String(r.stderr ?? '')) || `exit code ${r.exitCode}`}`, {
      file,
      fix: 'check that the file is a complete Harbor offline bundle (harbor.vX.Y.Z.tar.gz) and that Docker has free space',
    });
  }
  return String(r.stdout ?? '')
    .split('\n')
    .map((l) => /Loaded image(?: ID)?:\s*(\S+)/.exec(l)?.[1])
    .filter((x): x is string => Boolean(x));
}
