/**
 * The database: db_password always, db_host/db_port/db_user (1.3+) for an external one. Up to 1.5
 * the bundled database was MySQL, from 1.6 PostgreSQL; Harbor v2.15 only works with PostgreSQL.
 */
import { isAtMost } from '../version.js';
import { parseLegacyInt } from '../values.js';
import type { CfgEntry } from '../parse.js';
import type { LegacyContext, LegacyRule } from './context.js';

function mysqlEra(ctx: LegacyContext): boolean {
  return isAtMost(ctx.version.version, '1.5');
}

const password: LegacyRule = {
  name: 'db_password',
  reads: ['db_password'],
  writes: ['database.password'],
  apply(ctx) {
    const entry = ctx.entry('db_password');
    if (entry) ctx.set('database.password', entry.value, entry);
  },
};

const externalDatabase: LegacyRule = {
  name: 'external database',
  reads: ['db_host', 'db_port', 'db_user'],
  consults: ['db_password'],
  writes: ['external_database.harbor.*'],
  apply(ctx) {
    const host = ctx.entry('db_host');
    if (!host || host.value === '') return;
    const port = ctx.entry('db_port');
    const internal = mysqlEra(ctx) ? host.value === 'mysql' : host.value === 'postgresql' && (!port || port.value === '' || port.value === '5432');
    if (internal) warnIgnoredForBundled(ctx, host);
    else if (mysqlEra(ctx)) refuseExternalMysql(ctx, host);
    else mapExternalPostgres(ctx, host);
  },
};

function warnIgnoredForBundled(ctx: LegacyContext, host: CfgEntry): void {
  const [defaultUser, defaultPort] = mysqlEra(ctx) ? ['root', '3306'] : ['postgres', '5432'];
  for (const [entry, expected] of [[ctx.entry('db_user'), defaultUser], [ctx.entry('db_port'), defaultPort]] as const) {
    if (entry && entry.value !== '' && entry.value !== expected) {
      ctx.warn(
        'W_CFG_IGNORED_VALUE',
        `${entry.key} = ${JSON.stringify(entry.value)} is ignored: db_host ${host.value} is the bundled database, which Harbor v2.15 runs as PostgreSQL with user postgres on port 5432`,
        'Delete the line, or point db_host at your own PostgreSQL server to use an external database.',
        entry,
      );
    }
  }
}

function refuseExternalMysql(ctx: LegacyContext, host: CfgEntry): void {
  ctx.error(
    'E_CFG_EXTERNAL_MYSQL',
    `db_host = ${JSON.stringify(host.value)} is an external MySQL database (Harbor ${ctx.version.version} used MySQL); Harbor v2.15 only works with PostgreSQL`,
    'Migrate the data to PostgreSQL with the official harbor-migrator first, then set db_host, db_port and db_user to the PostgreSQL server; or set db_host = mysql to use the bundled database.',
    host,
    'external_database.harbor.host',
  );
}

function mapExternalPostgres(ctx: LegacyContext, host: CfgEntry): void {
  const port = ctx.entry('db_port');
  const user = ctx.entry('db_user');
  const dbPassword = ctx.entry('db_password');
  let portNumber = 5432;
  if (port && port.value !== '') {
    const n = parseLegacyInt(port.value);
    if (n === undefined) {
      ctx.error('E_CFG_NOT_INTEGER', `db_port = ${JSON.stringify(port.value)} is not a port number`, 'Set db_port to the PostgreSQL port, e.g. 5432.', port, 'external_database.harbor.port');
    } else {
      portNumber = n;
    }
  }
  ctx.set('external_database.harbor.host', host.value, host);
  ctx.set('external_database.harbor.port', portNumber, port ?? host);
  ctx.set('external_database.harbor.db_name', 'registry', host);
  ctx.set('external_database.harbor.username', user?.value || 'postgres', user ?? host);
  ctx.set('external_database.harbor.password', dbPassword?.value ?? '', dbPassword ?? host);
  ctx.set('external_database.harbor.ssl_mode', 'disable', host);
  ctx.origin('external_database', [host]);
}

const mysqlData: LegacyRule = {
  name: 'MySQL-era data',
  reads: [],
  consults: ['db_host', 'db_password'],
  writes: [],
  note: "a MySQL-era data_volume/database cannot be used by v2.15's PostgreSQL",
  apply(ctx) {
    if (!mysqlEra(ctx)) return;
    ctx.warn(
      'W_CFG_MYSQL_DATA',
      `this harbor.cfg is from Harbor ${ctx.version.version}, whose database was MySQL; Harbor v2.15's PostgreSQL cannot use that database (data_volume/database), and the db_password value is now the PostgreSQL password`,
      'For a fresh install, use an empty data_volume. To keep projects, users and images, upgrade the old Harbor step by step with the official migrator (MySQL → PostgreSQL happened in v1.6) before switching to regctl.',
      ctx.entry('db_host') ?? ctx.entry('db_password') ?? ctx.version.evidence,
      'database',
    );
  },
};

export const DATABASE_RULES: readonly LegacyRule[] = [password, externalDatabase, mysqlData];
