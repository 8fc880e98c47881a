import type { ChaosReport } from '../chaos.js';

/** What makes a chaos run fail; empty when it passed. */
export function verdict(r: ChaosReport): string[] {
  const out: string[] = [];
  if (r.lost) out.push(`${r.lost} lost targets`);
  if (r.duplicated) out.push(`${r.duplicated} duplicated targets or rollouts`);
  if (r.stuck) out.push(`${r.stuck} stuck targets`);
  if (r.idempotency.stuckKeys) out.push(`${r.idempotency.stuckKeys} Idempotency-Keys stuck in flight after an API crash`);
  if (r.stateMismatches.length) out.push(`${r.stateMismatches.length} objects differ between clusters and assigned state`);
  if (r.errors.length) out.push(`${r.errors.length} answers >= 500 (other than 503 + Retry-After during an outage)`);
  if (r.hung) out.push(`${r.hung} requests hung`);
  return out;
}
