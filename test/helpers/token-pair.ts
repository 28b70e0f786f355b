/**
 * One RSA-4096 token-signing pair for the whole suite. `regctl prepare` generates the pair on a
 * first run (seconds of CPU each time); tests that run prepare for something else seed this one
 * into data_volume first, and prepare keeps it, as it keeps any existing pair
 * (src/secrets/store.ts). Tests of the generation itself do not seed.
 *
 * The pair is made once, by src/secrets/token-pair.ts, and cached under os.tmpdir() keyed by a hash
 * of that file: a test key, nothing secret. Workers racing to make it each write their own
 * directory and rename it into place; the first one wins.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTokenPair, type TokenPair } from '../../src/secrets/token-pair.js';
import { SECRET_PATHS } from '../../src/secrets/store.js';
import { HARBOR } from '../../src/render/types.js';
import { repoRoot } from './workspace.js';

const KEY = 'private_key.pem';
const CERT = 'root.crt';

function cacheDir(): string {
  const source = readFileSync(path.join(repoRoot, 'src/secrets/token-pair.ts'));
  return path.join(os.tmpdir(), `regctl-test-token-pair-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
}

async function readPair(dir: string): Promise<TokenPair | undefined> {
  try {
    return { privateKeyPem: await fs.readFile(path.join(dir, KEY), 'utf8'), certificatePem: await fs.readFile(path.join(dir, CERT), 'utf8') };
  } catch {
    return undefined;
  }
}

let cached: Promise<TokenPair> | undefined;

/** The suite's token pair: read from the cache, or generated once and cached. */
export function suiteTokenPair(): Promise<TokenPair> {
  cached ??= (async () => {
    const dir = cacheDir();
    const have = await readPair(dir);
    if (have) return have;
    const pair = await createTokenPair();
    const staging = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await fs.mkdir(staging, { mode: 0o700 });
    await fs.writeFile(path.join(staging, KEY), pair.privateKeyPem, { mode: 0o600 });
    await fs.writeFile(path.join(staging, CERT), pair.certificatePem, { mode: 0o600 });
    // rename(2) of a directory onto an existing non-empty one fails: another worker was first, use its pair
    await fs.rename(staging, dir).catch(() => fs.rm(staging, { recursive: true, force: true }));
    return (await readPair(dir))!;
  })();
  return cached;
}

/**
 * Puts the suite's token pair where prepare looks for it (data_volume/secret/core/private_key.pem
 * and secret/registry/root.crt), with the directories, modes and owners prepare renders for them
 * (src/render/components/secrets.ts), so prepare keeps the pair and changes nothing about it.
 * @param dataVolumeDir the real data_volume directory (root-prefixed when the test uses --root)
 */
export async function seedTokenKeyPair(dataVolumeDir: string): Promise<void> {
  const pair = await suiteTokenPair();
  const asRoot = process.getuid?.() === 0;
  for (const [rel, content] of [
    [SECRET_PATHS.tokenKey, pair.privateKeyPem],
    [SECRET_PATHS.tokenCert, pair.certificatePem],
  ] as const) {
    const file = path.join(dataVolumeDir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    for (const d of [path.dirname(file), path.dirname(path.dirname(file))]) await fs.chmod(d, 0o755);
    await fs.writeFile(file, content, { mode: 0o600 });
    await fs.chmod(file, 0o600);
    if (asRoot) await fs.chown(file, HARBOR.uid, HARBOR.gid);
  }
}
