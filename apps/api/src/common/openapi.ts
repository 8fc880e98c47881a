import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

/** OpenAPI schema objects from the same zod schemas the services validate with. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'errors'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const PAGE_LIMIT = { type: 'integer', minimum: 1, maximum: 100, default: 20 };

/**
 * One `@ApiQuery` per member of a query schema (the service's own zod object), so the OpenAPI
 * parameters, the known-parameter check and the validation cannot disagree.
 */
export function ApiQueryFrom(schema: z.ZodObject, examples: Record<string, string> = {}): MethodDecorator {
  return applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) =>
      ApiQuery({
        name,
        required: !(field as z.ZodType).safeParse(undefined).success,
        schema: name === 'limit' ? PAGE_LIMIT : name === 'cursor' ? { type: 'string', description: 'nextCursor of the previous page' } : openApiSchema(field as z.ZodType),
        ...(examples[name] === undefined ? {} : { example: examples[name] }),
      }),
    ),
  );
}
