/**
 * The bundled PostgreSQL: db/env (the password the image applies when it initialises the cluster)
 * and the data dir. Harbor writes both even with external_database, where they go unused; we do
 * the same so switching back to the bundled DB needs nothing but a config change.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { POSTGRES, ROOT } from '../types.js';
import { toEnvFile } from '../formats.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { CONFIG } from '../compose/service.js';

export function dbEnv(ctx: RenderContext): string {
  return toEnvFile([['POSTGRES_PASSWORD', ctx.config.database.password]]);
}

/** harbor-db: the bundled PostgreSQL, unless the database is external. */
export const dbService: ComposeServiceSpec = {
  name: 'postgresql',
  containerName: 'harbor-db',
  image: 'postgresql',
  tlsPair: 'harbor_db',
  // 'db' is the service's name before v2.0; Harbor still lists both
  noProxy: ['postgresql', 'db'],
  deployed: ({ config }) => !config.database.external,
  body: ({ config }) => ({
    cap_add: ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID'],
    volumes: [`${config.dataVolume}/database:/var/lib/postgresql/data:z`],
    networkMapping: true,
    env_file: [`${CONFIG}/db/env`],
    depends_on: ['log'],
    // postgres needs more shared memory than Docker's 64m default for parallel queries
    shm_size: '1gb',
  }),
};

export const dbRenderer: ComponentRenderer = {
  name: 'db',
  service: dbService,
  render(ctx: RenderContext): RenderedEntry[] {
    return [
      // postgres refuses to start on a data dir readable by others
      { kind: 'dir', root: 'data', path: 'database', mode: 0o700, owner: POSTGRES, contents: 'keep' },
      { kind: 'dir', root: 'install', path: 'common/config/db', mode: 0o755, owner: ROOT, contents: 'managed' },
      { kind: 'file', root: 'install', path: 'common/config/db/env', content: dbEnv(ctx), mode: 0o640, owner: ROOT, secret: true },
    ];
  },
};
