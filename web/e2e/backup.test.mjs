// End-to-end tests of the backup portal screens (the Unitrends integration, Matching,
// Match devices and the backup data on a configuration's page) in a real browser, against
// a real `mortar serve` syncing from a `mortar sim uniview` process on 127.0.0.1. Before
// the first sync, organizations and configurations are created through the API from what
// the simulator serves, so that one customer auto-matches, two are suggested and two stay
// unmatched, and the auto-matched customer's assets match by MAC, by name, ambiguously or
// not at all. The tests run in order and build on each other.
// @ts-check
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, apiCall, launchBrowser, screenshot, startServer, startSim } from './harness.mjs';

const ADMIN = 'grace@msp.example';
const MANAGER = 'margaret@msp.example';
const EDITOR = 'edsger@msp.example';
const PASSWORD = 'correct horse battery staple';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof startSim>>} */
let sim;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
let apiKey = '';
let integrationId = '';
const pageErrors = [];

/**
 * What the setup made, by role in the tests.
 * @type {{ auto: any, suggested: any[], unmatched: any[], orgs: Record<string, string>,
 *   assets: Record<string, any>, configs: Record<string, string> }}
 */
const fx = { auto: null, suggested: [], unmatched: [], orgs: {}, assets: {}, configs: {} };

/** Reads a list of the simulator's UniView API with a client-credentials token. */
async function portal(path) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.settings.client_id,
    client_secret: sim.settings.client_secret,
  });
  const token = await (await fetch(sim.settings.token_url, { method: 'POST', body: form })).json();
  const res = await fetch(`${sim.settings.api_url}${path}?page_size=500`, {
    headers: { Authorization: `Bearer ${token.access_token}` },
  });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return res.json();
}

const api = (method, path, body) => apiCall(server.url, apiKey, method, path, body);

async function createOrg(name) {
  const res = await api('POST', '/organizations', { data: { type: 'organizations', attributes: { name } } });
  return res.data.id;
}

let configTypeId = '';
async function createConfig(orgId, name, mac) {
  const res = await api('POST', '/configurations', {
    data: {
      type: 'configurations',
      attributes: { name, 'organization-id': Number(orgId), 'configuration-type-id': Number(configTypeId) },
    },
  });
  if (mac) {
    await api('POST', `/configurations/${res.data.id}/relationships/configuration_interfaces`, {
      data: {
        type: 'configuration-interfaces',
        attributes: { name: 'LAN', 'mac-address': mac, primary: true },
      },
    });
  }
  return res.data.id;
}

/** Polls `check` (an API read) until it returns a value, for at most 20 s. */
async function until(check) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function customerNamed(name) {
  const res = await api(
    'GET',
    `/backup_customers?filter[integration_id]=${integrationId}&filter[name]=${encodeURIComponent(name)}`,
  );
  return res.data.find((c) => c.attributes.name === name);
}

async function assetNamed(name) {
  const res = await api(
    'GET',
    `/backup_assets?filter[integration_id]=${integrationId}&filter[name]=${encodeURIComponent(name)}`,
  );
  return res.data.find((a) => a.attributes.name === name);
}

async function signIn(email) {
  await page.goto(server.url + '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/organizations$/);
}

async function signOut(name) {
  await page.getByRole('button', { name }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}

/** The row of the named table whose portal customer or asset is named `name` exactly. */
function row(table, name) {
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page
    .getByRole('table', { name: table })
    .getByRole('row')
    .filter({ has: page.locator('.stack > .cell-title', { hasText: exact }) });
}

before(async () => {
  server = await startServer();
  sim = await startSim('uniview', ['--companies', '6', '--configurations', '60', '--seed', '5']);
  for (const [email, name, role] of [
    [ADMIN, 'Grace Hopper', 'administrator'],
    [MANAGER, 'Margaret Hamilton', 'manager'],
    [EDITOR, 'Edsger Dijkstra', 'editor'],
  ]) {
    admin(server.dataDir, ['create-user', '--email', email, '--name', name, '--role', role], PASSWORD + '\n');
  }
  apiKey = admin(server.dataDir, ['create-api-key']);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => pageErrors.push(e.message));

  // The portal's customers and assets; the customer with the most assets auto-matches.
  const customers = await portal('/v1/customers');
  const assets = await portal('/v1/assets');
  const byCustomer = (c) => assets.filter((a) => a.customer_id === c.id && a.mac);
  customers.sort((a, b) => byCustomer(b).length - byCustomer(a).length);
  assert.ok(customers.length >= 5 && byCustomer(customers[0]).length >= 8, 'enough portal data');
  const types = await api('GET', '/configuration_types?page[size]=1');
  configTypeId =
    types.data[0]?.id ??
    (
      await api('POST', '/configuration_types', {
        data: { type: 'configuration-types', attributes: { name: 'Server' } },
      })
    ).data.id;

  fx.auto = customers[0];
  fx.suggested = [customers[1], customers[2]];
  // The first customer left unmatched shares no word with any organization made below, so
  // the matcher has nothing to suggest; the second may have a suggestion (it is ignored).
  const words = (s) =>
    s
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w.length > 3);
  const taken = new Set([
    ...customers.slice(0, 3).flatMap((c) => words(c.name)),
    'zeta',
    'holdings',
    'omega',
    'partners',
  ]);
  const others = customers.slice(3);
  const alone = others.find((c) => words(c.name).every((w) => !taken.has(w)));
  assert.ok(alone, 'a customer with nothing to suggest');
  fx.unmatched = [alone, ...others.filter((c) => c !== alone)];
  assert.ok(fx.unmatched.length >= 3, 'three customers left unmatched');
  fx.orgs.auto = await createOrg(fx.auto.name);
  // A name close to the portal's, but not certain: the matcher suggests it.
  for (const [i, c] of fx.suggested.entries()) fx.orgs[`suggested${i}`] = await createOrg(`${c.name} Group West`);
  fx.orgs.target = await createOrg('Zeta Holdings');
  fx.orgs.other = await createOrg('Omega Partners');

  // The auto-matched customer's assets: one matches by MAC, one MAC is on two
  // configurations (ambiguous), one is suggested by name, one is matched by search, the rest
  // stay unmatched (ignore, create singly, create in bulk).
  const [mac, ambiguous, named, searched, ...rest] = byCustomer(fx.auto);
  fx.assets = { mac, ambiguous, named, searched, rest };
  fx.configs.mac = await createConfig(fx.orgs.auto, 'Front desk PC', mac.mac);
  fx.configs.ambiguousA = await createConfig(fx.orgs.auto, 'Hyper-V host A', ambiguous.mac);
  fx.configs.ambiguousB = await createConfig(fx.orgs.auto, 'Hyper-V host B', ambiguous.mac);
  fx.configs.named = await createConfig(fx.orgs.auto, named.name, null);
  fx.configs.searched = await createConfig(fx.orgs.auto, 'Spare laptop 7', null);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sim?.stop();
});

describe('backup portal screens', () => {
  it('creates the Unitrends integration and syncs it', async () => {
    await signIn(ADMIN);
    await page.getByRole('link', { name: 'Backup matching' }).click();
    await page.getByText('No Unitrends customers yet').waitFor();
    await page.goto(server.url + '/account/integrations');
    await page.getByRole('button', { name: 'New integration' }).click();
    const dialog = page.getByRole('dialog', { name: 'New integration' });
    await dialog.getByLabel('Connect to', { exact: true }).selectOption({ label: 'Unitrends (UniView)' });
    // No PSA settings for a backup portal.
    assert.equal(await dialog.getByRole('region', { name: 'Sync settings' }).count(), 0);
    await dialog.getByLabel('Name', { exact: true }).fill('Unitrends');
    await dialog.getByLabel('Client secret', { exact: true }).fill(sim.settings.client_secret);
    await dialog.getByLabel('Client ID', { exact: true }).fill(sim.settings.client_id);
    await dialog.getByLabel('Token URL (optional)').fill(sim.settings.token_url);
    await dialog.getByLabel('API URL (optional)').fill(sim.settings.api_url);
    await screenshot(page, '40-uniview-setup');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const r = page.getByRole('row', { name: /Unitrends/ });
    await r.getByText('Not synced yet').waitFor();
    const list = await api('GET', '/integrations');
    integrationId = list.data[0].id;
    assert.equal(list.data[0].attributes.kind, 'uniview');
    assert.equal(list.data[0].attributes.credentials, undefined);
    // Matching instead of Manage Data.
    assert.equal(await r.getByRole('link', { name: 'Manage Data' }).count(), 0);
    await r.getByRole('button', { name: 'Start manual sync' }).click();
    await r.locator('[data-status="ok"]').waitFor({ timeout: 30000 });
    const shown = await api('GET', `/integrations/${integrationId}`);
    const unmatched = shown.data.attributes['unmatched-customer-count'];
    assert.ok(unmatched >= 4, `unmatched customers: ${unmatched}`);
    await r.getByText(`${unmatched} customers`).waitFor();
    await screenshot(page, '41-integrations-uniview');
  });

  it('shows the matcher’s decisions on the Unmatched and Matched tabs', async () => {
    const auto = await customerNamed(fx.auto.name);
    assert.equal(auto.attributes.state, 'auto');
    for (const c of fx.suggested) assert.equal((await customerNamed(c.name)).attributes.state, 'suggested');
    assert.equal((await customerNamed(fx.unmatched[0].name)).attributes.state, 'unmatched');

    await page
      .getByRole('row', { name: /Unitrends/ })
      .getByRole('link', { name: 'Matching' })
      .click();
    await page.waitForURL(/\/account\/integrations\/\d+\/matching$/);
    const s = row('Unmatched customers', fx.suggested[0].name);
    await s.getByText(`${fx.suggested[0].name} Group West`).waitFor();
    await s.getByText(/\d+ %/).waitFor();
    await row('Unmatched customers', fx.unmatched[0].name).getByText('No suggestion').waitFor();
    assert.equal(await row('Unmatched customers', fx.auto.name).count(), 0);
    await screenshot(page, '42-matching-unmatched');

    // Search by name narrows the list.
    await page.getByLabel('Search customers').fill(fx.unmatched[1].name);
    await page.waitForURL(/q=/);
    await row('Unmatched customers', fx.unmatched[1].name).waitFor();
    await row('Unmatched customers', fx.unmatched[0].name).waitFor({ state: 'detached' });
    await page.getByLabel('Search customers').fill('');
    await row('Unmatched customers', fx.unmatched[0].name).waitFor();

    await page.getByRole('link', { name: /^Matched/ }).click();
    const m = row('Matched customers', fx.auto.name);
    await m.locator('[data-match="auto"]').waitFor();
    await m.getByRole('link', { name: fx.auto.name }).waitFor();
    await screenshot(page, '43-matching-matched');
  });

  it('accepts a suggestion', async () => {
    await page.getByRole('link', { name: /^Unmatched/ }).click();
    const s = row('Unmatched customers', fx.suggested[0].name);
    await s.getByRole('button', { name: 'Accept suggestion' }).click();
    await s.waitFor({ state: 'detached' });
    const c = await customerNamed(fx.suggested[0].name);
    assert.ok(['manual', 'auto'].includes(c.attributes.state), c.attributes.state);
    assert.equal(String(c.attributes['organization-id']), fx.orgs.suggested0);
  });

  it('matches a customer to an organization found by search', async () => {
    const r = row('Unmatched customers', fx.unmatched[1].name);
    await r.getByRole('combobox', { name: `Match ${fx.unmatched[1].name} to` }).fill('Zeta');
    await r.getByRole('option', { name: 'Zeta Holdings' }).click();
    await r.waitFor({ state: 'detached' });
    const c = await customerNamed(fx.unmatched[1].name);
    assert.equal(c.attributes.state, 'manual');
    assert.equal(String(c.attributes['organization-id']), fx.orgs.target);
  });

  it('creates an organization only after confirming the duplicate warning', async () => {
    const name = fx.suggested[1].name;
    await row('Unmatched customers', name).getByRole('button', { name: 'Create organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create organization' });
    const warning = dialog.getByRole('alert').filter({ hasText: 'A similar organization already exists' });
    await warning.getByText(`${name} Group West`).waitFor();
    const create = dialog.getByRole('button', { name: 'Create anyway' });
    assert.equal(await create.isDisabled(), true);
    await screenshot(page, '44-create-organization-duplicate');
    await dialog.getByLabel('Create a new organization anyway').check();
    await create.click();
    await dialog.waitFor({ state: 'detached' });
    await row('Unmatched customers', name).waitFor({ state: 'detached' });
    const c = await customerNamed(name);
    assert.equal(c.attributes.state, 'manual');
    assert.notEqual(String(c.attributes['organization-id']), fx.orgs.suggested1);
    assert.equal(c.attributes['organization-name'], name);
  });

  it('warns when a similar organization appears while the create dialog is open (409)', async () => {
    const name = fx.unmatched[0].name;
    await row('Unmatched customers', name).getByRole('button', { name: 'Create organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create organization' });
    const create = dialog.getByRole('button', { name: 'Create organization' });
    await create.waitFor();
    assert.equal(await dialog.getByText('A similar organization already exists').count(), 0);
    // Someone else creates the organization meanwhile: the server answers 409.
    const theirs = await createOrg(name);
    const answer = page.waitForResponse((r) => r.url().includes('/actions/create_organization'));
    await create.click();
    assert.equal((await answer).status(), 409);
    await dialog.getByRole('alert').getByText(`A similar organization already exists: "${name}"`).waitFor();
    const similar = dialog.getByRole('list', { name: 'Similar organizations' }).getByRole('listitem');
    await similar.getByText(name, { exact: true }).waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Create anyway' }).isDisabled(), true);
    // Matching to the existing one instead of creating a duplicate.
    await similar.filter({ hasText: name }).getByRole('button', { name: 'Match to this' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row('Unmatched customers', name).waitFor({ state: 'detached' });
    const c = await customerNamed(name);
    assert.equal(String(c.attributes['organization-id']), theirs);
  });

  it('ignores a customer and un-ignores it', async () => {
    const name = fx.unmatched[2].name;
    const before = (await customerNamed(name)).attributes.state;
    await row('Unmatched customers', name).getByRole('button', { name: 'Ignore' }).click();
    await row('Unmatched customers', name).waitFor({ state: 'detached' });
    assert.equal((await customerNamed(name)).attributes.state, 'ignored');
    const shown = await api('GET', `/integrations/${integrationId}`);
    await page.getByRole('link', { name: /^Ignored/ }).click();
    await row('Ignored customers', name).getByRole('button', { name: 'Un-ignore' }).click();
    await row('Ignored customers', name).waitFor({ state: 'detached' });
    assert.equal((await customerNamed(name)).attributes.state, before);
    const again = await api('GET', `/integrations/${integrationId}`);
    assert.equal(
      again.data.attributes['unmatched-customer-count'],
      shown.data.attributes['unmatched-customer-count'] + 1,
    );
  });

  it('changes a match from the Matched tab', async () => {
    await page.getByRole('link', { name: /^Matched/ }).click();
    await row('Matched customers', fx.unmatched[1].name).getByRole('button', { name: 'Change match' }).click();
    const dialog = page.getByRole('dialog', { name: `Change match of ${fx.unmatched[1].name}` });
    await dialog.getByText('Zeta Holdings').waitFor();
    // By keyboard: the first hit is active, Enter picks it.
    await dialog.getByLabel('New organization').fill('Omega');
    await dialog.getByRole('option', { name: 'Omega Partners' }).waitFor();
    await dialog.getByLabel('New organization').press('Enter');
    await dialog.getByText('Match to Omega Partners').waitFor();
    await dialog.getByRole('button', { name: 'Match', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await row('Matched customers', fx.unmatched[1].name).getByRole('link', { name: 'Omega Partners' }).waitFor();
    const c = await customerNamed(fx.unmatched[1].name);
    assert.equal(String(c.attributes['organization-id']), fx.orgs.other);
  });

  it('matches devices: MAC hits, an ambiguous MAC, a suggestion and a search', async () => {
    const mac = await assetNamed(fx.assets.mac.name);
    assert.equal(mac.attributes.state, 'auto');
    assert.equal(String(mac.attributes['configuration-id']), fx.configs.mac);
    assert.match(mac.attributes.reason, /MAC/);
    assert.equal((await assetNamed(fx.assets.ambiguous.name)).attributes.state, 'ambiguous');
    assert.equal((await assetNamed(fx.assets.named.name)).attributes.state, 'suggested');

    await row('Matched customers', fx.auto.name).getByRole('link', { name: 'Match devices' }).click();
    await page.waitForURL(/\/account\/matching\/customers\/\d+$/);
    await page.getByRole('heading', { name: `Match devices: ${fx.auto.name}` }).waitFor();
    const amb = row('Unmatched assets', fx.assets.ambiguous.name);
    await amb.getByText('Hyper-V host A').waitFor();
    await amb.getByText('Hyper-V host B').waitFor();
    await screenshot(page, '45-match-devices');

    await amb.getByRole('button', { name: `Match ${fx.assets.ambiguous.name} to Hyper-V host B` }).click();
    await amb.waitFor({ state: 'detached' });
    const picked = await assetNamed(fx.assets.ambiguous.name);
    assert.equal(String(picked.attributes['configuration-id']), fx.configs.ambiguousB);

    const named = row('Unmatched assets', fx.assets.named.name);
    await named.getByRole('button', { name: 'Accept suggestion' }).click();
    await named.waitFor({ state: 'detached' });
    assert.equal(String((await assetNamed(fx.assets.named.name)).attributes['configuration-id']), fx.configs.named);

    const searched = row('Unmatched assets', fx.assets.searched.name);
    await searched.getByRole('combobox', { name: `Match ${fx.assets.searched.name} to` }).fill('Spare');
    await searched.getByRole('option', { name: 'Spare laptop 7' }).click();
    await searched.waitFor({ state: 'detached' });
    const s = await assetNamed(fx.assets.searched.name);
    assert.equal(s.attributes.state, 'manual');
    assert.equal(String(s.attributes['configuration-id']), fx.configs.searched);
  });

  it('ignores an asset and un-ignores it', async () => {
    const name = fx.assets.rest[0].name;
    const before = (await assetNamed(name)).attributes.state;
    await row('Unmatched assets', name).getByRole('button', { name: 'Ignore' }).click();
    await row('Unmatched assets', name).waitFor({ state: 'detached' });
    assert.equal((await assetNamed(name)).attributes.state, 'ignored');
    await page.getByRole('link', { name: /^Ignored/ }).click();
    await row('Ignored assets', name).getByRole('button', { name: 'Un-ignore' }).click();
    await row('Ignored assets', name).waitFor({ state: 'detached' });
    assert.equal((await assetNamed(name)).attributes.state, before);
    await page.getByRole('link', { name: /^Unmatched/ }).click();
  });

  it('creates configurations singly and in bulk behind the PSA warning', async () => {
    const [one, two, three, ...others] = fx.assets.rest;
    await row('Unmatched assets', one.name).getByRole('button', { name: 'Create configuration' }).click();
    let dialog = page.getByRole('dialog', { name: 'Create configuration' });
    await dialog.getByText('do not sync to the PSA unless you save them there manually').waitFor();
    await dialog.getByRole('button', { name: 'Create configuration' }).click();
    await page.getByRole('dialog', { name: 'Configurations created' }).getByText('1 configuration created').waitFor();
    await page.getByRole('dialog', { name: 'Configurations created' }).getByRole('button', { name: 'Done' }).click();
    await row('Unmatched assets', one.name).waitFor({ state: 'detached' });
    const created = await assetNamed(one.name);
    assert.equal(created.attributes.state, 'created');
    const config = await api('GET', `/configurations/${created.attributes['configuration-id']}`);
    assert.equal(String(config.data.attributes['organization-id']), fx.orgs.auto);

    // Selected rows; one of them is matched by someone else meanwhile, so it fails on its own.
    for (const a of [two, three]) {
      await row('Unmatched assets', a.name)
        .getByRole('checkbox', { name: `Select ${a.name}` })
        .check();
    }
    const third = await assetNamed(three.name);
    await api('POST', `/backup_assets/${third.id}/actions/match`, {
      data: { attributes: { 'configuration-id': Number(fx.configs.searched) } },
    });
    await page.getByRole('button', { name: 'Create selected (2)' }).click();
    dialog = page.getByRole('dialog', { name: 'Create 2 configurations' });
    await dialog.getByText('do not sync to the PSA unless you save them there manually').waitFor();
    const bulk = page.waitForResponse((r) => r.url().endsWith('/backup_assets/actions/create_configurations'));
    await dialog.getByRole('button', { name: 'Create 2 configurations' }).click();
    const meta = (await (await bulk).json()).meta;
    assert.equal(meta.created, 1);
    assert.equal(meta.failed.length, 1);
    const done = page.getByRole('dialog', { name: 'Configurations created' });
    await done.getByText('1 configuration created, 1 failed.').waitFor();
    const failedItem = done.getByRole('list', { name: 'Failed items' }).getByRole('listitem');
    await failedItem.getByText(three.name).waitFor();
    await failedItem.getByText(meta.failed[0].detail).waitFor();
    await screenshot(page, '46-bulk-create-failed-item');
    await done.getByRole('button', { name: 'Done' }).click();
    assert.equal((await assetNamed(two.name)).attributes.state, 'created');
    assert.equal((await assetNamed(three.name)).attributes.state, 'manual');

    // All remaining.
    await page.getByRole('button', { name: 'Create all remaining' }).click();
    dialog = page.getByRole('dialog', { name: 'Create configurations' });
    await dialog.getByText('do not sync to the PSA unless you save them there manually').waitFor();
    await screenshot(page, '46-bulk-create-all-warning');
    await dialog.getByRole('button', { name: 'Create configurations' }).click();
    await page
      .getByRole('dialog', { name: 'Configurations created' })
      .getByText(`${others.length} configurations created`)
      .waitFor();
    await page.getByRole('dialog', { name: 'Configurations created' }).getByRole('button', { name: 'Done' }).click();
    await page.getByText('Every asset is matched or ignored').waitFor();
    for (const a of others) assert.equal((await assetNamed(a.name)).attributes.state, 'created');
  });

  it('shows the backup on the configuration page, compares and syncs it', async () => {
    const asset = await assetNamed(fx.assets.mac.name);
    await page.goto(server.url + `/${fx.orgs.auto}/configurations/${fx.configs.mac}`);
    const panel = page.getByRole('region', { name: `Backup of ${fx.assets.mac.name}` });
    await panel.getByText('Last backup').waitFor();
    const outcome = await panel.locator('[data-backup]').getAttribute('data-backup');
    const word = { successful: 'Successful', warning: 'Warning', failed: 'Failed', inprogress: 'In progress' }[
      String(outcome)
    ];
    if (word) await panel.getByText(word, { exact: true }).waitFor();
    await panel.getByText(/\d (MB|GB|TB)$/).waitFor();
    await screenshot(page, '47-configuration-backup');

    const badge = page.getByRole('group', { name: `Unitrends sync of ${fx.assets.mac.name}` });
    await badge.getByRole('button', { name: 'Compare data' }).click();
    const compare = page.getByRole('dialog', { name: 'Compare data' });
    // The configuration's name was made to differ from the portal's.
    const nameRow = compare.getByRole('row').filter({ hasText: 'Name' }).first();
    await nameRow.locator('[data-differs="true"]').waitFor();
    await nameRow.getByText('Front desk PC').waitFor();
    await screenshot(page, '48-compare-data');
    await page.keyboard.press('Escape');
    await compare.waitFor({ state: 'detached' });

    const synced = page.waitForResponse((r) => r.url().endsWith(`/backup_assets/${asset.id}/actions/sync_now`));
    await badge.getByRole('button', { name: 'Sync now' }).click();
    assert.equal((await synced).status(), 200);
    await badge.getByRole('button', { name: 'Sync now' }).waitFor();
    const after = await assetNamed(fx.assets.mac.name);
    assert.ok(after.attributes['last-synced-at'] >= asset.attributes['last-synced-at']);

    // The portal unreachable: the error detail is shown, the page stays.
    await sim.stop();
    const failed = page.waitForResponse((r) => r.url().endsWith(`/backup_assets/${asset.id}/actions/sync_now`));
    await badge.getByRole('button', { name: 'Sync now' }).click();
    const res = await failed;
    assert.equal(res.status(), 502);
    const detail = (await res.json()).errors[0].detail;
    await badge.getByRole('alert').getByText(detail).waitFor();
    assert.doesNotMatch(detail, new RegExp(sim.settings.client_secret));
    await screenshot(page, '49-sync-now-error');
    assert.deepEqual(pageErrors, []);
  });

  it('lets a manager match, and hides matching from an editor', async () => {
    await signOut(/Grace/);
    await signIn(MANAGER);
    await page.getByRole('link', { name: 'Backup matching' }).click();
    await page.waitForURL(/\/account\/matching$/);
    await row('Unmatched customers', fx.unmatched[2].name).getByRole('button', { name: 'Ignore' }).waitFor();
    await signOut(/Margaret/);

    await signIn(EDITOR);
    assert.equal(await page.getByRole('link', { name: 'Backup matching' }).count(), 0);
    await page.goto(server.url + '/account/matching');
    await page.getByText('Only administrators and managers can match backup data.').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/backup_customers')).status);
    assert.equal(status, 403);
    // The backup data itself is for every reader of the configuration.
    await page.goto(server.url + `/${fx.orgs.auto}/configurations/${fx.configs.mac}`);
    await page
      .getByRole('region', { name: `Backup of ${fx.assets.mac.name}` })
      .getByText('Last backup')
      .waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
