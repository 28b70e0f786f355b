import type { HarborRelease } from './types.js';
import { harborV2_15_2 } from './v2.15.2.js';

export const releases: readonly HarborRelease[] = [harborV2_15_2];
export const defaultRelease = harborV2_15_2;

export function findRelease(version: string): HarborRelease | undefined {
  const v = version.startsWith('v') ? version : `v${version}`;
  return releases.find((r) => r.version === v);
}
