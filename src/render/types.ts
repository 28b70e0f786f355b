/**
 * Rendering is pure: model + secrets + release -> a list of entries. No I/O happens here; the
 * writer (src/apply/) applies the list atomically or shows it as a plan/diff.
 */
import type { HarborConfig, PrepareOptions } from '../config/model.js';
import type { HarborRelease } from '../releases/types.js';
import type { Secrets } from '../secrets/types.js';
import type { ComposeServiceSpec } from './compose/service.js';

/** Which tree an entry belongs to: the install dir (compose + common/config) or data_volume. */
export type TreeRoot = 'install' | 'data';

export interface Ownership {
  uid: number;
  gid: number;
}

export const HARBOR_UID = 10000;
export const POSTGRES_UID = 999;
export const REDIS_UID = 999;
export const ROOT: Ownership = { uid: 0, gid: 0 };
export const HARBOR: Ownership = { uid: HARBOR_UID, gid: HARBOR_UID };
export const POSTGRES: Ownership = { uid: POSTGRES_UID, gid: POSTGRES_UID };
export const REDIS: Ownership = { uid: REDIS_UID, gid: REDIS_UID };

export interface RenderedFile {
  kind: 'file';
  root: TreeRoot;
  /** POSIX path relative to the root, e.g. 'common/config/core/env' or 'secret/keys/secretkey' */
  path: string;
  content: string | Buffer;
  mode: number;
  owner: Ownership;
  /** contains secrets: never printed in --diff */
  secret?: boolean;
}

export interface RenderedDir {
  kind: 'dir';
  root: TreeRoot;
  path: string;
  mode: number;
  owner: Ownership;
  /**
   * 'managed': regctl owns the whole content (files not rendered are removed, like Harbor's
   * common/config subtrees). 'keep': only ensure the directory exists (data dirs).
   */
  contents: 'managed' | 'keep';
  /**
   * Chown the whole subtree when the directory's own owner differs (Harbor does this for the
   * registry storage, so blobs written by another uid become readable by uid 10000).
   */
  recursiveOwner?: boolean;
}

/** A file copied from a host path the user named (certificate, CA bundle). Read by the planner. */
export interface CopiedFile {
  kind: 'copy';
  root: TreeRoot;
  path: string;
  /** absolute host path to copy from */
  from: string;
  mode: number;
  owner: Ownership;
  secret?: boolean;
}

/**
 * A path Docker creates itself, which regctl must neither write nor remove: the empty mount point
 * file dockerd makes inside a bind-mounted directory for a nested single-file bind.
 */
export interface MountPoint {
  kind: 'mountpoint';
  root: TreeRoot;
  path: string;
}

/**
 * A file only regctl writes, in a directory whose other files it keeps (nginx conf.d): removed
 * when present and this run does not render it (notary.*.conf once --with-notary is dropped).
 */
export interface RetiredFile {
  kind: 'retired';
  root: TreeRoot;
  path: string;
}

export type RenderedEntry = RenderedFile | RenderedDir | CopiedFile | MountPoint | RetiredFile;

export interface RenderContext {
  config: HarborConfig;
  secrets: Secrets;
  release: HarborRelease;
  options: PrepareOptions;
}

/** One module per component, like Harbor's prepare has one per component. */
export interface ComponentRenderer {
  /** component name, e.g. 'nginx' */
  name: string;
  /** its compose service, if it runs as one (compose.ts assembles them) */
  service?: ComposeServiceSpec;
  /** several services (notary: server and signer), in compose order; instead of `service` */
  services?: readonly ComposeServiceSpec[];
  /** what it adds to other components' services and to the top-level networks when deployed (compose.ts) */
  composeAdditions?(ctx: import('./compose/service.js').ServiceContext): import('./compose/service.js').ComposeAdditions;
  render(ctx: RenderContext): RenderedEntry[];
}
