/**
 * Rows of Harbor's main tables in the registry database, compared between a backup and what a
 * restore or an upgrade hop left. The tables are Harbor's own: harbor_user, project and
 * repository from make/migrations/postgresql/0001_initial_schema.up.sql, artifact from
 * 0010_1.9.0_schema.up.sql (goharbor/harbor at v2.15.2). A table that does not exist (an
 * install whose core never ran its migrations) counts as 'absent', not as an error.
 */
import type { DockerCli } from '../docker/cli.js';
import { psql, type DatabaseTarget } from './db-exec.js';

export const COUNTED_TABLES = ['project', 'repository', 'artifact', 'harbor_user'] as const;

export type RowCounts = Record<string, number | 'absent'>;

/** `target`: Harbor's core database (bundled registry, or external_database.harbor) */
export async function rowCounts(cli: DockerCli, target: DatabaseTarget): Promise<RowCounts> {
  // one statement per table: to_regclass is NULL for a missing table, so nothing fails
  const sql = COUNTED_TABLES.map(
    (t) => `SELECT '${t}', CASE WHEN to_regclass('public.${t}') IS NULL THEN 'absent' ELSE (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM public.${t}', false, true, '')))[1]::text END;`,
  ).join('\n');
  const lines = await psql(cli, target, sql);
  const out: RowCounts = {};
  for (const l of lines) {
    const [table, value] = l.split('\t');
    if (table && value !== undefined && (COUNTED_TABLES as readonly string[]).includes(table)) out[table] = value === 'absent' ? 'absent' : Number(value);
  }
  return out;
}

/** "artifact: 3 in the backup, 2 now" for every table that differs */
export function countDifferences(expected: RowCounts, actual: RowCounts): string[] {
  return COUNTED_TABLES.filter((t) => expected[t] !== actual[t]).map((t) => `${t}: ${expected[t] ?? 'absent'} in the backup, ${actual[t] ?? 'absent'} now`);
}

export function formatCounts(c: RowCounts): string {
  return COUNTED_TABLES.map((t) => `${t} ${c[t] ?? 'absent'}`).join(', ');
}
