/**
 * The parts of install that do not need the engine, on real files and real TLS servers: the
 * endpoint probes (against local https servers with an openssl-issued certificate), the secret
 * backups, the progress renderings and the systemd unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { mkdirSync, promises as fs, readFileSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { issueCertificates } from './helpers/workspace.js';
import { checkHealthEndpoint, checkRegistryEndpoint, type ProbeTarget } from '../../src/install/endpoints.js';
import { backupSecrets, backupStamp, BACKUP_DIR } from '../../src/install/backup.js';
import { PlainReporter, JsonReporter, TtyReporter } from '../../src/install/progress.js';
import { renderUnit, execLines, unitName } from '../../src/install/systemd.js';
import { ComposeProject, projectNameFor, type ComposeTool } from '../../src/docker/compose.js';
import { registryAddress, trustCommand } from '../../src/install/summary.js';
import { logSinkService } from '../../src/install/stack.js';
import { parseComposeServices } from '../../src/docker/compose-file.js';
import { tempDir } from '../helpers/tmp.js';

describe('endpoint probes through a real TLS server', () => {
  let dir: string;
  let certs: { ca: string; cert: string; key: string };
  let server: https.Server;
  let port = 0;
  let realm = '';
  let health: unknown = { status: 'healthy', components: [{ name: 'core', status: 'healthy' }] };
  const target = (over: Partial<ProbeTarget> = {}): ProbeTarget => ({
    protocol: 'https',
    connectHost: '127.0.0.1',
    port,
    hostname: 'reg.parts.test',
    publicUrl: `https://reg.parts.test:${port}`,
    ca: readFileSync(certs.ca),
    serverCert: readFileSync(certs.cert),
    ...over,
  });

  beforeAll(async () => {
    dir = await tempDir('regctl-parts');
    certs = await issueCertificates(dir, 'reg.parts.test');
    server = https.createServer({ cert: readFileSync(certs.cert), key: readFileSync(certs.key) }, (req, res) => {
      if (req.headers.host !== `reg.parts.test:${port}`) {
        res.writeHead(421).end();
        return;
      }
      if (req.url === '/api/v2.0/health') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(health));
        return;
      }
      if (req.url === '/v2/') {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm}",service="harbor-registry"` }).end('{}');
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    realm = `https://reg.parts.test:${port}/service/token`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('passes when healthy and the realm is on the public URL (SNI, Host and CA checked)', async () => {
    expect(await checkHealthEndpoint(target())).toMatchObject({ status: 'pass', detail: 'healthy (1 components)' });
    expect(await checkRegistryEndpoint(target())).toMatchObject({ status: 'pass', detail: `401 with realm ${realm}` });
  });

  it('warns clearly when the realm host or port differs from the URL users log in with', async () => {
    realm = 'https://reg.parts.test/service/token';
    const r = await checkRegistryEndpoint(target());
    expect(r.status).toBe('warn');
    expect(r.detail).toBe(`the token realm is ${realm}, but users log in at https://reg.parts.test:${port}: docker login will be sent to reg.parts.test:443`);
    expect(r.fix).toContain(`set external_url to https://reg.parts.test:${port}`);
    realm = `https://other.parts.test:${port}/service/token`;
    expect((await checkRegistryEndpoint(target())).status).toBe('warn');
    realm = `https://reg.parts.test:${port}/service/token`;
  });

  it('fails naming the unhealthy components', async () => {
    health = { status: 'unhealthy', components: [{ name: 'core', status: 'healthy' }, { name: 'database', status: 'unhealthy', error: 'connection refused' }] };
    const r = await checkHealthEndpoint(target());
    expect(r).toMatchObject({ status: 'fail', detail: 'Harbor reports unhealthy: unhealthy database (connection refused)', fix: 'see regctl logs database' });
    health = { status: 'healthy', components: [] };
  });

  it('fails on a certificate that does not cover the name, and on an unknown CA', async () => {
    const wrongName = await checkHealthEndpoint(target({ hostname: 'other.parts.test', publicUrl: `https://other.parts.test:${port}` }));
    expect(wrongName.status).toBe('fail');
    expect(wrongName.detail).toContain('does not cover other.parts.test');
    const otherCa = await issueCertificates(path.join(dir, 'other'), 'x.test');
    const unknown = await checkHealthEndpoint(target({ ca: readFileSync(otherCa.ca) }));
    expect(unknown.status).toBe('fail');
    expect(unknown.detail).toMatch(/TLS verification failed/);
  });

  it('without a CA file, accepts the server only if it presents the configured certificate', async () => {
    const ok = await checkHealthEndpoint(target({ ca: undefined }));
    expect(ok.status).toBe('pass');
    expect(ok.detail).toContain('chain not verified (no https.ca_file in the config); the server presents the configured certificate');
    const otherCert = await issueCertificates(path.join(dir, 'other2'), 'reg.parts.test');
    const mismatch = await checkHealthEndpoint(target({ ca: undefined, serverCert: readFileSync(otherCert.cert) }));
    expect(mismatch.status).toBe('fail');
  });

  it('says nothing answers when the port is closed', async () => {
    const r = await checkRegistryEndpoint(target({ port: 1 }));
    expect(r).toMatchObject({ status: 'fail', detail: 'nothing answers on 127.0.0.1:1' });
  });
});

describe('secret backups', () => {
  it('copies data_volume/secret with modes, skips an unchanged tree, keeps the newest 5', async () => {
    const data = await tempDir('regctl-backup');
    mkdirSync(path.join(data, 'secret/keys'), { recursive: true });
    writeFileSync(path.join(data, 'secret/keys/secretkey'), 'abcdefghijklmnop', { mode: 0o600 });
    const t = new Date('2026-01-02T03:04:05Z');
    const first = await backupSecrets(data, t);
    expect(first).toMatchObject({ reused: false, files: 1, path: path.join(data, BACKUP_DIR, '20260102T030405Z') });
    expect(readFileSync(path.join(first.path!, 'keys/secretkey'), 'utf8')).toBe('abcdefghijklmnop');
    expect(statSync(path.join(first.path!, 'keys/secretkey')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(data, BACKUP_DIR)).mode & 0o777).toBe(0o700);
    expect(await backupSecrets(data, new Date(t.getTime() + 1000))).toMatchObject({ reused: true, path: first.path });
    for (let i = 1; i <= 6; i++) {
      writeFileSync(path.join(data, 'secret/keys/secretkey'), `changed ${i}`);
      await backupSecrets(data, new Date(t.getTime() + i * 60_000));
    }
    const kept = (await fs.readdir(path.join(data, BACKUP_DIR))).sort();
    expect(kept).toEqual([3, 4, 5, 6, 7].map((m) => backupStamp(new Date(t.getTime() + (m - 1) * 60_000))));
    expect(readFileSync(path.join(data, BACKUP_DIR, kept[4]!, 'keys/secretkey'), 'utf8')).toBe('changed 6');
    // the secret itself is never touched
    expect(readFileSync(path.join(data, 'secret/keys/secretkey'), 'utf8')).toBe('changed 6');
  });
});

describe('progress renderings', () => {
  const steps = [
    { id: 'a', title: 'first' },
    { id: 'b', title: 'second' },
  ];
  it('plain: a line per start and end with [n/N] and elapsed time', () => {
    const lines: string[] = [];
    let now = 0;
    const p = new PlainReporter(steps, (l) => lines.push(l), () => now);
    p.start('a');
    now = 1500;
    p.done('a', 'ok');
    p.start('b');
    now = 2000;
    p.fail('b', 'broke');
    expect(lines).toEqual(['[1/2] first ...', '[1/2] first: done: ok (1.5s)', '[2/2] second ...', '[2/2] second: FAILED: broke (0.5s)']);
  });
  it('json: one parseable event per line', () => {
    const lines: string[] = [];
    const p = new JsonReporter(steps, (l) => lines.push(l), () => 7);
    p.start('a');
    p.update('a', 'half');
    p.done('a');
    p.note('hello');
    p.skipPending('not reached');
    const ev = lines.map((l) => JSON.parse(l));
    expect(ev.map((e) => `${e.event}:${e.step ?? ''}:${e.status ?? e.message}`)).toEqual(['step:a:start', 'step:a:progress', 'step:a:done', 'note::hello', 'step:b:skip']);
    expect(ev[0]).toEqual({ event: 'step', step: 'a', index: 1, total: 2, status: 'start', title: 'first' });
  });
  it('tty: redraws the step list in place with a spinner and elapsed time', () => {
    let out = '';
    let now = 0;
    const p = new TtyReporter(steps, (t) => (out += t), () => 80, () => now);
    p.start('a', 'working');
    now = 2500;
    p.done('a');
    p.close();
    expect(out).toContain('⠋ first: working 0.0s');
    expect(out).toContain('\x1b[2A'); // cursor back up over the two lines
    expect(out).toContain('✔ first: working 2.5s');
    expect(out).toContain('· second');
  });
});

describe('systemd unit', () => {
  const tool: ComposeTool = { flavour: 'standalone', version: '1.29.2', path: '/usr/bin/docker-compose', argv: ['/usr/bin/docker-compose'], env: {}, why: '' };
  it('runs the resolved compose with -p/-f/--project-directory, log service first, down without -v on stop', () => {
    const dir = '/opt/my harbor';
    const project = new ComposeProject(tool, { name: projectNameFor(dir), file: `${dir}/docker-compose.yml`, directory: dir });
    const unit = renderUnit({ project, dockerBin: '/usr/bin/docker', logService: { service: 'log', containerName: 'harbor-log' }, environment: { DOCKER_HOST: 'unix:///run/docker.sock' } });
    expect(unitName('myharbor')).toBe('regctl-myharbor.service');
    expect(unit).toContain('Requires=docker.service');
    expect(unit).toContain('WorkingDirectory="/opt/my harbor"');
    expect(unit).toContain('Environment=DOCKER_HOST=unix:///run/docker.sock');
    const prefix = ['/usr/bin/docker-compose', '-p', 'myharbor', '-f', '/opt/my harbor/docker-compose.yml', '--project-directory', '/opt/my harbor'];
    const pre = execLines(unit, 'ExecStartPre');
    expect(pre[0]).toEqual([...prefix, 'up', '-d', '--no-build', 'log']);
    expect(pre[1]![0]).toBe('/bin/sh');
    expect(pre[1]![2]).toContain('/usr/bin/docker inspect');
    expect(pre[1]![2]).toContain('$(seq 120)');
    expect(execLines(unit, 'ExecStart')).toEqual([[...prefix, 'up', '-d', '--no-build']]);
    expect(execLines(unit, 'ExecStop')).toEqual([[...prefix, 'down']]);
    expect(unit).toContain('WantedBy=multi-user.target');
  });
});

describe('summary and compose reading', () => {
  it('names the registry as clients do: port only when not the default', () => {
    expect(registryAddress('https://reg.example.com')).toBe('reg.example.com');
    expect(registryAddress('https://reg.example.com:8443')).toBe('reg.example.com:8443');
    expect(registryAddress('http://10.0.0.5:80')).toBe('10.0.0.5');
  });
  it('finds the service the others log through', () => {
    const services = parseComposeServices(
      [
        'services:',
        '  log:',
        '    image: x/harbor-log:v1',
        '    ports: ["127.0.0.1:1514:10514"]',
        '  core:',
        '    image: x/harbor-core:v1',
        '    logging: {driver: syslog, options: {syslog-address: "tcp://localhost:1514", tag: core}}',
        '',
      ].join('\n'),
      'docker-compose.yml',
    );
    expect(logSinkService(services)?.service).toBe('log');
    expect(services[1]).toMatchObject({ logDriver: 'syslog', logTag: 'core' });
  });
  it('prints the cert trust line for https and the insecure one for http', () => {
    const https = { protocol: 'https', publicUrl: 'https://reg.example.com:8443' } as never;
    expect(trustCommand(https, '/etc/harbor/ca.crt')).toBe('regctl cert trust --ca /etc/harbor/ca.crt --registry reg.example.com:8443');
    const http = { protocol: 'http', publicUrl: 'http://10.0.0.5:8080' } as never;
    expect(trustCommand(http, undefined)).toBe('regctl cert trust --insecure --registry 10.0.0.5:8080');
  });
});
