import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';

// Owner: see src/render/components/README. Not rendered yet.
export const coreRenderer: ComponentRenderer = {
  name: 'core',
  render(_ctx: RenderContext): RenderedEntry[] {
    return [];
  },
};
