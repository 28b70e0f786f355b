/**
 * `regctl install --verify`: once the stack is healthy, run verify against the installed
 * address as admin with harbor.yml's harbor_admin_password. The password goes from the model to
 * the client's stdin in this process; it is never on a command line or in a child's environment.
 */
import { resolveInstallation, type InstallationOptions } from '../installation/installation.js';
import type { ProgressReporter } from '../install/progress.js';
import { openRegistry } from '../registry-client/open.js';
import { parseTarget } from '../registry-client/target.js';
import { runVerify, type VerifyResult } from './run.js';

export async function verifyInstalled(opts: InstallationOptions & { env: NodeJS.ProcessEnv }, progress: ProgressReporter): Promise<VerifyResult> {
  const { target: installation } = await resolveInstallation(opts);
  const { config } = installation;
  // publicUrl is external_url, else protocol://hostname[:port]: what clients put in image names
  const url = new URL(config.publicUrl);
  const target = parseTarget(`${url.protocol === 'http:' ? 'http://' : ''}${url.host}`, { repository: false });
  const credentials = { username: 'admin', password: config.harborAdminPassword, source: 'harbor_admin_password in the config (it applies at the first start only: a password changed in the UI since is not known to regctl)' };
  const { client: api, anchors } = await openRegistry({ target, root: opts.root, credentials });
  return runVerify({ target, api, anchors, credentials, client: 'docker', env: opts.env }, progress);
}
