/**
 * The Harbor releases regctl renders, one description file each. Adding a release line means
 * adding its file here (and templates only where it differs); nothing else asks for a version.
 */
import type { HarborRelease } from './types.js';
import { harborV2_15_2 } from './v2.15.2.js';
import { harborV2_14_4 } from './v2.14.4.js';
import { harborV2_13_5 } from './v2.13.5.js';
import { harborV2_12_4 } from './v2.12.4.js';
import { harborV2_10_3 } from './v2.10.3.js';
import { harborV2_8_6 } from './v2.8.6.js';
import { RegctlError, ExitCode } from '../errors.js';

/** newest first: the first one is the default */
export const releases: readonly HarborRelease[] = [harborV2_15_2, harborV2_14_4, harborV2_13_5, harborV2_12_4, harborV2_10_3, harborV2_8_6];
export const defaultRelease = releases[0]!;

/** 'v2.15.2', '2.15.2', '2.15' or '2.15.x' (the newest patch of that line regctl knows) */
export function findRelease(version: string): HarborRelease | undefined {
  const v = version.trim().replace(/^v/, '');
  const line = /^(\d+\.\d+)(?:\.x)?$/.exec(v);
  if (line) return releases.find((r) => lineOf(r) === line[1]);
  return releases.find((r) => r.version === `v${v}`);
}

/** '2.15' for v2.15.2 */
export function lineOf(release: HarborRelease): string {
  return lineOfVersion(release.version);
}

/** 'v2.14.4' or '2.14.4' → '2.14': a version as the line it belongs to */
export function lineOfVersion(version: string): string {
  return version.replace(/^v/, '').split('.').slice(0, 2).join('.');
}

export function supportedReleasesText(): string {
  return releases.map((r) => `${r.version.replace(/^v/, '')} (the ${lineOf(r)} line)`).join(', ');
}

/** The release a run targets: --harbor-version, else the one the install dir was rendered for, else the newest. */
export function resolveRelease(requested: string | undefined, recorded?: string): HarborRelease {
  const wanted = requested ?? recorded;
  if (wanted === undefined) return defaultRelease;
  const release = findRelease(wanted);
  if (release) return release;
  if (requested === undefined) {
    throw new RegctlError('E_RELEASE_RECORDED', `the install dir was rendered for Harbor ${wanted}, which this regctl does not support`, {
      exitCode: ExitCode.invalidInput,
      fix: `use the regctl that installed it, or choose a release explicitly with --harbor-version (supported: ${supportedReleasesText()})`,
    });
  }
  throw new RegctlError('E_RELEASE', `Harbor ${requested} is not a release regctl supports`, {
    exitCode: ExitCode.invalidInput,
    key: '--harbor-version',
    fix: `use one of: ${supportedReleasesText()}; for example --harbor-version ${defaultRelease.version.replace(/^v/, '')}`,
  });
}
