import type { ApiClient } from './client.js';
import { ExitCode } from './errors.js';

export interface RolloutView {
  id: string;
  kind: string;
  status: string;
  currentWave: number;
  awaitingApproval: boolean;
  reason: string | null;
  counts: Record<string, number>;
  waves: Array<{ index: number; status: string; counts: Record<string, number> }>;
}

const TERMINAL = ['succeeded', 'failed', 'cancelled'];
const finished = (c: Record<string, number>) => (c.succeeded ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0) + (c.superseded ?? 0);

/** `wave 1  [##########..........]  5/10  running  (1 failed)` */
export function waveLine(w: RolloutView['waves'][number], width = 24): string {
  const total = w.counts.total ?? 0;
  const done = finished(w.counts);
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const extra = [w.counts.failed ? `${w.counts.failed} failed` : '', w.counts.skipped ? `${w.counts.skipped} skipped` : '', w.counts.superseded ? `${w.counts.superseded} superseded` : ''].filter(Boolean).join(', ');
  return `wave ${w.index}  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]  ${`${done}/${total}`.padStart(9)}  ${w.status}${extra ? `  (${extra})` : ''}`;
}

export function render(r: RolloutView): string[] {
  const head = `rollout ${r.id}  ${r.kind}  ${r.status}${r.awaitingApproval ? ' (waiting for approval: fleetgate rollouts approve ' + r.id + ')' : ''}${r.reason ? `  ${r.reason}` : ''}`;
  return [head, ...r.waves.map((w) => waveLine(w))];
}

/**
 * Follows a rollout until it ends: one progress bar per wave, redrawn in place on a terminal,
 * a new block on each change otherwise. Resolves with the exit code (failed/cancelled: non-zero).
 */
export async function watchRollout(api: ApiClient, id: string, opts: { intervalMs: number; out: NodeJS.WriteStream | { isTTY?: boolean; write: (s: string) => boolean } }): Promise<ExitCode> {
  let drawn = 0;
  let last = '';
  for (;;) {
    const r = await api.get<RolloutView>(`/rollouts/${encodeURIComponent(id)}`);
    const lines = render(r);
    const text = lines.join('\n');
    if (text !== last) {
      if (opts.out.isTTY && drawn > 0) opts.out.write(`\x1b[${drawn}A\x1b[J`);
      opts.out.write(`${text}\n`);
      drawn = lines.length;
      last = text;
    }
    if (TERMINAL.includes(r.status)) return r.status === 'succeeded' ? ExitCode.Ok : ExitCode.RolloutFailed;
    await new Promise((res) => setTimeout(res, opts.intervalMs));
  }
}
