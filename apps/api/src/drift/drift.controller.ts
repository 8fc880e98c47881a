import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, DriftService, type FleetScanInput, type ListDriftInput, fleetScanSchema, listDriftSchema } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import type { HttpResponse } from '../common/http.types.js';
import { ApiQueryFrom, openApiSchema, problemSchema } from '../common/openapi.js';
import {
  type ClusterDriftDto,
  type DriftFindingDto,
  type DriftScanDto,
  type DriftSummaryDto,
  clusterDriftDtoSchema,
  driftPageDtoSchema,
  driftSummaryDtoSchema,
  fleetScanDtoSchema,
  scanAcceptedDtoSchema,
  scanResultDtoSchema,
  toClusterDriftDto,
  toDriftFindingDto,
  toDriftScanDto,
} from './drift.dto.js';

/** Drift: findings across the fleet and per cluster, and scans on demand. */
@ApiTags('drift')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@Controller('api/v1')
export class DriftController {
  constructor(private readonly drift: DriftService) {}

  @Get('drift')
  @ApiOperation({ summary: 'Open (and contested) drift findings across the fleet, oldest first' })
  @ApiQueryFrom(listDriftSchema, { labelSelector: 'env=prod', cluster: 'seed-01-user-01', binding: 'kkp-apiserver' })
  @ApiResponse({ status: 200, schema: openApiSchema(driftPageDtoSchema) })
  async list(@CurrentActor() actor: Actor, @Query() query: ListDriftInput): Promise<{ items: DriftFindingDto[]; nextCursor: string | null }> {
    const page = await this.drift.list(actor, query);
    return { items: page.items.map(toDriftFindingDto), nextCursor: page.nextCursor };
  }

  @Get('drift/summary')
  @ApiOperation({ summary: 'Clusters in sync, drifted, unreachable and never scanned' })
  @ApiQuery({ name: 'labelSelector', required: false })
  @ApiResponse({ status: 200, schema: openApiSchema(driftSummaryDtoSchema) })
  summary(@CurrentActor() actor: Actor, @Query('labelSelector') labelSelector?: string): Promise<DriftSummaryDto> {
    return this.drift.summary(actor, labelSelector);
  }

  @Post('drift/scans')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Scan every cluster matching a label selector (all when empty) now' })
  @ApiBody({ schema: openApiSchema(fleetScanSchema) })
  @ApiResponse({ status: 202, schema: openApiSchema(fleetScanDtoSchema) })
  fleetScan(@CurrentActor() actor: Actor, @Body() body: FleetScanInput): Promise<{ scanIds: string[]; clusters: number }> {
    return this.drift.requestFleetScan(actor, body ?? {});
  }

  @Get('drift/scans/:scanId')
  @ApiOperation({ summary: 'One drift scan' })
  @ApiResponse({ status: 200, schema: openApiSchema(scanResultDtoSchema) })
  @ApiResponse({ status: 404, schema: problemSchema })
  async getScan(@CurrentActor() actor: Actor, @Param('scanId') scanId: string): Promise<DriftScanDto & { items: DriftFindingDto[] }> {
    const scan = await this.drift.getScan(actor, scanId);
    const done = await this.drift.awaitScan(actor, scan.id, 0);
    return { ...toDriftScanDto(done.scan), items: done.findings.map(toDriftFindingDto) };
  }

  @Post('clusters/:ref/drift-scan')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Scan one cluster now: 202 {scanId}; with ?wait=true, 200 with the scan and its findings once it finished' })
  @ApiQuery({ name: 'wait', required: false, schema: { type: 'boolean' } })
  @ApiResponse({ status: 202, schema: openApiSchema(scanAcceptedDtoSchema) })
  @ApiResponse({ status: 200, schema: openApiSchema(scanResultDtoSchema) })
  @ApiResponse({ status: 404, schema: problemSchema })
  async scan(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Query('wait') wait: string | undefined,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<{ scanId: string } | (DriftScanDto & { items: DriftFindingDto[] })> {
    const scan = await this.drift.requestScan(actor, ref);
    if (wait !== 'true' && wait !== '1') return { scanId: scan.id };
    const done = await this.drift.awaitScan(actor, scan.id);
    if (done.scan.status !== 'queued' && done.scan.status !== 'running') res.status(200);
    return { ...toDriftScanDto(done.scan), items: done.findings.map(toDriftFindingDto) };
  }

  @Get('clusters/:ref/drift')
  @ApiOperation({ summary: "A cluster's drift: current findings (open, contested) and history (resolved)" })
  @ApiResponse({ status: 200, schema: openApiSchema(clusterDriftDtoSchema) })
  @ApiResponse({ status: 404, schema: problemSchema })
  async forCluster(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<ClusterDriftDto> {
    return toClusterDriftDto(await this.drift.forCluster(actor, ref));
  }
}
