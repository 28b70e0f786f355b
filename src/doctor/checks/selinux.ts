/**
 * SELinux in enforcing mode blocks containers from reading bind-mounted host directories unless
 * they are relabeled; the rendered compose file should mount data_volume (and the log dir) with `:z`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readComposeServices } from '../../docker/compose-file.js';
import { pass, warn, type DoctorCheck } from '../types.js';

export async function selinuxMode(fsRoot = ''): Promise<'enforcing' | 'permissive' | 'disabled'> {
  try {
    const v = (await readFile(`${fsRoot}/sys/fs/selinux/enforce`, 'utf8')).trim();
    return v === '1' ? 'enforcing' : 'permissive';
  } catch {
    return 'disabled';
  }
}

export const selinuxCheck: DoctorCheck = {
  name: 'selinux',
  async run({ target, hostRoot }) {
    const check = 'selinux';
    const mode = await selinuxMode(hostRoot);
    if (mode !== 'enforcing') return [pass(check, mode === 'disabled' ? 'SELinux is not enabled' : 'SELinux is permissive')];
    const fix = 'run `regctl prepare` so every data_volume bind carries :z, and keep data_volume on a filesystem with SELinux labels (not NFS/CIFS)';
    if (!target || !existsSync(target.composeFile)) {
      return [warn(check, 'SELinux is enforcing: bind mounts must be relabeled (:z); the compose file is not rendered yet', fix)];
    }
    let services;
    try {
      services = await readComposeServices(target.composeFile);
    } catch (err) {
      // an unreadable file proves nothing about its binds
      return [warn(check, `SELinux is enforcing and ${target.composeFile} cannot be checked for :z binds: ${(err as Error).message}`, fix)];
    }
    // the compose file names the real paths (--root is not in it); /data must not match /data2
    const under = (source: string, dir: string) => source === dir || source.startsWith(`${dir.replace(/\/+$/, '')}/`);
    const hostDirs = [target.config.dataVolume, target.config.log.local.location];
    const unlabeled = services.flatMap((s) =>
      s.volumes
        .filter((v) => hostDirs.some((d) => under(v.split(':')[0]!, d)) && !/:[^:/]*z[^:/]*$/i.test(v))
        .map((v) => `${s.service}: ${v}`),
    );
    if (unlabeled.length) return [warn(check, `SELinux is enforcing and these binds are not relabeled: ${unlabeled.join('; ')}`, fix)];
    return [pass(check, 'SELinux is enforcing; the compose file relabels data_volume binds with :z')];
  },
};
