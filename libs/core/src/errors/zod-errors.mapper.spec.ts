import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { fieldErrorsFromZod } from './zod-errors.mapper.js';

describe('fieldErrorsFromZod', () => {
  it('names each unknown member at its own path instead of (root)', () => {
    const schema = z.strictObject({ name: z.string(), spec: z.strictObject({ a: z.number() }) });
    const r = schema.safeParse({ name: 'x', nmae: 1, spec: { a: 1, b: 2 } });
    expect(r.success).toBe(false);
    expect(fieldErrorsFromZod(r.error!, 'body')).toEqual(
      expect.arrayContaining([
        { field: 'body.nmae', message: 'unknown field' },
        { field: 'body.spec.b', message: 'unknown field' },
      ]),
    );
  });
  it('keeps (root) for a problem with the whole value', () => {
    const r = z.strictObject({}).safeParse('text');
    expect(fieldErrorsFromZod(r.error!)).toEqual([{ field: '(root)', message: expect.any(String) }]);
  });
});
