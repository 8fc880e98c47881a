import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch } from './patch.js';
import { StatusError } from './status.js';

describe('patches', () => {
  it('merge patch replaces, recurses into objects and deletes on null (RFC 7386)', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: null, b: { c: 5 }, e: [2] })).toEqual({ b: { c: 5, d: 3 }, e: [2] });
  });

  it('json patch add/remove/replace/move/copy/test (RFC 6902)', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    const out = jsonPatch(doc, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'test', path: '/c', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [2, 3] }, c: 'y', 'e/f': 'y' });
    expect(doc).toEqual({ a: { b: [1, 2] }, c: 'x' });
  });

  it('json patch failures are 422s', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(StatusError);
    expect(() => jsonPatch({ a: 1 }, [{ op: 'remove', path: '/zz' }])).toThrow(/nonexistent/);
    expect(() => jsonPatch({ a: 1 }, [{ op: 'replace', path: '/zz', value: 1 }])).toThrow(/missing/);
  });
});
