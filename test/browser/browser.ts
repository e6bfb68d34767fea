// Debian's Chromium driven by playwright-core (no browser download: `npx playwright install` cannot run here).
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// `npm run screenshots` refreshes the README's pictures; ordinary runs write beside the test results, so tests change no tracked file.
export const SCREENSHOTS = new URL(process.env.SCREENSHOTS === 'update' ? '../../docs/screenshots/' : '../../test-results/screenshots/', import.meta.url).pathname;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (as root), or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Saves a screenshot of a main screen (docs/screenshots/NAME.png with SCREENSHOTS=update), the whole page.
 * The viewport is made as tall as the page for it: a plain full-page capture leaves sticky elements (the
 * editor's Save bar) at the bottom of the first screen, over the fields, where no reader ever sees them.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  if (viewport) await page.setViewportSize(viewport);
}
