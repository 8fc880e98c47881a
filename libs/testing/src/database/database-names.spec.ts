import { describe, expect, it } from 'vitest';
import { quoteIdent, staleTestDatabases, templateDatabaseName, testDatabaseCreatedAt, testDatabaseName, withDatabase } from './database-names.js';

describe('test database names', () => {
  it('carry their creation time and run id, stay within 63 bytes and are unique', () => {
    const now = new Date('2026-11-22T04:00:00Z');
    const a = testDatabaseName('abc123', now);
    const b = testDatabaseName('abc123', now);
    expect(a).toMatch(/^fleetgate_test_[0-9a-z]+_abc123_[0-9a-z]{8}$/);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(testDatabaseCreatedAt(a)).toEqual(now);
  });

  it('reject run ids that could break the name', () => {
    expect(() => testDatabaseName('a"b')).toThrow(/Invalid test run id/);
  });

  it('select only our databases older than the limit as stale', () => {
    const now = new Date('2026-11-22T04:00:00Z');
    const old = testDatabaseName('r1', new Date(now.getTime() - 61 * 60_000));
    const fresh = testDatabaseName('r1', new Date(now.getTime() - 59 * 60_000));
    expect(staleTestDatabases([old, fresh, 'fleetgate', 'fleetgate_test_notours', 'fleetgate_tpl_0123456789abcdef'], now)).toEqual([old]);
    expect(testDatabaseCreatedAt('fleetgate')).toBeNull();
  });

  it('name templates after the migrations hash', () => {
    expect(templateDatabaseName('0123456789abcdef0123')).toBe('fleetgate_tpl_0123456789abcdef');
    expect(() => templateDatabaseName('xyz')).toThrow();
  });

  it('quote identifiers and swap the database of a URL', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(withDatabase('postgresql://u:p@h:5432/one?sslmode=disable', 'two')).toBe('postgresql://u:p@h:5432/two?sslmode=disable');
  });
});
