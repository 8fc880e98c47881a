import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, NetpolService, type ValidateNetworkPolicyOptions } from '@fleetgate/core';
import { CurrentActor } from '../common/auth.decorator.js';
import { openApiSchema, problemSchema } from '../common/openapi.js';
import {
  type NetworkPolicyValidationDto,
  type ReachabilityReportDto,
  exampleInvalidProblem,
  examplePolicy,
  exampleReachabilityBody,
  exampleReachabilityResult,
  networkPolicyBodySchema,
  reachabilityBodySchema,
  reachabilityDtoSchema,
  validationDtoSchema,
} from './netpol.dto.js';

@ApiTags('netpol')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No or bad token', schema: problemSchema })
@Controller('api/v1/netpol')
export class NetpolController {
  constructor(private readonly netpol: NetpolService) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: "Validate a NetworkPolicy as the Kubernetes API server does, and return it defaulted (protocol, policyTypes)" })
  @ApiQuery({ name: 'profile', required: false, enum: ['legacy', 'current'], description: "API server wording: Kubernetes <= 1.32 (legacy, default) or 1.33+ (current)" })
  @ApiBody({
    schema: openApiSchema(networkPolicyBodySchema),
    examples: {
      documentation: { summary: 'The example policy of the Kubernetes documentation', value: examplePolicy },
      invalid: {
        summary: 'A bad CIDR and protocol (422)',
        value: { ...examplePolicy, spec: { ...examplePolicy.spec, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/33' } }], ports: [{ protocol: 'SCTPX', port: 6379 }] }] } },
      },
    },
  })
  @ApiResponse({ status: 200, description: 'Valid', schema: { ...openApiSchema(validationDtoSchema), example: { valid: true, defaulted: examplePolicy } } })
  @ApiResponse({ status: 400, description: 'The body is not a JSON object, or a bad profile', schema: problemSchema })
  @ApiResponse({ status: 422, description: "Invalid: `errors` lists every `{field, message}` in the API server's words", schema: { ...problemSchema, example: exampleInvalidProblem } })
  validate(@CurrentActor() actor: Actor, @Body() body: unknown, @Query() query: ValidateNetworkPolicyOptions): NetworkPolicyValidationDto {
    return this.netpol.validate(actor, body, query);
  }

  @Post('reachability')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Which connections the policies allow, each with an explanation',
    description:
      'Without `queries`, every ordered pod pair on every container port the destination declares. At most 200 namespaces, 500 pods, 200 policies and 5000 queries (explicit or default): beyond that 400 naming the field.',
  })
  @ApiBody({ schema: openApiSchema(reachabilityBodySchema), examples: { documentation: { summary: "The documentation's policy around a db pod", value: exampleReachabilityBody } } })
  @ApiResponse({ status: 200, schema: { ...openApiSchema(reachabilityDtoSchema), example: exampleReachabilityResult } })
  @ApiResponse({ status: 400, description: 'Malformed input, an unknown pod in a query, or over the limits; `errors` names the field', schema: problemSchema })
  @ApiResponse({ status: 422, description: 'A policy is invalid; fields are `policies[i].<path>`', schema: problemSchema })
  reachability(@CurrentActor() actor: Actor, @Body() body: unknown): ReachabilityReportDto {
    return this.netpol.checkReachability(actor, body);
  }
}
