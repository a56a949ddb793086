// Signing in through the login page: the person sees who they are signed in as.
import { test, expect } from '@playwright/test';

test('a doctor signs in and sees their name and roles', async ({ page }, testInfo) => {
  await page.goto('/frontend/login');
  await page.getByLabel('Username').fill('doctor');
  await page.getByLabel('Password').fill('doctor123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/frontend\/?$/);
  await expect(page.getByTestId('user-name')).toHaveText('Dr. Gregory House');
  await expect(page.getByTestId('user-roles')).toContainText('doctor');
  await page.screenshot({ path: testInfo.outputPath('home.png'), fullPage: true });
});

test('a wrong password shows an error and keeps the person on the login page', async ({ page }) => {
  await page.goto('/frontend/login');
  await page.getByLabel('Username').fill('doctor');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page).toHaveURL(/\/frontend\/login/);
});
