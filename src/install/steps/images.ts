/** Steps 3 and 4: load the offline bundle (--bundle), then check that every image is present. */
import { promises as fs, constants } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { RegctlError, ExitCode } from '../../errors.js';
import { missingImages, loadImages } from '../../docker/images.js';
import { formatBytes } from '../../doctor/checks/disk-space.js';
import type { EngineInfo } from '../../docker/engine.js';
import { need, type InstallStep, type StepOutcome } from './types.js';

/** The bundle is a readable regular file (input validation: before anything runs). */
export async function checkBundleReadable(file: string): Promise<number> {
  try {
    await fs.access(file, constants.R_OK);
  } catch (err) {
    throw new RegctlError('E_BUNDLE', `cannot read the bundle ${file}: ${(err as NodeJS.ErrnoException).code}`, {
      file,
      exitCode: ExitCode.invalidInput,
      fix: 'pass the harbor.vX.Y.Z.tar.gz from the offline installer to --bundle',
    });
  }
  const st = await fs.stat(file);
  if (!st.isFile()) throw new RegctlError('E_BUNDLE', `${file} is not a file`, { file, exitCode: ExitCode.invalidInput, fix: 'pass the image tarball itself (harbor.vX.Y.Z.tar.gz), not its directory' });
  return st.size;
}

/** Docker's root has room for the unpacked images (a gzipped `docker save` unpacks to ~2-3x). */
export async function checkBundleSpace(file: string, size: number, engine: EngineInfo): Promise<void> {
  const need = size * (file.endsWith('.gz') || file.endsWith('.tgz') ? 3 : 1.2);
  const fsStat = await statfs(engine.rootDir).catch(() => undefined);
  if (!fsStat) return;
  const free = Number(fsStat.bavail) * Number(fsStat.bsize);
  if (free < need) {
    throw new RegctlError('E_BUNDLE_SPACE', `loading ${file} needs about ${formatBytes(need)} under ${engine.rootDir}; only ${formatBytes(free)} are free`, {
      file,
      fix: `free space under ${engine.rootDir} and re-run`,
    });
  }
}

export const bundleStep: InstallStep = {
  id: 'bundle',
  skip: (ctx) => (ctx.bundle ? undefined : 'no --bundle given'),
  startDetail: (ctx) => path.basename(need(ctx.bundle, 'bundle').file),
  async run(ctx): Promise<StepOutcome> {
    const { file, size } = need(ctx.bundle, 'bundle');
    const name = path.basename(file);
    const loaded = await loadImages(need(ctx.engine, 'engine').cli, file, (p) =>
      ctx.progress.update('bundle', `${name}: ${Math.floor((100 * p.bytes) / Math.max(1, p.total))}% of ${formatBytes(size)}`),
    );
    return { status: 'done', detail: `${loaded.length} images loaded from ${name}` };
  },
};

export const imagesStep: InstallStep = {
  id: 'images',
  async run(ctx): Promise<StepOutcome> {
    const stack = need(ctx.stack, 'stack');
    const images = [...new Set(stack.services.map((s) => s.image).filter(Boolean))];
    const missing = await missingImages(need(ctx.engine, 'engine').cli, images);
    if (!missing.length) return { status: 'done', detail: `all ${images.length} images present` };
    const one = missing.length === 1;
    return {
      status: 'fail',
      detail: `${missing.length} of ${images.length} missing`,
      notes: missing.map((m) => `missing image: ${m}`),
      error: new RegctlError(
        'E_IMAGES_MISSING',
        `${missing.length} image${one ? '' : 's'} named in ${need(ctx.prepared, 'prepared').composeFile} ${one ? 'is' : 'are'} not present locally: ${missing.join(', ')}; the running stack was not touched`,
        {
          fix: `load the offline bundle with --bundle harbor.${ctx.target.release.version}.tar.gz, or \`docker pull\` them on a connected host, or point --image-prefix at a registry/namespace that has them`,
        },
      ),
    };
  },
};
