import type { RenderContext, RenderedEntry } from './types.js';
import { componentRenderers } from './components/index.js';
import { composeRenderer } from './components/compose.js';
import { internalTlsRenderer } from './components/internal-tls.js';

/** Pure: the whole tree for one prepare run. Later entries for the same path win (none expected). */
export function renderInstallTree(ctx: RenderContext): RenderedEntry[] {
  // the last two are derived from the services of the registry, so they are not in it (no import cycle)
  return [...componentRenderers, internalTlsRenderer, composeRenderer].flatMap((c) => c.render(ctx));
}
