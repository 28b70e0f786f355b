/**
 * One harbor.yml schema step (goharbor/harbor make/photon/prepare/migrations/version_X_Y_Z): the
 * changes that turn a file of the previous schema version into one of `version`. Data only; the
 * runner (src/migrate/yml.ts) applies them to the YAML Document, so comments and key order stay.
 *
 * Only what changes a file's meaning or what the target's prepare needs is listed: keys the new
 * release reads with a hard lookup (added with the template's default when absent), renames,
 * removals (each one a warning). A key the new template merely shows with the value prepare
 * defaults to anyway is not added: the file keeps saying only what its author said.
 */
export type StepChange =
  /** added with `value` when absent (a key the target's prepare reads with a hard lookup) */
  | { kind: 'add'; key: string; value: unknown; why: string; model?: string[] }
  /** the value moves to `to` (when `to` is already written, `from` is dropped with a warning) */
  | { kind: 'rename'; from: string; to: string; why: string; model?: string[] }
  /** dropped with a warning naming `why` */
  | { kind: 'remove'; key: string; why: string }
  /** one item dropped from a list */
  | { kind: 'removeItem'; key: string; item: string; why: string; model?: string[] }
  /** `key: H` and `with: P` become `key: H:P` (external_redis.port into external_redis.host, v2.0) */
  | { kind: 'joinPort'; key: string; with: string; why: string; model?: string[] };

export interface MigrationStep {
  /** the schema version this step produces, X.Y.0 */
  version: string;
  changes: StepChange[];
}
