import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  type CreateFeatureGateInput,
  FeatureGateService,
  type GateFleetQuery,
  type ListPageInput,
  type UpdateFeatureGateInput,
  createFeatureGateSchema,
  updateFeatureGateSchema,
  listPageSchema,
} from '@fleetgate/core';
import { z } from 'zod';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { ApiQueryFrom, openApiSchema, problemSchema } from '../common/openapi.js';
import { type FeatureGateDto, type GateFleetDto, featureGateDtoSchema, gateFleetDtoSchema, toFeatureGateDto, toGateFleetDto } from './feature-gate.dto.js';

@ApiTags('feature-gates')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@Controller('api/v1/feature-gates')
export class FeatureGatesController {
  constructor(private readonly gates: FeatureGateService) {}

  @Get()
  @ApiOperation({ summary: 'Gate definitions, by key' })
  @ApiResponse({ status: 200, schema: openApiSchema(z.object({ items: z.array(featureGateDtoSchema), nextCursor: z.string().nullable() })) })
  @ApiQueryFrom(listPageSchema)
  async list(@CurrentActor() actor: Actor, @Query() query: ListPageInput): Promise<{ items: FeatureGateDto[]; nextCursor: string | null }> {
    const page = await this.gates.listDefinitions(actor, query);
    return { items: page.items.map(toFeatureGateDto), nextCursor: page.nextCursor };
  }

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Define a gate (key, description, default); the default is fixed once defined' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(createFeatureGateSchema) })
  @ApiResponse({ status: 201, schema: openApiSchema(featureGateDtoSchema) })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateFeatureGateInput): Promise<FeatureGateDto> {
    return toFeatureGateDto(await this.gates.createDefinition(actor, body));
  }

  @Get(':key')
  @ApiResponse({ status: 200, schema: openApiSchema(featureGateDtoSchema) })
  async get(@CurrentActor() actor: Actor, @Param('key') key: string): Promise<FeatureGateDto> {
    return toFeatureGateDto(await this.gates.getDefinition(actor, key));
  }

  @Patch(':key')
  @RequireRole('admin')
  @ApiOperation({ summary: "Change a gate's description" })
  @ApiBody({ schema: openApiSchema(updateFeatureGateSchema) })
  @ApiResponse({ status: 200, schema: openApiSchema(featureGateDtoSchema) })
  async update(@CurrentActor() actor: Actor, @Param('key') key: string, @Body() body: UpdateFeatureGateInput): Promise<FeatureGateDto> {
    return toFeatureGateDto(await this.gates.updateDefinition(actor, key, body));
  }

  @Get(':key/clusters')
  @ApiOperation({ summary: 'Fleet view of a gate: clusters on and off (counts) and one page of clusters with their value and its source' })
  @ApiQuery({ name: 'labelSelector', required: false })
  @ApiQuery({ name: 'enabled', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'role', required: false, enum: ['seed', 'user'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiResponse({ status: 200, schema: openApiSchema(gateFleetDtoSchema) })
  async fleet(@CurrentActor() actor: Actor, @Param('key') key: string, @Query() query: GateFleetQuery): Promise<GateFleetDto> {
    return toGateFleetDto(await this.gates.fleetView(actor, key, query));
  }
}
