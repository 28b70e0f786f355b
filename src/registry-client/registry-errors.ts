/**
 * What a registry's HTTP answer means when it is not the list asked for: the distribution spec's
 * error body (`{"errors":[{"code","message"}]}`), auth refusals, a missing repository. Bodies of
 * token services are never quoted (they may hold a token); registry error codes and messages are.
 */
import { ExitCode, RegctlError } from '../errors.js';
import type { Credentials } from './docker-config.js';
import type { HttpResponse } from './transport.js';

export interface CredentialHint {
  /** 'docker-credential-desktop' */
  helper: string;
  /** 'credsStore' or 'credHelpers["reg:5000"]' */
  helperKey: string;
  file: string;
}

/** `UNAUTHORIZED: authentication required`, from the registry's error body, when it has one. */
export function registryErrorText(res: HttpResponse): string | undefined {
  try {
    const doc = JSON.parse(res.body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] };
    const parts = (doc.errors ?? []).map((e) => [e.code, e.message].filter((x) => typeof x === 'string' && x).join(': ')).filter(Boolean);
    return parts.length ? parts.join('; ').slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

const fail = (code: string, message: string, fix: string) => new RegctlError(code, message, { fix, exitCode: ExitCode.failure });

export function authRequired(registryName: string, scheme: string, hint: CredentialHint | undefined): RegctlError {
  const login = `--username USER --password-stdin`;
  if (hint) {
    return fail(
      'E_REGISTRY_AUTH_REQUIRED',
      `${registryName} requires credentials (${scheme} auth); ${hint.file} keeps them in the credential helper ${hint.helper} (${hint.helperKey}), which regctl does not run`,
      `pass them on the command line: ${hint.helper} get <<< ${registryName} prints them (Username, Secret); then ${login} with the secret on stdin`,
    );
  }
  return fail('E_REGISTRY_AUTH_REQUIRED', `${registryName} requires credentials (${scheme} auth) and none were given`, `pass ${login} (the password on stdin), or run docker login ${registryName} first`);
}

export function authFailed(registryName: string, creds: Credentials, by: string, res: HttpResponse, quoteBody: boolean): RegctlError {
  const detail = quoteBody ? registryErrorText(res) : undefined;
  return fail(
    'E_REGISTRY_AUTH_FAILED',
    `${by} refused the credentials of user '${creds.username}' (from ${creds.source}): HTTP ${res.status}${detail ? ` ${detail}` : ''}`,
    `check the user name and password (regctl registry user list --htpasswd FILE on the registry host lists the users of an htpasswd registry); log in again with docker login ${registryName} if they came from the Docker config`,
  );
}

export function accessDenied(registryName: string, what: string, creds: Credentials | undefined, res: HttpResponse): RegctlError {
  const detail = registryErrorText(res);
  return fail(
    'E_REGISTRY_DENIED',
    `${registryName} does not let ${creds ? `user '${creds.username}'` : 'anonymous clients'} ${what}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`,
    what.includes('catalog') ? 'the catalog usually needs an administrator (in Harbor: a system admin); list the tags of a repository you can pull instead' : 'ask for pull access to the repository, or log in as a user who has it',
  );
}

export function unexpectedStatus(peer: string, what: string, res: HttpResponse, quoteBody = true): RegctlError {
  const detail = quoteBody ? registryErrorText(res) : undefined;
  return fail('E_REGISTRY_HTTP', `${peer} answered ${what} with HTTP ${res.status}${detail ? `: ${detail}` : ''}`, 'check the registry logs on its host (regctl logs registry for Harbor)');
}
