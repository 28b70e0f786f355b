/**
 * The data_volume check with a stub context on real temp directories: writable, not created yet,
 * a file where the directory should be, a directory nobody may write, and the PostgreSQL data a
 * previous Harbor left (PG_VERSION).
 */
import { describe, expect, it } from 'vitest';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { dataVolumeCheck } from '../../../src/doctor/checks/data-volume.js';
import { stubContext, useScratch } from './stub-context.js';

describe('doctor check: data_volume', () => {
  const scratch = useScratch();

  it('has nothing to check without a target', async () => {
    expect(await dataVolumeCheck.run(stubContext())).toEqual([]);
  });

  it('passes an existing writable data_volume with no database in it', async () => {
    const { target } = await scratch.target();
    await mkdir(target.dataVolume, { recursive: true });
    expect(await dataVolumeCheck.run(stubContext({ target }))).toEqual([
      { check: 'data_volume writable', status: 'pass', detail: `${target.dataVolume} is writable`, fix: '' },
      { check: 'database data', status: 'pass', detail: 'no existing database in data_volume (a new one will be created)', fix: '' },
    ]);
  });

  it('passes a data_volume that does not exist yet when its nearest parent is writable', async () => {
    const { ws } = await scratch.target();
    const { target } = await scratch.target({ data_volume: path.join(ws.dir, 'a', 'b', 'data') });
    expect(target.dataVolume).toBe(path.join(ws.dir, 'a', 'b', 'data'));
    const [w] = await dataVolumeCheck.run(stubContext({ target }));
    expect(w).toEqual({ check: 'data_volume writable', status: 'pass', detail: `${target.dataVolume} does not exist yet; ${ws.dir} is writable, prepare will create it`, fix: '' });
  });

  it('fails when data_volume is a regular file', async () => {
    const { target } = await scratch.target();
    await writeFile(target.dataVolume, 'not a directory\n');
    const [w, db] = await dataVolumeCheck.run(stubContext({ target }));
    expect(w).toEqual({
      check: 'data_volume writable',
      status: 'fail',
      detail: `${target.dataVolume} is a file, not a directory`,
      fix: 'point data_volume at a directory, or move the file away',
    });
    // PG_VERSION under a file cannot be read either
    expect(db).toEqual({
      check: 'database data',
      status: 'warn',
      detail: `cannot read ${path.join(target.dataVolume, 'database', 'PG_VERSION')} (ENOTDIR)`,
      fix: 'run regctl as root',
    });
  });

  it('fails when a regular file sits on the way to a data_volume that does not exist yet', async () => {
    const { ws } = await scratch.target();
    await writeFile(path.join(ws.dir, 'notes.txt'), 'operator notes\n');
    const { target } = await scratch.target({ data_volume: path.join(ws.dir, 'notes.txt', 'data') });
    const [w] = await dataVolumeCheck.run(stubContext({ target }));
    expect(w).toMatchObject({ status: 'fail', detail: `${path.join(ws.dir, 'notes.txt')} (on the way to ${target.dataVolume}) is a file, not a directory` });
  });

  it('fails when data_volume is a directory this process may not write (immutable for root, mode 555 otherwise)', async () => {
    const { target } = await scratch.target();
    await mkdir(target.dataVolume, { recursive: true });
    const root = process.getuid?.() === 0;
    if (root) await execa('chattr', ['+i', target.dataVolume]);
    else await chmod(target.dataVolume, 0o555);
    let results;
    try {
      results = await dataVolumeCheck.run(stubContext({ target }));
    } finally {
      if (root) await execa('chattr', ['-i', target.dataVolume]);
      else await chmod(target.dataVolume, 0o755);
    }
    expect(results[0]).toEqual({
      check: 'data_volume writable',
      status: 'fail',
      detail: `${target.dataVolume} is not writable (${root ? 'EPERM' : 'EACCES'})`,
      fix: 'run regctl as root, or choose a data_volume this user can write',
    });
  });

  describe('leftover database (PG_VERSION)', () => {
    const withPgVersion = async (content: string) => {
      const { target } = await scratch.target();
      const db = path.join(target.dataVolume, 'database');
      await mkdir(db, { recursive: true });
      await writeFile(path.join(db, 'PG_VERSION'), content);
      const results = await dataVolumeCheck.run(stubContext({ target }));
      expect(results[0]).toMatchObject({ check: 'data_volume writable', status: 'pass' });
      return { target, db, result: results.find((r) => r.check === 'database data')! };
    };

    it('the release under test runs PostgreSQL 18 and upgrades from 15', async () => {
      const { target } = await scratch.target();
      expect(target.release.version).toBe('v2.15.2');
      expect(target.release.database).toEqual({ postgresMajor: 18, upgradesFrom: [15] });
    });

    const withCluster = async (majors: number[]) => {
      const { target } = await scratch.target();
      for (const m of majors) {
        await mkdir(path.join(target.dataVolume, 'database', `pg${m}`), { recursive: true });
        await writeFile(path.join(target.dataVolume, 'database', `pg${m}`, 'PG_VERSION'), `${m}\n`);
      }
      return (await dataVolumeCheck.run(stubContext({ target }))).find((r) => r.check === 'database data')!;
    };

    it("reads the current cluster from Harbor's pgNN layout: pg15 is upgraded by v2.15.2", async () => {
      expect(await withCluster([15])).toMatchObject({ status: 'pass', detail: expect.stringContaining('existing PostgreSQL 15 database: Harbor v2.15.2') });
    });

    it('pg13 (the 2.8 line) cannot be started by v2.15.2; the newest pgNN counts when an upgrade left both', async () => {
      expect(await withCluster([13])).toMatchObject({ status: 'fail', detail: expect.stringContaining('PostgreSQL 13 data') });
      expect(await withCluster([15, 18])).toMatchObject({ status: 'pass', detail: expect.stringContaining('existing PostgreSQL 18 database (Harbor v2.15.2 uses 18)') });
    });

    it('fails on a 9.6 cluster in the pre-2.3 layout (database/PG_VERSION), naming the layout', async () => {
      const { db, result } = await withPgVersion('9.6\n');
      expect(result).toEqual({
        check: 'database data',
        status: 'fail',
        detail: `${path.join(db, 'PG_VERSION')} is a PostgreSQL 9.6 cluster in the layout before Harbor v2.3 (directly in data_volume/database/); Harbor's database image since v2.3 refuses to start on it`,
        fix: 'upgrade through the Harbor releases in between (v2.0-2.2 upgrade it to database/pg13), or move the directory aside if that data is not needed',
      });
    });

    it('any cluster directly in database/ fails, whatever its version (the image checks the file, not the number)', async () => {
      expect((await withPgVersion('18\n')).result.status).toBe('fail');
    });

    it('fails on data from a newer PostgreSQL too (pg19)', async () => {
      const result = await withCluster([19]);
      expect(result.status).toBe('fail');
      expect(result.detail).toContain('holds PostgreSQL 19 data left by another Harbor version');
    });

    it('passes pg15: the database image upgrades it on first start', async () => {
      expect(await withCluster([15])).toEqual({
        check: 'database data',
        status: 'pass',
        detail: "existing PostgreSQL 15 database: Harbor v2.15.2's database image upgrades it to 18 on first start (back it up first)",
        fix: '',
      });
    });

    it('passes pg18, the version this release runs; an empty pgNN (an interrupted init) is not a cluster', async () => {
      expect(await withCluster([18])).toEqual({ check: 'database data', status: 'pass', detail: 'existing PostgreSQL 18 database (Harbor v2.15.2 uses 18)', fix: '' });
      const { target } = await scratch.target();
      await mkdir(path.join(target.dataVolume, 'database', 'pg13'), { recursive: true });
      await writeFile(path.join(target.dataVolume, 'database', 'pg13', 'PG_VERSION'), '');
      expect((await dataVolumeCheck.run(stubContext({ target }))).find((r) => r.check === 'database data')).toMatchObject({ status: 'pass', detail: expect.stringContaining('no existing database') });
    });

    it('warns when PG_VERSION cannot be read (a directory of that name)', async () => {
      const { target } = await scratch.target();
      const pg = path.join(target.dataVolume, 'database', 'PG_VERSION');
      await mkdir(pg, { recursive: true });
      const results = await dataVolumeCheck.run(stubContext({ target }));
      expect(results[1]).toEqual({ check: 'database data', status: 'warn', detail: `cannot read ${pg} (EISDIR)`, fix: 'run regctl as root' });
    });

    it('is not looked at with an external database', async () => {
      const { target } = await scratch.target({
        database: undefined,
        external_database: { harbor: { host: 'db.example.com', port: 5432, db_name: 'registry', username: 'harbor', password: 'secret', ssl_mode: 'disable' } },
      });
      expect(target.config.database.external).toBe(true);
      const db = path.join(target.dataVolume, 'database');
      await mkdir(db, { recursive: true });
      await writeFile(path.join(db, 'PG_VERSION'), '9.6\n');
      expect(await dataVolumeCheck.run(stubContext({ target }))).toEqual([
        { check: 'data_volume writable', status: 'pass', detail: `${target.dataVolume} is writable`, fix: '' },
      ]);
    });
  });
});
