import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AssignedStateService, ClusterInventoryService, ClusterService, CoreModule, DesiredStateService, DriftWatchStatusService, FeatureGateService, type FleetgateConfig, TokenService } from '@fleetgate/core';
import { LoggerModule } from 'nestjs-pino';
import { AuditEventsController } from './audit/audit-events.controller.js';
import { BindingsController } from './bindings/bindings.controller.js';
import { ClusterStateController } from './desired-state/cluster-state.controller.js';
import { createPolicyLoaders } from './desired-state/desired-state.loaders.js';
import { DriftEventsPubSub } from './drift/drift-events.pubsub.js';
import { DriftController } from './drift/drift.controller.js';
import { InventoryController } from './inventory/inventory.controller.js';
import { FeatureGatesController } from './feature-gates/feature-gates.controller.js';
import { CatalogInstallService } from './policy-templates/catalog-install.service.js';
import { PolicyTemplatesController } from './policy-templates/policy-templates.controller.js';
import { createClusterLoaders } from './clusters/cluster.loaders.js';
import { createInventoryLoaders } from './inventory/inventory.loaders.js';
import { ClustersController } from './clusters/clusters.controller.js';
import { type AuthedRequest } from './common/auth.decorator.js';
import type { HttpResponse } from './common/http.types.js';
import { QueueBoardSessionRepository } from './admin/queue-board-session.repository.js';
import { AuthGuard } from './common/auth.guard.js';
import { IdempotencyInterceptor } from './common/idempotency.interceptor.js';
import { KnownQueryInterceptor } from './common/known-query.interceptor.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { ComplexityPlugin } from './graphql/complexity.plugin.js';
import { depthLimit } from './graphql/depth-limit.rule.js';
import type { GqlContext } from './graphql/graphql-context.js';
import { formatGraphqlError } from './graphql/graphql-error.formatter.js';
import { RESOLVERS } from './graphql/resolvers.js';
import { type WsExtra, authenticateConnection } from './graphql/subscription-auth.guard.js';
import { HealthController } from './health/health.controller.js';
import { NetpolController } from './netpol/netpol.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { RolloutEventsPubSub } from './rollouts/rollout-events.pubsub.js';
import { RolloutsController } from './rollouts/rollouts.controller.js';
import { TokensController } from './tokens/tokens.controller.js';

export const MAX_QUERY_DEPTH = 8;

export interface ApiModuleOptions {
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: Writable;
  /** The console's built files (default: apps/console/dist) */
  consoleDir?: string;
}

/** The HTTP app: REST under /api/v1, GraphQL at /graphql, health endpoints; domain from CoreModule. */
@Module({})
export class ApiModule {
  static forRoot(config: FleetgateConfig, options: ApiModuleOptions = {}): DynamicModule {
    const pinoOptions = {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => String((req as IncomingMessage & { id?: unknown }).id ?? ''),
      // Only these request fields are ever logged: no headers (Authorization), no bodies (credentials).
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      redact: { paths: ['req.headers', 'headers', 'authorization', '*.authorization', 'body'], remove: true },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/healthz' || req.url === '/readyz' },
    };
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: options.logStream ? [pinoOptions, options.logStream] : pinoOptions }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ClusterService, FeatureGateService, DesiredStateService, AssignedStateService, DriftWatchStatusService, ClusterInventoryService, TokenService],
          useFactory: (clusters: ClusterService, gates: FeatureGateService, desired: DesiredStateService, assigned: AssignedStateService, watches: DriftWatchStatusService, inventory: ClusterInventoryService, tokens: TokenService) => ({
            path: '/graphql',
            autoSchemaFile: true,
            sortSchema: true,
            playground: false,
            introspection: true,
            csrfPrevention: true,
            validationRules: [depthLimit(MAX_QUERY_DEPTH)],
            formatError: formatGraphqlError,
            // Never, whatever NODE_ENV says: stack traces name files and lines of the server.
            includeStacktraceInErrorResponses: false,
            // graphql-ws: the token is checked once at connection_init (4401 without, 4403 when wrong)
            subscriptions: { 'graphql-ws': { onConnect: authenticateConnection(tokens) } },
            context: ({ req: httpReq, res, connectionParams, extra }: { req?: AuthedRequest; res?: HttpResponse; connectionParams?: Record<string, unknown>; extra?: WsExtra }): GqlContext => {
              const req = httpReq ?? ({ headers: { authorization: String(connectionParams?.authorization ?? '') }, actor: extra?.actor } as unknown as AuthedRequest);
              const actor = () => {
                if (!req.actor) throw new Error('GraphQL loader used before authentication');
                return req.actor;
              };
              return { req, ...(res ? { res } : {}), loaders: { ...createClusterLoaders(clusters, watches, actor), ...createPolicyLoaders({ gates, desired, assigned }, actor), ...createInventoryLoaders(inventory, actor) } };
            },
          }),
        }),
      ],
      controllers: [
        ClustersController,
        ClusterStateController,
        DriftController,
        InventoryController,
        FeatureGatesController,
        PolicyTemplatesController,
        BindingsController,
        RolloutsController,
        MetricsController,
        TokensController,
        AuditEventsController,
        NetpolController,
        HealthController,
      ],
      providers: [
        ...RESOLVERS,
        RolloutEventsPubSub,
        DriftEventsPubSub,
        ComplexityPlugin,
        QueueBoardSessionRepository,
        CatalogInstallService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: KnownQueryInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
