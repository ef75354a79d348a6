// Must show 1: a new user in the browser goes home → agency → column → article → downloads an attachment;
// searches 政府信息公开 and sees highlighted results; a filter narrows them; the 长辈版 toggle enlarges the type.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, newPage, shot, resultCount } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('home → agency → column → article → attachment download', async () => {
  const page = await newPage(browser);
  await page.goto('/');
  await shot(page, '01-home');
  await page.getByRole('link', { name: '义马市人民政府办公室', exact: true }).click();
  await page.waitForURL('**/yima-office/');
  assert.equal(await page.locator('h1').innerText(), '义马市人民政府办公室');
  await shot(page, '02-agency');

  // The 财政预决算 block of the agency home leads to its column (budgets carry attachments in the demo).
  await page.getByRole('link', { name: '财政预决算', exact: true }).first().click();
  await page.waitForURL('**/yima-office/czzj/');
  assert.equal(await page.locator('h1').innerText(), '财政预决算');
  await shot(page, '03-column');

  const first = page.locator('ul.items li a').first();
  const title = (await first.innerText()).trim();
  await first.click();
  await page.waitForURL(/\/yima-office\/czzj\/\d+$/);
  assert.equal((await page.locator('h1').innerText()).trim(), title);
  // The metadata table of a catalog item.
  const meta = await page.locator('table.metadata').innerText();
  for (const label of ['索引号', '发布机构', '发布日期']) assert.match(meta, new RegExp(label));
  await shot(page, '04-article');

  const link = page.locator('section[aria-labelledby=att-h] a').first();
  const name = (await link.innerText()).trim();
  assert.equal(name, `${title}.docx`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), name);
  const bytes = readFileSync(await download.path());
  // A real Word document: a ZIP container with the OOXML main part.
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  assert.ok(bytes.includes(Buffer.from('word/document.xml')), 'DOCX main part missing');
  await page.context().close();
});

test('search 政府信息公开: highlighted results, and a filter narrows them', async () => {
  const page = await newPage(browser);
  await page.goto('/');
  await page.getByRole('searchbox', { name: '全站检索' }).fill('政府信息公开');
  await page.getByRole('button', { name: '检索' }).click();
  await page.waitForURL(/\/search\?q=/);
  const total = await resultCount(page);
  assert.ok(total > 10, `expected many results, got ${total}`);
  const marks = await page.locator('ol.hits mark').allInnerTexts();
  assert.ok(marks.length > 0, 'no highlighted words');
  for (const m of marks) assert.ok('政府信息公开'.includes(m), `highlight "${m}" is not part of the query`);
  assert.equal(await page.locator('ol.hits > li').count(), 10);
  await shot(page, '05-search');

  // The 体裁 filter "通知": its count is how many results remain.
  const facet = page.locator('aside ul.facets li', { hasText: /^通知 \(\d+\)$/ });
  const expected = Number((await facet.innerText()).match(/\((\d+)\)/)[1]);
  assert.ok(expected > 0 && expected < total, `通知 ${expected} of ${total}`);
  await facet.getByRole('link').click();
  await page.waitForURL(/genre=%E9%80%9A%E7%9F%A5/);
  assert.equal(await resultCount(page), expected);
  assert.equal(await page.locator('aside a[aria-current=true]').innerText(), '通知');
  await shot(page, '06-search-filtered');

  // Choosing the active filter again removes it.
  await page.locator('aside a[aria-current=true]').click();
  await page.waitForURL((u) => !u.search.includes('genre='));
  assert.equal(await resultCount(page), total);
  await page.context().close();
});

test('the 长辈版 toggle enlarges the type, without JavaScript', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto('/yima-office/');
  const size = () => page.locator('main h1').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const root = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const before = await size();
  assert.equal(await root(), 16);
  await page.getByLabel('长辈版（大字）').check();
  // app.css: html:has(#elder-mode:checked) { font-size: 22px } — everything sized in rem grows by 22/16.
  assert.equal(await root(), 22);
  const afterSize = await size();
  assert.ok(Math.abs(afterSize / before - 22 / 16) < 0.01, `h1 ${before}px → ${afterSize}px`);
  await shot(page, '07-elder');
  await page.getByLabel('长辈版（大字）').uncheck();
  assert.equal(await size(), before);
  await page.context().close();
});
