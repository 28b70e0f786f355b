import type { ComponentRenderer } from '../types.js';
import { portalRenderer } from './portal.js';
import { logRenderer } from './log.js';
import { nginxRenderer } from './nginx.js';
import { coreRenderer } from './core.js';
import { registryRenderer } from './registry.js';
import { registryctlRenderer } from './registryctl.js';
import { dbRenderer } from './db.js';
import { jobserviceRenderer } from './jobservice.js';
import { redisRenderer } from './redis.js';
import { internalTlsRenderer } from './internal-tls.js';
import { trustRenderer } from './trust.js';
import { secretsRenderer } from './secrets.js';
import { exporterRenderer } from './exporter.js';
import { trivyRenderer } from './trivy.js';
import { composeRenderer } from './compose.js';

/** In Harbor's prepare order; each renderer decides itself whether it applies (trivy, exporter). */
export const componentRenderers: readonly ComponentRenderer[] = [
  portalRenderer,
  logRenderer,
  nginxRenderer,
  coreRenderer,
  registryRenderer,
  registryctlRenderer,
  dbRenderer,
  jobserviceRenderer,
  redisRenderer,
  internalTlsRenderer,
  trustRenderer,
  secretsRenderer,
  exporterRenderer,
  trivyRenderer,
  composeRenderer,
];
