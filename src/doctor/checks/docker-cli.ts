/** The docker command is installed (and which one: its absolute path and client version). */
import { pass, fail, type DoctorCheck } from '../types.js';

export const dockerCliCheck: DoctorCheck = {
  name: 'docker cli',
  async run({ engine }) {
    if (engine.ok) return [pass('docker cli', `${engine.info.cli.bin}, client ${engine.info.clientVersion}`)];
    if (engine.code === 'E_DOCKER_CLI_MISSING') return [fail('docker cli', engine.message, engine.fix)];
    return [pass('docker cli', `${engine.cli?.bin ?? 'docker'}, client ${engine.clientVersion ?? 'unknown'}`)];
  },
};
