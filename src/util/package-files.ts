/**
 * Files shipped in the package (examples/, templates/, package.json), found from this module's
 * own location: src/util/ when run from source, dist/ when bundled, anywhere after `npm i -g`.
 * Hints that point at a bundled file give this absolute path, so they work from any directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding regctl's package.json (walks up from this file; the name must match). */
export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'regctl') return dir;
      } catch {
        // not ours (or unreadable): keep walking up
      }
    }
    if (path.dirname(dir) === dir) return from;
  }
}

/** The absolute path of a bundled example, e.g. bundledExample('harbor.yml'). */
export function bundledExample(name: string): string {
  return path.join(packageRoot(), 'examples', name);
}
