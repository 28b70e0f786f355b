/**
 * Trust targets: one per place a client runtime looks for CA certificates (Docker, containerd,
 * containers/image, the system store), like mkcert's one file per trust store. A target only
 * plans (which files, which refresh command, what the user must know); writing, recording and
 * undoing are shared (trust.ts, untrust.ts), and --print renders the same plan as shell.
 */
import type { RegistryRef } from './registry.js';

export const TARGET_NAMES = ['docker', 'containerd', 'containers', 'system'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface TrustRequest {
  registry: RegistryRef;
  /** PEM of the CA certificate(s) only; never a key */
  caPem: string;
  /** every path the target reads is under this prefix ('/' for the real system) */
  root: string;
}

export interface PlannedFile {
  /** absolute path on the target system, without the root prefix */
  path: string;
  content: string;
  mode: number;
}

export interface TargetPlan {
  target: TargetName;
  files: PlannedFile[];
  /** run after files change (trust and untrust), only when the root is '/' */
  refreshCommand?: string[];
  /** what must be restarted for the change to take effect, if anything */
  restart?: string;
  warnings: string[];
}

export interface TrustTarget {
  name: TargetName;
  /** who reads this store, for messages */
  consumers: string;
  plan(req: TrustRequest): Promise<TargetPlan>;
  /**
   * Shell lines for another machine (--print). Targets whose plan does not depend on the
   * machine leave this out and their planned files are printed as they are.
   */
  printScript?(req: Omit<TrustRequest, 'root'>): string[];
}

/** Runs a refresh command; injected so tests never run update-ca-certificates on the host. */
export type CommandRunner = (argv: string[]) => Promise<{ ok: boolean; output: string }>;
