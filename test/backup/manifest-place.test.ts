/**
 * The backup's manifest (written, read back, refused when it lies or points outside), the parts
 * checked against it, and putting parts back without following links: on real files in a temp
 * dir. Row-count comparison and the client's docker arguments, which need no server.
 */
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { MANIFEST, MANIFEST_FORMAT, readManifest, verifyParts, writeManifest, type BackupManifest } from '../../src/backup/manifest.js';
import { copyFileIn } from '../../src/backup/parts.js';
import { placeDir, placePart, placementOf, type Placement } from '../../src/backup/place.js';
import { countDifferences, formatCounts } from '../../src/backup/row-counts.js';
import { conninfo, toolArgs } from '../../src/backup/db-exec.js';
import { imagePrefixOf } from '../../src/backup/install-databases.js';
import { RegctlError } from '../../src/errors.js';
import type { ComposeService } from '../../src/docker/compose-file.js';

async function backupWithOnePart(): Promise<{ dir: string; manifest: BackupManifest }> {
  const root = await tempDir('regctl-manifest');
  const src = path.join(root, 'secretkey');
  await fs.writeFile(src, 'sixteen-byte-key', { mode: 0o600 });
  const dir = path.join(root, 'backup');
  await fs.mkdir(dir, { mode: 0o700 });
  const part = (await copyFileIn(src, dir, 'secret/keys/secretkey'))!;
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    createdAt: '2026-12-03T00:00:00.000Z',
    harborVersion: 'v2.15.2',
    withTrivy: false,
    withNotary: false,
    source: { configFile: '/opt/harbor/harbor.yml', installDir: '/opt/harbor', dataVolume: '/data' },
    databases: [],
    rowCounts: {},
    registryData: false,
    parts: [part],
    dirs: [],
    dataDirs: [],
    notes: [],
  };
  await writeManifest(dir, manifest);
  return { dir, manifest };
}

async function refusal(p: Promise<unknown>): Promise<RegctlError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RegctlError);
  return err as RegctlError;
}

describe('backup manifest', () => {
  it('reads back what was written, 0600, and the parts match it', async () => {
    const { dir, manifest } = await backupWithOnePart();
    expect(await readManifest(dir)).toEqual(manifest);
    expect((await fs.stat(path.join(dir, MANIFEST))).mode & 0o777).toBe(0o600);
    expect(manifest.parts[0]).toMatchObject({ path: 'secret/keys/secretkey', size: 16, mode: 0o600 });
    expect(manifest.parts[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const seen: string[] = [];
    await verifyParts(dir, manifest, (n, total) => seen.push(`${n}/${total}`));
    expect(seen).toEqual(['1/1']);
  });

  it('is never written over', async () => {
    const { dir, manifest } = await backupWithOnePart();
    await expect(writeManifest(dir, manifest)).rejects.toThrow();
  });

  it('refuses a directory without one, one that is not JSON, or one of another format', async () => {
    const { dir, manifest } = await backupWithOnePart();
    const file = path.join(dir, MANIFEST);
    await fs.rm(file);
    expect((await refusal(readManifest(dir))).message).toContain('has no manifest.json');
    await fs.writeFile(file, '{ not json');
    expect((await refusal(readManifest(dir))).message).toContain('is not JSON');
    await fs.writeFile(file, JSON.stringify({ ...manifest, format: 'something-else/1' }));
    const err = await refusal(readManifest(dir));
    expect(err.code).toBe('E_BACKUP_INVALID');
    expect(err.fix).toMatch(/another backup/);
  });

  it('refuses parts that point outside the backup (.. or absolute)', async () => {
    const { dir, manifest } = await backupWithOnePart();
    for (const bad of ['../../etc/shadow', '/etc/shadow', 'secret/../../x']) {
      await fs.writeFile(path.join(dir, MANIFEST), JSON.stringify({ ...manifest, parts: [{ ...manifest.parts[0], path: bad }] }));
      expect((await refusal(readManifest(dir))).message).toContain(`part '${bad}' points outside the backup`);
    }
  });

  it('refuses a manifest that is a symbolic link', async () => {
    const { dir } = await backupWithOnePart();
    const file = path.join(dir, MANIFEST);
    await fs.rename(file, `${file}.real`);
    await fs.symlink(`${file}.real`, file);
    await expect(readManifest(dir)).rejects.toThrow();
  });

  it('finds a changed byte, a missing part and a part replaced by a link', async () => {
    const { dir, manifest } = await backupWithOnePart();
    const part = path.join(dir, 'secret/keys/secretkey');
    await fs.writeFile(part, 'sixteen-byte-kez');
    expect((await refusal(verifyParts(dir, manifest))).message).toContain('secret/keys/secretkey does not match the manifest (size 16, expected 16; sha256 differs: true)');
    await fs.rm(part);
    expect((await refusal(verifyParts(dir, manifest))).message).toContain('is missing, a link or not a regular file');
    const elsewhere = path.join(path.dirname(dir), 'secretkey');
    await fs.symlink(elsewhere, part); // the same bytes behind a link: still refused
    expect((await refusal(verifyParts(dir, manifest))).message).toContain('is missing, a link or not a regular file');
  });
});

describe('putting parts back (place.ts)', () => {
  it('writes a part with its recorded mode, replacing a link at the destination instead of writing through it', async () => {
    const { dir, manifest } = await backupWithOnePart();
    const base = await tempDir('regctl-place');
    const victim = path.join(base, 'victim');
    await fs.writeFile(victim, 'untouched');
    await fs.mkdir(path.join(base, 'secret/keys'), { recursive: true });
    await fs.symlink(victim, path.join(base, 'secret/keys/secretkey'));
    await placePart(dir, { ...manifest.parts[0]!, mode: 0o640 }, base, 'secret/keys/secretkey');
    const placed = path.join(base, 'secret/keys/secretkey');
    expect((await fs.lstat(placed)).isFile()).toBe(true);
    expect(await fs.readFile(placed, 'utf8')).toBe('sixteen-byte-key');
    expect((await fs.stat(placed)).mode & 0o777).toBe(0o640);
    expect(await fs.readFile(victim, 'utf8')).toBe('untouched');
    expect((await fs.readdir(path.dirname(placed))).filter((n) => n.includes('regctl-restore'))).toEqual([]);
  });

  it('refuses a directory on the way that is a link, and writes nothing there', async () => {
    const { dir, manifest } = await backupWithOnePart();
    const base = await tempDir('regctl-place');
    const outside = await tempDir('regctl-outside');
    await fs.symlink(outside, path.join(base, 'secret'));
    const err = await refusal(placePart(dir, manifest.parts[0]!, base, 'secret/keys/secretkey'));
    expect(err.code).toBe('E_SYMLINK');
    expect(err.fix).toBe(`remove it (rm ${path.join(base, 'secret')}) and run the restore again`);
    expect(await fs.readdir(outside)).toEqual([]);
  });

  it('gives a directory its recorded mode, creating it when missing', async () => {
    const base = await tempDir('regctl-place');
    await placeDir({ path: 'secret/keys', mode: 0o700, uid: process.getuid!(), gid: process.getgid!() }, base, 'secret/keys');
    expect((await fs.stat(path.join(base, 'secret/keys'))).mode & 0o777).toBe(0o700);
  });

  it('maps part paths to their destinations by prefix', () => {
    const placements: Placement[] = [
      { prefix: 'secret/', base: '/data', under: 'secret' },
      { prefix: 'install/', base: '/opt/harbor', under: '' },
      { prefix: 'config/harbor.yml', base: '/etc/harbor', under: 'harbor.yml' },
    ];
    expect(placementOf(placements, 'secret/keys/secretkey')).toEqual({ base: '/data', rel: 'secret/keys/secretkey' });
    expect(placementOf(placements, 'secret')).toEqual({ base: '/data', rel: 'secret' });
    expect(placementOf(placements, 'install/common/config/core/env')).toEqual({ base: '/opt/harbor', rel: 'common/config/core/env' });
    expect(placementOf(placements, 'config/harbor.yml')).toEqual({ base: '/etc/harbor', rel: 'harbor.yml' });
    expect(placementOf(placements, 'db/registry.dump')).toBeUndefined();
  });
});

describe('row counts and the database client', () => {
  it('names each table whose count differs, absent tables included', () => {
    expect(countDifferences({ project: 3, repository: 5, artifact: 9, harbor_user: 2 }, { project: 3, repository: 5, artifact: 9, harbor_user: 2 })).toEqual([]);
    expect(countDifferences({ project: 3, repository: 5, artifact: 9, harbor_user: 2 }, { project: 3, repository: 4, artifact: 'absent', harbor_user: 2 })).toEqual(['repository: 5 in the backup, 4 now', 'artifact: 9 in the backup, absent now']);
    expect(formatCounts({ project: 1, artifact: 'absent' })).toBe('project 1, repository absent, artifact absent, harbor_user absent');
  });

  it('quotes a libpq connection string: spaces, quotes and backslashes survive', () => {
    expect(conninfo({ host: 'db.example.com', port: 5432, dbName: "reg 'x'", username: 'har\\bor', password: 'never-here', sslMode: '' })).toBe(
      "host='db.example.com' port='5432' user='har\\\\bor' dbname='reg \\'x\\'' sslmode='disable' connect_timeout='10' application_name='regctl'",
    );
  });

  it('builds docker arguments without the password, for harbor-db and for an external server', () => {
    const password = 'S3cret-never-on-argv';
    const external = toolArgs({ kind: 'external', image: 'goharbor/harbor-db:v2.15.2', endpoint: { host: '10.0.0.5', port: 5432, dbName: 'registry', username: 'harbor', password, sslMode: 'require' } }, 'pg_dump', ['-Fc'], { name: 'regctl-db-client-test' });
    expect(external.join(' ')).not.toContain(password);
    expect(external.slice(0, 12)).toEqual(['run', '--rm', '-i', '--name', 'regctl-db-client-test', '--label', 'regctl.role=db-client', '--network', 'host', '--log-driver', 'none', '--entrypoint']);
    expect(external).toContain('goharbor/harbor-db:v2.15.2');
    expect(external.slice(-3)).toEqual(['-d', conninfo({ host: '10.0.0.5', port: 5432, dbName: 'registry', username: 'harbor', password, sslMode: 'require' }), '-Fc']);
    const bundled = toolArgs({ kind: 'bundled', container: 'harbor-db', database: 'registry' }, 'pg_restore', ['--exit-on-error'], { stdin: true });
    expect(bundled.slice(0, 5)).toEqual(['exec', '-i', '-u', 'postgres', 'harbor-db']);
    expect(bundled.slice(-4)).toEqual(['pg_restore', '-d', 'registry', '--exit-on-error']);
  });

  it("finds the stack's image prefix (--image-prefix) from its compose services", () => {
    const svc = (image: string) => ({ service: 'x', image }) as ComposeService;
    expect(imagePrefixOf([svc('regctl-test/harbor-core:v2.15.2')], 'goharbor')).toBe('regctl-test');
    expect(imagePrefixOf([svc('mirror.local:5000/goharbor/harbor-core:v2.15.2')], 'goharbor')).toBe('mirror.local:5000/goharbor');
    expect(imagePrefixOf([], 'goharbor')).toBe('goharbor');
  });
});
