// The supervisor behind `npm start` and `npm run demo`, with real child processes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { Supervisor, portIsFree, waitForHttpOk } from '../../scripts/lib/processes.mjs';

const node = process.execPath;

describe('Supervisor', () => {
  it('prefixes each line of a child\'s output with its name', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const s = new Supervisor({ log: () => {} });
      const { exited } = s.start('api', node, ['-e', 'console.log("one"); console.log("two")']);
      await exited;
      await new Promise((r) => setTimeout(r, 50));
      const lines = write.mock.calls.map((c) => String(c[0]));
      expect(lines).toContain('api    | one\n');
      expect(lines).toContain('api    | two\n');
    } finally {
      write.mockRestore();
    }
  });

  it('reports the first critical child that dies, with its exit code', async () => {
    const s = new Supervisor({ log: () => {} });
    s.start('sim', node, ['-e', 'process.exit(0)'], { critical: false });
    s.start('api', node, ['-e', 'setTimeout(() => process.exit(3), 200)']);
    s.start('worker', node, ['-e', 'setInterval(() => {}, 1000)']);
    expect(await s.firstExit).toEqual({ name: 'api', code: 3, signal: null });
    await s.stopAll();
  });

  it('stops children with SIGTERM, and with SIGKILL after the grace period when they ignore it', async () => {
    const s = new Supervisor({ graceMs: 500, log: () => {} });
    const script = (onTerm: string) => `process.on("SIGTERM", () => { ${onTerm} }); console.log("ready"); setInterval(() => {}, 1000)`;
    const polite = s.start('polite', node, ['-e', script('process.exit(0)')]);
    const stubborn = s.start('stubborn', node, ['-e', script('')]);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // both have installed their SIGTERM handlers once they print "ready"
      await Promise.all([polite, stubborn].map(({ child }) => new Promise((r) => child.stdout?.once('data', r))));
    } finally {
      write.mockRestore();
    }
    const started = Date.now();
    await s.stopAll();
    expect(await polite.exited).toEqual({ code: 0, signal: null });
    expect(await stubborn.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    // stopping is not a crash
    const raced = await Promise.race([s.firstExit, new Promise((r) => setTimeout(() => r('none'), 50))]);
    expect(raced).toBe('none');
  });
});

describe('ports and readiness', () => {
  it('tells a taken port from a free one, and waits for HTTP 200', async () => {
    let ok = false;
    const server = createServer((_req, res) => {
      res.writeHead(ok ? 200 : 503).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await portIsFree(port, '127.0.0.1')).toBe(false);
      setTimeout(() => (ok = true), 700);
      expect(await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 5000 })).toBe(true);
      ok = false;
      expect(await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 1200 })).toBe(false);
      expect(await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 10_000, abort: Promise.resolve() })).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await portIsFree(port, '127.0.0.1')).toBe(true);
  });
});
