/** Free space where Harbor keeps its data and where Docker keeps images (warn under 10 GiB). */
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { pass, warn, type CheckResult, type DoctorCheck } from '../types.js';

export const LOW_SPACE_BYTES = 10 * 1024 ** 3;

/** The path itself or its nearest existing parent (data_volume may not exist yet). */
export async function existingAncestor(p: string): Promise<string> {
  let cur = path.resolve(p);
  for (;;) {
    try {
      await statfs(cur);
      return cur;
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return cur;
      cur = parent;
    }
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i ? 1 : 0)} ${units[i]}`;
}

/** Free space at `p` (or its nearest existing parent): pass, or warn under LOW_SPACE_BYTES. */
export async function spaceAt(check: string, label: string, p: string): Promise<CheckResult> {
  const at = await existingAncestor(p);
  const st = await statfs(at);
  const free = Number(st.bavail) * Number(st.bsize);
  const detail = `${formatBytes(free)} free for ${label} (${p}${at !== p ? `, measured at ${at}` : ''})`;
  if (free < LOW_SPACE_BYTES) return warn(check, detail, `free space under ${at}, or move ${label} to a larger disk (Harbor's images and data need at least 10 GiB)`);
  return pass(check, detail);
}

export const diskSpaceCheck: DoctorCheck = {
  name: 'disk space',
  async run({ target, engine }) {
    const results: CheckResult[] = [];
    if (target) results.push(await spaceAt('disk space (data_volume)', 'data_volume', target.dataVolume));
    if (engine.ok) results.push(await spaceAt('disk space (docker root)', "Docker's root dir", engine.info.rootDir));
    return results;
  },
};
