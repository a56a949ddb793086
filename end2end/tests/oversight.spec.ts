// Oversight: an archived session is found by a reviewer and read only; an auditor sees its
// audit records and a passing chain verification.
import { test, expect, signIn, chatReady, newChat, ask, screenshot } from './helpers';

test.describe.configure({ mode: 'serial' });

const title = `Case review ${Date.now()}`;

test('a doctor archives a session', async ({ page }) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'Show the latest labs for PAT-002');
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
  const item = page.locator('[data-testid="session-item"].current');
  await item.getByRole('button', { name: /^Rename/ }).click();
  await page.getByLabel('New title').fill(title);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('chat-title')).toHaveText(title);
  await page.locator('[data-testid="session-item"].current').getByRole('button', { name: /^Archive/ }).click();
  await expect(page.getByTestId('session-item').filter({ hasText: title })).toHaveCount(0);
  // Archiving the open session opens a fresh one.
  await chatReady(page);
});

test('a reviewer finds the archived session and reads it without being able to write', async ({ page }, testInfo) => {
  await signIn(page, 'reviewer');
  await expect(page).toHaveURL(/\/frontend\/reviews$/);
  await page.getByLabel('Search title, user or patient').fill(title);
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByTestId('archived-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('doctor');
  await expect(rows.first()).toContainText('PAT-002');
  await screenshot(page, testInfo, 'reviews-list');
  await rows.first().getByRole('link', { name: title }).click();
  await expect(page.getByTestId('read-only-banner')).toContainText('Read only.');
  await expect(page.getByTestId('read-only-banner')).toContainText('doctor');
  await expect(page.getByTestId('msg-user')).toHaveText([/Show the latest labs for PAT-002/]);
  await expect(page.getByTestId('tool-card').first()).toContainText('Lab results');
  await expect(page.getByLabel('Message to Ward')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
  await screenshot(page, testInfo, 'review-read-only');
});

test('an auditor sees the audit records of the session and a passing chain verification', async ({ page }, testInfo) => {
  await signIn(page, 'auditor');
  await expect(page).toHaveURL(/\/frontend\/audit$/);
  await page.getByRole('link', { name: 'Archived sessions' }).click();
  await page.getByLabel('Search title, user or patient').fill(title);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: title }).click();
  await page.getByTestId('audit-link').click();
  await expect(page).toHaveURL(/\/frontend\/audit\?session=/);
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ hasText: 'get_lab_results' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'get_lab_results' }).first()).toContainText('doctor');
  await expect(rows.filter({ hasText: 'session read' }).filter({ hasText: 'reviewer' })).toHaveCount(1);

  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText(/Chain intact: all \d+ records verified/);

  // Exports link to the same filters.
  const csv = page.getByRole('link', { name: 'CSV', exact: true });
  await expect(csv).toHaveAttribute('href', /\/frontend\/api\/audit\/export\/\?session=[0-9a-f-]+&format=csv/);
  const res = await page.request.get((await csv.getAttribute('href'))!);
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain('get_lab_results');
  await screenshot(page, testInfo, 'audit-trail');
});

test('an auditor filters the trail by user and outcome', async ({ page }) => {
  await signIn(page, 'auditor');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await page.getByLabel('User').fill('auditor');
  await page.getByLabel('Outcome').selectOption('ok');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ hasNotText: 'auditor' })).toHaveCount(0);
  await expect(rows.locator('.outcome:not(.outcome-ok)')).toHaveCount(0);
  await expect(rows.filter({ hasText: 'audit search' }).first()).toBeVisible();
});
