// End-to-end tests of the PSA sync screens (Account > Integrations, Runs, Manage Data and
// the PSA controls on a record) in a real browser, against a real `mortar serve` syncing
// from a `mortar sim autotask` process on 127.0.0.1. The tests run in order and build on
// each other: connect the PSA, sync, then maintain the synced data.
// @ts-check
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, apiCall, launchBrowser, screenshot, simControl, startServer, startSim } from './harness.mjs';

const EMAIL = 'grace@msp.example';
const PASSWORD = 'correct horse battery staple';
const EDITOR = 'edsger@msp.example';

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

before(async () => {
  server = await startServer();
  sim = await startSim('autotask', ['--companies', '3', '--contacts', '6', '--configurations', '12', '--seed', '7']);
  admin(
    server.dataDir,
    ['create-user', '--email', EMAIL, '--name', 'Grace Hopper', '--role', 'administrator'],
    PASSWORD + '\n',
  );
  admin(
    server.dataDir,
    ['create-user', '--email', EDITOR, '--name', 'Edsger Dijkstra', '--role', 'editor'],
    PASSWORD + '\n',
  );
  apiKey = admin(server.dataDir, ['create-api-key']);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sim?.stop();
});

async function signIn(email) {
  await page.goto(server.url + '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/organizations$/);
}

/** The links of the integration, by API (to check what the screens show). */
async function links(query) {
  const res = await apiCall(
    server.url,
    apiKey,
    'GET',
    `/manage_data_records?page[size]=1000&filter[integration_id]=${integrationId}&${query}`,
  );
  return res.data;
}

async function latestRun() {
  const res = await apiCall(
    server.url,
    apiKey,
    'GET',
    `/integrations/${integrationId}/relationships/sync_runs?sort=-started_at`,
  );
  return res.data[0];
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

/** Starts a manual sync from the list; waits (through the API) for the new run to end. */
async function startFromList() {
  const before = (await latestRun())?.id;
  await page.goto(server.url + '/account/integrations');
  const row = page.getByRole('row', { name: /Autotask production/ });
  await row.getByRole('button', { name: 'Start manual sync' }).click();
  const run = await until(async () => {
    const r = await latestRun();
    return r && r.id !== before && r.attributes.outcome !== 'running' && r;
  });
  return { row, run };
}

/** Starts a manual sync from the list and waits for the row to say OK. */
async function syncFromList() {
  const { row, run } = await startFromList();
  assert.equal(run.attributes.outcome, 'ok', run.attributes.detail ?? '');
  await row.locator('[data-status="ok"]').waitFor();
  return row;
}

describe('PSA sync screens', () => {
  it('are not offered to an editor, and the API refuses them', async () => {
    await signIn(EDITOR);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Integrations' }).count(), 0);
    await page.goto(server.url + '/account/integrations');
    await page.getByText('Only administrators can manage integrations.').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/integrations')).status);
    assert.equal(status, 403);
    await page.getByRole('button', { name: /Edsger/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
  });

  it('creates an integration against the simulator, showing the 422 on its field', async () => {
    await signIn(EMAIL);
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.waitForURL(/\/account\/integrations$/);
    await page.getByText('No integrations yet').waitFor();
    await page.getByRole('button', { name: 'New integration' }).click();
    const dialog = page.getByRole('dialog', { name: 'New integration' });
    await dialog.getByLabel('Name', { exact: true }).fill('Autotask production');
    await dialog.getByLabel('Connect to', { exact: true }).selectOption('autotask');
    await dialog.getByLabel('Zone lookup URL').fill(sim.settings.zone_lookup_url);
    await dialog.getByLabel('API user name').fill(sim.settings.username);
    await dialog.getByLabel('Tracking identifier (integration code)').fill(sim.settings.integration_code);
    await dialog.getByLabel('API user secret').fill(sim.settings.secret);
    await dialog.getByLabel('Sync changes every (minutes)').fill('1');
    await dialog.getByRole('button', { name: 'Create' }).click();
    // The API's 422 names settings/schedule_minutes: the message sits under that field.
    const schedule = dialog.locator('.field', { has: page.getByLabel('Sync changes every (minutes)') });
    await schedule.locator('.field-error').getByText('must be an integer from 5').waitFor();
    assert.equal(await dialog.getByLabel('Sync changes every (minutes)').getAttribute('aria-invalid'), 'true');
    await schedule.scrollIntoViewIfNeeded();
    await screenshot(page, '20-integration-setup-error');
    await dialog.getByLabel('Sync changes every (minutes)').fill('60');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Autotask production/ });
    await row.getByText('Not synced yet').waitFor();
    const list = await apiCall(server.url, apiKey, 'GET', '/integrations');
    assert.equal(list.data.length, 1);
    integrationId = list.data[0].id;
    assert.equal(list.data[0].attributes['credentials-set'], true);
    assert.equal(list.data[0].attributes.credentials, undefined);
  });

  it('starts a manual sync and shows OK, then the run with its counts', async () => {
    const row = await syncFromList();
    await row.getByText('OK', { exact: true }).waitFor();
    await screenshot(page, '21-integrations-ok');
    const run = await latestRun();
    assert.equal(run.attributes.outcome, 'ok');
    // A new integration is due for its schedule at once, so a scheduled run may have
    // created the records just before the manual one: one of the runs created them.
    const runs = await apiCall(server.url, apiKey, 'GET', `/integrations/${integrationId}/relationships/sync_runs`);
    assert.ok(runs.data.some((r) => r.attributes['created-count'] > 0));

    await row.getByRole('link', { name: 'Runs' }).click();
    await page.waitForURL(/\/account\/integrations\/\d+\/runs$/);
    const runRow = page.getByRole('table', { name: 'Sync runs' }).getByRole('row').nth(1);
    await runRow.locator('[data-outcome="ok"]').waitFor();
    const cells = await runRow.getByRole('cell').allInnerTexts();
    // Started, Finished, Run, Outcome, Created, Updated, Unchanged, Orphaned, Returned, Errors, API calls.
    assert.equal(cells[4], String(run.attributes['created-count']));
    assert.equal(cells[7], String(run.attributes['orphaned-count']));
    assert.equal(cells[10], String(run.attributes['api-calls']));
    await runRow.getByRole('button', { name: 'Details' }).click();
    const details = page.getByRole('dialog', { name: /Run of/ });
    await details.getByText('No item errors').waitFor();
    await screenshot(page, '22-runs');
    await details.getByRole('button', { name: 'Close' }).click();
  });

  it('shows Manage Data with counts per state, and a type list with states', async () => {
    const configs = await links('filter[data_type]=configurations');
    assert.ok(configs.length >= 4, `synced ${configs.length} configurations`);
    await page.goto(server.url + `/account/integrations/${integrationId}/manage-data`);
    const synced = page.getByRole('table', { name: 'Synced items' });
    const configRow = synced.getByRole('row', { name: /Configurations/ });
    await configRow.getByRole('cell').nth(1).getByText(String(configs.length), { exact: true }).waitFor();
    await screenshot(page, '23-manage-data');
    await configRow.getByRole('button', { name: 'View configurations' }).click();
    const records = page.getByRole('table', { name: 'Configurations records' });
    await records.getByRole('row').nth(configs.length).waitFor();
    assert.equal(await records.locator('[data-state="syncing"]').count(), configs.length);
    // A syncing record cannot be deleted: no Delete button.
    assert.equal(await records.getByRole('button', { name: /^Delete/ }).count(), 0);
  });

  it('disables sync on a record from its page, where PSA-owned fields are read-only', async () => {
    const [first] = await links('filter[data_type]=configurations&filter[state]=syncing');
    const a = first.attributes;
    await page.goto(server.url + `/${a['organization-id']}/configurations/${a['record-id']}`);
    const panel = page.getByRole('region', { name: 'PSA controls' });
    await panel.locator('[data-state="syncing"]').waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit configuration' });
    assert.equal(await edit.getByLabel('Name', { exact: true }).isDisabled(), true);
    assert.equal(await edit.getByLabel('Notes').isDisabled(), false);
    await edit
      .getByText(/Owned by Autotask while this record syncs/)
      .first()
      .waitFor();
    await screenshot(page, '24-configuration-edit-syncing');
    await edit.getByLabel('Notes').fill('Rack 2, top shelf');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Rack 2, top shelf').waitFor();

    await panel.getByRole('button', { name: 'Disable sync' }).click();
    await panel.locator('[data-state="disabled"]').getByText('Sync disabled').waitFor();
    await panel.getByRole('button', { name: 'Enable sync' }).waitFor();
    await screenshot(page, '25-configuration-sync-disabled');
    const shown = await apiCall(server.url, apiKey, 'GET', `/manage_data_records/${first.id}`);
    assert.equal(shown.data.attributes.state, 'disabled');
    await page.getByRole('button', { name: 'Edit' }).click();
    assert.equal(
      await page.getByRole('dialog', { name: 'Edit configuration' }).getByLabel('Name', { exact: true }).isDisabled(),
      false,
    );
    await page.keyboard.press('Escape');
  });

  it('shows the sync state on organization and contact pages too', async () => {
    const [org] = await links('filter[data_type]=organizations&filter[state]=syncing');
    await page.goto(server.url + `/account/integrations/${integrationId}/manage-data?view=organizations`);
    const records = page.getByRole('table', { name: 'Organizations records' });
    await records
      .getByRole('row', { name: new RegExp(org.attributes.name) })
      .getByRole('link', { name: 'View' })
      .click();
    await page.waitForURL(new RegExp(`/organizations/${org.attributes['record-id']}$`));
    const panel = page.getByRole('region', { name: 'PSA controls' });
    await panel.locator('[data-state="syncing"]').waitFor();
    await screenshot(page, '29-organization-syncing');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit organization' });
    assert.equal(await edit.getByLabel('Name', { exact: true }).isDisabled(), true);
    assert.equal(await edit.getByLabel('Alert').isDisabled(), false);
    await page.keyboard.press('Escape');

    const [contact] = await links('filter[data_type]=contacts&filter[state]=syncing');
    await page
      .getByRole('tab', { name: 'Contacts' })
      .or(page.getByRole('link', { name: 'Contacts', exact: true }))
      .first()
      .click();
    await page.goto(
      server.url + `/${contact.attributes['organization-id']}/contacts/${contact.attributes['record-id']}`,
    );
    await page.getByRole('heading', { name: contact.attributes.name }).waitFor();
    await page.getByRole('region', { name: 'PSA controls' }).locator('[data-state="syncing"]').waitFor();
    await screenshot(page, '33-contact-syncing');
  });

  it('shows a sync error with its detail on the record page until a run applies it again', async () => {
    const syncing = await links('filter[data_type]=configurations&filter[state]=syncing');
    const broken = syncing[syncing.length - 1];
    const psaId = Number(broken.attributes['psa-id']);
    await simControl(sim.url, '/mutate', { kind: 'configurations', op: 'update', id: psaId, set: { name: '' } });
    const { row, run } = await startFromList();
    assert.equal(run.attributes.outcome, 'ok', run.attributes.detail ?? '');
    assert.equal(run.attributes['error-count'], 1);
    await row.locator('[data-status="ok"]').waitFor();
    const a = broken.attributes;
    await page.goto(server.url + `/${a['organization-id']}/configurations/${a['record-id']}`);
    const panel = page.getByRole('region', { name: 'PSA controls' });
    await panel.locator('[data-state="error"]').getByText('Sync error').waitFor();
    await panel
      .getByRole('note')
      .getByText(/has no name/)
      .waitFor();
    // The Mortar record kept its name; a record in error may be edited.
    await page.getByRole('heading', { name: a.name }).waitFor();
    await screenshot(page, '34-configuration-sync-error');

    await simControl(sim.url, '/mutate', { kind: 'configurations', op: 'update', id: psaId, set: { name: a.name } });
    await syncFromList();
    await page.goto(server.url + `/${a['organization-id']}/configurations/${a['record-id']}`);
    await panel.locator('[data-state="syncing"]').waitFor();
    assert.equal(await panel.getByRole('note').count(), 0);
  });

  it('disconnects contacts with pause, then reconnects them', async () => {
    const contacts = await links('filter[data_type]=contacts&filter[state]=syncing');
    assert.ok(contacts.length > 0);
    await page.goto(server.url + `/account/integrations/${integrationId}/manage-data`);
    await page.getByRole('button', { name: 'Disconnect contacts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect contacts' });
    await dialog.getByLabel(/Pause syncing and keep all data/).check();
    await dialog.getByText(/Permanently disconnect records from Autotask production but keep all data/).waitFor();
    await screenshot(page, '26-disconnect-dialog');
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await dialog.waitFor({ state: 'detached' });
    const disconnected = page.getByRole('table', { name: 'Disconnected data' }).getByRole('row', { name: /Contacts/ });
    await disconnected.getByRole('cell').nth(1).getByText(String(contacts.length), { exact: true }).waitFor();
    await disconnected.getByText('Paused').waitFor();
    assert.equal((await links('filter[data_type]=contacts&filter[state]=disconnected')).length, contacts.length);
    await disconnected.scrollIntoViewIfNeeded();
    await screenshot(page, '27-manage-data-disconnected');

    await disconnected.getByRole('button', { name: 'Reconnect contacts' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reconnect contacts' });
    await confirm.getByRole('button', { name: 'Reconnect' }).click();
    await confirm.waitFor({ state: 'detached' });
    await disconnected.getByRole('cell').nth(1).getByText('0', { exact: true }).waitFor();
    assert.equal((await links('filter[data_type]=contacts&filter[state]=syncing')).length, contacts.length);
  });

  it('edits the integration, keeping the credentials left blank', async () => {
    await page.goto(server.url + '/account/integrations');
    await page
      .getByRole('row', { name: /Autotask production/ })
      .getByRole('button', { name: 'Edit' })
      .click();
    const dialog = page.getByRole('dialog', { name: /Edit integration/ });
    const secret = dialog.getByLabel('API user secret');
    assert.equal(await secret.inputValue(), '');
    assert.equal(await secret.getAttribute('placeholder'), 'Leave blank to keep');
    assert.equal(await dialog.getByLabel('API user name').inputValue(), sim.settings.username);
    assert.equal(await dialog.getByLabel('Connect to', { exact: true }).isDisabled(), true);
    await dialog.getByLabel('Name', { exact: true }).fill('Autotask production EU');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Autotask production EU/ }).waitFor();
    const shown = await apiCall(server.url, apiKey, 'GET', `/integrations/${integrationId}`);
    assert.equal(shown.data.attributes['credentials-set'], true);
    assert.equal(
      shown.data.attributes.connection.zone_lookup_url ?? shown.data.attributes.connection['zone-lookup-url'],
      sim.settings.zone_lookup_url,
    );
  });

  it('names the PSA types and statuses in the setup, read from the PSA', async () => {
    const lists = await apiCall(server.url, apiKey, 'GET', `/integrations/${integrationId}/psa_lookups`);
    const configTypes = lists.data.filter((d) => d.attributes.kind === 'configuration_type');
    assert.ok(configTypes.length > 1);
    const [first, second] = configTypes.map((d) => d.attributes);
    await page.goto(server.url + '/account/integrations');
    await page
      .getByRole('row', { name: /Autotask production/ })
      .getByRole('button', { name: 'Edit' })
      .click();
    const dialog = page.getByRole('dialog', { name: /Edit integration/ });
    await dialog.getByText(`The PSA’s types and statuses (${lists.meta['total-count']})`).click();
    await dialog
      .getByRole('table', { name: 'PSA types and statuses' })
      .getByRole('cell', { name: first.name })
      .waitFor();
    const typeIds = dialog.getByLabel('Configurations: PSA type ids');
    await typeIds.fill(`${first['psa-id']}, ${second['psa-id']}, 999`);
    await dialog.getByText(`${first.name}, ${second.name}, unknown id 999`).waitFor();
    await dialog.getByRole('button', { name: 'Add mapping' }).click();
    const psaType = dialog.getByLabel('PSA type 1', { exact: true });
    await psaType.selectOption({ label: second.name + (second.active ? '' : ' (inactive)') });
    assert.equal(await psaType.inputValue(), second['psa-id']);
    await screenshot(page, '35-integration-psa-lists');
    // Nothing saved: the next tests count this integration's records.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('deletes all orphaned configurations behind a dialog stating the number', async () => {
    // Two syncing configuration items are deleted in the PSA; the next full sync orphans them.
    const syncing = await links('filter[data_type]=configurations&filter[state]=syncing');
    const gone = syncing.slice(0, 2);
    for (const l of gone) {
      await simControl(sim.url, '/mutate', {
        kind: 'configurations',
        op: 'delete',
        id: Number(l.attributes['psa-id']),
      });
    }
    await syncFromList();
    const run = await latestRun();
    assert.equal(run.attributes['orphaned-count'], 2);

    await page.goto(server.url + `/account/integrations/${integrationId}/manage-data`);
    const orphaned = page.getByRole('table', { name: 'Orphaned data' }).getByRole('row', { name: /Configurations/ });
    await orphaned.getByRole('cell').nth(1).getByText('2', { exact: true }).waitFor();
    await orphaned.getByRole('button', { name: 'View configurations orphaned' }).click();
    const records = page.getByRole('table', { name: 'Configurations records' });
    await records.locator('[data-state="orphaned"]').nth(1).waitFor();
    assert.equal(await records.locator('[data-state="orphaned"]').count(), 2);

    await orphaned.getByRole('button', { name: 'Delete all orphaned configurations' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete all orphaned configurations' });
    await dialog.getByText('Delete 2 orphaned configurations and their documentation from Mortar?').waitFor();
    await screenshot(page, '28-delete-all-orphaned');
    await dialog.getByRole('button', { name: 'Delete 2 configurations' }).click();
    await dialog.waitFor({ state: 'detached' });
    await orphaned.getByRole('cell').nth(1).getByText('0', { exact: true }).waitFor();
    for (const l of gone) {
      const res = await fetch(`${server.url}/api/configurations/${l.attributes['record-id']}`, {
        headers: { 'x-api-key': apiKey },
      });
      assert.equal(res.status, 404);
    }
  });

  it('asks to confirm before orphaning most configurations, then orphans them', async () => {
    const syncing = await links('filter[data_type]=configurations&filter[state]=syncing');
    const gone = syncing.slice(0, syncing.length - 1);
    assert.ok(gone.length * 2 > syncing.length);
    for (const l of gone) {
      await simControl(sim.url, '/mutate', {
        kind: 'configurations',
        op: 'delete',
        id: Number(l.attributes['psa-id']),
      });
    }
    const { row: listed, run } = await startFromList();
    assert.equal(run.attributes.outcome, 'needs_confirmation');
    assert.equal(run.attributes['orphaned-count'], 0);
    // The list polls after a start: it shows the new status without a reload.
    await listed.locator('[data-status="error"]').waitFor();
    await listed.getByText(`would orphan ${gone.length} of`).waitFor();
    await screenshot(page, '30-integrations-needs-confirmation');
    await listed.getByRole('button', { name: 'Confirm orphans' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm orphans' });
    await dialog.getByRole('button', { name: `Orphan ${gone.length} configurations` }).click();
    await dialog.waitFor({ state: 'detached' });
    const done = await until(async () => {
      const r = await latestRun();
      return r.id !== run.id && r.attributes.outcome !== 'running' && r;
    });
    assert.equal(done.attributes.outcome, 'ok');
    assert.equal(done.attributes['orphaned-count'], gone.length);
    await listed.locator('[data-status="ok"]').waitFor();
    const orphans = await links('filter[data_type]=configurations&filter[state]=orphaned');
    assert.equal(orphans.length, gone.length);

    // One orphaned record is deleted from its type's list.
    await page.goto(
      server.url + `/account/integrations/${integrationId}/manage-data?view=configurations&state=orphaned`,
    );
    const records = page.getByRole('table', { name: 'Configurations records' });
    const victim = orphans[0].attributes.name;
    await records.getByRole('button', { name: `Delete ${victim}`, exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete configuration' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page
      .getByRole('table', { name: 'Orphaned data' })
      .getByRole('row', { name: /Configurations/ })
      .getByRole('cell')
      .nth(1)
      .getByText(String(gone.length - 1), { exact: true })
      .waitFor();
    assert.equal((await links('filter[data_type]=configurations&filter[state]=orphaned')).length, gone.length - 1);
  });

  it('shows Credentials invalid until the credentials are entered again', async () => {
    await simControl(sim.url, '/faults', { bad_credentials: true });
    const { row, run } = await startFromList();
    assert.equal(run.attributes.outcome, 'credentials_invalid');
    await row.locator('[data-status="credentials_invalid"]').getByText('Credentials invalid').waitFor();
    await screenshot(page, '31-integrations-credentials-invalid');

    await simControl(sim.url, '/faults', { bad_credentials: false });
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: /Edit integration/ });
    await dialog.getByLabel('API user secret').fill(sim.settings.secret);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Not synced yet').waitFor();
    await syncFromList();
  });

  it('connects HaloPSA and ConnectWise Manage with their own fields', async () => {
    const vendors = [
      {
        vendor: 'halopsa',
        label: 'HaloPSA',
        fields: {
          auth_url: 'Authorisation server URL',
          resource_url: 'Resource server URL',
          tenant: 'Tenant',
          client_id: 'Client ID',
          scope: 'Scope',
          client_secret: 'Client secret',
        },
      },
      {
        vendor: 'connectwise',
        label: 'ConnectWise Manage',
        fields: {
          site_url: 'Site URL',
          company_id: 'Company ID',
          client_id: 'Client ID',
          public_key: 'Public key',
          private_key: 'Private key',
        },
      },
    ];
    for (const v of vendors) {
      const other = await startSim(v.vendor, [
        '--companies',
        '2',
        '--contacts',
        '2',
        '--configurations',
        '3',
        '--seed',
        '11',
      ]);
      try {
        await page.goto(server.url + '/account/integrations');
        await page.getByRole('button', { name: 'New integration' }).click();
        const dialog = page.getByRole('dialog', { name: 'New integration' });
        await dialog.getByLabel('Name', { exact: true }).fill(`${v.label} test`);
        await dialog.getByLabel('Connect to', { exact: true }).selectOption({ label: v.label });
        for (const [key, label] of Object.entries(v.fields)) {
          await dialog.getByLabel(label, { exact: true }).fill(other.settings[key]);
        }
        await dialog.getByRole('button', { name: 'Create' }).click();
        await dialog.waitFor({ state: 'detached' });
        const row = page.getByRole('row', { name: new RegExp(`${v.label} test`) });
        await row.getByText('Not synced yet').waitFor();
        await row.getByRole('button', { name: 'Start manual sync' }).click();
        await row.locator('[data-status="ok"]').waitFor({ timeout: 30000 });
        const list = await apiCall(
          server.url,
          apiKey,
          'GET',
          `/integrations?filter[name]=${encodeURIComponent(v.label + ' test')}`,
        );
        assert.equal(list.data[0].attributes.kind, v.vendor);
        assert.equal(list.data[0].attributes.status, 'ok');
      } finally {
        await other.stop();
      }
    }
    await screenshot(page, '32-integrations-three-vendors');
    assert.deepEqual(pageErrors, []);
  });
});
