import type { FleetgateProvidedContext } from './provided-context.js';

/**
 * A value provided by test/global-setup.ts. `vitest` is imported lazily so that this library can
 * be loaded outside the test runner (benchmarks) as long as explicit options are passed.
 */
export async function provided<K extends keyof FleetgateProvidedContext>(key: K): Promise<FleetgateProvidedContext[K]> {
  const { inject } = await import('vitest');
  const value = inject(key);
  if (value === undefined) {
    throw new Error(
      `"${key}" was not provided: run this test in the "int" or "e2e" Vitest project (globalSetup test/global-setup.ts), ` +
        'or pass the value explicitly.',
    );
  }
  return value;
}
