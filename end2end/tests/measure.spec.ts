// Timing (only with WARD_MEASURE=1): from navigation start to an interactive chat panel
// (hydrated, session and history loaded: `data-ready="true"`), cold (new browser context,
// empty cache) and warm (the same context again). Run against a release build with
// WARD_SERVER_BIN=../target/release/server after `cargo leptos build --release`.
import { test, expect, type BrowserContext } from '@playwright/test';

async function timeToReady(context: BrowserContext): Promise<number> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="chat-panel"][data-ready="true"]')) {
        (window as any).__wardReady = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, childList: true });
  });
  await page.goto('/frontend/');
  await expect(page.locator('[data-testid="chat-panel"][data-ready="true"]')).toHaveCount(1);
  const ms: number = await page.evaluate(() => (window as any).__wardReady);
  await page.close();
  return ms;
}

test('time from navigation to an interactive chat panel', async ({ browser }) => {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const login = await context.newPage();
    await login.goto('/frontend/login');
    await expect(login.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await login.getByLabel('Username').fill('doctor');
    await login.getByLabel('Password').fill('doctor123');
    await login.getByRole('button', { name: 'Sign in' }).click();
    await expect(login.getByTestId('user-name')).toBeVisible();
    await login.close();
    // Cold: the cookies are set but the HTTP cache only holds what the sign-in page used;
    // clear it through CDP so the chat page loads everything afresh.
    const cdp = await context.newCDPSession(await context.newPage());
    await cdp.send('Network.clearBrowserCache');
    cold.push(await timeToReady(context));
    warm.push(await timeToReady(context));
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`WARD_MEASURE cold ms: ${cold.map((x) => x.toFixed(0)).join(', ')} (median ${median(cold).toFixed(0)})`);
  console.log(`WARD_MEASURE warm ms: ${warm.map((x) => x.toFixed(0)).join(', ')} (median ${median(warm).toFixed(0)})`);
});
