import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, AssignedStateService, DesiredStateService, FeatureGateService, type PutDefaultingTemplateInput, putDefaultingTemplateSchema } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { openApiSchema, problemSchema } from '../common/openapi.js';
import {
  type ClusterGateDto,
  type DefaultingTemplateDto,
  clusterGatesDtoSchema,
  defaultingTemplateDtoSchema,
  toClusterGateDto,
  toDefaultingTemplateDto,
} from '../feature-gates/feature-gate.dto.js';
import {
  type AssignedPolicyDto,
  type DesiredPoliciesDto,
  type PlanDto,
  assignedPoliciesDtoSchema,
  desiredPoliciesDtoSchema,
  planDtoSchema,
  toAssignedPolicyDto,
  toDesiredPoliciesDto,
  toPlanDto,
} from './desired-state.dto.js';

/** A cluster's gates, its seed's defaulting template, and its desired and assigned policies. */
@ApiTags('clusters')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@ApiResponse({ status: 404, schema: problemSchema })
@Controller('api/v1/clusters')
export class ClusterStateController {
  constructor(
    private readonly gates: FeatureGateService,
    private readonly desired: DesiredStateService,
    private readonly assigned: AssignedStateService,
  ) {}

  @Get(':ref/feature-gates')
  @ApiOperation({ summary: 'Every gate with its effective value on the cluster and why: explicit, seedTemplate (copied at registration) or default' })
  @ApiResponse({ status: 200, schema: openApiSchema(clusterGatesDtoSchema) })
  async featureGates(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<{ items: ClusterGateDto[] }> {
    return { items: (await this.gates.forCluster(actor, ref)).items.map(toClusterGateDto) };
  }

  @Get(':ref/defaulting-template')
  @ApiOperation({ summary: "A seed's defaulting template of gate values" })
  @ApiResponse({ status: 200, schema: openApiSchema(defaultingTemplateDtoSchema) })
  async defaultingTemplate(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<DefaultingTemplateDto> {
    return toDefaultingTemplateDto(await this.gates.getDefaultingTemplate(actor, ref));
  }

  @Put(':ref/defaulting-template')
  @RequireRole('admin')
  @ApiOperation({ summary: "Replace a seed's defaulting template: applies to user clusters registered from now on, never to existing ones" })
  @ApiBody({ schema: openApiSchema(putDefaultingTemplateSchema) })
  @ApiResponse({ status: 200, schema: openApiSchema(defaultingTemplateDtoSchema) })
  async putDefaultingTemplate(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Body() body: PutDefaultingTemplateInput): Promise<DefaultingTemplateDto> {
    return toDefaultingTemplateDto(await this.gates.putDefaultingTemplate(actor, ref, body));
  }

  @Get(':ref/desired-policies')
  @ApiOperation({ summary: 'Every NetworkPolicy the cluster should hold: target, rendered body, hash and origin' })
  @ApiResponse({ status: 200, schema: openApiSchema(desiredPoliciesDtoSchema) })
  async desiredPolicies(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<DesiredPoliciesDto> {
    return toDesiredPoliciesDto((await this.desired.forCluster(actor, ref)).state);
  }

  @Get(':ref/assigned-policies')
  @ApiOperation({ summary: 'What the last successful rollout put in place for the cluster' })
  @ApiResponse({ status: 200, schema: openApiSchema(assignedPoliciesDtoSchema) })
  async assignedPolicies(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<{ items: AssignedPolicyDto[] }> {
    return { items: (await this.assigned.forCluster(actor, ref)).items.map(toAssignedPolicyDto) };
  }

  @Get(':ref/plan')
  @ApiOperation({ summary: 'Intended against assigned: what a rollout would create, update and delete on the cluster' })
  @ApiResponse({ status: 200, schema: openApiSchema(planDtoSchema) })
  async plan(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<PlanDto> {
    return toPlanDto(await this.assigned.plan(actor, ref));
  }
}
