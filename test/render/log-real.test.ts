/**
 * The log container's two files, read by the real programs the harbor-log image runs (Debian's
 * rsyslogd and logrotate): rsyslogd's config validation (-N1) with the image's setup around our
 * fragment (TCP input on 10514, our file included), and logrotate's dry run (-d), whose report
 * shows how it understood rotate_count and rotate_size.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderLogrotateConfig, renderRsyslogConfig } from '../../src/render/components/log.js';
import { modelR1, type ModelR1Options } from './fixtures/model-r1.js';
import { tempDirSync } from '../helpers/tmp.js';

const tmp = tempDirSync('regctl-r1-log');

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function rsyslogCheck(name: string, fragment: string) {
  const frag = path.join(tmp, `${name}.rsyslog_docker.conf`);
  const main = path.join(tmp, `${name}.rsyslog.conf`);
  writeFileSync(frag, fragment);
  writeFileSync(main, ['module(load="imtcp")', 'input(type="imtcp" port="10514")', `include(file="${frag}")`, ''].join('\n'));
  return run('/usr/sbin/rsyslogd', ['-N1', '-f', main]);
}

function logrotateCheck(name: string, text: string) {
  const conf = path.join(tmp, `${name}.logrotate.conf`);
  writeFileSync(conf, text);
  return run('/usr/sbin/logrotate', ['-d', '-s', path.join(tmp, `${name}.state`), conf]);
}

describe('rsyslog_docker.conf passes rsyslogd -N1', () => {
  const variants: [string, ModelR1Options][] = [
    ['local files', {}],
    ['tcp forwarding', { externalSyslog: { protocol: 'tcp', host: 'syslog.corp.example', port: 5140 } }],
    ['udp forwarding to an IP', { externalSyslog: { protocol: 'udp', host: '10.20.30.40', port: 514 } }],
  ];
  it.each(variants)('%s', (name, o) => {
    const r = rsyslogCheck(name.replace(/\W+/g, '-'), renderRsyslogConfig(modelR1(o)));
    expect(r.output).toContain('End of config validation run');
    expect(r.status).toBe(0);
  });
  it('control: rsyslogd rejects an unknown action parameter', () => {
    const bad = renderRsyslogConfig(modelR1({ externalSyslog: { protocol: 'tcp', host: 'h', port: 1 } })).replace('Protocol=', 'Protokoll=');
    const r = rsyslogCheck('bad', bad);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("parameter 'Protokoll' not known");
  });
});

describe('logrotate.conf passes logrotate -d', () => {
  it.each([
    [50, '200M', 200 * 1024 * 1024],
    [7, '1G', 1024 * 1024 * 1024],
    [3, '500k', 500 * 1024],
  ])('rotate %i, size %s', (count, size, bytes) => {
    const r = logrotateCheck(`r${count}`, renderLogrotateConfig(modelR1({ rotate: { count, size } })));
    expect(r.status).toBe(0);
    expect(r.output).not.toMatch(/error:/);
    expect(r.output).toContain(`rotating pattern: /var/log/docker/*.log  ${bytes} bytes (${count} rotations)`);
  });
  it('control: logrotate reports an unknown directive', () => {
    // (logrotate only warns and goes on, so the check above looks for any 'error:' line)
    const r = logrotateCheck('bad', renderLogrotateConfig(modelR1()).replace('copytruncate', 'copytrunc'));
    expect(r.output).toMatch(/error: .*unknown option 'copytrunc'/);
  });
});
