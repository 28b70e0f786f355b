/** One Linux distribution family's system CA store: where anchors go and how to rebuild the bundle. */
export interface SystemStoreLayout {
  /** e.g. "Debian/Ubuntu" */
  name: string;
  /** a path whose presence identifies the layout (checked under --root) */
  marker: string;
  anchorDir: string;
  /** file name for an anchor, from a base name without extension */
  fileName(base: string): string;
  refreshCommand: string[];
  /** how to get the refresh tool when it is missing */
  toolHint: string;
}
