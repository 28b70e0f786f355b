/**
 * Which release a run targets and whether its components are possible there. The same answer in
 * prepare, install, doctor, status and down: --harbor-version, else what the install dir was
 * rendered for (so a 2.8 install is never re-rendered as 2.15 by accident), else the newest.
 */
import { releases, resolveRelease, lineOf } from '../releases/index.js';
import type { HarborRelease } from '../releases/types.js';
import type { HarborConfig } from '../config/model.js';
import { readInstallationRecord, type InstallationRecord } from './record.js';
import { RegctlError, ExitCode, problem, type Problem } from '../errors.js';

/** Notary's last line: Harbor deprecated it in v2.6.0 and removed it in v2.9.0 (goharbor/harbor#19016); from v2.9.0 enable_content_trust asks for a Notation signature (src/server/middleware/contenttrust/contentrust.go at v2.9.0). */
export const NOTARY_REMOVED_IN = 'v2.9.0';

export interface ReleaseChoice {
  release: HarborRelease;
  record?: InstallationRecord;
  /** a note when --harbor-version moves an install to another release */
  findings: Problem[];
}

export async function chooseRelease(realInstallDir: string, requested: string | undefined): Promise<ReleaseChoice> {
  const record = await readInstallationRecord(realInstallDir);
  const release = resolveRelease(requested, record?.harborVersion);
  const findings: Problem[] = [];
  if (record && record.harborVersion !== release.version) {
    findings.push(
      problem('warning', 'W_RELEASE_CHANGED', `${realInstallDir} was rendered for Harbor ${record.harborVersion}; this run renders ${release.version}`, {
        fix: 'back up data_volume before starting a different release (its database may be migrated on first start)',
      }),
    );
  }
  return { release, record, findings };
}

/** The newest release regctl knows that still has Notary, for the refusal's fix. */
function notaryReleaseHint(): string {
  const withNotary = releases.find((r) => r.capabilities.notary);
  return withNotary ? withNotary.version.replace(/^v/, '') : '2.8.6';
}

/**
 * --with-notary only where the release has Notary, and only over https; refused before anything
 * is read from or written to the install dir.
 */
export function checkNotaryRequest(release: HarborRelease, withNotary: boolean): void {
  if (!withNotary || release.capabilities.notary) return;
  const hint = notaryReleaseHint();
  throw new RegctlError('E_NOTARY_REMOVED', `Harbor ${release.version} has no Notary: it was removed in ${NOTARY_REMOVED_IN} (the ${lineOf(release)} line cannot sign with Docker Content Trust)`, {
    key: '--with-notary',
    exitCode: ExitCode.invalidInput,
    fix: `for Notary install the 2.8 line: add --harbor-version ${hint}; or drop --with-notary and sign with cosign or notation, which Harbor ${release.version} stores and verifies natively (from 2.9, a project's content trust means a Notation signature)`,
  });
}

export function checkNotaryConfig(config: HarborConfig, withNotary: boolean): void {
  if (!withNotary) return;
  if (config.https) {
    checkNotaryDatabases(config);
    return;
  }
  throw new RegctlError('E_NOTARY_NEEDS_HTTPS', 'Notary needs https: Docker Content Trust talks to notary-server over TLS on port 4443', {
    file: config.source.file,
    key: 'https',
    exitCode: ExitCode.invalidInput,
    fix: 'configure the https block (certificate and private_key; regctl prepare --generate-certs makes them), or drop --with-notary',
  });
}

/**
 * With an external database Notary's two databases are the user's too: both blocks are needed
 * (v2.8.6's prepare dies with KeyError: 'notary_signer' without them, utils/configs.py).
 */
function checkNotaryDatabases(config: HarborConfig): void {
  if (!config.database.external) return;
  const missing = (['notary_signer', 'notary_server'] as const).filter((b) => !config.notaryDatabases?.[b === 'notary_signer' ? 'signer' : 'server']);
  if (missing.length === 0) return;
  const blocks = missing.map((b) => `external_database.${b}`);
  throw new RegctlError('E_NOTARY_DATABASE', `--with-notary with an external database needs ${blocks.join(' and ')}: notary-signer and notary-server keep their data in databases of their own`, {
    file: config.source.file,
    key: blocks[0],
    exitCode: ExitCode.invalidInput,
    fix: `add ${blocks.map((b) => `\`${b.split('.')[1]}:\``).join(' and ')} under \`external_database:\` (host, port, db_name, username, password, ssl_mode; create the databases and users first), or drop --with-notary`,
  });
}
