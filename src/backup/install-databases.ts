/**
 * Which PostgreSQL databases an installation keeps its state in, and how regctl reaches each:
 * harbor-db's (registry, and Notary's two on the 2.8 line) or the ones external_database in
 * harbor.yml names (harbor, and notary_server / notary_signer for --with-notary on 2.8).
 *
 * An external database is reached from a throwaway container of the release's harbor-db image
 * (db-exec.ts), named with the same prefix as the stack's own images, so an install rendered with
 * --image-prefix finds it where it found the others. Harbor's offline bundle always holds it.
 */
import { ExitCode, RegctlError } from '../errors.js';
import type { DockerCli } from '../docker/cli.js';
import { imagePresent } from '../docker/images.js';
import type { DatabaseEndpoint } from '../config/model.js';
import type { Installation } from '../installation/installation.js';
import type { ComposeService } from '../docker/compose-file.js';
import { imageRef } from '../releases/types.js';
import { describeTarget, tryPsql, type DatabaseTarget, type ExternalDatabase } from './db-exec.js';

export type HarborDatabaseName = 'registry' | 'notaryserver' | 'notarysigner';

export interface ExternalDatabaseEntry {
  /** the name its dump has in a backup: Harbor's name for the bundled equivalent */
  name: HarborDatabaseName;
  /** where harbor.yml configures it, for messages */
  key: string;
  target: ExternalDatabase;
}

/** The prefix of the stack's images ('goharbor', or --image-prefix), read from any service that has one. */
export function imagePrefixOf(services: ComposeService[], fallback: string): string {
  const image = services.find((s) => /\/[^/]+:[^/]+$/.test(s.image))?.image;
  return image ? image.slice(0, image.lastIndexOf('/')) : fallback;
}

/** The external databases of an installation, in backup order; [] with the bundled database. */
export function externalDatabases(target: Installation, services: ComposeService[]): ExternalDatabaseEntry[] {
  const { config, release } = target;
  if (!config.database.external) return [];
  const image = imageRef(release, 'postgresql', imagePrefixOf(services, release.imagePrefix));
  const entry = (name: HarborDatabaseName, key: string, endpoint: DatabaseEndpoint): ExternalDatabaseEntry => ({ name, key, target: { kind: 'external', image, endpoint } });
  const d = config.database;
  const out = [entry('registry', 'external_database.harbor', { host: d.host, port: d.port, dbName: d.dbName, username: d.username, password: d.password, sslMode: d.sslMode })];
  const notary = target.record?.withNotary ? config.notaryDatabases : undefined;
  if (notary?.server) out.push(entry('notaryserver', 'external_database.notary_server', notary.server));
  if (notary?.signer) out.push(entry('notarysigner', 'external_database.notary_signer', notary.signer));
  return out;
}

/** Harbor core's database: harbor-db's `registry`, or external_database.harbor */
export function coreDatabase(target: Installation, services: ComposeService[]): DatabaseTarget {
  const external = externalDatabases(target, services)[0];
  if (external) return external.target;
  return { kind: 'bundled', container: services.find((s) => s.service === 'postgresql')?.containerName || 'harbor-db', database: 'registry' };
}

export async function requireClientImage(cli: DockerCli, entries: ExternalDatabaseEntry[]): Promise<void> {
  const image = entries[0]?.target.image;
  if (!image || (await imagePresent(cli, image))) return;
  throw new RegctlError('E_DB_CLIENT_IMAGE', `${image} is not present locally: regctl runs pg_dump and pg_restore for the external database in the release's harbor-db image`, {
    exitCode: ExitCode.failure,
    fix: `load Harbor's offline bundle (docker load -i harbor-offline-installer's harbor.${entries[0]!.target.image.split(':').pop()}.tar.gz), or pull ${image} on a connected host; nothing was changed`,
  });
}

export type Reachability = { reachable: true } | { reachable: false; reason: string };

/**
 * Does the server answer? A refused, timed-out or unresolvable connection is "not reachable"
 * (backup says so and goes on); a server that answers and refuses us (a wrong password, no such
 * database) is an error: harbor.yml is wrong, and Harbor itself could not start either.
 */
export async function probeExternal(cli: DockerCli, entry: ExternalDatabaseEntry): Promise<Reachability> {
  const r = await tryPsql(cli, entry.target, 'SELECT 1;');
  if (r.ok) return { reachable: true };
  // libpq: 'connection to server at "h" (a), port p failed: FATAL:  password authentication failed for user "u"'
  const fatal = /FATAL:\s*(.*)$/.exec(r.error);
  if (!fatal) return { reachable: false, reason: r.error };
  throw new RegctlError('E_DB_REFUSED', `${describeTarget(entry.target)} (${entry.key} in harbor.yml) answers but refuses regctl: ${fatal[1]}`, {
    exitCode: ExitCode.invalidInput,
    fix: `correct ${entry.key} (host, port, db_name, username, password) in harbor.yml: Harbor connects with the same values; nothing was changed`,
  });
}
