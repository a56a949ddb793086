// The chat panel: streamed replies, tool cards, denials, reloads, session list, Stop.
import * as fs from 'node:fs';
import { test, expect, signIn, chatReady, newChat, ask, screenshot, slowDownChatStream, recordChatStreams, recordedChatStreams } from './helpers';

test('a doctor asks for the latest labs: the reply streams in, a tool card shows the lookup, and a reload keeps the conversation', async ({ page }, testInfo) => {
  await recordChatStreams(page);
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await expect(page.getByTestId('model-label')).toHaveText('Offline demo model');

  const streamed = page.waitForResponse('**/frontend/api/chat/message/');
  await ask(page, 'Show the latest labs for PAT-001');
  const response = await streamed;
  expect(response.headers()['content-type']).toContain('application/x-ndjson');

  await expect(page.getByTestId('msg-user').last()).toHaveText(/Show the latest labs for PAT-001/);
  const card = page.getByTestId('tool-card').first();
  await expect(card).toContainText('Lab results');
  await expect(card).toHaveAttribute('data-status', 'ok');
  await expect(card.locator('details.tool-raw')).not.toHaveAttribute('open', '');
  const reply = page.getByTestId('msg-assistant').last();
  await expect(reply).toContainText(/lab|result/i);
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-patient', 'PAT-001');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  // The reply on screen is the text the stream's delta events built, piece by piece, in
  // the prototype's envelope, rendered as markdown (a table of the labs, no markup shown).
  const [body] = await recordedChatStreams(page, 1);
  const events = body.trim().split('\n').map((line) => JSON.parse(line));
  for (const e of events) expect(Object.keys(e).sort()).toEqual(['content', 'timestamp', 'type']);
  expect(events.find((e) => e.type === 'tool_call').content.function.name).toBe('get_lab_results');
  const lastTool = events.map((e) => e.type).lastIndexOf('tool_result');
  expect(lastTool).toBeGreaterThan(-1);
  const deltas = events.slice(lastTool + 1).filter((e) => e.type === 'delta').map((e) => e.content as string);
  expect(deltas.length).toBeGreaterThan(1);
  expect(deltas.join('')).toBe(events.find((e) => e.type === 'message').content);
  await expect(reply.locator('table')).toContainText('Hemoglobin A1c');
  expect(await reply.innerText()).not.toContain('|---');
  // The reply's text as the page holds it (not as laid out: table headers are styled).
  const replyText = ((await reply.textContent()) ?? '').trim();

  // The card's details open to show the arguments and the masked result.
  await card.locator('summary').click();
  await expect(card).toContainText('"patient_id": "PAT-001"');
  await screenshot(page, testInfo, 'chat-doctor-labs');

  const url = page.url();
  const sessionId = url.split('/').pop();
  // The page comes with the screen's first reads: the server renders the conversation into
  // it, and the browser hydrates that screen without asking the API for anything.
  const html = await (await page.request.get(url)).text();
  expect(html).toContain('id="ward-page-data"');
  expect(html).toContain('Show the latest labs for PAT-001');
  expect(html).toContain('data-testid="tool-card"');
  const firstReads: string[] = [];
  page.on('request', (r) => {
    // The REST reads and the app's server functions (`/frontend/api/fn/…`) alike.
    if (/\/frontend\/(whoami|api\/chat\/(sessions|config|history)|api\/fn)\//.test(r.url())) firstReads.push(new URL(r.url()).pathname);
  });
  await page.reload();
  await chatReady(page);
  expect(page.url()).toBe(url);
  await expect(page.locator('head link[rel="modulepreload"][href^="/pkg/__wasm_split"]')).toHaveCount(1);
  expect(firstReads).toEqual([]);
  await expect(page.getByTestId('msg-user')).toHaveText([/Show the latest labs for PAT-001/]);
  await expect(page.getByTestId('tool-card').first()).toContainText('Lab results');
  await expect(page.getByTestId('msg-assistant').last()).toHaveText(replyText);
  // The session list names the conversation after the question, newest first.
  await expect(page.getByTestId('session-item').first()).toContainText('Show the latest labs for PAT-001');
});

test('a billing user asking for clinical notes sees the denial in the tool card', async ({ page }, testInfo) => {
  await signIn(page, 'billing');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'Show the clinical notes for PAT-001');
  const card = page.getByTestId('tool-card').first();
  await expect(card).toHaveAttribute('data-status', 'denied');
  await expect(card).toContainText('Clinical notes');
  await expect(card).toContainText('Denied');
  await card.locator('summary').click();
  await expect(card).toContainText('"code"');
  await expect(page.getByTestId('msg-assistant').last()).toBeVisible();
  await screenshot(page, testInfo, 'chat-billing-denied');
});

test('sessions can be started, renamed and archived, newest first', async ({ page }) => {
  await signIn(page, 'nurse');
  await chatReady(page);
  await ask(page, 'Show the vital signs for PAT-003');
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
  await newChat(page);
  // A new, empty session sits at the top of the list.
  await expect(page.getByTestId('session-item').first()).toHaveClass(/current/);
  const older = page.getByTestId('session-item').filter({ hasText: 'Show the vital signs for PAT-003' }).first();
  await older.getByRole('button', { name: /^Rename/ }).click();
  await page.getByLabel('New title').fill('Vitals round, bed 3');
  await page.getByLabel('New title').press('Enter');
  const renamed = page.getByTestId('session-item').filter({ hasText: 'Vitals round, bed 3' });
  await expect(renamed).toHaveCount(1);
  await renamed.getByRole('button', { name: /^Archive/ }).click();
  await expect(page.getByTestId('session-item').filter({ hasText: 'Vitals round, bed 3' })).toHaveCount(0);
  await expect(page.getByTestId('chat-status')).toContainText('Archived');
});

test('a clinician exports a conversation as Markdown and JSON: their own view, not the provider\'s', async ({ page }) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'What medications is John Doe taking?');
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const sessionId = page.url().split('/').pop();

  const markdown = page.waitForEvent('download');
  await page.getByTestId('export-markdown').click();
  const md = await markdown;
  expect(md.suggestedFilename()).toBe(`ward-conversation-${sessionId}.md`);
  const text = fs.readFileSync((await md.path())!, 'utf8');
  expect(text).toContain('**Clinician**');
  // The clinician's words as they typed them: the provider saw a surrogate for the name.
  expect(text).toContain('What medications is John Doe taking?');
  expect(text).toMatch(/\*\*Lookup `get_\w+`\*\* \(ok\)/);
  expect(text).toContain('- Exported by doctor at ');

  const json = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const download = await json;
  expect(download.suggestedFilename()).toBe(`ward-conversation-${sessionId}.json`);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(exported.exported_by).toBe('doctor');
  expect(exported.session.session_id).toBe(sessionId);
  expect(exported.session.messages[0]).toMatchObject({ role: 'user', content: 'What medications is John Doe taking?' });
  for (const m of exported.session.messages) expect(m).not.toHaveProperty('provider_content');
  // The download did not leave the chat screen.
  await expect(page.getByTestId('chat-panel')).toHaveAttribute('data-ready', 'true');
});

test('the Stop button stops a reply that has not started', async ({ page }, testInfo) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  // Hold the reply so that it is still "streaming" when Stop is pressed: the request is
  // never answered, exactly like a slow model.
  await page.route('**/frontend/api/chat/message/', () => {});
  await ask(page, 'Show the medications for PAT-002');
  await expect(page.getByTestId('typing-indicator')).toBeVisible();
  await screenshot(page, testInfo, 'chat-typing');
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('msg-note').last()).toHaveText('You stopped the reply.');
  await expect(page.getByTestId('typing-indicator')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.getByLabel('Message to Ward')).toBeFocused();
});

test('the keyboard alone is enough to send a message', async ({ page }) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  const box = page.getByLabel('Message to Ward');
  await expect(box).toBeFocused();
  await page.keyboard.type('What medications is John Doe taking?');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('msg-assistant').last()).toBeVisible();
});

test.describe('on a tablet', () => {
  test.use({ viewport: { width: 768, height: 1024 }, hasTouch: true });

  test('the session list sits above the chat and the composer stays in reach', async ({ page }, testInfo) => {
    await signIn(page, 'nurse');
    await chatReady(page);
    const list = await page.getByRole('navigation', { name: 'Chat sessions' }).boundingBox();
    const panel = await page.getByTestId('chat-panel').boundingBox();
    expect(list && panel && list.y + list.height <= panel.y + 1).toBeTruthy();
    await ask(page, 'Show the medications for PAT-004');
    await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
    await expect(page.getByLabel('Message to Ward')).toBeInViewport();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(768);
    await screenshot(page, testInfo, 'chat-tablet');
  });
});

test.describe('with a slow model', () => {
  test.beforeEach(async ({ page }) => {
    await slowDownChatStream(page, 150);
  });

  test('the reply appears piece by piece, after a typing indicator, and is announced politely', async ({ page }) => {
    await signIn(page, 'doctor');
    await chatReady(page);
    await newChat(page);
    await ask(page, 'What medications is John Doe taking?');
    await expect(page.getByTestId('typing-indicator')).toBeVisible();
    const live = page.getByTestId('msg-streaming');
    await expect(live).toHaveAttribute('aria-live', 'polite');
    await expect(live).toHaveAttribute('aria-busy', 'true');
    // Some text is on screen while the reply is still coming (Stop still offered)...
    await expect(live.locator('p:not(.typing)').first()).toContainText(/\S/);
    await expect(page.getByTestId('stop')).toBeVisible();
    const partial = (await live.locator('p:not(.typing)').first().innerText()).trim();
    // ...and the finished reply is longer than that piece.
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
    const reply = (await page.getByTestId('msg-assistant').last().innerText()).trim();
    expect(reply.length).toBeGreaterThan(partial.length);
    expect(reply).toContain(partial);
  });

  test('Stop cuts a streaming reply short and keeps what had arrived', async ({ page }, testInfo) => {
    await signIn(page, 'doctor');
    await chatReady(page);
    await newChat(page);
    await ask(page, 'Show the latest labs for PAT-001');
    await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
    const live = page.getByTestId('msg-streaming');
    await expect(live.locator('p:not(.typing)').first()).toContainText(/\S/);
    await screenshot(page, testInfo, 'chat-streaming');
    await page.getByTestId('stop').click();
    await expect(page.getByTestId('msg-note').last()).toHaveText('You stopped the reply.');
    await expect(page.getByTestId('msg-assistant').last()).toContainText('(cut off)');
    await expect(page.getByTestId('msg-streaming')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  });
});
