// Signing in and out: each demo user sees their name and roles; a wrong password is told.
import { test, expect, DEMO_USERS, signIn, screenshot } from './helpers';

for (const user of DEMO_USERS) {
  test(`${user.username} signs in and sees their name and role`, async ({ page }, testInfo) => {
    await signIn(page, user.username, user.password);
    await expect(page.getByTestId('user-name')).toHaveText(user.name);
    await expect(page.getByTestId('user-roles')).toContainText(user.role);
    if (user.username === 'doctor') {
      await expect(page.getByTestId('care-team')).toContainText('4 West, 25 patients');
      await page.getByTestId('care-team').locator('summary').click();
      await expect(page.getByTestId('care-team')).toContainText('PAT-025');
    }
    if (user.username === 'admin') await screenshot(page, testInfo, 'home-admin');
  });
}

test('a wrong password shows an error and keeps the person on the sign-in page', async ({ page }, testInfo) => {
  await page.goto('/frontend/login');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Username').fill('nurse');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('The username or password is not right. Try again.');
  await expect(page).toHaveURL(/\/frontend\/login$/);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await screenshot(page, testInfo, 'sign-in-error');
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'nurse');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/frontend\/login\?signed_out=1$/);
  await page.goto('/frontend/');
  await expect(page).toHaveURL(/\/frontend\/login$/);
});

test('a page opened without signing in leads to the sign-in page', async ({ page }) => {
  await page.goto('/frontend/audit');
  await expect(page).toHaveURL(/\/frontend\/login$/);
});
