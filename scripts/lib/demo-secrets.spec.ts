import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDemoSecrets, parseEnvFile } from './demo-secrets.mjs';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetgate-demo-'));
  dirs.push(dir);
  return join(dir, 'state', 'demo.env');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadDemoSecrets', () => {
  it('generates a 32-byte base64 master key and an admin token once, into a 0600 file', () => {
    const file = tempFile();
    const first = loadDemoSecrets(file, {});
    expect(first.generated).toEqual(['FLEETGATE_MASTER_KEY', 'FLEETGATE_ADMIN_TOKEN']);
    expect(Buffer.from(first.secrets.FLEETGATE_MASTER_KEY ?? '', 'base64')).toHaveLength(32);
    expect(first.secrets.FLEETGATE_ADMIN_TOKEN).toMatch(/^fg_[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseEnvFile(readFileSync(file, 'utf8'))).toEqual(first.secrets);
  });

  it('reuses the saved values on the next run', () => {
    const file = tempFile();
    const first = loadDemoSecrets(file, {});
    const second = loadDemoSecrets(file, {});
    expect(second.generated).toEqual([]);
    expect(second.secrets).toEqual(first.secrets);
  });

  it('lets the environment win without overwriting the saved values, and fills in only what is missing', () => {
    const file = tempFile();
    loadDemoSecrets(file, {});
    writeFileSync(file, '# hand-edited\nFLEETGATE_MASTER_KEY=saved-key\nOTHER=kept\n', { mode: 0o644 });
    const r = loadDemoSecrets(file, { FLEETGATE_MASTER_KEY: 'from-env' });
    expect(r.secrets.FLEETGATE_MASTER_KEY).toBe('from-env');
    expect(r.generated).toEqual(['FLEETGATE_ADMIN_TOKEN']);
    const saved = parseEnvFile(readFileSync(file, 'utf8'));
    expect(saved).toEqual({ FLEETGATE_MASTER_KEY: 'saved-key', OTHER: 'kept', FLEETGATE_ADMIN_TOKEN: r.secrets.FLEETGATE_ADMIN_TOKEN });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
