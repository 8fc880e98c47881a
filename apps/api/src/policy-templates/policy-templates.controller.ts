import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  type CreateTemplateInput,
  type ListPageInput,
  PolicyTemplateService,
  type PublishVersionInput,
  type RenderVersionInput,
  createTemplateSchema,
  publishVersionSchema,
  renderVersionSchema,
  listPageSchema,
} from '@fleetgate/core';
import { z } from 'zod';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { ApiQueryFrom, openApiSchema, problemSchema } from '../common/openapi.js';
import {
  type PolicyTemplateDto,
  type TemplateVersionDto,
  policyTemplateDtoSchema,
  templateVersionDtoSchema,
  toPolicyTemplateDto,
  toRenderDto,
  toTemplateVersionDto,
  toVersionDiffDto,
} from './policy-template.dto.js';

const idempotencyHeader = { name: 'Idempotency-Key', required: false };

@ApiTags('templates')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@Controller('api/v1/templates')
export class PolicyTemplatesController {
  constructor(private readonly templates: PolicyTemplateService) {}

  @Get()
  @ApiResponse({ status: 200, schema: openApiSchema(z.object({ items: z.array(policyTemplateDtoSchema), nextCursor: z.string().nullable() })) })
  @ApiQueryFrom(listPageSchema)
  async list(@CurrentActor() actor: Actor, @Query() query: ListPageInput): Promise<{ items: PolicyTemplateDto[]; nextCursor: string | null }> {
    const page = await this.templates.list(actor, query);
    return { items: page.items.map(toPolicyTemplateDto), nextCursor: page.nextCursor };
  }

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create a template, optionally with its first version' })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(createTemplateSchema) })
  @ApiResponse({ status: 201, schema: openApiSchema(z.object({ template: policyTemplateDtoSchema, version: templateVersionDtoSchema.nullable() })) })
  @ApiResponse({ status: 422, description: 'The first version does not render', schema: problemSchema })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateTemplateInput): Promise<{ template: PolicyTemplateDto; version: TemplateVersionDto | null }> {
    const r = await this.templates.create(actor, body);
    return { template: toPolicyTemplateDto(r.template), version: r.version ? toTemplateVersionDto(r.version) : null };
  }

  @Get(':ref')
  @ApiResponse({ status: 200, schema: openApiSchema(policyTemplateDtoSchema) })
  async get(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<PolicyTemplateDto> {
    return toPolicyTemplateDto(await this.templates.get(actor, ref));
  }

  @Get(':ref/versions')
  @ApiOperation({ summary: 'Versions, newest first' })
  @ApiResponse({ status: 200, schema: openApiSchema(z.object({ items: z.array(templateVersionDtoSchema), nextCursor: z.string().nullable() })) })
  @ApiQueryFrom(listPageSchema)
  async versions(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Query() query: ListPageInput): Promise<{ items: TemplateVersionDto[]; nextCursor: string | null }> {
    const page = await this.templates.listVersions(actor, ref, query);
    return { items: page.items.map(toTemplateVersionDto), nextCursor: page.nextCursor };
  }

  @Post(':ref/versions')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Publish the next version (immutable); it is rendered against a sample cluster first' })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(publishVersionSchema) })
  @ApiResponse({ status: 201, schema: openApiSchema(templateVersionDtoSchema) })
  @ApiResponse({ status: 422, description: 'Does not render to valid NetworkPolicies; errors name the fields', schema: problemSchema })
  async publish(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Body() body: PublishVersionInput): Promise<TemplateVersionDto> {
    return toTemplateVersionDto(await this.templates.publish(actor, ref, body));
  }

  @Get(':ref/versions/:version')
  @ApiResponse({ status: 200, schema: openApiSchema(templateVersionDtoSchema) })
  async version(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Param('version') version: string): Promise<TemplateVersionDto> {
    return toTemplateVersionDto(await this.templates.getVersion(actor, ref, version));
  }

  @Delete(':ref/versions/:version')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an unused version (409 while a binding or any assigned state uses it; built-in versions never)' })
  @ApiResponse({ status: 409, schema: problemSchema })
  async deleteVersion(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Param('version') version: string): Promise<void> {
    await this.templates.deleteVersion(actor, ref, version);
  }

  @Post(':ref/versions/:version/render')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a version for a cluster with parameter values; nothing is stored' })
  @ApiBody({ schema: openApiSchema(renderVersionSchema) })
  @ApiResponse({ status: 422, schema: problemSchema })
  async render(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Param('version') version: string, @Body() body: RenderVersionInput) {
    return toRenderDto(await this.templates.render(actor, ref, version, body));
  }

  @Post(':ref/versions/:version\\:render')
  @HttpCode(200)
  @ApiOperation({ summary: 'The same as /render, in the `:render` custom-method form' })
  @ApiBody({ schema: openApiSchema(renderVersionSchema) })
  async renderCustomMethod(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Param('version') version: string, @Body() body: RenderVersionInput) {
    return toRenderDto(await this.templates.render(actor, ref, version, body));
  }

  @Get(':ref/diff')
  @ApiOperation({ summary: 'Diff two versions: body and parameters by path, and the changelog between them' })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  async diff(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Query('from') from: string, @Query('to') to: string) {
    return toVersionDiffDto(await this.templates.diff(actor, ref, from, to));
  }
}
