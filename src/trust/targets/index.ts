import type { TargetName, TrustTarget } from '../types.js';
import { containerdTarget } from './containerd.js';
import { containersTarget } from './containers.js';
import { dockerTarget } from './docker.js';
import { systemTarget } from './system.js';

/** Every trust target; adding a runtime means adding a file and a line here. */
export const TRUST_TARGETS: Record<TargetName, TrustTarget> = {
  docker: dockerTarget,
  containerd: containerdTarget,
  containers: containersTarget,
  system: systemTarget,
};
