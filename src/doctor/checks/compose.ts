/** Which compose regctl will drive, its version and absolute path, or "install compose". */
import { describeCompose } from '../../docker/compose.js';
import { pass, fail, type DoctorCheck } from '../types.js';

export const composeCheck: DoctorCheck = {
  name: 'compose',
  async run({ compose }) {
    if (!compose.ok) return [fail('compose', compose.message, compose.fix)];
    return [pass('compose', `${describeCompose(compose.tool)}, ${compose.tool.why}`)];
  },
};
