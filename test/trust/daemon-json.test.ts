import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addInsecureRegistry } from '../../src/trust/daemon-json.js';
import { addInsecure } from '../../src/trust/insecure.js';
import { parseRegistry } from '../../src/trust/registry.js';
import { untrustRegistry } from '../../src/trust/untrust.js';
import { RegctlError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { listFiles } from './helpers.js';

const NOW = new Date('2026-02-03T04:05:06Z');
const daemonJson = (root: string) => path.join(root, 'etc/docker/daemon.json');

describe('trust --insecure: daemon.json insecure-registries', () => {
  it('creates daemon.json when it is absent, and untrust takes the entry out again', async () => {
    const root = await tempDir();
    const registry = parseRegistry('192.168.120.85:5000');
    const r = await addInsecure({ root, registry, now: NOW });
    expect(r).toMatchObject({ changed: true, created: true, backup: undefined });
    expect(JSON.parse(await fs.readFile(daemonJson(root), 'utf8'))).toEqual({ 'insecure-registries': ['192.168.120.85:5000'] });
    expect((await fs.stat(daemonJson(root))).mode & 0o777).toBe(0o644);

    const u = await untrustRegistry({ root, registry, now: NOW });
    expect(u.insecureEntryRemoved).toBe('192.168.120.85:5000');
    // regctl created it and nothing else is left in it: removed, not left as {} (no backup either)
    expect(await listFiles(path.join(root, 'etc/docker'))).toEqual([]);
  });

  it('keeps big and decimal numbers as written, and the owner and mode of the file', async () => {
    const root = await tempDir();
    await fs.mkdir(path.dirname(daemonJson(root)), { recursive: true });
    await fs.writeFile(daemonJson(root), '{"max-concurrent-downloads": 12345678901234567890, "shutdown-timeout": 1.50}\n', { mode: 0o640 });
    await fs.chown(daemonJson(root), 1234, 5678);
    await addInsecure({ root, registry: parseRegistry('reg.example.com:5000'), now: NOW });
    const text = await fs.readFile(daemonJson(root), 'utf8');
    expect(text).toContain('"max-concurrent-downloads": 12345678901234567890');
    expect(text).toContain('"shutdown-timeout": 1.50');
    const st = await fs.stat(daemonJson(root));
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([1234, 5678, 0o640]);
  });

  it('refuses a daemon.json that is a symbolic link or a directory, changing nothing', async () => {
    const root = await tempDir();
    await fs.mkdir(path.dirname(daemonJson(root)), { recursive: true });
    const real = path.join(root, 'real-daemon.json');
    await fs.writeFile(real, '{"debug": true}\n');
    await fs.symlink(real, daemonJson(root));
    const link = await addInsecure({ root, registry: parseRegistry('reg.example.com:5000'), now: NOW }).catch((e: unknown) => e);
    expect(link).toBeInstanceOf(RegctlError);
    expect(link).toMatchObject({ code: 'E_DAEMON_JSON_LINK', exitCode: 2, message: expect.stringContaining(`symbolic link (to ${real})`) });
    expect(await fs.readFile(real, 'utf8')).toBe('{"debug": true}\n');
    expect((await fs.lstat(daemonJson(root))).isSymbolicLink()).toBe(true);

    await fs.rm(daemonJson(root));
    await fs.mkdir(daemonJson(root));
    const dir = await addInsecure({ root, registry: parseRegistry('reg.example.com:5000'), now: NOW }).catch((e: unknown) => e);
    expect(dir).toMatchObject({ code: 'E_DAEMON_JSON_NOT_FILE', exitCode: 2, message: expect.stringContaining('is a directory') });
  });

  it('two trust runs at once both land: neither entry is lost (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const root = await tempDir();
      await Promise.all(['a.example.com:5000', 'b.example.com:5000', 'c.example.com:5000'].map((r) => addInsecure({ root, registry: parseRegistry(r), now: NOW })));
      const list = (JSON.parse(await fs.readFile(daemonJson(root), 'utf8')) as { 'insecure-registries': string[] })['insecure-registries'];
      expect(list.sort()).toEqual(['a.example.com:5000', 'b.example.com:5000', 'c.example.com:5000']);
    }
  });

  it('keeps every other key and entry, backs the old file up with a timestamp and its mode', async () => {
    const root = await tempDir();
    await fs.mkdir(path.dirname(daemonJson(root)), { recursive: true });
    const original = '{\n  "log-driver": "json-file",\n  "log-opts": {"max-size": "10m"},\n  "insecure-registries": ["old.example.com:5000"],\n  "data-root": "/srv/docker"\n}\n';
    await fs.writeFile(daemonJson(root), original, { mode: 0o600 });
    const registry = parseRegistry('reg.example.com:5000');
    const r = await addInsecure({ root, registry, now: NOW });
    expect(r.backup).toBe(`${daemonJson(root)}.bak-20260203T040506Z`);
    expect(await fs.readFile(r.backup!, 'utf8')).toBe(original);
    expect(JSON.parse(await fs.readFile(daemonJson(root), 'utf8'))).toEqual({
      'log-driver': 'json-file',
      'log-opts': { 'max-size': '10m' },
      'insecure-registries': ['old.example.com:5000', 'reg.example.com:5000'],
      'data-root': '/srv/docker',
    });
    expect((await fs.stat(daemonJson(root))).mode & 0o777).toBe(0o600);

    // a second run changes nothing and makes no second backup
    expect(await addInsecure({ root, registry, now: new Date(NOW.getTime() + 1000) })).toMatchObject({ changed: false });
    expect((await listFiles(root)).filter((f) => f.includes('daemon.json'))).toEqual(['etc/docker/daemon.json', 'etc/docker/daemon.json.bak-20260203T040506Z']);

    await untrustRegistry({ root, registry, now: new Date(NOW.getTime() + 2000) });
    expect(JSON.parse(await fs.readFile(daemonJson(root), 'utf8'))['insecure-registries']).toEqual(['old.example.com:5000']);
  });

  it('refuses malformed JSON with its line and column, leaving the file untouched and unbacked-up', async () => {
    const root = await tempDir();
    await fs.mkdir(path.dirname(daemonJson(root)), { recursive: true });
    const broken = '{\n  "log-driver": "json-file",\n  "debug": true,\n}\n';
    await fs.writeFile(daemonJson(root), broken);
    const err = await addInsecure({ root, registry: parseRegistry('reg.example.com:5000'), now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegctlError);
    expect(err).toMatchObject({ code: 'E_DAEMON_JSON_MALFORMED', location: { file: daemonJson(root), line: 4, column: 1 } });
    expect((err as RegctlError).message).toMatch(/left untouched/);
    expect(await fs.readFile(daemonJson(root), 'utf8')).toBe(broken);
    expect(await listFiles(root)).toEqual(['etc/docker/daemon.json']);
  });

  it('refuses a non-object document and a non-list insecure-registries', () => {
    expect(() => addInsecureRegistry('[]', 'a:1')).toThrow(/JSON object/);
    expect(() => addInsecureRegistry('{"insecure-registries": "a:1"}', 'b:1')).toThrow(/list of strings/);
    expect(addInsecureRegistry('', 'a:1')).toEqual({ text: '{\n  "insecure-registries": [\n    "a:1"\n  ]\n}\n', changed: true });
  });

  it('notes that loopback registries are insecure by default', async () => {
    const r = await addInsecure({ root: await tempDir(), registry: parseRegistry('127.0.0.1:5000'), now: NOW });
    expect(r.notes.join('\n')).toMatch(/127.0.0.0\/8 .* insecure/);
  });
});
