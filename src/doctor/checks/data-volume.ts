/**
 * data_volume must be writable, and must not hold a database from a Harbor release this one cannot
 * start on (PostgreSQL data is tied to its major version; PG_VERSION says which).
 */
import { promises as fs, constants } from 'node:fs';
import path from 'node:path';
import { existingAncestor } from './disk-space.js';
import { pass, fail, warn, type CheckResult, type DoctorCheck, } from '../types.js';
import type { Installation } from '../../installation/installation.js';

async function writable(target: Installation): Promise<CheckResult> {
  const check = 'data_volume writable';
  const dir = target.dataVolume;
  const at = await existingAncestor(dir);
  // statfs succeeds on a file too: /srv/notes.txt/data would otherwise pass as "will be created"
  const st = await fs.stat(at).catch(() => undefined);
  if (st && !st.isDirectory()) {
    return fail(check, `${at}${at === dir ? '' : ` (on the way to ${dir})`} is a file, not a directory`, 'point data_volume at a directory, or move the file away');
  }
  try {
    await fs.access(at, constants.W_OK);
    if (at === dir) {
      // access() ignores read-only mounts: really create (and remove) a file
      const probe = path.join(dir, `.regctl-write-test-${process.pid}`);
      await fs.writeFile(probe, '');
      await fs.rm(probe, { force: true });
      return pass(check, `${dir} is writable`);
    }
    return pass(check, `${dir} does not exist yet; ${at} is writable, prepare will create it`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(
      check,
      `${at === dir ? dir : `${at} (parent of ${dir})`} is not writable (${code})`,
      code === 'EROFS' ? 'data_volume is on a read-only filesystem: point data_volume at a writable disk' : 'run regctl as root, or choose a data_volume this user can write',
    );
  }
}

/**
 * The cluster an earlier harbor-db left, as Harbor's image sees it (make/photon/db/
 * docker-entrypoint.sh at v2.15.2): data_volume/database/pgNN/ holding a non-empty PG_VERSION is
 * PostgreSQL NN, the image decides by that directory name; the newest one is current. Before
 * v2.3 the cluster sat in data_volume/database/ itself (PostgreSQL 9.6), which today's image
 * refuses to start on.
 */
async function currentCluster(databaseDir: string): Promise<{ file: string; major?: number; legacyLayout?: boolean }> {
  const names = await fs.readdir(databaseDir).catch(() => [] as string[]);
  const majors = names.map((n) => /^pg(\d+)$/.exec(n)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
  for (const major of majors.sort((a, b) => b - a)) {
    const file = path.join(databaseDir, `pg${major}`, 'PG_VERSION');
    if (await fs.stat(file).then((s) => s.isFile() && s.size > 0, () => false)) return { file, major };
  }
  return { file: path.join(databaseDir, 'PG_VERSION'), legacyLayout: true };
}

async function leftoverDatabase(target: Installation): Promise<CheckResult | undefined> {
  const check = 'database data';
  const db = target.release.database;
  const cluster = await currentCluster(path.join(target.dataVolume, 'database'));
  let written: string;
  if (cluster.major !== undefined) written = String(cluster.major);
  else {
    try {
      written = (await fs.readFile(cluster.file, 'utf8')).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return pass(check, 'no existing database in data_volume (a new one will be created)');
      return warn(check, `cannot read ${cluster.file} (${code})`, 'run regctl as root');
    }
  }
  // PG_VERSION holds the major version: "15", or "9.6" before PostgreSQL 10
  const major = Number(written.split('.')[0]) >= 10 ? Number(written.split('.')[0]) : Number(written);
  if (cluster.legacyLayout) {
    return fail(
      check,
      `${cluster.file} is a PostgreSQL ${written} cluster in the layout before Harbor v2.3 (directly in data_volume/database/); Harbor's database image since v2.3 refuses to start on it`,
      'upgrade through the Harbor releases in between (v2.0-2.2 upgrade it to database/pg13), or move the directory aside if that data is not needed',
    );
  }
  if (!db) return pass(check, `existing PostgreSQL ${written} database`);
  if (major === db.postgresMajor) return pass(check, `existing PostgreSQL ${major} database (Harbor ${target.release.version} uses ${db.postgresMajor})`);
  if (db.upgradesFrom.includes(major)) {
    return pass(check, `existing PostgreSQL ${major} database: Harbor ${target.release.version}'s database image upgrades it to ${db.postgresMajor} on first start (back it up first)`);
  }
  return fail(
    check,
    `${path.join(target.dataVolume, 'database')} holds PostgreSQL ${written} data left by another Harbor version; Harbor ${target.release.version} runs PostgreSQL ${db.postgresMajor} and upgrades only from ${db.upgradesFrom.join(', ') || 'none'}`,
    'upgrade through the intermediate Harbor releases, or move the directory aside if that data is not needed',
  );
}

export const dataVolumeCheck: DoctorCheck = {
  name: 'data_volume',
  async run({ target }) {
    if (!target) return [];
    const results = [await writable(target)];
    const db = target.config.database.external ? undefined : await leftoverDatabase(target);
    if (db) results.push(db);
    return results;
  },
};
