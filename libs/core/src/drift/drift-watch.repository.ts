import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/index.js';

/** A cluster as its watch needs it: which API server, with which credentials (their fingerprint). */
export interface WatchTarget {
  id: string;
  name: string;
  /** changes when the credentials, the server or its TLS setting change: the watch is re-established */
  version: string;
}

/** What the drift watches read from Postgres (reads only; the findings are the drift scan's). */
@Injectable()
export class DriftWatchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every registered cluster, lightly (ordered by id, so that workers walk the fleet alike). */
  async targets(): Promise<WatchTarget[]> {
    const rows = await this.prisma.db.$queryRaw<Array<{ id: string; name: string; fp: string; server: string; insecure: boolean }>>`
      SELECT id::text AS id, name, credential_fingerprint AS fp, server, insecure_skip_tls_verify AS insecure FROM clusters ORDER BY id`;
    return rows.map((r) => ({ id: r.id, name: r.name, version: `${r.fp}|${r.server}|${r.insecure ? 1 : 0}` }));
  }

  /**
   * The clusters among `ids` that a rollout is writing to right now (a target queued or running
   * in a running rollout): their live objects are ahead of their assigned state until the target
   * is recorded, so judging them now would report drift that is not there.
   */
  async busy(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.db.$queryRaw<Array<{ id: string }>>`
      SELECT DISTINCT t.cluster_id::text AS id FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id
      WHERE t.cluster_id = ANY(${[...ids]}::uuid[]) AND t.state IN ('queued', 'running') AND r.status = 'running'`;
    return new Set(rows.map((r) => r.id));
  }

  /** The clusters among `ids` with an open or contested finding. */
  async withOpenFindings(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.db.$queryRaw<Array<{ id: string }>>`
      SELECT DISTINCT cluster_id::text AS id FROM drift_findings WHERE cluster_id = ANY(${[...ids]}::uuid[]) AND status IN ('open', 'contested')`;
    return new Set(rows.map((r) => r.id));
  }
}
