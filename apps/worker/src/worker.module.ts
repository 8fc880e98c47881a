import { type DynamicModule, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CoreModule, type FleetgateConfig, QueuesModule } from '@fleetgate/core';
import { LoggerModule } from 'nestjs-pino';
import { ClusterProbeProcessor } from './cluster-probe/cluster-probe.processor.js';
import { ClusterProbeScheduler } from './cluster-probe/cluster-probe.scheduler.js';
import { DriftScanProcessor } from './drift-scan/drift-scan.processor.js';
import { DriftScanScheduler } from './drift-scan/drift-scan.scheduler.js';
import { DriftWatchesService } from './drift-watch/drift-watches.service.js';
import { JobHandlerRegistry } from './jobs/job-handler-registry.service.js';
import { MetricsListener } from './metrics/metrics-listener.service.js';
import { RolloutMetrics } from './rollout-target/rollout-metrics.service.js';
import { RolloutSweepScheduler } from './rollout-target/rollout-sweep.scheduler.js';
import { RolloutTargetProcessor } from './rollout-target/rollout-target.processor.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';

/** The worker: BullMQ processors over the same domain services as the API, and no HTTP. */
@Module({})
export class WorkerModule implements OnApplicationBootstrap {
  constructor(private readonly registry: JobHandlerRegistry) {}

  static forRoot(config: FleetgateConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config, { rolloutObserver: RolloutMetrics }), QueuesModule.forRoot(config), LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } })],
      providers: [JobHandlerRegistry, RolloutTargetProcessor, RolloutSweepScheduler, MetricsListener, ClusterProbeProcessor, ClusterProbeScheduler, MaintenanceProcessor, DriftScanProcessor, DriftScanScheduler, DriftWatchesService],
    };
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }
}
