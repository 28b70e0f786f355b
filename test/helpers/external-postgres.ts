/**
 * A real PostgreSQL server standing for an operator's external database: Debian's PostgreSQL 15
 * in a container of the test harbor-db image, on the host's network at a free port (PGPORT), so
 * the host and every container reach it at the host's addresses as they would a database server
 * elsewhere. Its superuser password goes in through an env file, never a command line.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { unmanagedTempDir } from './tmp.js';

export interface ExternalPostgres {
  name: string;
  port: number;
  /** psql as the superuser, inside the server's container; returns stdout (-At) */
  admin(sql: string, database?: string): Promise<string>;
  /** psql as `user` over TCP, inside the server's container */
  as(user: string, password: string, database: string, sql: string): Promise<string>;
  stop(): Promise<void>;
}

const PSQL = 'exec "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" "$@"';

export async function startExternalPostgres(image: string, port: number): Promise<ExternalPostgres> {
  const name = `regctl-test-extpg-${randomBytes(4).toString('hex')}`;
  const dir = await unmanagedTempDir('regctl-extpg');
  const rootPassword = `R${randomBytes(10).toString('hex')}`;
  const envFile = path.join(dir, 'env');
  await fs.writeFile(envFile, `POSTGRES_PASSWORD=${rootPassword}\nPGPORT=${port}\n`, { mode: 0o600 });
  try {
    await execa('docker', ['run', '-d', '--name', name, '--label', 'regctl-test=external-postgres', '--network', 'host', '--env-file', envFile, image]);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  // the superuser's password is in the server container's environment (POSTGRES_PASSWORD)
  const adminInContainer = (sql: string, database = 'postgres') =>
    execa('docker', ['exec', '-i', name, 'sh', '-c', 'PGPASSWORD="$POSTGRES_PASSWORD" exec "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$1"', 'sh', database], { input: sql }).then((r) => r.stdout.trim());
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await adminInContainer('SELECT 1;').then(() => true, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      const logs = await execa('docker', ['logs', name], { reject: false });
      throw new Error(`external PostgreSQL ${name} did not start: ${logs.stdout}${logs.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    name,
    port,
    admin: adminInContainer,
    // the user's password through the exec's environment (a test fixture, not regctl)
    as: (user, password, database, sql) =>
      execa('docker', ['exec', '-i', '-e', 'PGPASSWORD', name, 'sh', '-c', PSQL, 'sh', '-U', user, '-d', database], { input: sql, env: { PGPASSWORD: password } }).then((r) => r.stdout.trim()),
    stop: async () => {
      await execa('docker', ['rm', '-f', name], { reject: false });
    },
  };
}
