/**
 * The engine answers, and how we reached it; its version (Harbor documents 20.10.10 as the
 * minimum, although install.sh only enforces 17.06).
 */
import { parseVersion, compareVersions, type Version } from '../../docker/version.js';
import { pass, warn, fail, type DoctorCheck } from '../types.js';

export const MIN_ENGINE: Version = [20, 10, 10];

export const engineCheck: DoctorCheck = {
  name: 'docker engine',
  async run({ engine }) {
    if (!engine.ok) {
      if (engine.code === 'E_DOCKER_CLI_MISSING') return [fail('docker engine', 'not checked: no docker CLI', engine.fix)];
      return [fail('docker engine', engine.message, engine.fix)];
    }
    const { serverVersion, endpoint } = engine.info;
    const via = `${endpoint.url}${endpoint.source === 'DOCKER_HOST' ? ' (DOCKER_HOST)' : ''}`;
    const v = parseVersion(serverVersion);
    if (!v || compareVersions(v, MIN_ENGINE) < 0) {
      return [warn('docker engine', `Docker Engine ${serverVersion} at ${via}; Harbor is tested with 20.10.10 or newer`, 'upgrade Docker Engine to 20.10.10 or newer')];
    }
    return [pass('docker engine', `Docker Engine ${serverVersion}, reachable at ${via}`)];
  },
};
