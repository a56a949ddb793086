// Single sign-on through a real OpenID Provider (`oidc/provider.mjs`, the npm package
// oidc-provider) and its own login page, against the Ward server configured for it.
import { test, expect } from './helpers';
import type { Page } from '@playwright/test';
import { SSO_PORT, OIDC_PORT } from '../ports';

test.use({ baseURL: `http://127.0.0.1:${SSO_PORT}` });

const provider = new RegExp(`^http://localhost:${OIDC_PORT}/`);

/** Keeps the browser on this machine: the provider's pages ask for a web font. */
async function localOnly(page: Page) {
  await page.route(
    (url) => !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url.href),
    (route) => route.abort(),
  );
}

/** From Ward's sign-in page through the provider's login (and consent) page. */
async function signInAtProvider(page: Page, login: string) {
  await localOnly(page);
  await page.goto('/frontend/login');
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await expect(page).toHaveURL(provider);
  await expect(page.getByRole('heading', { name: 'Sign-in' })).toBeVisible();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('a password the provider checks');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  // The provider asks for consent the first time.
  const consent = page.getByRole('button', { name: 'Continue' });
  await expect(consent.or(page.locator('body[data-hydrated="true"]')).or(page.getByTestId('sso-error')).first()).toBeVisible();
  if (await consent.isVisible()) await consent.click();
}

test('a hospital user whose group maps to a Ward role signs in through the identity provider', async ({ page }) => {
  await signInAtProvider(page, 'dr.oidc');
  await expect(page.getByTestId('user-name')).toHaveText('Dr. Olivia Oidc');
  await expect(page).toHaveURL(/127\.0\.0\.1:3413\/frontend\/chat\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Doctor', { exact: true }).first()).toBeVisible();
  // The unit from the provider is the care team: PAT-001 is on 4 West.
  const me = await page.evaluate(async () => (await fetch('/frontend/whoami/')).json());
  expect(me.roles).toEqual(['doctor']);
  expect(me.care_team.unit).toBe('4 West');
  expect(me.care_team.patients).toContain('PAT-001');

  // Sign-out ends Ward's session and offers the provider's (the button works once the
  // app has hydrated).
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByTestId('sso-signed-out')).toBeVisible();
  await page.getByRole('link', { name: 'Also sign out of single sign-on' }).click();
  await expect(page).toHaveURL(provider);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:3413\/frontend\/login$/);
  // Signed out of both: Ward's pages send the person to sign in, and the provider asks
  // for the login again.
  await page.goto('/frontend/');
  await expect(page).toHaveURL(/\/frontend\/login$/);
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await expect(page.locator('input[name="login"]')).toBeVisible();
});

test('a hospital user whose groups map to no Ward role is refused with an explanation', async ({ page }) => {
  await signInAtProvider(page, 'visitor');
  await expect(page).toHaveURL(/\/frontend\/login\?sso_error=sso_no_role$/);
  await expect(page.getByTestId('sso-error')).toContainText('has no role in Ward');
  await page.goto('/frontend/');
  await expect(page).toHaveURL(/\/frontend\/login$/);
});
