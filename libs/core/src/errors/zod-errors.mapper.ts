import type { z } from 'zod';
import { DomainError, type FieldError } from './domain.error.js';

/** Turns zod issues into field errors with dotted paths (`credentials.token`, `labels.env`). */
export function fieldErrorsFromZod(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(root)';
    return { field, message: issue.message };
  });
}

/** Parses with zod and throws a DomainError(VALIDATION_FAILED) listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = 'input', prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw DomainError.validation(`Invalid ${what}`, fieldErrorsFromZod(result.error, prefix));
  }
  return result.data;
}
