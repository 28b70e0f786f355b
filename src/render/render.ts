import type { RenderContext, RenderedEntry } from './types.js';
import { componentRenderers } from './components/index.js';

/** Pure: the whole tree for one prepare run. Later entries for the same path win (none expected). */
export function renderInstallTree(ctx: RenderContext): RenderedEntry[] {
  return componentRenderers.flatMap((c) => c.render(ctx));
}
