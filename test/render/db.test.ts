/** db/env and the database data dir (goharbor/harbor make/photon/prepare at v2.15.2). */
import { describe, it, expect } from 'vitest';
import { dbRenderer } from '../../src/render/components/db.js';
import { POSTGRES, ROOT } from '../../src/render/types.js';
import { baseModel, ctxOf, envLines, fileAt } from './fixtures/model-r2.js';

describe('db renderer', () => {
  it('db/env holds only POSTGRES_PASSWORD, 0640 root', () => {
    const f = fileAt(dbRenderer.render(ctxOf(baseModel())), 'common/config/db/env');
    expect(envLines(f.content)).toEqual(['POSTGRES_PASSWORD=root123']);
    expect([f.mode, f.owner, f.secret]).toEqual([0o640, ROOT, true]);
  });

  it('data dir database: 0700 postgres, created even with an external database', () => {
    const m = baseModel();
    m.database = { ...m.database, external: true, host: 'pg.corp', password: 'ext pass#1' };
    const entries = dbRenderer.render(ctxOf(m));
    expect(entries).toContainEqual({ kind: 'dir', root: 'data', path: 'database', mode: 0o700, owner: POSTGRES, contents: 'keep' });
    // Harbor writes the effective (external) password here too; the file is unused then.
    expect(envLines(fileAt(entries, 'common/config/db/env').content)).toEqual(['POSTGRES_PASSWORD=ext pass#1']);
  });
});
