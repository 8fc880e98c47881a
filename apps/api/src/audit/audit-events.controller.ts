import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, AuditService, type ListAuditEventsInput } from '@fleetgate/core';
import { CurrentActor } from '../common/auth.decorator.js';
import { openApiSchema, problemSchema } from '../common/openapi.js';
import { type AuditEventDto, auditEventPageDtoSchema, toAuditEventDto } from './audit-event.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@Controller('api/v1/audit-events')
export class AuditEventsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit events, newest first' })
  @ApiQuery({ name: 'subject', required: false, example: 'cluster/seed-eu1' })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiResponse({ status: 200, schema: openApiSchema(auditEventPageDtoSchema) })
  async list(@CurrentActor() actor: Actor, @Query() query: ListAuditEventsInput): Promise<{ items: AuditEventDto[]; nextCursor: string | null }> {
    const page = await this.audit.list(actor, query);
    return { items: page.items.map(toAuditEventDto), nextCursor: page.nextCursor };
  }
}
