// End-to-end tests of the web UI in a real browser against a real `mortar serve`.
// One server and one signed-in browser for the whole file; the tests run in order and
// build on each other like a technician's first session: sign in, create an
// organization, document it, find it again.
// @ts-check
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { admin, apiCall, launchBrowser, screenshot, startServer } from './harness.mjs';

const EMAIL = 'ada@msp.example';
const PASSWORD = 'correct horse battery staple';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
let apiKey = '';
let orgPath = '';
const pageErrors = [];

before(async () => {
  server = await startServer();
  admin(
    server.dataDir,
    ['create-user', '--email', EMAIL, '--name', 'Ada Lovelace', '--role', 'administrator'],
    PASSWORD + '\n',
  );
  apiKey = admin(server.dataDir, ['create-api-key', '--password-access']);
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // A violated Content-Security-Policy is reported on the console.
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('serving', () => {
  it('serves the app at / and at app routes with security headers', async () => {
    for (const path of ['/', '/organizations/42/passwords']) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(res.headers.get('referrer-policy'));
      const html = await res.text();
      const asset = html.match(/src="(\/assets\/[^"]+\.js)"/);
      assert.ok(asset, 'index.html loads a hashed script');
      const js = await fetch(server.url + asset[1]);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    }
  });

  it('keeps JSON 404s under /api and refuses path traversal', async () => {
    const res = await fetch(server.url + '/api/no_such_thing');
    assert.equal(res.status, 404);
    const body = await res.json();
    assert.equal(body.errors[0].status, 404);
    // Sent as raw targets: a browser or fetch() would resolve the dot segments itself.
    for (const target of ['/assets/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/assets/../../etc/passwd']) {
      assert.equal(await rawStatus(server.url, target), 404, target);
    }
  });
});

describe('a technician session', () => {
  it('refuses a wrong password with the API error, then signs in', async () => {
    await page.goto(server.url + '/organizations');
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '01-login-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/organizations$/);
    await page.getByText('No organizations yet').waitFor();
    await screenshot(page, '02-organizations-empty');
  });

  it('shows the API error for an invalid organization, then creates one', async () => {
    await page.getByRole('button', { name: 'New organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'New organization' });
    await dialog.getByLabel('Name', { exact: true }).fill('   ');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').getByText("can't be blank").waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill('Contoso Dental');
    await dialog.getByLabel('Short name').fill('contoso');
    await dialog.getByLabel('Description').fill('Three dental clinics around Lyon.');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/organizations\/\d+$/);
    orgPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: 'Contoso Dental' }).waitFor();
    await page.getByText('No configurations yet').waitFor();
  });

  it('adds a configuration with a new type, and an interface on its page', async () => {
    await page.getByRole('button', { name: 'New configuration' }).click();
    const dialog = page.getByRole('dialog', { name: 'New configuration' });
    await dialog.getByLabel('Name', { exact: true }).fill('CD-FS01');
    await dialog.getByLabel('Type').selectOption({ label: '+ New type…' });
    await dialog.getByPlaceholder('New type').fill('Managed Server');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByLabel('Hostname').fill('cd-fs01.contoso.local');
    await dialog.getByLabel('Primary IP').fill('192.168.10.5');
    await dialog.getByLabel('Serial number').fill('8KQ2-11');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const row = page.getByRole('row', { name: /CD-FS01/ });
    await row.getByText('Managed Server').waitFor();
    await screenshot(page, '03-organization-configurations');

    await row.getByRole('link', { name: 'CD-FS01' }).click();
    await page.waitForURL(/\/\d+\/configurations\/\d+$/);
    await page.getByText('cd-fs01.contoso.local', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Add interface' }).click();
    const iface = page.getByRole('dialog', { name: 'Add interface' });
    await iface.getByLabel('Name', { exact: true }).fill('LAN');
    await iface.getByLabel('IP address').fill('192.168.10.5');
    await iface.getByLabel('MAC address').fill('3C:52:82:10:AA:01');
    await iface.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('table', { name: 'Interfaces' }).getByText('3C:52:82:10:AA:01').waitFor();
    await page.getByRole('table', { name: 'Activity' }).getByText('Created').waitFor();
    await screenshot(page, '04-configuration');
  });

  it('adds a password, reveals and copies it, and the reveal is in the activity log', async () => {
    await page.goto(server.url + orgPath + '/passwords');
    await page.getByRole('button', { name: 'New password' }).click();
    const dialog = page.getByRole('dialog', { name: 'New password' });
    await dialog.getByLabel('Name', { exact: true }).fill('Domain admin');
    await dialog.getByLabel('Username').fill('CONTOSO\\admin');
    await dialog.getByLabel('Password', { exact: true }).fill('Tr0ub4dor&3-horse');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const row = page.getByRole('row', { name: /Domain admin/ });
    await row.waitFor();
    assert.equal(await page.getByText('Tr0ub4dor&3-horse').count(), 0, 'the list never shows the secret');

    await row.getByRole('button', { name: 'Reveal Domain admin' }).click();
    const reveal = page.getByRole('dialog', { name: /Password: Domain admin/ });
    await assertValue(reveal.getByLabel('Password value'), 'Tr0ub4dor&3-horse');
    await screenshot(page, '05-password-revealed');
    await reveal.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Password copied').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'Tr0ub4dor&3-horse');
    await reveal.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('link', { name: 'Activity', exact: true }).first().click();
    await page
      .getByRole('row', { name: /Revealed.*Domain admin/ })
      .first()
      .waitFor();
    await screenshot(page, '06-activity');

    // The record's resource-url opens it without revealing; revealing is one more click.
    const reveals = async () =>
      (await apiCall(server.url, apiKey, 'GET', '/activity_events?filter[action]=reveal')).meta['total-count'];
    assert.equal(await reveals(), 1);
    const orgId = orgPath.split('/').pop();
    const pw = (await apiCall(server.url, apiKey, 'GET', `/organizations/${orgId}/relationships/passwords`)).data[0];
    await page.goto(server.url + new URL(pw.attributes['resource-url']).pathname);
    const details = page.getByRole('dialog', { name: /Password: Domain admin/ });
    await details.getByText('CONTOSO\\admin').waitFor();
    assert.equal(await details.getByLabel('Password value').count(), 0);
    assert.equal(await reveals(), 1, 'opening the link revealed nothing');
    await details.getByRole('button', { name: 'Reveal password' }).click();
    await assertValue(details.getByLabel('Password value'), 'Tr0ub4dor&3-horse');
    assert.equal(await reveals(), 2);
  });

  it('writes a document in the rich-text editor, and it is stored', async () => {
    await page.goto(server.url + orgPath + '/documents');
    await page.getByRole('button', { name: 'New document' }).click();
    const dialog = page.getByRole('dialog', { name: 'New document' });
    await dialog.getByLabel('Name', { exact: true }).fill('Backup procedure');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/\d+\/docs\/\d+$/);
    const docId = new URL(page.url()).pathname.split('/').pop();
    const body = page.getByRole('textbox', { name: 'Document body' });
    await body.click();
    await page.getByRole('button', { name: 'Heading', exact: true }).click();
    await page.keyboard.type('Nightly backups');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Veeam runs at ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('22:00');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' every night.');
    await page.keyboard.press('Control+s');
    await page.getByText('Document saved').waitFor();
    await screenshot(page, '07-document-editor');

    const stored = await apiCall(server.url, apiKey, 'GET', `/documents/${docId}`);
    const html = stored.data.attributes.content;
    assert.match(html, /<h2>Nightly backups<\/h2>/);
    assert.match(html, /<(b|strong)>22:00<\/(b|strong)>/);
    await page.reload();
    await body.getByText('every night.').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/^Published /).waitFor();
  });

  it('completes and un-completes a checklist item', async () => {
    await page.goto(server.url + orgPath + '/checklists');
    await page.getByRole('button', { name: 'New checklist' }).click();
    const dialog = page.getByRole('dialog', { name: 'New checklist' });
    await dialog.getByLabel('Name', { exact: true }).fill('New starter: Jane Doe');
    await dialog.getByLabel('Items').fill('Create AD account\nCreate mailbox\nIssue laptop');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const card = page.getByRole('article', { name: 'New starter: Jane Doe' });
    await card.getByText('0 of 3 done').waitFor();
    await Promise.all([itemAnswered(page, 'complete'), card.getByLabel('Create AD account').check()]);
    await card.getByText('1 of 3 done').waitFor();
    await screenshot(page, '08-checklist');

    const orgId = orgPath.split('/').pop();
    const lists = await apiCall(server.url, apiKey, 'GET', `/organizations/${orgId}/relationships/checklists`);
    const items = lists.data[0].attributes.items;
    assert.equal(items.find((i) => i.name === 'Create AD account').completed, true);
    assert.equal(items.find((i) => i.name === 'Create mailbox').completed, false);

    await Promise.all([itemAnswered(page, 'uncomplete'), card.getByLabel('Create AD account').uncheck()]);
    await card.getByText('0 of 3 done').waitFor();
    const again = await apiCall(server.url, apiKey, 'GET', `/checklists/${lists.data[0].id}`);
    assert.equal(again.data.attributes.items[0].completed, false);
  });

  it('finds records with the global search, focused with the / key', async () => {
    await page.goto(server.url + '/organizations');
    await page.locator('body').press('/');
    const search = page.getByLabel('Search everything');
    assert.equal(await search.evaluate((el) => el === document.activeElement), true);
    await search.fill('cd-fs');
    await search.press('Enter');
    await page.waitForURL(/\/search\?q=cd-fs/);
    const hit = page.getByRole('row', { name: /CD-FS01/ });
    await hit.getByText('Configuration').waitFor();
    await screenshot(page, '09-search');
    await hit.getByRole('link', { name: 'CD-FS01' }).click();
    await page.waitForURL(/\/\d+\/configurations\/\d+$/);
  });

  it('pages and filters a long organization list on the server', async () => {
    const names = [];
    for (let i = 1; i <= 120; i++) names.push(`Client ${String(i).padStart(3, '0')} Holdings`);
    for (const name of names) {
      await apiCall(server.url, apiKey, 'POST', '/organizations', {
        data: { type: 'organizations', attributes: { name } },
      });
    }
    await page.goto(server.url + '/organizations');
    await page.getByText('1–50 of 121').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('51–100 of 121').waitFor();
    await page.getByRole('link', { name: 'Client 075 Holdings' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Client 050 Holdings' }).count(), 0, 'page 1 rows are gone');
    await screenshot(page, '10-organizations-paged');
    await page.getByLabel('Filter organizations').fill('client 07');
    await page.getByText('1–10 of 10').waitFor();
    await page.getByRole('link', { name: 'Client 075 Holdings' }).waitFor();
    // Keyboard: n opens the list's create dialog, Escape closes it.
    // (Not while typing in a field: take the focus out of whatever has it.)
    await page.evaluate(() => /** @type {HTMLElement} */ (document.activeElement)?.blur());
    await page.keyboard.press('n');
    await page.getByRole('dialog', { name: 'New organization' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'New organization' }).waitFor({ state: 'detached' });
    await page.getByLabel('Filter organizations').fill('zzzz');
    await page.getByText('No organization matches “zzzz”').waitFor();
  });

  it('administers users, groups and API keys', async () => {
    await page.goto(server.url + '/admin/users');
    await page.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name', { exact: true }).fill('Grace Hopper');
    await dialog.getByLabel('Email').fill('grace@msp.example');
    await dialog.getByLabel('Role').selectOption('editor');
    await dialog.getByLabel('Password').fill('short');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByLabel('Password').fill('a long enough password');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('row', { name: /Grace Hopper/ }).waitFor();
    await screenshot(page, '11-admin-users');

    await page.goto(server.url + '/admin/groups');
    await page.getByRole('button', { name: 'New group' }).click();
    const group = page.getByRole('dialog', { name: 'New group' });
    await group.getByLabel('Name', { exact: true }).fill('Level 2');
    await group.getByRole('group', { name: 'Members' }).getByLabel('Grace Hopper').check();
    await group.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('row', { name: /Level 2/ }).waitFor();
    await screenshot(page, '12-admin-groups');

    await page.goto(server.url + '/admin/api-keys');
    await page.getByRole('button', { name: 'New API key' }).click();
    const key = page.getByRole('dialog', { name: 'New API key' });
    await key.getByLabel('Name', { exact: true }).fill('PSA sync');
    await key.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: /API key “PSA sync”/ });
    const value = await shown.getByLabel('New API key').inputValue();
    assert.match(value, /^ITG\.[0-9a-f]{16}\.[0-9a-f]+$/);
    await screenshot(page, '13-admin-api-key-created');
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row', { name: /PSA sync/ }).waitFor();
    // The new key works against the API.
    const res = await fetch(server.url + '/api/organizations?page[size]=1', { headers: { 'x-api-key': value } });
    assert.equal(res.status, 200);
  });

  it('shows an editor only the actions the role allows', async () => {
    await signOut();
    await page.getByLabel('Email').fill('grace@msp.example');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/organizations$/);
    await page.getByLabel('Filter organizations').fill('contoso');
    await page.getByRole('link', { name: 'Contoso Dental' }).waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'New organization' }).count(),
      0,
      'editors do not create organizations',
    );
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0, 'no administration for editors');
    await page.getByRole('link', { name: 'Contoso Dental' }).click();
    await page.getByRole('button', { name: 'New configuration' }).waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Delete', exact: true }).count(),
      0,
      'editors do not delete organizations',
    );
    await screenshot(page, '14-editor-organization');
  });

  it('signs out, and the session is gone', async () => {
    await signOut();
    assert.equal(await page.evaluate(() => fetch('/api/web_sessions/current').then((r) => r.status)), 401);
    await page.goto(server.url + '/organizations');
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('raised no script error or Content-Security-Policy violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});

/** The status of a GET whose target is sent exactly as given. */
function rawStatus(baseUrl, target) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

async function signOut() {
  await page.goto(server.url + '/organizations');
  await page.getByRole('button', { name: /administrator|editor/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}

/** The server's answer to ticking (complete) or unticking (uncomplete) a checklist item. */
function itemAnswered(page, action) {
  return page.waitForResponse(
    (r) => new RegExp(`/api/checklists/\\d+/items/\\d+/${action}$`).test(new URL(r.url()).pathname) && r.ok(),
  );
}

/** Waits until an input shows the expected value. */
async function assertValue(locator, expected) {
  const handle = await locator.elementHandle();
  await locator
    .page()
    .waitForFunction(([el, v]) => /** @type {HTMLInputElement} */ (el).value === v, [handle, expected]);
  assert.equal(await locator.inputValue(), expected);
}
