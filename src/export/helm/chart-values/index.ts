/**
 * Which harbor-helm chart line goes with which Harbor line, and the value paths each line knows
 * (generated.ts, from scripts/gen-chart-values.mjs). Only lines with a table are supported.
 */
import { CHART_TABLES, type ChartLineTable } from './generated.js';
import { ExitCode, RegctlError } from '../../../errors.js';
import { lineOfVersion } from '../../../releases/index.js';

/** Harbor line ('2.15') → chart line ('1.19'), from each chart's Chart.yaml appVersion. */
export const CHART_LINE_FOR_HARBOR: Readonly<Record<string, string>> = {
  '2.15': '1.19',
  '2.14': '1.18',
  '2.13': '1.17',
  // 2.8.x went with chart 1.12.x (v1.12.0 … v1.12.6 in harbor-helm); regctl has no table for it
  '2.8': '1.12',
};

export interface ChartLine extends ChartLineTable {
  line: string;
  has(path: string): boolean;
}

const sets = new Map<string, Set<string>>();

export function chartLine(line: string): ChartLine | undefined {
  const t = CHART_TABLES[line];
  if (!t) return undefined;
  let set = sets.get(line);
  if (!set) sets.set(line, (set = new Set(t.paths)));
  const s = set;
  return { ...t, line, has: (p) => s.has(p) };
}

export const SUPPORTED_CHART_LINES = Object.keys(CHART_TABLES).sort();

/**
 * The chart line for a Harbor release ('v2.15.2'), checked against --chart-version ('1.19.x',
 * '1.19', '1.19.2'). Throws (exit 2) where no supported chart fits.
 */
export function chooseChartLine(harborVersion: string, opts: { requested?: string; withNotary?: boolean } = {}): ChartLine {
  const harborLine = lineOfVersion(harborVersion);
  const matching = CHART_LINE_FOR_HARBOR[harborLine];
  if (opts.withNotary) {
    throw new RegctlError('E_EXPORT_NOTARY', `this install runs Notary (Harbor ${harborVersion} --with-notary); harbor-helm charts supported by regctl (${SUPPORTED_CHART_LINES.map((l) => `${l}.x`).join(', ')}) have no Notary: it was removed with Harbor 2.9 (chart 1.13)`, {
      exitCode: ExitCode.invalidInput,
      fix: 'move signatures to Notation or cosign, upgrade the install to 2.13 or newer without --with-notary (regctl migrate, then regctl prepare without --with-notary), then export',
    });
  }
  const table = matching ? chartLine(matching) : undefined;
  if (!matching || !table) {
    throw new RegctlError('E_EXPORT_CHART_LINE', `Harbor ${harborVersion} has no supported harbor-helm chart line${matching ? ` (it goes with chart ${matching}.x, which regctl has no value table for)` : ''}; supported: ${SUPPORTED_CHART_LINES.map((l) => `${l}.x`).join(', ')}`, {
      exitCode: ExitCode.invalidInput,
      fix: 'upgrade the install to Harbor 2.13 or newer first (regctl migrate --to 2.15.2, then regctl prepare), then export',
    });
  }
  if (opts.requested !== undefined) {
    const want = /^(\d+)\.(\d+)(?:\.(?:x|\d+))?$/.exec(opts.requested);
    if (!want) {
      throw new RegctlError('E_USAGE', `--chart-version must look like 1.19.x, 1.19 or 1.19.2, got '${opts.requested}'`, { exitCode: ExitCode.invalidInput, fix: `for example --chart-version ${matching}.x` });
    }
    if (`${want[1]}.${want[2]}` !== matching) {
      throw new RegctlError('E_EXPORT_CHART_LINE', `chart ${opts.requested} does not go with Harbor ${harborVersion}: that release goes with chart ${matching}.x`, {
        exitCode: ExitCode.invalidInput,
        fix: `drop --chart-version, or pass --chart-version ${matching}.x; for another chart line, upgrade the install first`,
      });
    }
  }
  return table;
}
