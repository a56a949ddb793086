// The rate limit, on a second server that allows 2 messages per hour.
import { test, expect, signIn, chatReady, ask, screenshot } from './helpers';
import { LIMITED_PORT } from '../ports';

test.use({ baseURL: `http://127.0.0.1:${LIMITED_PORT}` });

test('the third message in an hour is refused with the time to wait, in plain words', async ({ page }, testInfo) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  for (const n of [1, 2]) {
    await ask(page, `Show the vital signs for PAT-00${n}`);
    await expect(page.locator('[data-testid="tool-card"][data-status="ok"]')).toHaveCount(n);
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  }
  await ask(page, 'Show the medications for PAT-001');
  const problem = page.getByTestId('chat-problem');
  await expect(problem).toContainText('You have reached the message limit.');
  await expect(problem).toContainText(/You can send again in (about \d+ minutes?|under a minute)/);
  // The refused message goes back into the composer, and nothing was added to the conversation.
  await expect(page.getByLabel('Message to Ward')).toHaveValue('Show the medications for PAT-001');
  await expect(page.getByTestId('msg-user')).toHaveCount(2);
  await screenshot(page, testInfo, 'chat-rate-limited');
});
