import { describe, expect, it } from 'vitest';
import { formatLabelSelector, humanDuration, toTable, wantsTable } from './table.js';

describe('Table output', () => {
  it('formats selectors like metav1.FormatLabelSelector', () => {
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }, { key: 'aa', operator: 'DoesNotExist' }] })).toBe(
      'a=1,aa,b=2,c in (x,y)'.replace('aa', '!aa'),
    );
  });

  it('prints ages like HumanDuration', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(119_000)).toBe('119s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(3 * 3600_000)).toBe('3h');
    expect(humanDuration(3 * 3600_000 + 5 * 60_000)).toBe('3h5m');
    expect(humanDuration(50 * 3600_000)).toBe('2d2h');
    expect(humanDuration(30 * 86400_000)).toBe('30d');
  });

  it('builds a Table with PartialObjectMetadata rows for kubectl', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    const t = toTable('NetworkPolicy', { metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 'web', namespace: 'apps', creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [] }, spec: { podSelector: { matchLabels: { app: 'web' } } } }] }, Date.parse('2026-01-01T00:00:42Z'));
    expect(t).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '7' }, rows: [{ cells: ['web', 'app=web', '42s'], object: { kind: 'PartialObjectMetadata', metadata: { name: 'web', namespace: 'apps' } } }] });
    expect((t.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual(['Name', 'Pod-Selector', 'Age']);
    expect(JSON.stringify(t)).not.toContain('managedFields');
  });
});
