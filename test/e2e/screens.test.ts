// Layout and accessibility of every screen (issue 18) in real Chromium against `mailroom serve`: the
// login page, the setup wizard and every screen the navigation links to, at 1366, 1024 and 800 px wide.
// On each: the document title names the screen, the page never scrolls sideways (wide tables scroll
// inside themselves), badges show their whole word, headings go down one level at a time, no two
// buttons share a name, and axe-core (the devDependency, injected into the page) finds no serious or
// critical WCAG 2.1 A/AA violation. At 800 px the navigation is folded behind the burger; the skip
// link leads past it; dialogs open on their first field and give the focus back when they close.
// With MAILROOM_SCREENSHOTS=1 it writes docs/screenshots/<screen>-<width>.png (the committed set: 1366 and 800).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openContext } from '../../server/index.js';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { startFakeDns } from '../helpers/fake-dns.js';
import { cannotRun, launch, screenshotDir, watchErrors } from './browser.js';

// Browser globals for the callbacks that run inside the page (page.evaluate): this file is compiled
// without the DOM library, so the few it uses are declared here.
interface PageElement {
  tagName: string;
  id: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { width: number; height: number };
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  contains(other: PageElement | null): boolean;
  remove(): void;
}
declare const document: {
  body: { insertAdjacentHTML(position: string, html: string): void };
  documentElement: PageElement;
  activeElement: PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  getElementById(id: string): PageElement | null;
};
declare const window: object;
declare function getComputedStyle(element: PageElement): { visibility: string };

const ADMIN_PASSWORD = 'correct horse battery';
const WIDTHS = [1366, 1024, 800] as const;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_VERSION = (createRequire(import.meta.url)('axe-core/package.json') as { version: string }).version;
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
async function axeViolations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const { version, findings } = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { version: string; run(context: unknown, options: object): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    const findings = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
    return { version: axe.version, findings };
  }, WCAG_TAGS);
  assert.equal(version, AXE_VERSION, 'the injected axe-core is the devDependency');
  return findings;
}

/** What the layout checks found wrong on the page as it is now (empty when all is well). */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`the page scrolls sideways (${root.scrollWidth} px wide in ${root.clientWidth} px)`);
    const visible = (e: PageElement) => {
      const box = e.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== 'hidden';
    };
    for (const label of document.querySelectorAll('.mantine-Badge-label')) {
      if (visible(label) && label.scrollWidth > label.clientWidth + 1) problems.push(`badge "${label.textContent}" is cut (${label.scrollWidth} px in ${label.clientWidth} px)`);
    }
    // Headings: the first is h1 (the product name) and none skips a level on the way down.
    let last = 0;
    for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      if (!visible(h) || h.closest('[inert], [aria-hidden="true"]')) continue;
      const level = Number(h.tagName[1]);
      if (level > last + 1) problems.push(`heading "${h.textContent?.trim()}" is h${level} after h${last}`);
      last = level;
    }
    // Button names: no two buttons a user can reach have the same name (with a dialog open, only the
    // dialog's buttons are reachable).
    const names = new Map<string, number>();
    const dialogOpen = document.querySelectorAll('[role="dialog"][aria-modal="true"]').length > 0;
    for (const b of document.querySelectorAll('button, [role="button"], a[href]')) {
      if (!visible(b) || b.closest('[inert], [aria-hidden="true"]') || b.getAttribute('tabindex') === '-1') continue;
      if (dialogOpen && !b.closest('[role="dialog"]')) continue;
      if (b.tagName === 'A' && b.getAttribute('role') !== 'button') continue;
      const labelledBy = b.getAttribute('aria-labelledby');
      const name = (b.getAttribute('aria-label') ?? (labelledBy ? document.getElementById(labelledBy)?.textContent : b.textContent) ?? '').replace(/\s+/g, ' ').trim();
      names.set(name, (names.get(name) ?? 0) + 1);
    }
    for (const [name, count] of names) if (count > 1) problems.push(`${count} buttons are named "${name}"`);
    return problems;
  });
}

/** Waits until the screen's own content is there: its heading and no loader left in the main area. */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1, main h2').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('main [data-testid="loading"], main .mantine-Loader-root').length === 0, undefined, { timeout: 20_000 }).catch(() => undefined);
  await page.waitForTimeout(300); // transitions (Mantine's are 150–200 ms)
}

async function seed(dataDir: string): Promise<void> {
  const ctx = await openContext(dataDir);
  const domain = await ctx.store.domains.add('example.test', 0);
  await ctx.store.domains.add('example.org', 0);
  const people = ['alice', 'bob', 'carol-with-a-rather-long-local-part'];
  for (const localPart of people) {
    await ctx.store.createAccount({ domainId: domain.id, localPart, displayName: localPart, passwordHash: '{PLAIN}x', scramSecret: null, quotaBytes: 50 * 1024 * 1024 });
  }
  // A deferred and a held message, so the queue shows its state badges.
  for (const recipient of ['someone@far.test', 'other@far.test']) {
    const { result } = await ctx.store.deliver({ bytes: Buffer.from(`Subject: for ${recipient}\r\n\r\nx\r\n`), local: [], remote: { sender: 'alice@example.test', recipients: [recipient], messageId: null } });
    const [row] = await ctx.store.queue.byQueueId(result.queueId!);
    await ctx.store.queue.defer(row.id, '451 4.4.1 connection refused by mx.far.test', Date.now() + 3_600_000);
    if (recipient.startsWith('other')) await ctx.store.queue.hold(result.queueId!, true);
  }
  const now = Date.now();
  await ctx.store.log.insertMany([
    { ts: now - 5000, level: 'warn', component: 'smtp', sessionId: 's1', queueId: null, messageId: null, event: 'smtp.rcpt.rejected', fields: { recipient: 'nobody@example.test' } },
    { ts: now - 4000, level: 'info', component: 'delivery', sessionId: null, queueId: null, messageId: null, event: 'delivery.local', fields: { recipient: 'alice@example.test' } },
  ]);
  await ctx.close();
}

test('every screen at 1366, 1024 and 800 px: title, no sideways scroll, whole badges, headings, unique buttons, folding navigation, skip link, focus, axe', { skip: cannotRun() }, async (t: TestContext) => {
  const dataDir = tempDir(t);
  const shots = process.env.MAILROOM_SCREENSHOTS === '1' ? screenshotDir(tempDir(t, 'mailroom-shots-')) : undefined;
  const dns = await startFakeDns(t, { 'example.test': { MX: [{ priority: 10, exchange: 'mail.example.test' }], TXT: ['v=spf1 mx -all'] }, 'mail.example.test': { A: ['127.0.0.1'] } });
  await seed(dataDir);
  const server = await serve(dataDir);
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${server.ready.ports.admin}`;
  const client = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  await client.result('updateSettings', { hostname: 'mail.example.test', dnsServers: [dns.server] });
  // Two of each row kind, so rows' buttons must be told apart by name.
  await client.result('addAlias', { address: 'info@example.test', destinations: ['alice@example.test', 'bob@example.test'] });
  await client.result('addAlias', { address: 'sales@example.test', destinations: ['bob@example.test'] });
  await client.result('addRule', { rule: { stage: 'connect', action: 'reject', match: { ip: ['192.0.2.0/24'] }, replyCode: 554, replyText: 'Go away', description: 'Block a test net' } });
  await client.result('addRule', { rule: { stage: 'connect', action: 'allow', match: { ip: ['198.51.100.0/24'] }, description: 'Allow another' } });
  await client.result('addNetwork', { cidr: '192.168.1.0/24', description: 'office', relay: true });
  await client.result('setTransport', { domain: 'partner.test', route: 'smtp:[192.0.2.10]:2525' });
  await client.result('setTransport', { domain: 'blocked.test', route: 'reject' });

  const browser = await launch(t);
  // axe is injected as a script: the admin page's Content-Security-Policy would refuse it.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: WIDTHS[0], height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = watchErrors(page);
  const report: string[] = [];
  /** Checks the screen as it is now; findings are collected, so one run lists every screen's. */
  const check = async (screen: string, width: number) => {
    const problems = [...(await layoutProblems(page)), ...(await axeViolations(page)).map((v) => `axe ${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.join('\n      ')}`)];
    for (const p of problems) report.push(`${screen} @${width}: ${p}`);
    if (shots) {
      await page.screenshot({ path: join(shots, `${screen}-${width}.png`), fullPage: true, animations: 'disabled', style: '.mantine-Notifications-root { display: none; }' });
    }
  };

  await t.test('login page', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(base + '/');
      await page.getByLabel('Admin password').waitFor();
      assert.equal(await page.title(), 'Log in — Mailroom');
      await check('login', width);
    }
    // The check itself sees a violation when there is one: grey on white at 2.3:1.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p id="planted" style="color:#aaa;background:#fff">too pale</p>'));
    assert.deepEqual((await axeViolations(page)).map((v) => v.id), ['color-contrast']);
    await page.evaluate(() => document.getElementById('planted')?.remove());
    await page.getByLabel('Admin password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'attached' });
  });

  const screens: Array<{ path: string; label: string }> = [];
  await t.test('the navigation lists the screens', async () => {
    await page.setViewportSize({ width: WIDTHS[0], height: 900 });
    await page.goto(`${base}/#/dashboard`);
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    await links.first().waitFor();
    for (const link of await links.all()) {
      const path = /^#\/([\w-]+)/.exec((await link.getAttribute('href')) ?? '')?.[1];
      const label = (await link.innerText()).trim();
      if (path && path !== 'setup') screens.push({ path, label });
    }
    const paths = screens.map((s) => s.path);
    for (const known of ['dashboard', 'domains', 'users', 'aliases', 'rules', 'networks', 'queue', 'logs', 'settings']) assert.ok(paths.includes(known), `the navigation links to ${known}`);
  });

  for (const width of WIDTHS) {
    await t.test(`every screen at ${width} px`, async () => {
      await page.setViewportSize({ width, height: 900 });
      for (const { path, label } of screens) {
        await page.goto(`${base}/#/${path}`);
        await settled(page);
        assert.equal(await page.title(), `${label} — Mailroom`, `the title of ${path}`);
        await check(path, width);
      }
    });
  }

  await t.test('the setup wizard opens on its first field', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/#/setup`);
      await page.getByRole('heading', { name: 'Set up Mailroom' }).waitFor();
      assert.equal(await page.title(), 'Set up — Mailroom');
      await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT');
      await check('wizard', width);
    }
  });

  await t.test('at 800 px the navigation folds behind the burger and closes after a choice', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    await page.goto(`${base}/#/dashboard`);
    await settled(page);
    const users = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true });
    assert.equal(await users.isVisible() && (await users.boundingBox())!.x >= 0, false, 'folded: the link is off screen');
    const burger = page.getByRole('button', { name: 'Open the navigation' });
    assert.equal(await burger.getAttribute('aria-expanded'), 'false');
    await burger.click();
    await page.getByRole('button', { name: 'Close the navigation' }).waitFor();
    await page.waitForTimeout(300);
    assert.ok((await users.boundingBox())!.x >= 0, 'unfolded: the link is on screen');
    await users.click();
    await page.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Open the navigation' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main-content', 'the focus moved to the new screen');
    // At 1366 px there is no burger and the navigation stays open.
    await page.setViewportSize({ width: 1366, height: 900 });
    assert.equal(await page.getByRole('button', { name: 'Open the navigation' }).isVisible(), false);
    assert.ok(await users.isVisible());
  });

  await t.test('the skip link is the first stop and leads to the content', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${base}/#/domains`);
    await page.reload(); // a fresh document: Tab starts from the top
    await settled(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the page content' });
    assert.ok(await skip.evaluate((e) => e === document.activeElement), 'Tab reaches the skip link first');
    assert.ok(await skip.isVisible(), 'the focused skip link is visible');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main-content');
    assert.match(page.url(), /#\/domains$/, 'the route did not change');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('main-content')!.contains(document.activeElement)), 'the next Tab is inside the content');
  });

  await t.test('a dialog opens on its first field, has a named close button, and gives the focus back', async () => {
    await page.goto(`${base}/#/domains`);
    await settled(page);
    const opener = page.getByRole('button', { name: 'Add domain' }).first();
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Add a domain' });
    await dialog.waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null), true);
    await dialog.getByRole('button', { name: 'Close the dialog' }).waitFor();
    await check('domains-add-dialog', 1366);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Add domain');
  });

  assert.deepEqual(report, [], `\n${report.join('\n')}`);
  assert.deepEqual(errors, []);
});
