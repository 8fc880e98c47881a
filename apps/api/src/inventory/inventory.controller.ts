import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, ClusterInventoryService, InventoryRefreshService, type InventoryQuery } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import type { HttpResponse } from '../common/http.types.js';
import { openApiSchema, problemSchema } from '../common/openapi.js';
import { type InventoryDto, inventoryDtoSchema, inventoryScanAcceptedDtoSchema, toInventoryDto } from './inventory.dto.js';

/** What runs in a cluster: its last inventory snapshot, and scans on demand. */
@ApiTags('inventory')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@Controller('api/v1/clusters')
export class InventoryController {
  constructor(
    private readonly inventory: ClusterInventoryService,
    private readonly refresh: InventoryRefreshService,
  ) {}

  @Get(':ref/inventory')
  @ApiOperation({ summary: "A cluster's inventory: counts, namespaces, and a page of Services and pods (namespace/name order)" })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiQuery({ name: 'labelSelector', required: false, example: 'app=prometheus' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiResponse({ status: 200, schema: openApiSchema(inventoryDtoSchema) })
  @ApiResponse({ status: 404, schema: problemSchema })
  async get(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Query() query: InventoryQuery): Promise<InventoryDto> {
    return toInventoryDto(await this.inventory.get(actor, ref, query));
  }

  @Post(':ref/inventory-scan')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Read the cluster inventory now: 202; with ?wait=true, 200 with the fresh inventory' })
  @ApiQuery({ name: 'wait', required: false, schema: { type: 'boolean' } })
  @ApiResponse({ status: 202, schema: openApiSchema(inventoryScanAcceptedDtoSchema) })
  @ApiResponse({ status: 200, schema: openApiSchema(inventoryDtoSchema) })
  @ApiResponse({ status: 404, schema: problemSchema })
  async scan(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Query('wait') wait: string | undefined,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<InventoryDto | { cluster: string; requestedAt: string }> {
    if (wait !== 'true' && wait !== '1') {
      const r = await this.refresh.requestScan(actor, ref);
      return { cluster: r.cluster, requestedAt: r.requestedAt.toISOString() };
    }
    const view = await this.refresh.scanNow(actor, ref);
    res.status(200);
    return toInventoryDto(view);
  }
}
