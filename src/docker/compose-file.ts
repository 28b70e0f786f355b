/**
 * What regctl needs to know from a rendered docker-compose.yml: each service's container name,
 * image, published ports and logging driver. Read with the yaml library; nothing else of the file
 * is interpreted (compose itself does that).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { RegctlError } from '../errors.js';

export interface ComposeService {
  service: string;
  containerName: string;
  image: string;
  ports: string[];
  logDriver: string;
  /** syslog-address for the syslog driver */
  syslogAddress?: string;
  /** the logging driver's tag option (Harbor: the service name) */
  logTag?: string;
  dependsOn: string[];
  /** volumes as written: short syntax "src:dst[:opts]", long syntax rendered as "src:dst" */
  volumes: string[];
}

interface RawService {
  image?: string;
  container_name?: string;
  ports?: (string | { published?: number | string; target?: number; host_ip?: string })[];
  logging?: { driver?: string; options?: Record<string, string> };
  depends_on?: string[] | Record<string, unknown>;
  volumes?: (string | { source?: string; target?: string; bind?: { selinux?: string } })[];
}

export function parseComposeServices(text: string, file: string): ComposeService[] {
  let doc: { services?: Record<string, RawService> };
  try {
    doc = parse(text) as { services?: Record<string, RawService> };
  } catch (err) {
    throw new RegctlError('E_COMPOSE_FILE', `${file} is not valid YAML: ${(err as Error).message}`, { file, fix: 'run `regctl prepare` to render it again' });
  }
  if (!doc?.services || typeof doc.services !== 'object') {
    throw new RegctlError('E_COMPOSE_FILE', `${file} has no services`, { file, fix: 'run `regctl prepare` to render it again' });
  }
  return Object.entries(doc.services).map(([service, s]) => ({
    service,
    containerName: s.container_name ?? '',
    image: s.image ?? '',
    ports: (s.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.host_ip ? `${p.host_ip}:` : ''}${p.published}:${p.target}`)),
    logDriver: s.logging?.driver ?? 'json-file',
    syslogAddress: s.logging?.options?.['syslog-address'],
    logTag: s.logging?.options?.tag,
    dependsOn: Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {}),
    volumes: (s.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}${v.bind?.selinux ? `:${v.bind.selinux}` : ''}`)),
  }));
}

export async function readComposeServices(file: string): Promise<ComposeService[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RegctlError('E_COMPOSE_FILE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      file,
      fix: 'run `regctl prepare` (or `regctl install`) first',
    });
  }
  return parseComposeServices(text, file);
}
