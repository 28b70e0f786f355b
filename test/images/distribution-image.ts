/**
 * A stand-in for distribution's `registry:2` image for the registry profile's e2e tests: Debian's
 * docker-registry binary (distribution 2.8) in a rootfs made by `docker import` (no pulls), laid
 * out like the real image: config at /etc/docker/registry/config.yml, storage /var/lib/registry,
 * runs as root, busybox wget for the healthcheck regctl renders. Built once, reused while the
 * binary is unchanged (label regctl.inputs = its size and mtime).
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { RootfsBuilder } from './rootfs.js';
import { acquireLock } from './lock.js';
import { TEST_IMAGE_PREFIX } from './image-set.js';

export const DISTRIBUTION_TEST_IMAGE = `${TEST_IMAGE_PREFIX}/registry:2`;
const BINARY = '/usr/bin/docker-registry';
const LABEL = 'regctl.inputs';

export async function ensureDistributionImage(docker = 'docker'): Promise<string> {
  const st = statSync(BINARY);
  const inputs = `v1-${st.size}-${st.mtimeMs}`;
  const release = await acquireLock(path.join(os.tmpdir(), 'regctl-distribution-image.lock'), 10 * 60_000);
  try {
    const have = await execa(docker, ['image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, DISTRIBUTION_TEST_IMAGE], { reject: false });
    if (have.exitCode === 0 && have.stdout.trim() === inputs) return DISTRIBUTION_TEST_IMAGE;
    const fsb = await RootfsBuilder.create(path.join(os.tmpdir(), `regctl-distribution-rootfs-${process.pid}`));
    await fsb.addBinary(BINARY, '/bin/registry');
    await fsb.addBusybox(['wget']);
    await fsb.addUsers([]);
    await fsb.mkdir('/etc/docker/registry', 0o755);
    await fsb.mkdir('/var/lib/registry', 0o755);
    await fsb.importAs(docker, DISTRIBUTION_TEST_IMAGE, [
      `CMD ["/bin/registry", "serve", "/etc/docker/registry/config.yml"]`,
      'EXPOSE 5000',
      `LABEL ${LABEL}=${JSON.stringify(inputs)}`,
    ]);
    return DISTRIBUTION_TEST_IMAGE;
  } finally {
    await release();
  }
}
