import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { systemActor } from '../auth/actor.js';
import { DriftScanService } from './drift-scan.service.js';
import { DriftWatchRepository } from './drift-watch.repository.js';

/** Events are gathered this long before their clusters are judged (one batch, shared reads). */
const SETTLE_MS = 100;
/** A cluster a rollout is writing to is looked at again after this long. */
const BUSY_RETRY_MS = 250;
const BATCH = 50;
const PARALLEL = 4;

/**
 * What a watch event does: the cluster the changed object belongs to is judged at once, by the
 * drift scan itself (`DriftScanService.scan`: the same listing, the same normalised
 * `compareDrift`, the same finding lifecycle and the same repair in `enforce` mode), batched over
 * a short settling time. Two things are held back, so that a rollout never shows up as drift:
 * fleetgate's own writes (`ours`) are judged only when the cluster has findings to resolve, and a
 * cluster that a rollout target is writing to waits until the target is recorded.
 */
@Injectable()
export class DriftWatchService implements OnModuleDestroy {
  private readonly logger = new Logger(DriftWatchService.name);
  private readonly actor = systemActor('drift');
  private certain = new Set<string>();
  private ours = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;
  /** the last round left clusters a rollout was writing to: look again sooner than a settle */
  private pendingBusy = false;
  readonly stats = { events: 0, judged: 0, deferred: 0, skipped: 0 };

  constructor(
    private readonly scans: DriftScanService,
    private readonly watchRows: DriftWatchRepository,
  ) {}

  /**
   * An object of cluster `clusterId` changed: `certain` for someone else's change (or a
   * deletion), `ours` when fleetgate wrote it last.
   */
  changed(clusterId: string, how: 'certain' | 'ours'): void {
    if (this.stopped) return;
    this.stats.events++;
    if (how === 'certain') {
      this.certain.add(clusterId);
      this.ours.delete(clusterId);
    } else if (!this.certain.has(clusterId)) this.ours.add(clusterId);
    this.schedule(SETTLE_MS);
  }

  private schedule(ms: number): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flush()
        .catch((error: unknown) => this.logger.warn(`judging watched clusters failed: ${(error as Error).message}`))
        .finally(() => {
          this.flushing = undefined;
          if (this.certain.size || this.ours.size) this.schedule(this.pendingBusy ? BUSY_RETRY_MS : SETTLE_MS);
        });
    }, ms);
  }

  private async flush(): Promise<void> {
    const certain = [...this.certain];
    const ours = [...this.ours];
    this.certain = new Set();
    this.ours = new Set();
    this.pendingBusy = false;
    const withFindings = await this.watchRows.withOpenFindings(ours);
    this.stats.skipped += ours.length - withFindings.size;
    const due = [...certain, ...ours.filter((id) => withFindings.has(id))];
    if (due.length === 0) return;
    const busy = await this.watchRows.busy(due);
    if (busy.size > 0) {
      // judged again once the rollout's target is recorded
      for (const id of busy) this.certain.add(id);
      this.stats.deferred += busy.size;
      this.pendingBusy = true;
    }
    const ready = due.filter((id) => !busy.has(id));
    const batches: string[][] = [];
    for (let i = 0; i < ready.length; i += BATCH) batches.push(ready.slice(i, i + BATCH));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL, batches.length) }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] as string[];
          await this.scans.scan(this.actor, batch);
          this.stats.judged += batch.length;
        }
      }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
  }
}
