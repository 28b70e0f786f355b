import type { HarborConfig } from '../config/model.js';
import type { Output } from '../output.js';
import type { Problem } from '../errors.js';

/** Everything one `regctl prepare` run needs; the CLI command and `regctl install` both build this. */
export interface PrepareRunOptions {
  cwd: string;
  out: Output;
  /** --config; default ./harbor.yml, else ./harbor.cfg */
  configPath?: string;
  /** --install-dir; default: the directory holding the config file */
  installDir?: string;
  /** --root: prefix for every absolute host path regctl reads or writes (tests, chroots) */
  root?: string;
  withTrivy: boolean;
  /** --image-prefix: registry/namespace for images instead of 'goharbor' (offline mirrors, tests) */
  imagePrefix?: string;
  /** --generate-certs: create CA + leaf when the configured https files do not exist */
  generateCerts?: boolean;
  /** --ca: the CA certificate offered on the portal's "Download CA" (default https.ca_file, else regctl's own CA) */
  caFile?: string;
  /** --dry-run: print the plan only */
  dryRun?: boolean;
  /** --diff: print unified diffs (secrets redacted), write nothing */
  diff?: boolean;
  /** --harbor-version; default: the release the install dir was rendered for, else the newest */
  release?: string;
  /** --with-notary (the 2.8 line only) */
  withNotary?: boolean;
  /** --lock-wait: how long to wait for another run on the same install dir or data_volume */
  lockWaitMs?: number;
  /** where run locks live (tests); default /run/lock/regctl */
  lockDir?: string;
  /** the caller (install) already holds the install dir and data_volume locks */
  lockHeld?: boolean;
}

export type FileChange = 'create' | 'change' | 'unchanged' | 'remove';

export interface PrepareResult {
  config: HarborConfig;
  /** the config file read (absolute) */
  configFile: string;
  /** real (root-prefixed) paths */
  installDir: string;
  dataVolume: string;
  composeFile: string;
  /** one line per file: install:/data: relative path and what happened (or would happen) */
  plan: { root: 'install' | 'data'; path: string; change: FileChange }[];
  /** true when anything was written */
  wrote: boolean;
  /** names of the secrets created in this run (never their values) */
  created: string[];
  /** config warnings and notes about the run (errors are thrown instead) */
  findings: Problem[];
  /** the plan, the diff or what was written, as text lines */
  lines: string[];
}
