// The admin console as a person uses it: one Chromium per test file, a fresh browser context per person,
// sign-in through the sign-in form, and what a screen reader reads beside a field.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { baseUrl } from './admin-api';
import { launchBrowser } from './browser';

const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A name no other test (or earlier run) uses: `prefix-` and six lowercase letters or digits. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x').slice(0, 6)}`;

/** A Swedish mobile number no other test uses, so the per-number rate limit never interferes. */
export const freshMsisdn = (): string => `+4670${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;

/** As the authentication log shows a number: country code and two digits, stars, the last two digits. */
export const maskedMsisdn = (msisdn: string): string => msisdn.slice(0, 5) + '*'.repeat(msisdn.length - 7) + msisdn.slice(-2);

/**
 * Registers this file's browser: launched before its tests, closed after them with every context opened
 * through `newPage` / `signedInPage`.
 */
export function consoleBrowser() {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
  });

  /** A page in a browser context of its own (own cookies), English, desktop-sized unless told. */
  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', ...options });
    contexts.push(context);
    return context.newPage();
  }

  return {
    newPage,
    /** A page signed in through the sign-in form, showing the profile list. */
    async signedInPage(username = 'admin', password = 'admin', options: BrowserContextOptions = {}): Promise<Page> {
      const page = await newPage(options);
      await signIn(page, username, password);
      return page;
    },
  };
}

/** Fills the sign-in form and waits for the profile list it leads to. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl()}/admin/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/admin/profiles');
}

/**
 * What is read out with a field besides its label: the texts of its aria-describedby (hint, name-check
 * status, character count, error), each trimmed, joined by " | ". These are the lines shown beside it.
 */
export function descriptionOf(field: Locator): Promise<string> {
  return field.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .filter(Boolean)
      .join(' | '),
  );
}

/** The text of the page's one-time message after a change ("Profile … created."). */
export const flashText = (page: Page): Promise<string> => page.getByRole('status').filter({ hasText: /\S/ }).first().innerText();

/** Opens a tab of the profile editor and waits until its panel shows. */
export async function openTab(page: Page, name: string): Promise<Locator> {
  await page.getByRole('tab', { name }).click();
  const panel = page.getByRole('tabpanel', { name });
  await panel.waitFor();
  return panel;
}
