/**
 * Which databases an installation has and where regctl reaches them (install-databases.ts), from
 * real harbor.yml files through the real loader: bundled, external, and Notary's two external
 * databases on the 2.8 line when the install was rendered --with-notary.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HARBOR_YML_V28_EDITS, makeWorkspace, type Workspace, type YamlEdits } from '../helpers/workspace.js';
import { resolveInstallation } from '../../src/installation/installation.js';
import { coreDatabase, externalDatabases } from '../../src/backup/install-databases.js';
import type { ComposeService } from '../../src/docker/compose-file.js';
import type { InstallationRecord } from '../../src/installation/record.js';

const v28 = HARBOR_YML_V28_EDITS;
const external: YamlEdits = {
  database: undefined,
  external_database: {
    harbor: { host: 'db.example.com', port: 5433, db_name: 'harbor_registry', username: 'harbor', password: 'h#pw', ssl_mode: 'require' },
    notary_signer: { host: 'db.example.com', port: 5432, db_name: 'notarysigner', username: 'signer', password: 'sig#pw', ssl_mode: 'disable' },
    notary_server: { host: 'db2.example.com', port: 5432, db_name: 'notaryserver', username: 'server', password: 'srv@pw', ssl_mode: 'disable' },
  },
};
const services = [{ service: 'core', image: 'mirror.local/harbor/harbor-core:v2.8.6', containerName: 'harbor-core' }, { service: 'postgresql', image: 'mirror.local/harbor/harbor-db:v2.8.6', containerName: 'my-db' }] as ComposeService[];

describe('the databases of an installation', () => {
  let ws: Workspace | undefined;
  afterEach(() => ws?.cleanup());
  const target = async (edits: YamlEdits, harborVersion: string, withNotary = false) => {
    ws = makeWorkspace(edits);
    const { target: t } = await resolveInstallation({ cwd: ws.dir, configPath: ws.configPath, installDir: ws.installDir, harborVersion, withNotary });
    return { ...t, record: { harborVersion: t.release.version, withTrivy: false, withNotary } as InstallationRecord };
  };

  it('bundled: none external; core reads harbor-db (the container the compose file names) database registry', async () => {
    const t = await target({}, '2.15.2');
    expect(externalDatabases(t, services)).toEqual([]);
    expect(coreDatabase(t, services)).toEqual({ kind: 'bundled', container: 'my-db', database: 'registry' });
  });

  it('external on 2.15: external_database.harbor, reached with the stack\'s image prefix', async () => {
    const t = await target({ database: undefined, external_database: { harbor: (external.external_database as Record<string, unknown>).harbor } }, '2.15.2');
    const got = externalDatabases(t, [{ ...services[0]!, image: 'mirror.local/harbor/harbor-core:v2.15.2' }]);
    expect(got.map((e) => [e.name, e.key, e.target.image, e.target.endpoint.host, e.target.endpoint.port, e.target.endpoint.dbName, e.target.endpoint.sslMode])).toEqual([['registry', 'external_database.harbor', 'mirror.local/harbor/harbor-db:v2.15.2', 'db.example.com', 5433, 'harbor_registry', 'require']]);
    expect(coreDatabase(t, services)).toEqual(got[0]!.target);
  });

  it("2.8 with Notary: Harbor's and both of Notary's, each with its own endpoint; without --with-notary only Harbor's", async () => {
    const withNotary = await target({ ...v28, ...external }, '2.8.6', true);
    expect(externalDatabases(withNotary, services).map((e) => `${e.name} ${e.key} ${e.target.endpoint.username}@${e.target.endpoint.host}/${e.target.endpoint.dbName}`)).toEqual([
      'registry external_database.harbor harbor@db.example.com/harbor_registry',
      'notaryserver external_database.notary_server server@db2.example.com/notaryserver',
      'notarysigner external_database.notary_signer signer@db.example.com/notarysigner',
    ]);
    const without = await target({ ...v28, ...external }, '2.8.6', false);
    expect(externalDatabases(without, services).map((e) => e.name)).toEqual(['registry']);
  });
});
