import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';

// Owner: see src/render/components/README. Not rendered yet.
export const secretsRenderer: ComponentRenderer = {
  name: 'secrets',
  render(_ctx: RenderContext): RenderedEntry[] {
    return [];
  },
};
