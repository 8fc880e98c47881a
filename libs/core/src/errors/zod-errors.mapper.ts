import type { z } from 'zod';
import { DomainError, type FieldError } from './domain.error.js';

/** Turns zod issues into field errors with dotted paths (`credentials.token`, `labels.env`). */
export function fieldErrorsFromZod(error: z.ZodError, prefix = ''): FieldError[] {
  const fieldOf = (path: PropertyKey[]) => [prefix, path.map(String).join('.')].filter(Boolean).join('.') || '(root)';
  return error.issues.flatMap((issue) =>
    // an unknown member is reported at its own path, one error each (`labls`, not `(root)`)
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), message: 'unknown field' }))
      : [{ field: fieldOf(issue.path), message: issue.message }],
  );
}

/** Parses with zod and throws a DomainError(VALIDATION_FAILED) listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = 'input', prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw DomainError.validation(`Invalid ${what}`, fieldErrorsFromZod(result.error, prefix));
  }
  return result.data;
}
