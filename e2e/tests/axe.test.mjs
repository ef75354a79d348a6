// Accessibility: axe-core on the main portal pages (and the 市长信箱's form, published letters and statistics); no serious or critical violation is allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, newPage, shot } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function check(path, name, mobile = false) {
  const page = await newPage(browser, mobile ? { viewport: { width: 390, height: 844 } } : {});
  const res = await page.goto(path);
  assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
  await shot(page, `axe-${name}${mobile ? '-phone' : ''}`);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  assert.equal(bad.length, 0, `${path}:\n${report}`);
  await page.context().close();
  return results;
}

/** The first link of a list on a page (to reach pages whose ids the demo assigns). */
async function firstHref(path, selector) {
  const page = await newPage(browser);
  await page.goto(path);
  const href = await page.locator(selector).first().getAttribute('href');
  await page.context().close();
  assert.ok(href, `no ${selector} on ${path}`);
  return href;
}

const PAGES = [
  ['/', 'home'],
  ['/yima-office/', 'agency'],
  ['/yima-office/gzdt/', 'column'],
  ['/library', 'library'],
  ['/search?q=%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80', 'search'],
  ['/yima-office/gkzn/', 'guide'],
  ['/directory', 'directory'],
  ['/yima-office/mailbox', 'mailbox-form'],
  ['/yima-office/mailbox/letters', 'mailbox-letters'],
  ['/yima-office/mailbox/stats?year=2026', 'mailbox-stats'],
];

for (const [path, name] of PAGES) {
  test(`axe: ${name} (${path})`, async () => {
    await check(path, name);
  });
}

test('axe: article with attachments and metadata', async () => {
  await check(await firstHref('/yima-office/czzj/', 'ul.items li a'), 'article');
});

test('axe: repealed 规范性文件 (notice at the top)', async () => {
  await check(await firstHref('/library?validity=repealed', 'table tbody a'), 'repealed');
});

test('axe: a unit of the directory', async () => {
  await check(await firstHref('/directory', 'table tbody td:first-child a'), 'unit');
});

test('axe: home and article on a phone', async () => {
  await check('/', 'home', true);
  await check(await firstHref('/yima-office/czzj/', 'ul.items li a'), 'article', true);
});

test('axe: console pages (interaction statistics with charts, mailbox inbox, the monitoring dashboard, 通报 and 整改, the evaluation)', async () => {
  const password = process.env.GONGKAI_E2E_ADMIN_PASSWORD;
  assert.ok(password, 'scripts/e2e passes the demo administrator\'s password');
  const page = await newPage(browser);
  await page.goto('/console/login');
  await page.fill('#username', 'admin');
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  for (const [path, name] of [
    ['/console/yima-office/interaction/stats?year=2026', 'console-stats'],
    ['/console/yima-office/mailbox', 'console-mailbox'],
    ['/console/yima/monitor', 'console-monitor'],
    ['/console/yima/evaluation?year=2026', 'console-evaluation'],
    ['/console/yima/monitor/bulletins', 'console-bulletins'],
    // The demo's one 通报 (a fresh demo database: the first 通报 has id 1).
    ['/console/yima/monitor/bulletins/1', 'console-bulletin'],
    ['/console/yima/monitor/rectifications', 'console-rectifications'],
  ]) {
    const res = await page.goto(path);
    assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
    await shot(page, `axe-${name}`);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
    assert.equal(bad.length, 0, `${path}:\n${report}`);
  }
  await page.context().close();
});
