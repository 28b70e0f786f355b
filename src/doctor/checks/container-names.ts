/**
 * Harbor's compose file gives containers fixed names (nginx, redis, registry, harbor-core...).
 * A container with one of those names that belongs to another compose project, or to none, makes
 * `compose up` fail with "Conflict. The container name ... is already in use".
 */
import { existsSync } from 'node:fs';
import { readComposeServices } from '../../docker/compose-file.js';
import { inspectContainers } from '../../docker/containers.js';
import { pass, warn, fail, type DoctorCheck } from '../types.js';
// the names Harbor gives its containers, for when the compose file is not rendered yet
import { HARBOR_CONTAINER_NAMES } from '../../render/components/index.js';


export const containerNamesCheck: DoctorCheck = {
  name: 'container names',
  async run({ target, engine }) {
    if (!target) return [];
    const check = 'container names';
    if (!engine.ok) return [warn(check, 'not checked: the Docker engine is not reachable', 'fix the docker engine check first')];
    let names: readonly string[] = HARBOR_CONTAINER_NAMES;
    if (existsSync(target.composeFile)) {
      const fromFile = (await readComposeServices(target.composeFile).catch(() => [])).map((s) => s.containerName).filter(Boolean);
      if (fromFile.length) names = fromFile;
    }
    const existing = await inspectContainers(engine.info.cli, [...names]);
    const foreign = existing.filter((c) => c.project !== target.projectName);
    if (!foreign.length) {
      const ours = existing.length ? ` (${existing.length} belong to this install, project ${target.projectName})` : '';
      return [pass(check, `no other container uses Harbor's names${ours}`)];
    }
    return foreign.map((c) =>
      fail(
        `container name ${c.name}`,
        `a container named ${c.name} (image ${c.image}, ${c.status}) already exists and belongs to ${c.project ? `compose project "${c.project}"${c.workingDir ? ` in ${c.workingDir}` : ''}` : 'no compose project'}`,
        c.project && c.workingDir
          ? `stop that stack first (docker compose down in ${c.workingDir}), or remove the container: docker rm -f ${c.name}`
          : `remove or rename it: docker rm -f ${c.name} (or docker rename ${c.name} ${c.name}-old)`,
      ),
    );
  },
};
