// Finds the Chromium the browser tests drive (Debian's /usr/bin/chromium by default) and says
// exactly what is missing when there is none.
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.FLEETGATE_CHROMIUM;
  const list = given ? [given] : CANDIDATES;
  for (const path of list) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next
    }
  }
  throw new Error(
    `No Chromium for the browser tests: looked for ${list.join(', ')}. ` +
      'Install it with `apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this as root), ' +
      'or set FLEETGATE_CHROMIUM to the path of a Chromium or Chrome binary.',
  );
}

/**
 * Headless Chromium with no network of its own (no updates, sync, QUIC). Playwright gives every
 * launch a fresh temporary profile (user-data-dir) and removes it on close.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
