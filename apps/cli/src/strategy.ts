import { CliError, ExitCode } from './errors.js';

export type WaveSpec = { count: number } | { percent: number } | { clusters: string[] };

/**
 * `--waves 1,50%,100%`: a count, a percent of the targets, or named clusters joined by `+`
 * (`canary-1+canary-2`), one wave per comma.
 */
export function parseWaves(text: string): WaveSpec[] {
  return text.split(',').map((part, i) => {
    const p = part.trim();
    if (/^\d+$/.test(p) && Number(p) > 0) return { count: Number(p) };
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(p);
    if (pct && Number(pct[1]) > 0 && Number(pct[1]) <= 100) return { percent: Number(pct[1]) };
    if (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\+[a-z0-9]([-a-z0-9.]*[a-z0-9])?)*$/.test(p) && !/^\d/.test(p)) return { clusters: p.split('+') };
    throw new CliError(`--waves: wave ${i} "${p}" is not a count (5), a percent (50%) or cluster names (a+b)`, ExitCode.Usage);
  });
}
