/**
 * Assembles a minimal root filesystem from host files, for `docker import`. Binaries are copied
 * with the shared libraries `ldd` says they need, so the image runs the very binaries the host
 * has (Debian's nginx, docker-registry, postgres, redis, node). The layout is merged-/usr like
 * Debian's (/bin, /lib, /lib64, /sbin are links into /usr), so every path ldd prints resolves.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';

const MERGED_USR_LINKS: Record<string, string> = { bin: 'usr/bin', sbin: 'usr/sbin', lib: 'usr/lib', lib64: 'usr/lib64' };

export class RootfsBuilder {
  private readonly copied = new Set<string>();
  /** what went into the tree: host file sizes+mtimes and generated content, for the cache key */
  private readonly fingerprint = createHash('sha256');

  constructor(readonly dir: string) {}

  static async create(dir: string): Promise<RootfsBuilder> {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(path.join(dir, 'usr'), { recursive: true });
    for (const [link, target] of Object.entries(MERGED_USR_LINKS)) {
      await fs.mkdir(path.join(dir, target), { recursive: true });
      await fs.symlink(target, path.join(dir, link));
    }
    for (const d of ['etc', 'tmp', 'var/tmp', 'run', 'proc', 'sys', 'dev']) {
      await fs.mkdir(path.join(dir, d), { recursive: true });
    }
    await fs.chmod(path.join(dir, 'tmp'), 0o1777);
    await fs.chmod(path.join(dir, 'var/tmp'), 0o1777);
    return new RootfsBuilder(dir);
  }

  /** Where a host path lands inside the tree (directory links resolved the merged-/usr way). */
  private target(hostPath: string): string {
    const rel = hostPath.replace(/^\/+/, '');
    const [first, ...rest] = rel.split('/');
    const mapped = MERGED_USR_LINKS[first!] ? [MERGED_USR_LINKS[first!], ...rest].join('/') : rel;
    return path.join(this.dir, mapped);
  }

  /** Copies one host file (symlinks dereferenced) to the same path inside the tree. */
  async addHostFile(hostPath: string, destPath = hostPath): Promise<void> {
    if (this.copied.has(destPath)) return;
    this.copied.add(destPath);
    const dest = this.target(destPath);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.copyFile(hostPath, dest);
    const st = statSync(hostPath);
    await fs.chmod(dest, st.mode & 0o7777);
    this.fingerprint.update(`${destPath}:${st.size}:${st.mtimeMs}\n`);
  }

  /** Copies an executable or shared object plus its ldd closure. */
  async addBinary(hostPath: string, destPath = hostPath): Promise<void> {
    await this.addHostFile(hostPath, destPath);
    for (const lib of await sharedLibraries(hostPath)) await this.addHostFile(lib);
  }

  /** Copies a host directory tree; `keep` filters by path relative to `hostDir`. */
  async addHostTree(hostDir: string, keep: (rel: string) => boolean = () => true, binaries = false): Promise<void> {
    const walk = async (rel: string): Promise<void> => {
      for (const entry of await fs.readdir(path.join(hostDir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${entry.name}` : entry.name;
        if (!keep(r)) continue;
        const full = path.join(hostDir, r);
        if (entry.isDirectory()) await walk(r);
        else if (binaries && /\.so(\.|$)/.test(entry.name)) await this.addBinary(full);
        else if (entry.isFile() || entry.isSymbolicLink()) await this.addHostFile(full);
      }
    };
    await walk('');
  }

  async writeFile(destPath: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const dest = this.target(destPath);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.writeFile(dest, content, { mode });
    await fs.chmod(dest, mode);
    this.fingerprint.update(`${destPath}:${mode}:`).update(content).update('\n');
  }

  async mkdir(destPath: string, mode = 0o755, owner?: { uid: number; gid: number }): Promise<void> {
    const dest = this.target(destPath);
    await fs.mkdir(dest, { recursive: true });
    await fs.chmod(dest, mode);
    if (owner) await fs.chown(dest, owner.uid, owner.gid);
    this.fingerprint.update(`dir ${destPath}:${mode}:${owner?.uid ?? 0}\n`);
  }

  async symlink(destPath: string, linkTarget: string): Promise<void> {
    const dest = this.target(destPath);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.rm(dest, { force: true });
    await fs.symlink(linkTarget, dest);
    this.fingerprint.update(`link ${destPath}->${linkTarget}\n`);
  }

  /** busybox-static as /bin/sh plus the applets the entrypoints and healthchecks use. */
  async addBusybox(applets: string[]): Promise<void> {
    await this.addHostFile(busyboxPath(), '/usr/bin/busybox');
    for (const a of ['sh', ...applets]) await this.symlink(`/usr/bin/${a}`, 'busybox');
  }

  /** /etc/passwd and /etc/group with the users Harbor's images run as. */
  async addUsers(users: { name: string; uid: number }[]): Promise<void> {
    const all = [{ name: 'root', uid: 0 }, ...users];
    await this.writeFile('/etc/passwd', all.map((u) => `${u.name}:x:${u.uid}:${u.uid}:${u.name}:/${u.uid === 0 ? 'root' : 'tmp'}:/bin/sh\n`).join(''));
    await this.writeFile('/etc/group', all.map((u) => `${u.name}:x:${u.uid}:\n`).join(''));
    await this.writeFile('/etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files dns\n');
  }

  digest(): string {
    return this.fingerprint.copy().digest('hex');
  }

  /** `docker import` of the tree with the given Dockerfile-style changes. */
  async importAs(docker: string, tag: string, changes: string[]): Promise<void> {
    const tar = execa('tar', ['--numeric-owner', '-C', this.dir, '-c', '.'], { buffer: false, stdout: 'pipe' });
    const args = ['import', ...changes.flatMap((c) => ['--change', c]), '-', tag];
    const imp = execa(docker, args, { stdin: 'pipe' });
    tar.stdout!.pipe(imp.stdin!);
    await Promise.all([tar, imp]);
  }
}

let busybox: string | undefined;
function busyboxPath(): string {
  if (busybox) return busybox;
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) {
    try {
      statSync(p);
      busybox = p;
      return p;
    } catch {
      // try the next location
    }
  }
  throw new Error('busybox-static is not installed (apt-get install busybox-static)');
}

/** The absolute paths of every shared object a binary loads, from `ldd`. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout, exitCode } = await execa('ldd', [binary], { reject: false });
  if (exitCode !== 0) return []; // static binary ("not a dynamic executable")
  const libs: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}
