// The chat made for clinical reading (issue 28): the patient banner from the server's
// binding, markdown that stays safe, clinical views of tool results, the offline agent's
// small talk, and the conveniences (retry, copy, search, undo, phone layout).
import {
  test, expect, signIn, chatReady, newChat, ask, screenshot, screenshotBoth, expectAccessible,
  fakeChatReply, recordChatStreams, recordedChatStreams, PHONE,
} from './helpers';

test('the patient banner follows the session to the patient the clinician broke the glass for', async ({ page }, testInfo) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  const banner = page.getByTestId('patient-banner');
  await expect(banner).toHaveAttribute('data-patient', '');
  await ask(page, 'Show the medications for PAT-001');
  await expect(banner).toHaveAttribute('data-patient', 'PAT-001');
  for (const field of ['Age', 'Born', 'MRN', 'Sex', 'Unit']) await expect(banner).toContainText(field);
  const firstName = await page.getByTestId('banner-name').innerText();

  await ask(page, 'Show the medications for PAT-041');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  // Refused: the banner still shows the patient the clinician may see.
  await expect(banner).toHaveAttribute('data-patient', 'PAT-001');
  await dialog.getByLabel('Reason (required)').fill('Covering the emergency department tonight; patient deteriorating.');
  await dialog.getByRole('button', { name: 'Break the glass and continue' }).click();
  await expect(banner).toHaveAttribute('data-patient', 'PAT-041');
  await expect(page.getByTestId('banner-name')).not.toHaveText(firstName);
  await expect(page.getByTestId('chat-status')).toContainText('now about');

  // After a reload the banner comes from the session's binding on the server.
  await page.reload();
  await chatReady(page);
  await expect(banner).toHaveAttribute('data-patient', 'PAT-041');
  await screenshotBoth(page, testInfo, 'chat-banner-break-glass');
});

test('labs come as a flagged table and a trend chart, and the reply has no markdown syntax', async ({ page }, testInfo) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'Show the HbA1c trend for PAT-001 over the last year');
  const card = page.getByTestId('tool-card').first();
  await expect(card).toHaveAttribute('data-status', 'ok');
  await expect(card.getByTestId('lab-table')).toBeVisible();
  await expect(card.getByTestId('trend-chart').first()).toBeVisible();
  await expect(card.getByTestId('trend-chart').first().locator('svg rect.band')).toHaveCount(1);
  // The raw result is behind the details toggle.
  await expect(card.locator('details.tool-raw pre').last()).toBeHidden();

  const reply = page.getByTestId('msg-assistant').last();
  await expect(reply.locator('table')).toBeVisible();
  await expect(reply).toContainText(/rising|falling|stable/);
  const text = await reply.innerText();
  expect(text).not.toMatch(/\*\*|\|---|^\s*- /m);
  // Sources under the reply link to the card.
  const source = reply.getByTestId('sources').getByRole('link').first();
  await expect(source).toContainText('Lab results');
  await expect(source).toHaveAttribute('href', /^#tool-/);
  await expectAccessible(page, 'chat with labs');
  await screenshotBoth(page, testInfo, 'chat-labs-trend');
});

test('abnormal vitals are flagged in the table, in words', async ({ page }, testInfo) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'Show the vital signs for PAT-001');
  const card = page.getByTestId('tool-card').first();
  await expect(card.getByTestId('vitals-table')).toBeVisible();
  await expect(card.getByTestId('trend-chart').first()).toBeVisible();
  const reply = page.getByTestId('msg-assistant').last();
  await expect(reply.locator('table')).toBeVisible();
  await screenshotBoth(page, testInfo, 'chat-vitals');
});

test('HTML in a model reply stays inert text', async ({ page }) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  const hostile = 'Look: <script>window.wardPwned = 1</script> and <img src=x onerror="window.wardPwned = 2"> and [a link](https://evil.example/) and ![img](https://evil.example/x.png)';
  await fakeChatReply(page, [
    { type: 'delta', content: hostile },
    { type: 'message', content: hostile },
    { type: 'done', content: { message_id: 'm1', usage: { prompt_tokens: 1, completion_tokens: 1, cost_usd: 0 } } },
  ]);
  await ask(page, 'say something');
  const reply = page.getByTestId('msg-assistant').last();
  await expect(reply).toContainText('<script>window.wardPwned = 1</script>');
  await expect(reply).toContainText('<img src=x onerror=');
  await expect(reply.locator('script, img, a[href^="http"]')).toHaveCount(0);
  await expect(reply).toContainText('a link');
  expect(await page.evaluate(() => (window as unknown as { wardPwned?: number }).wardPwned)).toBeUndefined();
});

test('small talk makes no tool call', async ({ page }) => {
  await recordChatStreams(page);
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'Show the medications for PAT-001');
  await expect(page.getByTestId('tool-card')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await ask(page, 'hello, what can you do?');
  await expect(page.getByTestId('msg-assistant')).toHaveCount(2);
  await expect(page.getByTestId('tool-card')).toHaveCount(1);
  const streams = await recordedChatStreams(page, 2);
  const events = streams[1].trim().split('\n').map((l) => JSON.parse(l));
  expect(events.map((e) => e.type)).not.toContain('tool_call');
  await expect(page.getByTestId('msg-assistant').last()).toContainText('labs');
});

test('a reply that never arrives keeps the question and offers a retry', async ({ page }) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await page.route('**/frontend/api/chat/message/', (route) => route.abort('connectionrefused'));
  await ask(page, 'Show the medications for PAT-001');
  await expect(page.getByTestId('chat-problem')).toContainText('cannot be reached');
  await expect(page.getByLabel('Message to Ward')).toHaveValue('Show the medications for PAT-001');
  await page.unroute('**/frontend/api/chat/message/');
  await page.getByTestId('retry').click();
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('msg-user')).toHaveCount(1);
  await expect(page.getByTestId('chat-problem')).toHaveCount(0);
});

test('sessions: search, question counts, archive with undo', async ({ page }) => {
  await signIn(page, 'nurse');
  await chatReady(page);
  await ask(page, 'Show the vital signs for PAT-003');
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
  const current = page.locator('[data-testid="session-item"].current');
  await expect(current).toContainText('1 question');
  await newChat(page);

  await page.getByTestId('session-search').fill('PAT-003');
  await expect(page.getByTestId('session-item')).toHaveCount(1);
  await page.getByTestId('session-search').fill('');
  const older = page.getByTestId('session-item').filter({ hasText: 'Show the vital signs for PAT-003' }).first();
  await older.getByRole('button', { name: /^Archive/ }).click();
  await expect(page.getByTestId('undo-bar')).toBeVisible();
  await page.getByTestId('undo-archive').click();
  await expect(page.getByTestId('session-item').filter({ hasText: 'Show the vital signs for PAT-003' })).toHaveCount(1);
  await expect(page.getByTestId('chat-status')).toContainText('Restored');
});

test.describe('on a phone', () => {
  test.use({ viewport: PHONE, hasTouch: true });

  test('the session list folds away and the conversation keeps most of the screen', async ({ page }, testInfo) => {
    await signIn(page, 'doctor');
    await chatReady(page);
    await ask(page, 'Show the latest labs for PAT-001');
    await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
    await expect(page.getByTestId('session-list')).toBeHidden();
    const transcript = await page.getByTestId('transcript').boundingBox();
    expect(transcript && transcript.height > PHONE.height * 0.4).toBeTruthy();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await page.getByTestId('sessions-toggle').click();
    await expect(page.getByTestId('session-list')).toBeVisible();
    await expect(page.getByTestId('sessions-toggle')).toHaveAttribute('aria-expanded', 'true');
    await expectAccessible(page, 'chat on a phone');
    await screenshot(page, testInfo, 'chat-phone-sessions-open');
  });
});

test('every screen passes axe-core without serious or critical violations, at desktop and phone size', async ({ page }, testInfo) => {
  await page.goto('/frontend/login');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expectAccessible(page, 'sign-in');
  await screenshotBoth(page, testInfo, 'screen-login');
  await signIn(page, 'doctor');
  await chatReady(page);
  await expectAccessible(page, 'chat');
  await screenshotBoth(page, testInfo, 'screen-chat');

  for (const [user, path, name] of [
    ['reviewer', '/frontend/reviews', 'reviews'],
    ['auditor', '/frontend/audit', 'audit'],
    ['admin', '/frontend/admin', 'admin'],
  ] as const) {
    await page.context().clearCookies();
    await signIn(page, user);
    await page.goto(path);
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await expect(page.getByRole('heading').first()).toBeVisible();
    await expectAccessible(page, name);
    await screenshotBoth(page, testInfo, `screen-${name}`);
  }
});
