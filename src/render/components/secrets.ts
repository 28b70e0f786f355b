/**
 * The persisted secrets under data_volume/secret/: Harbor's secretkey and token-signing pair, and
 * regctl's own file of the values Harbor would regenerate on every run.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { SECRET_PATHS } from '../../secrets/store.js';

export const secretsRenderer: ComponentRenderer = {
  name: 'secrets',
  render({ secrets }: RenderContext): RenderedEntry[] {
    const kept = {
      coreSecret: secrets.coreSecret,
      jobserviceSecret: secrets.jobserviceSecret,
      registryPassword: secrets.registryPassword,
      registryHtpasswd: secrets.registryHtpasswd,
      csrfKey: secrets.csrfKey,
      robotScannerNamePrefix: secrets.robotScannerNamePrefix,
    };
    return [
      { kind: 'dir', root: 'data', path: 'secret', mode: 0o755, owner: ROOT, contents: 'keep' },
      { kind: 'dir', root: 'data', path: 'secret/keys', mode: 0o755, owner: ROOT, contents: 'keep' },
      { kind: 'dir', root: 'data', path: 'secret/core', mode: 0o755, owner: ROOT, contents: 'keep' },
      { kind: 'dir', root: 'data', path: 'secret/registry', mode: 0o755, owner: ROOT, contents: 'keep' },
      { kind: 'dir', root: 'data', path: 'secret/regctl', mode: 0o700, owner: ROOT, contents: 'keep' },
      { kind: 'file', root: 'data', path: SECRET_PATHS.secretKey, content: secrets.secretKey, mode: 0o600, owner: HARBOR, secret: true },
      { kind: 'file', root: 'data', path: SECRET_PATHS.tokenKey, content: secrets.tokenPrivateKeyPem, mode: 0o600, owner: HARBOR, secret: true },
      { kind: 'file', root: 'data', path: SECRET_PATHS.tokenCert, content: secrets.tokenRootCertPem, mode: 0o600, owner: HARBOR },
      { kind: 'file', root: 'data', path: SECRET_PATHS.kept, content: JSON.stringify(kept, null, 2) + '\n', mode: 0o600, owner: ROOT, secret: true },
    ];
  },
};
