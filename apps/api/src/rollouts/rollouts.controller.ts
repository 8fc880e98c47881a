import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  type BindingRolloutInput,
  type GateRolloutInput,
  type HistoryInput,
  type ListRolloutsInput,
  type ListTargetsInput,
  type RetryInput,
  type RollbackInput,
  RolloutService,
  type StartRolloutInput,
  bindingRolloutSchema,
  historySchema,
  listRolloutsSchema,
  listTargetsSchema,
  gateRolloutSchema,
  retrySchema,
  rollbackSchema,
  startRolloutSchema,
} from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { ApiQueryFrom, openApiSchema, problemSchema } from '../common/openapi.js';
import { type RolloutDto, type RolloutTargetDto, toHistoryDto, toRolloutDto, toRolloutTargetDto } from './rollout.dto.js';

type PageDto<T> = { items: T[]; nextCursor: string | null };

@ApiTags('rollouts')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@Controller('api/v1')
export class RolloutsController {
  constructor(private readonly rollouts: RolloutService) {}

  @Post('rollouts')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Start a rollout: a change, its target clusters and a strategy' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(startRolloutSchema) })
  async start(@CurrentActor() actor: Actor, @Body() body: StartRolloutInput): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.start(actor, body));
  }

  @Post('feature-gates/:key/rollouts')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Toggle a feature gate on the clusters a selector chooses, in waves' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(gateRolloutSchema) })
  async startGate(@CurrentActor() actor: Actor, @Param('key') key: string, @Body() body: GateRolloutInput): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.startGate(actor, key, body));
  }

  @Post('bindings/:ref/rollouts')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Carry a binding (created, changed or deleted) to its clusters, in waves' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(bindingRolloutSchema) })
  async startBinding(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Body() body: BindingRolloutInput): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.startBinding(actor, ref, body));
  }

  @Get('rollouts')
  @ApiQueryFrom(listRolloutsSchema)
  async list(@CurrentActor() actor: Actor, @Query() query: ListRolloutsInput): Promise<PageDto<RolloutDto>> {
    const page = await this.rollouts.list(actor, query);
    return { items: page.items.map(toRolloutDto), nextCursor: page.nextCursor };
  }

  @Get('rollouts/:id')
  async get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.get(actor, id));
  }

  @Get('rollouts/:id/targets')
  @ApiQueryFrom(listTargetsSchema)
  async targets(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: ListTargetsInput): Promise<PageDto<RolloutTargetDto>> {
    const page = await this.rollouts.targets(actor, id, query);
    return { items: page.items.map(toRolloutTargetDto), nextCursor: page.nextCursor };
  }

  @Post('rollouts/:id/pause')
  @HttpCode(200)
  @RequireRole('operator')
  async pause(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.pause(actor, id));
  }

  @Post('rollouts/:id/resume')
  @HttpCode(200)
  @RequireRole('operator')
  async resume(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.resume(actor, id));
  }

  @Post('rollouts/:id/cancel')
  @HttpCode(200)
  @RequireRole('operator')
  async cancel(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.cancel(actor, id));
  }

  @Post('rollouts/:id/approve')
  @HttpCode(200)
  @RequireRole('operator')
  async approve(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.approve(actor, id));
  }

  @Post('rollouts/:id/rollback')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiBody({ schema: openApiSchema(rollbackSchema), required: false })
  async rollback(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RollbackInput | undefined): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.rollback(actor, id, body ?? {}));
  }

  @Post('rollouts/:id/retry')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Run failed targets again under the same rollout: all of them, or {"clusters": [...]}; a finished rollout reopens' })
  @ApiBody({ schema: openApiSchema(retrySchema), required: false })
  async retry(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RetryInput | undefined): Promise<RolloutDto> {
    return toRolloutDto(await this.rollouts.retry(actor, id, body ?? {}));
  }

  @Get('clusters/:ref/history')
  @ApiQueryFrom(historySchema)
  @ApiOperation({ summary: 'Every rollout that touched a cluster, with its result there (newest first)' })
  async history(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Query() query: HistoryInput): Promise<PageDto<Record<string, unknown>>> {
    const page = await this.rollouts.history(actor, ref, query);
    return { items: page.items.map(toHistoryDto), nextCursor: page.nextCursor };
  }
}
