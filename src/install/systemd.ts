/**
 * A systemd unit that brings the stack up at boot from this install dir, with the resolved
 * compose command (absolute paths, so PATH at boot does not matter). It starts the log service
 * first and waits for it, because every other container's syslog driver must reach it, then
 * starts the rest. Stopping runs `down` (never -v). Rendering is pure; writing honours --root.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ComposeProject } from '../docker/compose.js';

export interface UnitSpec {
  project: ComposeProject;
  /** absolute docker CLI path (for the log service health wait) */
  dockerBin: string;
  /** the log service and its container name, when the stack has one */
  logService?: { service: string; containerName: string };
  /** DOCKER_HOST etc. to carry over; never secrets */
  environment?: Record<string, string>;
  /** what the stack is, for Description= (default: Harbor registry) */
  what?: string;
}

export function unitName(projectName: string): string {
  return `regctl-${projectName}.service`;
}

/** systemd command-line quoting: double quotes where needed, `$` and `%` escaped. */
function quoteArg(a: string): string {
  const escaped = a.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /[\s"'\\;]/.test(escaped) || escaped === '' ? `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : escaped;
}

function command(argv: string[]): string {
  return argv.map(quoteArg).join(' ');
}

export function renderUnit(spec: UnitSpec): string {
  const { project } = spec;
  const { name, directory } = project.spec;
  const lines = [
    '[Unit]',
    `Description=${spec.what ?? 'Harbor registry'} (compose project ${name} in ${directory}), installed by regctl`,
    'Requires=docker.service',
    'After=docker.service network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `WorkingDirectory=${quoteArg(directory)}`,
  ];
  for (const [k, v] of Object.entries(spec.environment ?? {})) lines.push(`Environment=${quoteArg(`${k}=${v}`)}`);
  if (spec.logService) {
    const { service, containerName } = spec.logService;
    lines.push(
      `# ${service} first: the other containers log through it and fail to start while it is down`,
      `ExecStartPre=${command(project.commandLine(['up', '-d', '--no-build', service]))}`,
      `ExecStartPre=/bin/sh -c ${quoteArg(`for i in $(seq 120); do s=$(${spec.dockerBin} inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' ${containerName}); case $s in healthy|running) exit 0;; esac; sleep 1; done; exit 1`)}`,
    );
  }
  lines.push(
    `ExecStart=${command(project.commandLine(['up', '-d', '--no-build']))}`,
    `ExecStop=${command(project.commandLine(['down']))}`,
    'TimeoutStartSec=600',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  );
  return lines.join('\n');
}

/** Writes the unit to <root>/etc/systemd/system/; returns its path. */
export async function writeUnit(root: string | undefined, projectName: string, text: string): Promise<string> {
  const dir = path.join(root ? path.resolve(root) : '/', 'etc/systemd/system');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, unitName(projectName));
  const tmp = `${file}.regctl-tmp`;
  await fs.writeFile(tmp, text, { mode: 0o644 });
  await fs.rename(tmp, file);
  return file;
}

/**
 * Parses the Exec lines of a unit back into argv lists (for tests that run them, and to show
 * what boot will do). Handles the quoting renderUnit produces.
 */
export function execLines(unit: string, key: 'ExecStartPre' | 'ExecStart' | 'ExecStop'): string[][] {
  const out: string[][] = [];
  for (const line of unit.split('\n')) {
    if (!line.startsWith(`${key}=`)) continue;
    const text = line.slice(key.length + 1);
    const args: string[] = [];
    let cur = '';
    let quoted = false;
    let inArg = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '\\' && i + 1 < text.length) cur += text[++i];
        else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') {
        quoted = true;
        inArg = true;
      } else if (ch === ' ') {
        if (inArg) args.push(cur);
        cur = '';
        inArg = false;
      } else {
        cur += ch;
        inArg = true;
      }
    }
    if (inArg) args.push(cur);
    out.push(args.map((a) => a.replace(/\$\$/g, '$').replace(/%%/g, '%')));
  }
  return out;
}
