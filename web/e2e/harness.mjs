// End-to-end harness: a real `mortar serve` on 127.0.0.1 with a temporary data directory,
// serving the built UI (web/dist), and Debian's chromium driven by playwright-core.
// No browser is downloaded: the executable is whatever `command -v chromium` finds.
// @ts-check
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const webDist = resolve(here, '..', 'dist');
export const screenshotDir = process.env.MORTAR_SCREENSHOT_DIR ?? join(repoRoot, 'build', 'screenshots');

export function mortarBinary() {
  const bin = process.env.MORTAR_BIN ?? join(repoRoot, 'build', 'src', 'app', 'mortar');
  if (!existsSync(bin))
    throw new Error(`mortar binary not found at ${bin}: build it first (scripts/build.sh) or set MORTAR_BIN`);
  return bin;
}

export function chromiumPath() {
  const found = execFileSync('bash', ['-c', 'command -v chromium || true']).toString().trim();
  if (!found) throw new Error("chromium not found: install Debian's chromium package (scripts/deps.sh --test)");
  return found;
}

/**
 * Starts `mortar serve` on an ephemeral port; resolves once it prints its listening line.
 * @returns {Promise<{ url: string, dataDir: string, stop: () => Promise<void>, log: () => string }>}
 */
export async function startServer() {
  const bin = mortarBinary();
  if (!existsSync(join(webDist, 'index.html'))) throw new Error(`no built UI in ${webDist}: run npm run build`);
  const dataDir = mkdtempSync(join(tmpdir(), 'mortar-e2e-'));
  const child = spawn(
    bin,
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--web-dir', webDist, '--rate-limit', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MORTAR_LOG_LEVEL: 'warn' },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mortar serve did not start in 20 s:\n${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mortar serve exited with ${code}:\n${stderr}`));
    });
  });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    url,
    dataDir,
    log: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs a `mortar admin` command against the server's store; returns its stdout. */
export function admin(dataDir, args, input) {
  return execFileSync(mortarBinary(), ['admin', ...args, '--data-dir', dataDir], {
    input: input ?? '',
    stdio: ['pipe', 'pipe', 'pipe'],
  })
    .toString()
    .trim();
}

/**
 * Launches headless chromium with an empty profile.
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, close: () => Promise<void> }>}
 */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'mortar-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of the page as <screenshotDir>/<name>.png (not committed). */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Calls the API with an API key (for setting up data the UI test does not cover). */
export async function apiCall(baseUrl, key, method, path, body) {
  const res = await fetch(baseUrl + '/api' + path, {
    method,
    headers: { 'x-api-key': key, 'Content-Type': 'application/vnd.api+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Starts `mortar sim VENDOR` on an ephemeral loopback port; resolves with its URL and the
 * settings it prints (the credentials it accepts).
 * @returns {Promise<{ url: string, settings: Record<string, string>, stop: () => Promise<void> }>}
 */
export async function startSim(vendor, args = []) {
  const child = spawn(mortarBinary(), ['sim', vendor, '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const { url, settings } = await new Promise((resolveSim, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mortar sim did not start in 20 s:\n${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d.toString();
      const lines = out.split('\n');
      const m = lines[0].match(/listening on (http:\/\/\S+)/);
      // The settings follow the first line; the output ends with the last of them.
      const done = m && out.endsWith('\n') && lines.length > 4;
      if (!done) return;
      clearTimeout(timer);
      /** @type {Record<string, string>} */
      const settings = {};
      for (const line of lines.slice(1)) {
        const kv = line.match(/^(\w+): (.*)$/);
        if (kv) settings[kv[1]] = kv[2];
      }
      resolveSim({ url: m[1], settings });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mortar sim exited with ${code}:\n${stderr}`));
    });
  });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    url,
    settings,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Calls a simulator's control API (/_sim/...). */
export async function simControl(simUrl, path, body) {
  const res = await fetch(simUrl + '/_sim' + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`/_sim${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
