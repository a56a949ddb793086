// Timing (only with WARD_MEASURE=1): from navigation start to an interactive chat panel
// (hydrated, session and history loaded: `data-ready="true"`), cold (new browser context,
// empty cache) and warm (the same context again), 5 of each (WARD_MEASURE_LOADS to change),
// with the median of each milestone on the way (redirect, document, WASM, hydration).
// Run against a release build with
// WARD_SERVER_BIN=../target/release/server after `cargo leptos build --release`.
import { test, expect, type BrowserContext } from '@playwright/test';

/** Milestones of one page load, in ms from navigation start. */
type Load = {
  ready: number;
  redirectEnd: number;
  responseStart: number;
  responseEnd: number;
  domInteractive: number;
  wasmEnd: number;
  hydrated: number;
};

async function timeToReady(context: BrowserContext): Promise<Load> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const w = window as any;
      if (w.__wardHydrated === undefined && document.body?.dataset.hydrated === 'true') {
        w.__wardHydrated = performance.now();
      }
      if (document.querySelector('[data-testid="chat-panel"][data-ready="true"]')) {
        w.__wardReady = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, childList: true });
  });
  await page.goto('/frontend/');
  await expect(page.locator('[data-testid="chat-panel"][data-ready="true"]')).toHaveCount(1);
  const load: Load = await page.evaluate(() => {
    const w = window as any;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const wasm = performance
      .getEntriesByType('resource')
      .filter((r) => r.name.endsWith('.wasm'))
      .map((r) => (r as PerformanceResourceTiming).responseEnd);
    return {
      ready: w.__wardReady,
      redirectEnd: nav.redirectEnd,
      responseStart: nav.responseStart,
      responseEnd: nav.responseEnd,
      domInteractive: nav.domInteractive,
      wasmEnd: wasm.length ? Math.max(...wasm) : NaN,
      hydrated: w.__wardHydrated ?? w.__wardReady,
    };
  });
  await page.close();
  return load;
}

test('time from navigation to an interactive chat panel', async ({ browser }) => {
  test.setTimeout(600_000);
  const cold: Load[] = [];
  const warm: Load[] = [];
  const loads = Number(process.env.WARD_MEASURE_LOADS ?? 5);
  for (let i = 0; i < loads; i++) {
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
  const report = (name: string, loads: Load[]) => {
    const ready = loads.map((l) => l.ready);
    console.log(`WARD_MEASURE ${name} ms: ${ready.map((x) => x.toFixed(0)).join(', ')} (median ${median(ready).toFixed(0)})`);
    const milestones = Object.keys(loads[0]) as (keyof Load)[];
    console.log(`WARD_MEASURE ${name} medians: ` +
      milestones.map((m) => `${m} ${median(loads.map((l) => l[m])).toFixed(0)}`).join(', '));
  };
  report('cold', cold);
  report('warm', warm);
});
