/**
 * The preflight checks of the registry profile, as entries of the same doctor list Harbor's use:
 * Docker's CLI, engine and compose as they are, then what one distribution container needs: its
 * port free (or held by this very project), space and write access for the blob store, the
 * htpasswd file, and the TLS certificate covering the hostname. Harbor-only checks (container
 * names, data_volume, the syslog driver's localhost, SELinux labels on Harbor's binds) are left
 * out: the profile has none of those.
 *
 * `regctl doctor --profile registry` runs them all; `install --profile registry` runs them before
 * the certificate step, so without the certificate check (--generate-certs may be about to make it).
 */
import { existsSync } from 'node:fs';
import { promises as fs, constants } from 'node:fs';
import path from 'node:path';
import { dockerCliCheck } from '../doctor/checks/docker-cli.js';
import { engineCheck } from '../doctor/checks/engine.js';
import { composeCheck } from '../doctor/checks/compose.js';
import { checkPort } from '../doctor/checks/ports.js';
import { existingAncestor, spaceAt } from '../doctor/checks/disk-space.js';
import { pass, warn, fail, type CheckResult, type DoctorCheck } from '../doctor/types.js';
import { underRoot } from '../util/root.js';
import type { RegistryProfileConfig } from './model.js';

export interface RegistryDoctorSubject {
  config: RegistryProfileConfig;
  /** --root: the host paths of registry.yml live under it */
  root?: string;
  /** the install dir (real path): --generate-certs keeps its CA in <install dir>/ca */
  installDir: string;
}

function portCheck(s: RegistryDoctorSubject): DoctorCheck {
  return {
    name: 'ports',
    run: async (ctx) => [await checkPort({ host: '0.0.0.0', port: s.config.port, purpose: s.config.tls ? 'https' : 'http', key: 'port' }, ctx)],
  };
}

function storageCheck(s: RegistryDoctorSubject): DoctorCheck {
  return {
    name: 'storage',
    async run(ctx) {
      const dir = underRoot(s.root, s.config.storageDir);
      const results: CheckResult[] = [await spaceAt('disk space (storage)', 'the blob store', dir)];
      if (ctx.engine.ok) results.push(await spaceAt('disk space (docker root)', "Docker's root dir", ctx.engine.info.rootDir));
      const at = await existingAncestor(dir);
      const ok = await fs.access(at, constants.W_OK).then(() => true, () => false);
      results.push(
        ok
          ? pass('storage writable', at === dir ? `${dir} is writable` : `${dir} does not exist yet; ${at} is writable, install creates it`)
          : fail('storage writable', `${at === dir ? dir : `${at} (parent of ${dir})`} is not writable`, 'run regctl as root, or set storage.directory in registry.yml to a writable place'),
      );
      return results;
    },
  };
}

function usersCheck(s: RegistryDoctorSubject): DoctorCheck {
  return {
    name: 'users',
    async run() {
      const file = underRoot(s.root, s.config.htpasswd);
      if (!existsSync(file)) {
        return [fail('htpasswd users', `${file} (auth.htpasswd) does not exist: the registry would have no users`, `add one: regctl registry user add USER --htpasswd ${s.config.htpasswd}`)];
      }
      const users = (await fs.readFile(file, 'utf8')).split('\n').filter((l) => /^[^#\s][^:]*:/.test(l)).length;
      if (!users) return [fail('htpasswd users', `${file} holds no user`, `add one: regctl registry user add USER --htpasswd ${s.config.htpasswd}`)];
      return [pass('htpasswd users', `${users} user${users === 1 ? '' : 's'} in ${file}`)];
    },
  };
}

function certificateCheck(s: RegistryDoctorSubject): DoctorCheck {
  return {
    name: 'certificate',
    async run({ now }) {
      const check = 'tls certificate';
      const tls = s.config.tls;
      if (!tls) return [warn(check, 'not used: the registry is served over plain HTTP (--insecure)', 'clients must list it as an insecure registry; prefer TLS (regctl install --profile registry --generate-certs)')];
      const cert = underRoot(s.root, tls.certificate);
      if (!existsSync(cert)) {
        return [fail(check, `${cert} (tls.certificate) does not exist`, 'let regctl make a CA and certificate: regctl install --profile registry --generate-certs, or point tls.certificate and tls.private_key at yours')];
      }
      const { inspectCertificate } = await import('../cert/lint.js');
      // the CA install --generate-certs made, when there is one: the chain then ends at a known root
      const generatedCa = path.join(s.installDir, 'ca', 'ca.crt');
      const report = await inspectCertificate({ cert, key: underRoot(s.root, tls.privateKey), ca: existsSync(generatedCa) ? generatedCa : undefined, hosts: [s.config.hostname], now });
      const results = report.findings.map((f) => (f.severity === 'error' ? fail(check, `${cert}: ${f.message} [${f.code}]`, f.fix) : warn(check, `${cert}: ${f.message} [${f.code}]`, f.fix)));
      if (results.length) return results;
      const days = report.leaf ? Math.floor((report.leaf.notAfter.getTime() - now.getTime()) / 86_400_000) : undefined;
      return [pass(check, `${path.basename(cert)} covers ${s.config.hostname}${days === undefined ? '' : `; valid for ${days} more days`}`)];
    },
  };
}

/** Every check of `regctl doctor --profile registry`, in order. */
export function registryDoctorChecks(s: RegistryDoctorSubject): DoctorCheck[] {
  return [dockerCliCheck, engineCheck, composeCheck, portCheck(s), storageCheck(s), usersCheck(s), certificateCheck(s)];
}

/** What install checks before it makes certificates and renders (users are checked after certs, as before). */
export function registryInstallChecks(s: RegistryDoctorSubject): DoctorCheck[] {
  return [dockerCliCheck, engineCheck, composeCheck, portCheck(s), storageCheck(s)];
}
