/**
 * The log container (rsyslog + logrotate): common/config/log/logrotate.conf and
 * rsyslog_docker.conf. Every other service logs to it through Docker's syslog driver
 * (tcp://localhost:1514, see compose.ts); it writes one file per service under
 * log.local.location, or forwards everything to log.external_endpoint.
 */
import type { HarborConfig } from '../../config/model.js';
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { renderTemplate } from '../template.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { bind, CONFIG } from '../compose/service.js';

export const LOG_DIR = 'common/config/log';
export const LOGROTATE_CONF = `${LOG_DIR}/logrotate.conf`;
export const RSYSLOG_CONF = `${LOG_DIR}/rsyslog_docker.conf`;

export function renderLogrotateConfig(config: HarborConfig): string {
  const { rotateCount, rotateSize } = config.log.local;
  return renderTemplate('log/logrotate.conf.eta', { rotateCount, rotateSize });
}

export function renderRsyslogConfig(config: HarborConfig): string {
  return renderTemplate('log/rsyslog_docker.conf.eta', { forward: config.log.externalEndpoint });
}

/** harbor-log: rsyslog receiving every other container's syslog on 127.0.0.1:1514. */
export const logService: ComposeServiceSpec = {
  name: 'log',
  containerName: 'harbor-log',
  image: 'log',
  noProxy: ['log'],
  body: (ctx) => ({
    cap_add: ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID'],
    volumes: [
      `${ctx.config.log.local.location}/:/var/log/docker/:z`,
      bind(`${CONFIG}/log/logrotate.conf`, '/etc/logrotate.d/logrotate.conf'),
      bind(`${CONFIG}/log/rsyslog_docker.conf`, '/etc/rsyslog.d/rsyslog_docker.conf'),
    ],
    ports: ['127.0.0.1:1514:10514'],
    noSyslog: true,
  }),
};

export const logRenderer: ComponentRenderer = {
  name: 'log',
  service: logService,
  render(ctx: RenderContext): RenderedEntry[] {
    return [
      // Harbor creates this dir without an owner (root); only the files belong to syslog (10000)
      { kind: 'dir', root: 'install', path: LOG_DIR, mode: 0o755, owner: ROOT, contents: 'managed' },
      { kind: 'file', root: 'install', path: LOGROTATE_CONF, content: renderLogrotateConfig(ctx.config), mode: 0o640, owner: HARBOR },
      { kind: 'file', root: 'install', path: RSYSLOG_CONF, content: renderRsyslogConfig(ctx.config), mode: 0o640, owner: HARBOR },
    ];
  },
};
