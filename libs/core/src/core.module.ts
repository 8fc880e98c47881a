import { type DynamicModule, Global, Module, type Provider, type Type } from '@nestjs/common';
import { AuditRepository, AuditService } from './audit/index.js';
import { TokenRepository, TokenService } from './tokens/index.js';
import { ClusterClientsService, ClusterCredentialsService, ClusterProbeQueue, ClusterProbeService, ClusterRepository, ClusterService } from './clusters/index.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from './config/index.js';
import { keyRingProvider } from './crypto/index.js';
import { KeyRotationService } from './key-rotation/index.js';
import { IdempotencyRepository, IdempotencyService } from './idempotency/index.js';
import { NetpolService } from './netpol/index.js';
import { PrismaService } from './prisma/index.js';
import { RedisConnections } from './queues/index.js';
import {
  ROLLOUT_OBSERVER,
  RolloutDispatchService,
  type RolloutObserver,
  RolloutRepository,
  RolloutResultWriter,
  RolloutResultsService,
  RolloutService,
  RolloutSweepService,
  RolloutTargetContextService,
  RolloutTargetRunner,
  RolloutWaveService,
  noRolloutObserver,
} from './rollouts/index.js';
import { BindingRepository, BindingService } from './bindings/index.js';
import { AssignedStateRepository, AssignedStateService, ClusterFactsService, DesiredStateService } from './desired-state/index.js';
import {
  DriftActionService,
  DriftRepairService,
  DriftRepository,
  DriftScanQueue,
  DriftScanService,
  DriftService,
  DriftTelemetry,
  DriftWatchLeaseRepository,
  DriftWatchRepository,
  DriftWatchService,
  DriftWatchStatusService,
} from './drift/index.js';
import { FeatureGateRepository, FeatureGateService } from './feature-gates/index.js';
import { BuiltInCatalogService, PolicyTemplateRepository, PolicyTemplateService } from './policy-templates/index.js';

const providers = [
  PrismaService,
  RedisConnections,
  keyRingProvider,
  AuditRepository,
  AuditService,
  TokenRepository,
  TokenService,
  ClusterRepository,
  ClusterCredentialsService,
  ClusterClientsService,
  ClusterService,
  ClusterProbeService,
  ClusterProbeQueue,
  IdempotencyRepository,
  IdempotencyService,
  KeyRotationService,
  FeatureGateRepository,
  FeatureGateService,
  ClusterFactsService,
  PolicyTemplateRepository,
  PolicyTemplateService,
  BuiltInCatalogService,
  BindingRepository,
  BindingService,
  DesiredStateService,
  AssignedStateRepository,
  AssignedStateService,
  RolloutRepository,
  RolloutDispatchService,
  RolloutWaveService,
  RolloutResultWriter,
  RolloutResultsService,
  RolloutTargetContextService,
  RolloutTargetRunner,
  RolloutSweepService,
  RolloutService,
  NetpolService,
  DriftRepository,
  DriftTelemetry,
  DriftRepairService,
  DriftActionService,
  DriftScanService,
  DriftScanQueue,
  DriftService,
  DriftWatchLeaseRepository,
  DriftWatchRepository,
  DriftWatchService,
  DriftWatchStatusService,
];

/** The domain services shared by api and worker, over one config object passed in explicitly. */
@Global()
@Module({})
export class CoreModule {
  /** `rolloutObserver`: the class that observes rollout targets for metrics (the worker's); none by default. */
  static forRoot(config: FleetgateConfig, options: { rolloutObserver?: Type<RolloutObserver> } = {}): DynamicModule {
    const observer: Provider[] = options.rolloutObserver
      ? [options.rolloutObserver, { provide: ROLLOUT_OBSERVER, useExisting: options.rolloutObserver }]
      : [{ provide: ROLLOUT_OBSERVER, useValue: noRolloutObserver }];
    return {
      module: CoreModule,
      providers: [{ provide: FLEETGATE_CONFIG, useValue: config }, ...providers, ...observer],
      exports: [FLEETGATE_CONFIG, ...providers, ...observer],
    };
  }
}
