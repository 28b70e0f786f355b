/**
 * data_volume must be writable, and must not hold a database from a Harbor release this one cannot
 * start on (PostgreSQL data is tied to its major version; PG_VERSION says which).
 */
import { promises as fs, constants } from 'node:fs';
import path from 'node:path';
import { existingAncestor } from './disk-space.js';
import { pass, fail, warn, type CheckResult, type DoctorCheck, } from '../types.js';
import type { Installation } from '../../installation/installation.js';
import { readDatabaseLayout } from '../../installation/database-layout.js';
import { RegctlError } from '../../errors.js';

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

const LEGACY_FIX = 'upgrade through the Harbor releases in between (v2.0-2.2 upgrade it to database/pg13), or move the directory aside if that data is not needed';

/**
 * The cluster an earlier harbor-db left, as Harbor's image sees it (make/photon/db/
 * docker-entrypoint.sh at v2.15.2, read by src/installation/database-layout.ts): any cluster
 * directly in database/ is refused; otherwise the newest pgNN with a PG_VERSION is PostgreSQL NN,
 * by that directory name, as the image decides.
 */
async function leftoverDatabase(target: Installation): Promise<CheckResult | undefined> {
  const check = 'database data';
  const db = target.release.database;
  let layout;
  try {
    layout = await readDatabaseLayout(target.dataVolume);
  } catch (err) {
    if (err instanceof RegctlError) return warn(check, err.message, 'run regctl as root');
    throw err;
  }
  if (layout.legacy) {
    return fail(
      check,
      `${layout.legacy.versionFile} is a PostgreSQL ${layout.legacy.written} cluster in the layout before Harbor v2.3 (directly in data_volume/database/); Harbor's database image since v2.3 refuses to start on it`,
      LEGACY_FIX,
    );
  }
  const current = layout.clusters[0];
  if (!current) return pass(check, 'no existing database in data_volume (a new one will be created)');
  const major = current.major;
  if (!db) return pass(check, `existing PostgreSQL ${major} database`);
  if (major === db.postgresMajor) return pass(check, `existing PostgreSQL ${major} database (Harbor ${target.release.version} uses ${db.postgresMajor})`);
  if (db.upgradesFrom.includes(major)) {
    return pass(check, `existing PostgreSQL ${major} database: Harbor ${target.release.version}'s database image upgrades it to ${db.postgresMajor} on first start (back it up first)`);
  }
  return fail(
    check,
    `${layout.databaseDir} holds PostgreSQL ${major} data left by another Harbor version; Harbor ${target.release.version} runs PostgreSQL ${db.postgresMajor} and upgrades only from ${db.upgradesFrom.join(', ') || 'none'}`,
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
