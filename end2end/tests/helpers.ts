// Shared steps: signing in as a demo user and talking to Ward in the chat panel.
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

/**
 * Playwright's `test`, with a check after every test that the page's Content-Security-Policy
 * refused nothing (no inline script, style or outside asset slipped in), nothing panicked
 * in the WASM (a page whose hydration does not match the server's HTML panics), and
 * nothing preloaded went unused.
 */
export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        const text = msg.text();
        if (/Content Security Policy|Refused to|panicked at|preloaded using link preload but not used/i.test(text)) problems.push(text);
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
import AxeBuilder from '@axe-core/playwright';

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

/**
 * Makes the chat stream arrive like a slow model's: the real reply from Ward, handed to the
 * app one NDJSON line every `msPerLine` ms (the offline model answers in a blink, too fast to
 * watch). Wraps `window.fetch` for the chat endpoint only; an abort still reaches Ward.
 */
export async function slowDownChatStream(page: Page, msPerLine = 150) {
  await page.addInitScript((delay: number) => {
    const realFetch = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.includes('/frontend/api/chat/message/')) return realFetch(input, init);
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      const res = await realFetch(input, init);
      if (!res.ok || !res.body) return res;
      const reader = res.body.getReader();
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      let buffered = '';
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          while (!buffered.includes('\n')) {
            const { done, value } = await reader.read();
            if (done) {
              if (buffered) controller.enqueue(encoder.encode(buffered));
              buffered = '';
              controller.close();
              return;
            }
            buffered += decoder.decode(value, { stream: true });
          }
          const end = buffered.indexOf('\n') + 1;
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end);
          await new Promise((resolve) => setTimeout(resolve, delay));
          if (signal?.aborted) {
            controller.error(new DOMException('The user aborted a request.', 'AbortError'));
            return;
          }
          controller.enqueue(encoder.encode(line));
        },
        cancel() {
          void reader.cancel();
        },
      });
      return new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  }, msPerLine);
}

/**
 * Keeps a copy of every chat stream the app reads, as the browser received it: the response
 * body is split in two, one half for the app (unchanged, still streaming), the other read to
 * the end into `window.__wardChatStreams`. Asking Chromium's network inspector for the body
 * afterwards is not reliable for a streamed response (it may have let it go).
 */
export async function recordChatStreams(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __wardChatStreams: string[] };
    w.__wardChatStreams = [];
    const realFetch = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const res = await realFetch(input, init);
      if (!url.includes('/frontend/api/chat/message/') || !res.body) return res;
      const [forApp, forTest] = res.body.tee();
      void new Response(forTest).text().then((text) => w.__wardChatStreams.push(text));
      return new Response(forApp, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  });
}

/** The chat streams `recordChatStreams` has kept so far, once `count` of them have ended. */
export async function recordedChatStreams(page: Page, count: number): Promise<string[]> {
  await expect.poll(() => page.evaluate(() => (window as unknown as { __wardChatStreams: string[] }).__wardChatStreams.length)).toBeGreaterThanOrEqual(count);
  return page.evaluate(() => (window as unknown as { __wardChatStreams: string[] }).__wardChatStreams);
}

/** Phone size (an iPhone 12/13/14 in CSS pixels). */
export const PHONE = { width: 390, height: 844 };
/** Desktop size the issue was tried at. */
export const DESKTOP = { width: 1440, height: 900 };

/**
 * Runs axe-core (npm `@axe-core/playwright`, WCAG 2.x A and AA rules) on the page as it is
 * and fails on any serious or critical violation, naming the rule and its elements.
 */
export async function expectAccessible(page: Page, screen: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  expect(bad, `axe-core: serious or critical violations on ${screen}`).toEqual([]);
}

/** Screenshots the page at desktop and at phone size (`<name>-desktop.png`, `<name>-phone.png`). */
export async function screenshotBoth(page: Page, testInfo: TestInfo, name: string) {
  const before = page.viewportSize();
  await page.setViewportSize(DESKTOP);
  await screenshot(page, testInfo, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await screenshot(page, testInfo, `${name}-phone`);
  if (before) await page.setViewportSize(before);
}

/**
 * Answers the next chat messages with `lines` (NDJSON events, the prototype's envelope)
 * instead of Ward's model: for checking what the page does with a given reply.
 */
export async function fakeChatReply(page: Page, events: Array<{ type: string; content: unknown }>) {
  await page.route('**/frontend/api/chat/message/', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/x-ndjson',
      body: events.map((e) => JSON.stringify({ ...e, timestamp: new Date().toISOString() })).join('\n') + '\n',
    }),
  );
}
