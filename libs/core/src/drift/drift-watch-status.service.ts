import { Injectable } from '@nestjs/common';
import { type Actor, assertRole } from '../auth/actor.js';
import { DriftWatchLeaseRepository, type WatchStatus } from './drift-watch-lease.repository.js';

/** The API's side of drift watches: whether a cluster is watched right now. */
@Injectable()
export class DriftWatchStatusService {
  constructor(private readonly leases: DriftWatchLeaseRepository) {}

  /** `connected`, `reconnecting`, or `off` (watches off, or no live worker holds the cluster's watch). */
  async statuses(actor: Actor, clusterIds: readonly string[]): Promise<Map<string, WatchStatus>> {
    assertRole(actor, 'viewer', 'Reading clusters');
    try {
      return await this.leases.statuses(clusterIds);
    } catch {
      // Redis down: the cluster is still shown; its watch cannot be vouched for
      return new Map(clusterIds.map((id) => [id, 'off' as const]));
    }
  }
}
