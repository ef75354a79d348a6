// Shared set-up of the browser tests: one headless Chromium (Debian's, never a downloaded one) against the
// server that scripts/test started (GONGKAI_E2E_URL).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const BASE = (process.env.GONGKAI_E2E_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = process.env.E2E_SCREENSHOTS || '';

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--disable-dev-shm-usage'] });
}

/** A fresh context: a new user with no cookies, a phone-or-desktop sized window, Chinese locale. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE,
    locale: 'zh-CN',
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return context.newPage();
}

/** Saves a full-page screenshot when E2E_SCREENSHOTS names a folder (to look at while developing). */
export async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The number in "找到 N 条结果". */
export async function resultCount(page) {
  const text = await page.locator('p[role=status]').innerText();
  const m = text.match(/找到\s*(\d+)\s*条结果/);
  if (!m) throw new Error(`no result count in: ${text}`);
  return Number(m[1]);
}
