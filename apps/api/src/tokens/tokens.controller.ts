import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, type CreateTokenInput, TokenService, createTokenSchema } from '@fleetgate/core';
import { z } from 'zod';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { openApiSchema, problemSchema } from '../common/openapi.js';
import { type CreatedTokenDto, type TokenDto, createdTokenDtoSchema, toCreatedTokenDto, toTokenDto, tokenDtoSchema } from './token.dto.js';

@ApiTags('tokens')
@ApiBearerAuth()
@ApiResponse({ status: 401, schema: problemSchema })
@ApiResponse({ status: 403, schema: problemSchema })
@Controller('api/v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create an API token; the token is in this response only (and in its idempotent replays)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(createTokenSchema) })
  @ApiResponse({ status: 201, schema: openApiSchema(createdTokenDtoSchema) })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateTokenInput): Promise<CreatedTokenDto> {
    return toCreatedTokenDto(await this.tokens.create(actor, body));
  }

  @Delete(':ref')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token (by id or name); the last active admin token is kept (409)' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, schema: problemSchema })
  @ApiResponse({ status: 409, schema: problemSchema })
  async revoke(@CurrentActor() actor: Actor, @Param('ref') ref: string): Promise<void> {
    await this.tokens.revoke(actor, ref);
  }

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'List tokens (never their secrets)' })
  @ApiResponse({ status: 200, schema: openApiSchema(z.object({ items: z.array(tokenDtoSchema) })) })
  async list(@CurrentActor() actor: Actor): Promise<{ items: TokenDto[] }> {
    return { items: (await this.tokens.list(actor)).map(toTokenDto) };
  }
}
