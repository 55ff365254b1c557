// Real Chromium for the GUI tests: Debian's /usr/bin/chromium driven by playwright-core (never a
// downloaded browser). Tests skip with the reason when Chromium or the built renderer is missing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serve } from '../helpers/cli.js';
import { AdminHttpClient } from '../helpers/admin-http.js';

export const CHROMIUM = process.env.MAILROOM_CHROMIUM ?? '/usr/bin/chromium';
export const RENDERER_INDEX = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Why browser tests cannot run here, or undefined when they can. */
export function cannotRun(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(RENDERER_INDEX)) return 'the renderer is not built (npx vite build -c renderer/vite.config.ts)';
  return undefined;
}

export async function launch(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  t.after(() => browser.close());
  return browser;
}

/**
 * Where screenshots go: docs/screenshots/ when MAILROOM_SCREENSHOTS=1 (to refresh the README's
 * pictures), otherwise a folder the test removes.
 */
export function screenshotDir(fallback: string): string {
  const dir = process.env.MAILROOM_SCREENSHOTS === '1' ? join(REPO, 'docs', 'screenshots') : fallback;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Collects uncaught page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

/** A new Chromium page logged in to the admin GUI at `base`, with its page errors collected. */
export async function adminPage(t: TestContext, base: string, password: string): Promise<{ page: Page; errors: string[] }> {
  const browser = await launch(t);
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const errors = watchErrors(page);
  await page.goto(base + '/');
  await page.getByLabel('Admin password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  return { page, errors };
}

/**
 * `mailroom serve` on `dataDir` (killed after the test), its first run done with `password`, and a
 * Chromium page logged in past the setup wizard (a server with a domain and a user may or may not
 * open it first).
 */
export async function serveWithGui(t: TestContext, dataDir: string, password: string) {
  const server = await serve(dataDir);
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${server.ready.ports.admin}`;
  await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), password);
  const { page, errors } = await adminPage(t, base, password);
  const later = page.getByText('Finish later');
  await Promise.race([later.waitFor(), page.getByRole('navigation').waitFor()]);
  if (await later.isVisible()) await later.click();
  return { server, base, page, errors };
}
