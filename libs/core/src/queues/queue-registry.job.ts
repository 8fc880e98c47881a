import { z } from 'zod';

/**
 * The typed queue registry (CONVENTIONS rule 13): every queue, every job name in it, and the
 * payload schema of each. Producers and processors use only these names; the worker refuses to
 * start when a name here has no handler.
 */
export const QUEUES = {
  'cluster-probe': {
    'probe-all-clusters': z.strictObject({}),
    'probe-cluster': z.strictObject({ clusterId: z.uuid() }),
  },
  /**
   * one job per (rollout, cluster): id `rollout-target-<rolloutId>-<clusterId>`; the job scheduler's
   * `sweep-open-targets` re-adds the jobs of open targets that lost theirs
   */
  'rollout-target': {
    'run-target': z.strictObject({ rolloutId: z.uuid(), clusterId: z.uuid() }),
    'sweep-open-targets': z.strictObject({}),
  },
  maintenance: {
    'purge-idempotency-records': z.strictObject({}),
  },
  /** drift: the scheduler's round fans out into per-second batches; a requested scan is a batch of one */
  'drift-scan': {
    'drift-scan-round': z.strictObject({}),
    'drift-scan-batch': z.strictObject({ clusterIds: z.array(z.uuid()).min(1).max(5000), scanIds: z.record(z.uuid(), z.uuid()).optional() }),
  },
} as const;

export type QueueName = keyof typeof QUEUES;

/** The queue names, for processors, schedulers and producers (no queue name is spelled elsewhere). */
export const QUEUE = {
  clusterProbe: 'cluster-probe',
  rolloutTarget: 'rollout-target',
  maintenance: 'maintenance',
  driftScan: 'drift-scan',
} as const satisfies Record<string, QueueName>;
export type JobName<Q extends QueueName> = keyof (typeof QUEUES)[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = z.output<(typeof QUEUES)[Q][J] extends z.ZodType ? (typeof QUEUES)[Q][J] : never>;

export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export function jobNames<Q extends QueueName>(queue: Q): JobName<Q>[] {
  return Object.keys(QUEUES[queue]) as JobName<Q>[];
}

/** Validates a payload against the registry (the processor's first step). */
export function parseJobPayload<Q extends QueueName, J extends JobName<Q>>(queue: Q, job: J, data: unknown): JobPayload<Q, J> {
  const schema = QUEUES[queue][job] as unknown as z.ZodType;
  const result = schema.safeParse(data);
  if (!result.success) throw new Error(`Bad payload for ${queue}/${job}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data as JobPayload<Q, J>;
}

/**
 * Deterministic job ids that mean exactly "the same work". BullMQ drops a job whose id exists and
 * rejects ids containing ':' or made only of digits, so ids are `<job>-<parts>` with ':' replaced.
 */
export function jobId(job: string, ...parts: string[]): string {
  return [job, ...parts].join('-').replace(/:/g, '_');
}

export type JobHandlers<Q extends QueueName> = { [J in JobName<Q>]: (payload: JobPayload<Q, J>) => Promise<unknown> };

/** Throws when any registered job name of `queue` lacks a handler (or a handler has no job). */
export function assertHandlersComplete(queue: QueueName, handled: readonly string[]): void {
  const names = Object.keys(QUEUES[queue]);
  const missing = names.filter((n) => !handled.includes(n));
  const unknown = handled.filter((n) => !names.includes(n));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `Queue "${queue}": ${missing.length ? `no handler for job(s) ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `handler(s) for unregistered job(s) ${unknown.join(', ')}` : ''}`,
    );
  }
}
