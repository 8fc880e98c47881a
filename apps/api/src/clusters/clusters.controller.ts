import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  type Cluster,
  ClusterProbeService,
  ClusterService,
  type ListClustersInput,
  type RegisterClusterInput,
  DriftWatchStatusService,
  type UpdateClusterInput,
  registerClusterSchema,
  updateClusterSchema,
} from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { openApiSchema, problemSchema } from '../common/openapi.js';
import { type ClusterDto, type ClusterPageDto, clusterDtoSchema, clusterPageDtoSchema, toClusterDto } from './cluster.dto.js';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Replays return the first response; another body under the same key is 422.' };

@ApiTags('clusters')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No or bad token', schema: problemSchema })
@ApiResponse({ status: 403, description: 'Role too low', schema: problemSchema })
@Controller('api/v1/clusters')
export class ClustersController {
  constructor(
    private readonly clusters: ClusterService,
    private readonly probes: ClusterProbeService,
    private readonly watches: DriftWatchStatusService,
  ) {}

  private async dto(actor: Actor, c: Cluster): Promise<ClusterDto> {
    return toClusterDto(c, (await this.watches.statuses(actor, [c.id])).get(c.id) ?? 'off');
  }

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Register a cluster (kubeconfig, or server + CA + token)' })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(registerClusterSchema) })
  @ApiResponse({ status: 201, schema: openApiSchema(clusterDtoSchema) })
  @ApiResponse({ status: 400, schema: problemSchema })
  async register(@CurrentActor() actor: Actor, @Body() body: RegisterClusterInput): Promise<ClusterDto> {
    return this.dto(actor, await this.clusters.register(actor, body));
  }

  @Get()
  @ApiOperation({ summary: 'List clusters, by label selector and role, one page at a time' })
  @ApiQuery({ name: 'labelSelector', required: false, example: 'env=prod,tier in (gold,silver),!legacy' })
  @ApiQuery({ name: 'role', required: false, enum: ['seed', 'user'] })
  @ApiQuery({ name: 'seed', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiResponse({ status: 200, schema: openApiSchema(clusterPageDtoSchema) })
  async list(@CurrentActor() actor: Actor, @Query() query: ListClustersInput): Promise<ClusterPageDto> {
    const page = await this.clusters.list(actor, query);
    const watch = await this.watches.statuses(actor, page.items.map((c) => c.id));
    return { items: page.items.map((c) => toClusterDto(c, watch.get(c.id) ?? 'off')), nextCursor: page.nextCursor };
  }

  @Get(':ref')
  @ApiOperation({ summary: 'One cluster, by id or name' })
  @ApiResponse({ status: 200, schema: openApiSchema(clusterDtoSchema) })
  @ApiResponse({ status: 404, schema: problemSchema })
  async get(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<ClusterDto> {
    return this.dto(actor, await this.clusters.get(actor, ref));
  }

  @Patch(':ref')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change labels, networks, blocked CIDRs, control-plane namespace or credentials' })
  @ApiBody({ schema: openApiSchema(updateClusterSchema) })
  @ApiResponse({ status: 200, schema: openApiSchema(clusterDtoSchema) })
  async update(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Body() body: UpdateClusterInput): Promise<ClusterDto> {
    return this.dto(actor, await this.clusters.update(actor, ref, body));
  }

  @Delete(':ref')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a cluster; a seed that still hosts user clusters is refused (409 + userClusters)' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 409, schema: problemSchema })
  async remove(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<void> {
    await this.clusters.remove(actor, ref);
  }

  @Post(':ref/probe')
  @RequireRole('operator')
  @HttpCode(200)
  @ApiOperation({ summary: "Call the cluster's /version now and record its health" })
  @ApiHeader(idempotencyHeader)
  @ApiResponse({ status: 200, schema: openApiSchema(clusterDtoSchema) })
  async probe(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<ClusterDto> {
    return this.dto(actor, await this.probes.probe(actor, ref));
  }
}
