// The console in a real browser (headless Chromium through playwright-core) against the real API,
// worker and simulator: sign in, filter the fleet, open a cluster, a dry run then a real gate
// rollout watched to 100 %, pause/resume, a drift finding after an external edit, and a viewer
// who sees no mutating buttons (and whom the API refuses anyway). With
// FLEETGATE_SCREENSHOTS_DIR set, it saves a screenshot of each page there (docs/console in the repo).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { type Simulator, registrationBody, startSimulator } from '@fleetgate/kube-sim';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONSOLE_DIR } from '../../apps/api/src/console/console-assets.js';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { type TestApi, bootApi } from './support/api-app.js';
import { launchChromium } from './support/chromium.js';

let api: TestApi;
let sim: Simulator;
let worker: INestApplicationContext;
let browser: Browser;
let base = '';
const shots = process.env.FLEETGATE_SCREENSHOTS_DIR;
const USERS = ['web-prod-1', 'web-prod-2', 'web-prod-3', 'web-dev-1'];
const SCRAPE = 'networking.resources.gardener.cloud/from-all-scrape-targets-allowed-ports';
const CALICO = { 'k8s-app': 'calico-node' };
const CALICO_NODE = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'calico-node', namespace: 'kube-system', labels: CALICO }, spec: { selector: { matchLabels: CALICO }, template: { metadata: { labels: CALICO }, spec: { hostNetwork: true, containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.1' }] } } } };
/** What the inventory of web-prod-1 sees: Calico and one app pod. */
const WORKLOADS = [CALICO_NODE, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'shop-0', namespace: 'default', labels: { app: 'shop' } }, spec: { containers: [{ name: 'shop', image: 'example/shop:1', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } }];
/** The seed serves a Service with a malformed policy annotation (seeds run Gardener's service policies). */
const SEED_WORKLOADS = [CALICO_NODE, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: 'garden', annotations: { [SCRAPE]: '[{"port":70000,"protocol":"TCP"}]' } }, spec: { selector: { app: 'shop' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }];

beforeAll(async () => {
  if (!existsSync(join(DEFAULT_CONSOLE_DIR, 'index.html'))) throw new Error(`The console is not built (${DEFAULT_CONSOLE_DIR} has no index.html): run \`npm run build\` first.`);
  [api, sim, browser] = await Promise.all([bootApi(), startSimulator(), launchChromium()]);
  await api.app.listen(0, '127.0.0.1');
  base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
  worker = await createWorker({ ...api.config, logLevel: 'silent', probeIntervalSeconds: 0, drift: { ...api.config.drift, intervalSeconds: 0 } });
  await sim.addCluster({ name: 'web-seed', labels: { env: 'prod' }, meta: { role: 'seed' }, namespaces: [...USERS.map((u) => ({ name: `cluster-${u}` })), { name: 'garden' }], objects: SEED_WORKLOADS });
  for (const u of USERS) await sim.addCluster({ name: u, labels: { env: u.includes('prod') ? 'prod' : 'dev', tier: 'gold' }, meta: { role: 'user', seed: 'web-seed', controlPlaneNamespace: `cluster-${u}` }, objects: u === 'web-prod-1' ? WORKLOADS : [] });
  for (const name of ['web-seed', ...USERS]) await api.as('admin').post('/api/v1/clusters').send(registrationBody(sim, name)).expect(201);
  if (shots) mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await worker?.close();
  await api?.close();
  await sim?.close();
});

async function signIn(role: 'viewer' | 'operator' | 'admin'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  await page.goto(`${base}/`);
  await page.getByLabel('API token').fill(api.tokens[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  try {
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${problems.join('\n')}\n${(await page.content()).slice(0, 2000)}`);
  }
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), type: 'png' });
}

describe('console', () => {
  it('serves the console at / without shadowing the API, GraphQL, metrics or health', async () => {
    const index = await api.http().get('/').set('Accept', 'text/html').expect(200);
    expect(index.text).toContain('<div id="root">');
    const deep = await api.http().get('/rollouts/new').set('Accept', 'text/html').expect(200);
    expect(deep.text).toBe(index.text);
    const explorer = await api.http().get('/graphql').set('Accept', 'text/html').expect(200);
    expect(explorer.text).toBe(index.text);
    const gqlGet = await api.as('viewer').get('/graphql?query=%7Bviewer%7Bname%7D%7D').set('apollo-require-preflight', 'true').expect(200);
    expect(gqlGet.body).toEqual({ data: { viewer: { name: 'test-viewer' } } });
    await api.http().get('/api/v1/clusters').set('Accept', 'text/html').expect(401);
    await api.http().get('/healthz').expect(200);
    const unknown = await api.http().get('/api/v1/nope').set('Accept', 'text/html').expect(404);
    expect(unknown.text).not.toContain('<div id="root">');
    await api.http().get('/admin/queues').set('Accept', 'text/html').expect(401);
  });

  it('an operator signs in, filters the fleet, opens a cluster, dry-runs then runs a gate rollout, pauses and resumes it', async () => {
    const page = await signIn('operator');
    expect(page.url()).not.toContain(api.tokens.operator);
    await page.getByRole('table', { name: 'Clusters' }).getByRole('link', { name: 'web-dev-1' }).waitFor();
    await shot(page, 'fleet');

    await page.getByLabel('Label selector').fill('env in (prod');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('unable to parse requirement');
    await page.getByLabel('Label selector').fill('env=prod');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('table', { name: 'Clusters' }).getByRole('link', { name: 'web-prod-3' }).waitFor();
    expect(await page.getByRole('table', { name: 'Clusters' }).getByRole('link', { name: 'web-dev-1' }).count()).toBe(0);

    await page.getByRole('checkbox', { name: 'Select web-prod-1 for the gate matrix' }).check();
    await page.getByRole('table', { name: /Feature gates × clusters/ }).getByText('apiserverNetworkPolicy').waitFor();

    await page.getByRole('table', { name: 'Clusters' }).getByRole('link', { name: 'web-prod-2' }).click();
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    await page.getByText('No inventory scanned yet.').waitFor();
    await page.goBack();

    const scanned = await api.as('operator').post('/api/v1/clusters/web-prod-1/inventory-scan?wait=true').expect(200);
    const inv = scanned.body as { observedAt: string; counts: { namespaces: number; pods: number; services: number }; serviceErrors: Array<{ service: string; annotation: string; message: string }> };
    expect(inv.counts.pods).toBeGreaterThanOrEqual(1);
    const seedScan = await api.as('operator').post('/api/v1/clusters/web-seed/inventory-scan?wait=true').expect(200);
    const seedErrors = (seedScan.body as typeof inv).serviceErrors;
    expect(seedErrors).toEqual([{ service: 'garden/shop', annotation: SCRAPE, message: '[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive' }]);
    await page.getByRole('table', { name: 'Clusters' }).getByRole('link', { name: 'web-prod-1' }).click();
    await page.getByRole('heading', { name: /web-prod-1/ }).waitFor();
    await page.getByRole('heading', { name: 'Feature gates' }).waitFor();
    const counts = page.getByRole('table', { name: 'Inventory counts' }).getByRole('cell');
    await expect.poll(() => counts.allTextContents()).toEqual([inv.counts.namespaces, inv.counts.pods, inv.counts.services].map(String));
    const facts = await page.getByRole('region', { name: 'Inventory' }).innerText();
    expect(facts).toContain(inv.observedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'));
    expect(facts).toMatch(/Truncated\s+no/);
    expect(facts).toMatch(/NetworkPolicies\s+enforced · calico v3\.28\.1/);
    expect(await page.getByText('No inventory scanned yet.').count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Service annotation errors' }).count()).toBe(0);
    await shot(page, 'cluster');
    await page.getByRole('link', { name: 'web-seed' }).click();
    await page.getByRole('heading', { name: /web-seed/ }).waitFor();
    const errors = page.getByRole('table', { name: 'Service annotation errors' });
    await expect.poll(() => errors.getByRole('cell').allTextContents()).toEqual([seedErrors[0]!.service, SCRAPE, seedErrors[0]!.message]);

    await page.getByRole('link', { name: 'Rollouts' }).click();
    await page.getByRole('link', { name: 'Start a gate rollout' }).click();
    await page.getByLabel('Feature gate').selectOption('apiserverNetworkPolicy');
    await page.getByLabel('Label selector').fill('env=prod');
    await page.getByLabel('Role').selectOption('user');
    await page.getByLabel('Waves (counts or cumulative %)').fill('1, 100%');
    await page.getByLabel('Pause between waves').fill('20s');
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    const dry = page.getByRole('region', { name: 'What each target would do' });
    await dry.getByRole('link', { name: 'web-prod-3' }).waitFor().catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await page.locator('main').innerText()}`);
    });
    expect(await dry.getByText('created').count()).toBeGreaterThan(0);
    await shot(page, 'new-rollout');

    await page.getByRole('button', { name: 'Start rollout' }).click();
    await page.getByRole('dialog', { name: 'Start rollout' }).getByRole('button', { name: 'Start rollout' }).click();
    await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
    // the canary wave, then 20 s before wave 2: pause it while it runs, and resume
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    const pauseDialog = page.getByRole('dialog', { name: 'Pause' });
    await pauseDialog.getByRole('button', { name: 'Pause' }).click();
    await pauseDialog.getByText('Audited as rollout.pause by test-operator').waitFor().catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await pauseDialog.innerText()}`);
    });
    await page.getByRole('heading', { level: 1, name: /paused/ }).waitFor();
    await pauseDialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Resume' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Resume' }).click();
    const resumeDialog = page.getByRole('dialog', { name: 'Resume' });
    await resumeDialog.getByRole('button', { name: 'Resume' }).click();
    await resumeDialog.getByText('Audited as rollout.resume by test-operator').waitFor().catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await resumeDialog.innerText()}`);
    });
    await resumeDialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100');
    await page.getByRole('heading', { name: /Rollout .* succeeded/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Roll back' }).isEnabled()).toBe(true);
    await shot(page, 'rollout');
    await page.getByRole('link', { name: 'Rollouts' }).click();
    await page.getByRole('table').getByText('gate apiserverNetworkPolicy → on').first().waitFor();
    await shot(page, 'rollouts');
    // one page (50) holds every rollout of this fleet: nothing more to load
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await page.context().close();
  }, 180_000);

  it('a drift finding appears after an external edit and a scan started from the Drift page', async () => {
    const page = await signIn('operator');
    await page.getByRole('link', { name: 'Drift' }).click();
    await page.getByLabel('Cluster').fill('web-prod-2');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No open findings for this filter').waitFor();
    sim.cluster('web-seed').externalEdit.modify('cluster-web-prod-2', 'apiserver-allow-dns-resolver', { spec: { egress: [{ ports: [{ protocol: 'UDP', port: 5353 }] }] } }, 'kubectl-edit');
    await page.getByRole('button', { name: 'Scan web-prod-2 now' }).click();
    const finding = page.getByRole('list', { name: 'Open findings' }).getByRole('listitem').first();
    await finding.getByText('cluster-web-prod-2/apiserver-allow-dns-resolver').waitFor({ timeout: 30_000 });
    await finding.getByText('kubectl-edit').waitFor();
    await shot(page, 'drift');
    await page.getByRole('link', { name: 'GraphQL explorer' }).click();
    await page.locator('.graphiql-container').waitFor();
    await shot(page, 'explorer');
    await page.context().close();
  }, 120_000);

  it('a viewer sees no mutating buttons, and the API refuses the mutations anyway; an admin opens Bull Board with a session cookie', async () => {
    const [{ body }] = await Promise.all([api.as('viewer').get('/api/v1/rollouts?limit=1').expect(200)]);
    const id = (body as { items: Array<{ id: string }> }).items[0]!.id;
    const page = await signIn('viewer');
    expect(await page.getByRole('button', { name: 'Queues' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Rollouts' }).click();
    await page.getByRole('table').getByRole('link').first().waitFor();
    expect(await page.getByRole('link', { name: 'Start a gate rollout' }).count()).toBe(0);
    await page.goto(`${base}/rollouts/${id}`);
    await page.getByRole('heading', { level: 1, name: /Rollout|Dry run/ }).waitFor();
    for (const name of ['Pause', 'Resume', 'Cancel', 'Roll back', 'Approve']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.getByRole('link', { name: 'Drift' }).click();
    await page.getByRole('heading', { name: 'Drift' }).waitFor();
    await page.getByText(/clusters drifted/).waitFor();
    expect(await page.getByRole('button', { name: /Scan/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    const refused = await page.evaluate(async (rolloutId) => {
      const token = (globalThis as unknown as { sessionStorage: { getItem: (k: string) => string | null } }).sessionStorage.getItem('fleetgate.token');
      const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: 'mutation($id: ID!) { rollbackRollout(id: $id) { id } }', variables: { id: rolloutId } }) });
      return ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code;
    }, id);
    expect(refused).toBe('FORBIDDEN');
    await page.context().close();

    const admin = await signIn('admin');
    const [popup] = await Promise.all([admin.waitForEvent('popup'), admin.getByRole('button', { name: 'Queues' }).click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(`${base}/admin/queues/`);
    expect(await popup.title()).toMatch(/Bull/i);
    const cookies = await admin.context().cookies();
    expect(cookies.find((c) => c.name === 'fleetgate_board')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin/queues' });
    // the cookie is for reading the board only: no token, no GraphQL, no REST
    const cookie = `fleetgate_board=${cookies.find((c) => c.name === 'fleetgate_board')!.value}`;
    await api.http().get('/api/v1/clusters').set('Cookie', cookie).expect(401);
    await api.http().post('/admin/queues/api/queues/rollout-target/pause').set('Cookie', cookie).expect(401);
    await api.http().get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    await admin.context().close();
  }, 120_000);
});
