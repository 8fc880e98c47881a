import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, BindingService, type CreateBindingInput, type ListPageInput, type UpdateBindingInput, createBindingSchema, updateBindingSchema, listPageSchema } from '@fleetgate/core';
import { z } from 'zod';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { ApiQueryFrom, openApiSchema, problemSchema } from '../common/openapi.js';
import { type BindingChangeDto, type BindingDto, bindingChangeDtoSchema, bindingDtoSchema, toBindingChangeDto, toBindingDto } from './binding.dto.js';

@ApiTags('bindings')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@Controller('api/v1/bindings')
export class BindingsController {
  constructor(private readonly bindings: BindingService) {}

  @Get()
  @ApiResponse({ status: 200, schema: openApiSchema(z.object({ items: z.array(bindingDtoSchema), nextCursor: z.string().nullable() })) })
  @ApiQueryFrom(listPageSchema)
  async list(@CurrentActor() actor: Actor, @Query() query: ListPageInput): Promise<{ items: BindingDto[]; nextCursor: string | null }> {
    const page = await this.bindings.list(actor, query);
    return { items: page.items.map(toBindingDto), nextCursor: page.nextCursor };
  }

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Bind a template version to clusters; answers with the clusters whose desired state changes' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(createBindingSchema) })
  @ApiResponse({ status: 201, schema: openApiSchema(bindingChangeDtoSchema) })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateBindingInput): Promise<BindingChangeDto> {
    return toBindingChangeDto(await this.bindings.create(actor, body));
  }

  @Get(':ref')
  @ApiResponse({ status: 200, schema: openApiSchema(bindingDtoSchema) })
  async get(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<BindingDto> {
    return toBindingDto(await this.bindings.get(actor, ref));
  }

  @Patch(':ref')
  @RequireRole('admin')
  @ApiBody({ schema: openApiSchema(updateBindingSchema) })
  @ApiResponse({ status: 200, schema: openApiSchema(bindingChangeDtoSchema) })
  async update(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Body() body: UpdateBindingInput): Promise<BindingChangeDto> {
    return toBindingChangeDto(await this.bindings.update(actor, ref, body));
  }

  @Delete(':ref')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Delete a binding; answers with the clusters whose desired state changes' })
  @ApiResponse({ status: 200, schema: openApiSchema(bindingChangeDtoSchema) })
  async remove(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<BindingChangeDto> {
    return toBindingChangeDto(await this.bindings.remove(actor, ref));
  }
}
