/**
 * Builds the local image set from the command line (bench/install uses it):
 *   npx vite-node test/images/build-cli.ts [--prefix regctl-test]
 * Prints one JSON line with the build time.
 */
import { ensureImageSet, TEST_IMAGE_PREFIX } from './image-set.js';

const i = process.argv.indexOf('--prefix');
const prefix = i > 0 ? process.argv[i + 1]! : TEST_IMAGE_PREFIX;
const result = await ensureImageSet({ prefix, log: (l) => process.stderr.write(l + '\n') });
process.stdout.write(JSON.stringify({ prefix, built: result.built.length, reused: result.reused.length, seconds: result.seconds }) + '\n');
