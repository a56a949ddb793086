// Shared steps: signing in as a demo user and talking to Ward in the chat panel.
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

/**
 * Playwright's `test`, with a check after every test that the page's Content-Security-Policy
 * refused nothing (no inline script, style or outside asset slipped in) and nothing panicked
 * in the WASM.
 */
export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        const text = msg.text();
        if (/Content Security Policy|Refused to|panicked at/i.test(text)) problems.push(text);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      await use();
      expect(problems, 'CSP refusals or script errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The demo users (README): username, password, display name, role label shown. */
export const DEMO_USERS = [
  { username: 'admin', password: 'admin123', name: 'Ada Admin', role: 'Admin' },
  { username: 'doctor', password: 'doctor123', name: 'Dr. Gregory House', role: 'Doctor' },
  { username: 'doctor2', password: 'doctor2123', name: 'Dr. Meredith Grey', role: 'Doctor' },
  { username: 'nurse', password: 'nurse123', name: 'Nurse Florence Baker', role: 'Nurse' },
  { username: 'billing', password: 'billing123', name: 'Bill Ledger', role: 'Billing' },
  { username: 'reviewer', password: 'reviewer123', name: 'Rita Reviewer', role: 'Reviewer' },
  { username: 'auditor', password: 'auditor123', name: 'Aldo Auditor', role: 'Auditor' },
] as const;

/** Signs in through the login page and waits until the signed-in header shows. */
export async function signIn(page: Page, username: string, password = `${username}123`) {
  await page.goto('/frontend/login');
  // The form works only once the app has hydrated: wait for the WASM to take over.
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-name')).toBeVisible();
}

/** Waits until the chat panel has loaded its session and can take a message. */
export async function chatReady(page: Page) {
  await expect(page.getByTestId('chat-panel')).toHaveAttribute('data-ready', 'true');
  await expect(page).toHaveURL(/\/frontend\/chat\/[0-9a-f-]{36}$/);
}

/** Starts a new chat session and waits until it is ready. */
export async function newChat(page: Page) {
  const before = page.url();
  await page.getByTestId('new-session').click();
  await expect(page).not.toHaveURL(before);
  await chatReady(page);
}

/** Types a message into the composer and sends it. */
export async function ask(page: Page, message: string) {
  await page.getByLabel('Message to Ward').fill(message);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Saves a full-page screenshot of a main screen (end2end/artifacts/ and the test's output). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const dir = path.join(__dirname, '..', 'artifacts');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}
