/** `regctl verify --registry HOST[:PORT]`: log in, push, pull, compare, list, delete (src/verify/run.ts). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { ExitCode, RegctlError } from '../errors.js';
import { ROOT_HELP } from './flags.js';
import { createReporter, type ProgressMode } from '../install/progress.js';
import { parseTarget } from '../registry-client/target.js';
import { CLIENT_NAMES, type ClientName } from '../verify/image-clients.js';
import { runVerify, VERIFY_STEPS, DEFAULT_REPOSITORY, HARBOR_REPOSITORY } from '../verify/run.js';
import { verifyResult } from '../verify/result.js';
import { connect } from './registry/connection.js';
import { examples } from './cert/shared.js';

interface VerifyFlags {
  registry: string;
  username?: string;
  passwordStdin?: boolean;
  client: string;
  repository?: string;
  ca?: string;
  root?: string;
  json?: boolean;
}

function parseClient(v: string): ClientName {
  if (!(CLIENT_NAMES as readonly string[]).includes(v)) throw new RegctlError('E_USAGE', `--client must be docker or skopeo, got '${v}'`, { fix: '--client docker (the default) or --client skopeo', exitCode: ExitCode.invalidInput });
  return v as ClientName;
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description('prove a registry works: log in, push a tiny locally built image, pull it back, compare digests, list it through the API, delete it')
    .requiredOption('--registry <host[:port]>', 'the registry as in image names (http://HOST[:PORT] for one without TLS)')
    .option('--username <user>', 'log in as this user (default: the Docker CLI config, ~/.docker/config.json or $DOCKER_CONFIG)')
    .option('--password-stdin', 'read the password from stdin (with --username)')
    .option('--client <name>', 'push and pull with docker or skopeo', 'docker')
    .option('--repository <repo>', `where the probe goes (default: ${DEFAULT_REPOSITORY}; on Harbor, found by GET /api/v2.0/ping: ${HARBOR_REPOSITORY})`)
    .option('--ca <file>', 'verify the registry certificate with this CA only (default: /etc/docker/certs.d/HOST[:PORT]/*.crt, else the system store)')
    .option('--root <dir>', ROOT_HELP)
    .option('--json', 'JSON Lines: one event per step, then the result envelope with each step and the digests')
    .addHelpText(
      'after',
      `
Each step passes or fails with a fix; after a failure the later steps are "not reached" (the
cleanup always runs). The tag is unique to the run; the user's ~/.docker/config.json is not
written (docker logs in with a temporary DOCKER_CONFIG, skopeo with a temporary --authfile).
Deletion disabled on the registry is a warning, not a failure.
${examples([
  "printf '%s' \"$PASSWORD\" | regctl verify --registry reg.example.com --username admin --password-stdin",
  'regctl verify --registry 192.168.120.85:5000 --client skopeo --ca ca.crt',
  "regctl verify --registry reg.example.com:8443 --json | jq -c 'select(.event == \"result\")'",
])}`,
    )
    .action(
      action(ctx, setExit, async (run, flags: VerifyFlags) => {
        const client = parseClient(flags.client);
        const target = parseTarget(flags.registry, { repository: false });
        const repository = flags.repository === undefined ? undefined : parseTarget(`${target.registry.asTyped}/${flags.repository}`, { repository: true }).repository;
        const { client: api, anchors, findings, credentials } = await connect(run, { ...flags, password: undefined }, target);
        const mode: ProgressMode = flags.json ? 'json' : ctx.isTTY ? 'tty' : 'plain';
        const reporter = createReporter(mode, VERIFY_STEPS.map((s) => ({ ...s })), { print: (l) => ctx.out.info(l), write: (t) => ctx.write(t), columns: () => ctx.columns() || 100 });
        let result;
        try {
          result = await runVerify({ target, api, anchors, credentials, client, repository, env: run.env }, reporter);
        } finally {
          reporter.close();
        }
        const r = verifyResult(result);
        return { ...r, findings: [...findings, ...(r.findings ?? [])] };
      }),
    );
}

