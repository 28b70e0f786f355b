import { describe, expect, it } from 'vitest';
import { logRenderer, renderLogrotateConfig, renderRsyslogConfig } from '../../src/render/components/log.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import { modelR1, contextR1 } from './fixtures/model-r1.js';

/** Significant lines (no comments/blank, trimmed), as logrotate and rsyslog read them. */
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

describe('log renderer', () => {
  it('writes both files 0640 uid 10000 in a root-owned 0755 dir', () => {
    const entries = logRenderer.render(contextR1());
    expect(entries.map((e) => [e.kind, e.path, 'mode' in e ? e.mode : undefined, 'owner' in e ? e.owner : undefined])).toEqual([
      ['dir', 'common/config/log', 0o755, ROOT],
      ['file', 'common/config/log/logrotate.conf', 0o640, HARBOR],
      ['file', 'common/config/log/rsyslog_docker.conf', 0o640, HARBOR],
    ]);
    expect(entries[0]).toMatchObject({ contents: 'managed', root: 'install' });
  });

  it('logrotate: rotate_count and rotate_size on every service log, truncating in place', () => {
    expect(lines(renderLogrotateConfig(modelR1({ rotate: { count: 7, size: '1G' } })))).toEqual([
      '/var/log/docker/*.log {',
      'rotate 7',
      'size 1G',
      'copytruncate',
      'compress',
      'missingok',
      'nodateext',
      '}',
    ]);
  });

  it('rsyslog, local: one file per program name, rsyslogd itself excluded', () => {
    expect(lines(renderRsyslogConfig(modelR1()))).toEqual([
      'template(name="DynaFile" type="string" string="/var/log/docker/%programname%.log")',
      'if $programname != "rsyslogd" then {',
      'action(type="omfile" dynaFile="DynaFile")',
      '}',
    ]);
  });

  it('rsyslog, external endpoint: forwards in RFC 5424 format instead of writing files', () => {
    const text = renderRsyslogConfig(modelR1({ externalSyslog: { protocol: 'udp', host: 'syslog.example.net', port: 5140 } }));
    expect(lines(text)).toContain('action(type="omfwd" Target="syslog.example.net" Port="5140" Protocol="udp" Template="RSYSLOG_SyslogProtocol23Format")');
    expect(text).not.toContain('omfile');
  });
});
