/** Notary on the 2.8 line as the e2e suites reach it: through nginx on Harbor's fixed port. */
import { curl } from './curl.js';
import type { E2eWorkspace } from './workspace.js';

/** fixed in Harbor's 2.8 compose file (4443:4443) */
export const NOTARY_PORT = 4443;

/**
 * ms until https://HOST:4443/v2/ answers 401 (notary-server up behind nginx, its database
 * migrated); throws after `deadlineMs`
 */
export async function waitForNotaryServer(ws: E2eWorkspace, deadlineMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const r = await curl(`https://${ws.hostname}:${NOTARY_PORT}/v2/`, { resolve: `${ws.hostname}:${NOTARY_PORT}:127.0.0.1`, cacert: ws.caFile }).catch((e: Error) => ({ status: 0, body: e.message }));
    if (r.status === 401) return Date.now() - started;
    if (Date.now() - started > deadlineMs) throw new Error(`notary-server does not answer through nginx: ${r.status} ${r.body.slice(0, 200)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** a container's state (containerStates) when the stack is up: Harbor's notary images have no HEALTHCHECK, so running is all there is for them */
export function stateWhenUp(container: string): string {
  return container.startsWith('notary-') ? 'running' : 'running healthy';
}
