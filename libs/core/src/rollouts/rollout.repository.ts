import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '../prisma/index.js';
import {
  type BeforeState,
  type ObjectOutcome,
  type Rollout,
  type RolloutChange,
  type RolloutKind,
  type RolloutSelection,
  type RolloutStatus,
  type RolloutTarget,
  type StateCounts,
  type TargetResult,
  type TargetState,
  emptyCounts,
} from './rollout.model.js';

type RolloutRow = Prisma.RolloutGetPayload<object>;
type TargetRow = Prisma.RolloutTargetGetPayload<object>;

const toRollout = (r: RolloutRow): Rollout => ({
  id: r.id,
  seq: Number(r.seq),
  kind: r.kind,
  status: r.status,
  change: r.change as unknown as RolloutChange,
  selection: r.selection as unknown as RolloutSelection,
  strategy: r.strategy as unknown as Rollout['strategy'],
  dryRun: r.dryRun,
  currentWave: r.currentWave,
  waveCount: r.waveCount,
  awaitingApproval: r.awaitingApproval,
  nextWaveAt: r.nextWaveAt,
  reason: r.reason,
  rollbackOfId: r.rollbackOfId,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
});

const toTarget = (t: TargetRow): RolloutTarget => ({
  id: t.id,
  rolloutId: t.rolloutId,
  clusterId: t.clusterId,
  clusterName: t.clusterName,
  wave: t.wave,
  position: t.position,
  state: t.state,
  attempts: t.attempts,
  created: t.created,
  configured: t.configured,
  unchanged: t.unchanged,
  pruned: t.pruned,
  retries: t.retries,
  requests: t.requests,
  durationMs: t.durationMs,
  error: t.error,
  errorKind: t.errorKind,
  before: (t.before ?? null) as unknown as BeforeState | null,
  objects: (t.objects ?? null) as unknown as ObjectOutcome[] | null,
  startedAt: t.startedAt,
  finishedAt: t.finishedAt,
});

export interface NewRollout {
  kind: RolloutKind;
  change: RolloutChange;
  selection: RolloutSelection;
  strategy: Rollout['strategy'];
  dryRun: boolean;
  waveCount: number;
  rollbackOfId: string | null;
  createdBy: string;
}

export interface RolloutFilter {
  status?: RolloutStatus | undefined;
  kind?: RolloutKind | undefined;
  clusterId?: string | undefined;
  beforeSeq?: number | undefined;
  take: number;
}

const json = (v: unknown) => v as Prisma.InputJsonValue;

/** Rollouts and their targets (CONVENTIONS rule 8: only this touches their tables). */
@Injectable()
export class RolloutRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Serialises rollout creation so `seq` order is commit order (call inside a transaction). */
  async lockCreation(): Promise<void> {
    await this.prisma.db.$executeRaw`SELECT pg_advisory_xact_lock(7300417)`;
  }

  async create(r: NewRollout, targets: ReadonlyArray<{ clusterId: string; clusterName: string; wave: number }>): Promise<Rollout> {
    const row = await this.prisma.db.rollout.create({
      data: {
        kind: r.kind,
        change: json(r.change),
        selection: json(r.selection),
        strategy: json(r.strategy),
        dryRun: r.dryRun,
        waveCount: r.waveCount,
        rollbackOfId: r.rollbackOfId,
        createdBy: r.createdBy,
      },
    });
    // Plain SQL over arrays: Prisma's createMany compiles a query as large as its rows
    // (about half a second of CPU for 1,000 targets); this statement is the same at any size.
    for (let i = 0; i < targets.length; i += 10_000) {
      const part = targets.slice(i, i + 10_000);
      await this.prisma.db.$executeRaw`
        INSERT INTO rollout_targets (id, rollout_id, rollout_seq, cluster_id, cluster_name, wave, position)
        SELECT gen_random_uuid(), ${row.id}::uuid, ${row.seq}, t.cluster_id, t.cluster_name, t.wave, t.position
        FROM unnest(${part.map((t) => t.clusterId)}::uuid[], ${part.map((t) => t.clusterName)}::text[], ${part.map((t) => t.wave)}::int[], ${part.map((_, j) => i + j)}::int[])
          AS t(cluster_id, cluster_name, wave, position)`;
    }
    return toRollout(row);
  }

  async findById(id: string): Promise<Rollout | null> {
    const row = await this.prisma.db.rollout.findUnique({ where: { id } });
    return row ? toRollout(row) : null;
  }

  /** The rollout row, locked until the transaction ends (wave control is serialised per rollout). */
  async lock(id: string): Promise<Rollout | null> {
    const rows = await this.prisma.db.$queryRaw<{ id: string }[]>`SELECT id FROM rollouts WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length ? this.findById(id) : null;
  }

  async update(id: string, data: Partial<Pick<Rollout, 'status' | 'currentWave' | 'awaitingApproval' | 'nextWaveAt' | 'reason' | 'startedAt' | 'finishedAt' | 'strategy'>>): Promise<Rollout> {
    const { strategy, ...rest } = data;
    const row = await this.prisma.db.rollout.update({ where: { id }, data: { ...rest, ...(strategy ? { strategy: json(strategy) } : {}) } });
    return toRollout(row);
  }

  async list(f: RolloutFilter): Promise<Rollout[]> {
    const where: Prisma.RolloutWhereInput = {};
    if (f.status) where.status = f.status;
    if (f.kind) where.kind = f.kind;
    if (f.clusterId) where.targets = { some: { clusterId: f.clusterId } };
    if (f.beforeSeq !== undefined) where.seq = { lt: BigInt(f.beforeSeq) };
    const rows = await this.prisma.db.rollout.findMany({ where, orderBy: { seq: 'desc' }, take: f.take });
    return rows.map(toRollout);
  }

  async countsByWave(rolloutId: string): Promise<Map<number, StateCounts>> {
    const rows = await this.prisma.db.rolloutTarget.groupBy({ by: ['wave', 'state'], where: { rolloutId }, _count: { _all: true } });
    const out = new Map<number, StateCounts>();
    for (const r of rows) {
      const c = out.get(r.wave) ?? emptyCounts();
      c[r.state] = r._count._all;
      out.set(r.wave, c);
    }
    return out;
  }

  async targets(rolloutId: string, opts: { state?: TargetState | undefined; afterPosition?: number | undefined; take: number }): Promise<RolloutTarget[]> {
    const rows = await this.prisma.db.rolloutTarget.findMany({
      where: { rolloutId, ...(opts.state ? { state: opts.state } : {}), ...(opts.afterPosition !== undefined ? { position: { gt: opts.afterPosition } } : {}) },
      orderBy: { position: 'asc' },
      take: opts.take,
    });
    return rows.map(toTarget);
  }

  async target(rolloutId: string, clusterId: string): Promise<RolloutTarget | null> {
    const row = await this.prisma.db.rolloutTarget.findUnique({ where: { rolloutId_clusterId: { rolloutId, clusterId } } });
    return row ? toTarget(row) : null;
  }

  async succeededTargets(rolloutId: string): Promise<RolloutTarget[]> {
    const rows = await this.prisma.db.rolloutTarget.findMany({ where: { rolloutId, state: 'succeeded' }, orderBy: { position: 'asc' } });
    return rows.map(toTarget);
  }

  /** Every rollout target of a cluster, newest first (the cluster's history). */
  async historyOf(clusterId: string, beforeSeq: number | undefined, take: number): Promise<Array<{ rollout: Rollout; target: RolloutTarget }>> {
    const rows = await this.prisma.db.rolloutTarget.findMany({
      where: { clusterId, ...(beforeSeq !== undefined ? { rolloutSeq: { lt: BigInt(beforeSeq) } } : {}) },
      orderBy: { rolloutSeq: 'desc' },
      take,
      include: { rollout: true },
    });
    return rows.map((r) => ({ rollout: toRollout(r.rollout), target: toTarget(r) }));
  }

  /**
   * The oldest rollout of a kind whose target on the cluster is still to run or running, in a
   * rollout that can still run it (pending, running or paused: what holds up later targets in
   * `claimMany`). A paused rollout whose target already failed is not open here.
   */
  async openOfKind(clusterId: string, kind: RolloutKind): Promise<string | null> {
    const rows = await this.prisma.db.$queryRaw<{ id: string }[]>`
      SELECT r.id::text AS id FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id
      WHERE t.cluster_id = ${clusterId}::uuid AND t.state IN ('pending', 'queued', 'running')
        AND r.kind = ${kind}::"RolloutKind" AND r.status IN ('pending', 'running', 'paused')
      ORDER BY t.rollout_seq LIMIT 1`;
    return rows[0]?.id ?? null;
  }

  /**
   * Takes targets for execution, many in one statement: `queued` (or `running`, when a job is
   * re-delivered after its worker died) becomes `running`, only while the rollout runs and no
   * earlier rollout still has an open target on the same cluster (the per-cluster lock, in
   * creation order; checked per row against the state before the statement). Returns the claimed
   * targets keyed `rolloutId/clusterId`.
   */
  async claimMany(keys: ReadonlyArray<{ rolloutId: string; clusterId: string }>): Promise<Map<string, RolloutTarget>> {
    if (keys.length === 0) return new Map();
    const rows = await this.prisma.db.$queryRaw<ClaimedRow[]>`
      UPDATE rollout_targets t SET state = 'running', attempts = t.attempts + 1, started_at = COALESCE(t.started_at, now())
      FROM unnest(${keys.map((k) => k.rolloutId)}::uuid[], ${keys.map((k) => k.clusterId)}::uuid[]) AS k(rollout_id, cluster_id)
      WHERE t.rollout_id = k.rollout_id AND t.cluster_id = k.cluster_id AND t.state IN ('queued', 'running')
        AND EXISTS (SELECT 1 FROM rollouts r WHERE r.id = t.rollout_id AND r.status = 'running')
        AND NOT EXISTS (
          SELECT 1 FROM rollout_targets o JOIN rollouts r ON r.id = o.rollout_id
          WHERE o.cluster_id = t.cluster_id AND o.rollout_seq < t.rollout_seq
            AND o.state IN ('pending', 'queued', 'running') AND r.status IN ('pending', 'running', 'paused'))
      RETURNING t.id::text AS id, t.rollout_id::text AS "rolloutId", t.cluster_id::text AS "clusterId", t.cluster_name AS "clusterName", t.wave, t.position,
        t.state::text AS state, t.attempts, t.created, t.configured, t.unchanged, t.pruned, t.retries, t.requests, t.duration_ms AS "durationMs",
        t.error, t.error_kind AS "errorKind", t.before, t.objects, t.started_at AS "startedAt", t.finished_at AS "finishedAt"`;
    const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : (v ?? null));
    return new Map(
      rows.map((r) => [
        `${r.rolloutId}/${r.clusterId}`,
        { ...r, id: String(r.id), state: r.state as TargetState, before: parse(r.before) as BeforeState | null, objects: parse(r.objects) as ObjectOutcome[] | null },
      ]),
    );
  }

  /** A queued target of a rollout that is not running goes back to pending (resume re-queues it). */
  async unqueue(rolloutId: string, clusterId: string): Promise<void> {
    await this.prisma.db.rolloutTarget.updateMany({ where: { rolloutId, clusterId, state: { in: ['queued', 'running'] } }, data: { state: 'pending' } });
  }

  async waveCounts(rolloutId: string, wave: number): Promise<StateCounts> {
    return (await this.countsByWave(rolloutId)).get(wave) ?? emptyCounts();
  }

  /**
   * Marks up to `n` pending targets of the waves up to `wave` queued (earlier waves first: those
   * are retried targets) and returns their clusters.
   */
  async queueNext(rolloutId: string, wave: number, n: number): Promise<string[]> {
    if (n <= 0) return [];
    const rows = await this.prisma.db.$queryRaw<{ cluster_id: string }[]>`
      UPDATE rollout_targets SET state = 'queued'
      WHERE id IN (SELECT id FROM rollout_targets WHERE rollout_id = ${rolloutId}::uuid AND wave <= ${wave} AND state = 'pending' ORDER BY wave, position LIMIT ${n})
      RETURNING cluster_id`;
    return rows.map((r) => r.cluster_id);
  }

  /**
   * A newer rollout (`by`) of the same gate or binding takes over the clusters it names: the
   * not-yet-started (pending, queued) targets of older open, non-dry-run rollouts of that gate or
   * binding on those clusters become `superseded`. Returns what changed, by older rollout.
   */
  async supersede(by: { id: string; seq: number }, match: { gate: string } | { binding: string }, clusterIds: readonly string[]): Promise<Map<string, string[]>> {
    if (clusterIds.length === 0) return new Map();
    const same = 'gate' in match ? Prisma.sql`r.kind = 'gate' AND r.change->>'gate' = ${match.gate}` : Prisma.sql`r.kind = 'binding' AND r.change->>'binding' = ${match.binding}`;
    // the older rollouts' rows first (as wave control does), then their targets: no lock-order inversion with a worker
    const older = await this.prisma.db.$queryRaw<{ id: string }[]>`
      SELECT r.id::text AS id FROM rollouts r
      WHERE r.seq < ${by.seq} AND r.status IN ('pending', 'running', 'paused') AND NOT r.dry_run AND ${same}
      ORDER BY r.seq FOR UPDATE`;
    if (older.length === 0) return new Map();
    const rows = await this.prisma.db.$queryRaw<{ rollout_id: string; cluster_name: string }[]>`
      UPDATE rollout_targets t SET state = 'superseded', finished_at = now(), error = ${`superseded by rollout ${by.id}`}, error_kind = 'superseded'
      WHERE t.rollout_id = ANY(${older.map((o) => o.id)}::uuid[]) AND t.state IN ('pending', 'queued') AND t.cluster_id = ANY(${[...clusterIds]}::uuid[])
      RETURNING t.rollout_id::text AS rollout_id, t.cluster_name`;
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.rollout_id, [...(out.get(r.rollout_id) ?? []), r.cluster_name]);
    return out;
  }

  /** Targets of a rollout still queued or running. */
  async openTargetCount(rolloutId: string): Promise<number> {
    return this.prisma.db.rolloutTarget.count({ where: { rolloutId, state: { in: ['queued', 'running'] } } });
  }

  /** Failed targets of a rollout (all, or of the named clusters), for a retry. */
  async failedTargets(rolloutId: string): Promise<Array<{ id: string; clusterName: string }>> {
    return this.prisma.db.rolloutTarget.findMany({ where: { rolloutId, state: 'failed' }, select: { id: true, clusterName: true }, orderBy: { position: 'asc' } });
  }

  /** Failed targets become pending again under the same rollout (their attempts count on); the result of the failed run is cleared. */
  async resetFailed(rolloutId: string, targetIds: readonly string[]): Promise<number> {
    const res = await this.prisma.db.rolloutTarget.updateMany({
      where: { rolloutId, id: { in: [...targetIds] }, state: 'failed' },
      data: { state: 'pending', error: null, errorKind: null, startedAt: null, finishedAt: null, durationMs: null, retries: 0, requests: 0, objects: Prisma.DbNull },
    });
    return res.count;
  }

  /** Pending and queued targets (of every wave) become skipped. */
  async skipOpen(rolloutId: string): Promise<number> {
    const res = await this.prisma.db.rolloutTarget.updateMany({ where: { rolloutId, state: { in: ['pending', 'queued'] } }, data: { state: 'skipped', finishedAt: new Date() } });
    return res.count;
  }

  /** Queued and running targets of running rollouts: what must have a job (the sweeper re-adds lost ones). */
  async openTargets(take: number): Promise<Array<{ rolloutId: string; clusterId: string }>> {
    const rows = await this.prisma.db.$queryRaw<{ rollout_id: string; cluster_id: string }[]>`
      SELECT t.rollout_id, t.cluster_id FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id
      WHERE r.status = 'running' AND t.state IN ('queued', 'running') ORDER BY t.rollout_seq, t.position LIMIT ${take}`;
    return rows.map((r) => ({ rolloutId: r.rollout_id, clusterId: r.cluster_id }));
  }

  /** Targets by state and rollouts by status, fleet-wide (for metrics). */
  async stateTotals(): Promise<{ targets: Record<string, number>; rollouts: Record<string, number> }> {
    const [t, r] = await Promise.all([
      this.prisma.db.rolloutTarget.groupBy({ by: ['state'], _count: { _all: true } }),
      this.prisma.db.rollout.groupBy({ by: ['status'], _count: { _all: true } }),
    ]);
    return { targets: Object.fromEntries(t.map((x) => [x.state, x._count._all])), rollouts: Object.fromEntries(r.map((x) => [x.status, x._count._all])) };
  }

  /**
   * Records the terminal results of many targets in one statement; a target that has a result
   * already (a re-delivered job) is left alone. Returns the ids that got their result now.
   */
  async finishMany(items: ReadonlyArray<{ targetId: string; result: TargetResult; before: BeforeState | null }>): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const rows = items.map(({ targetId, result: r, before }) => ({
      id: targetId,
      state: r.state,
      created: r.created,
      configured: r.configured,
      unchanged: r.unchanged,
      pruned: r.pruned,
      retries: r.retries,
      requests: r.requests,
      duration_ms: r.durationMs,
      error: r.error,
      error_kind: r.errorKind,
      objects: r.objects,
      before,
    }));
    const done = await this.prisma.db.$queryRaw<{ id: string }[]>`
      UPDATE rollout_targets t SET state = v.state::"RolloutTargetState", created = v.created, configured = v.configured, unchanged = v.unchanged,
        pruned = v.pruned, retries = v.retries, requests = v.requests, duration_ms = v.duration_ms, error = v.error, error_kind = v.error_kind,
        objects = v.objects, before = v.before, finished_at = now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, state text, created int, configured int, unchanged int, pruned int,
        retries int, requests int, duration_ms int, error text, error_kind text, objects jsonb, before jsonb)
      WHERE t.id = v.id AND t.state = 'running'
      RETURNING t.id`;
    return new Set(done.map((d) => d.id));
  }
}

type ClaimedRow = Omit<RolloutTarget, 'state' | 'before' | 'objects'> & { state: string; before: unknown; objects: unknown };
