/**
 * The bundled PostgreSQL: db/env (the password the image applies when it initialises the cluster)
 * and the data dir. Harbor writes both even with external_database, where they go unused; we do
 * the same so switching back to the bundled DB needs nothing but a config change.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { POSTGRES, ROOT } from '../types.js';
import { toEnvFile } from '../formats.js';

export function dbEnv(ctx: RenderContext): string {
  return toEnvFile([['POSTGRES_PASSWORD', ctx.config.database.password]]);
}

export const dbRenderer: ComponentRenderer = {
  name: 'db',
  render(ctx: RenderContext): RenderedEntry[] {
    return [
      // postgres refuses to start on a data dir readable by others
      { kind: 'dir', root: 'data', path: 'database', mode: 0o700, owner: POSTGRES, contents: 'keep' },
      { kind: 'dir', root: 'install', path: 'common/config/db', mode: 0o755, owner: ROOT, contents: 'managed' },
      { kind: 'file', root: 'install', path: 'common/config/db/env', content: dbEnv(ctx), mode: 0o640, owner: ROOT, secret: true },
    ];
  },
};
