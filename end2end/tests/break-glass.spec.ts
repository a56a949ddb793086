// Break the glass: a doctor asks about a patient outside the care team.
import { test, expect, signIn, chatReady, newChat, ask, screenshot } from './helpers';

test('a doctor outside the care team breaks the glass with a reason and then gets the answer', async ({ page }, testInfo) => {
  await signIn(page, 'doctor');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'Show the medications for PAT-030');
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'denied');

  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('PAT-030 is not on your care team');
  await expect(dialog.getByLabel('Reason (required)')).toBeFocused();
  await screenshot(page, testInfo, 'break-glass-dialog');

  // The reason is required.
  await dialog.getByRole('button', { name: 'Break the glass and continue' }).click();
  await expect(dialog.getByRole('alert')).toContainText('at least 10 characters');
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('Reason (required)').fill('Patient collapsed in the corridor; covering for the on-call team.');
  await dialog.getByRole('button', { name: 'Break the glass and continue' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('msg-note').first()).toContainText('Emergency access to PAT-030 granted');
  const okCard = page.locator('[data-testid="tool-card"][data-status="ok"]');
  await expect(okCard.first()).toContainText('Medications');
  await expect(page.getByTestId('msg-user')).toHaveCount(2);
  await expect(page.getByTestId('msg-assistant').last()).toBeVisible();
  // The banner follows the server's binding to the patient the tool ran on.
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-patient', 'PAT-030');
  await expect(page.getByTestId('patient-banner')).toContainText('MRN');
});

test('cancelling the dialog leaves the record closed', async ({ page }) => {
  await signIn(page, 'doctor2');
  await chatReady(page);
  await newChat(page);
  await ask(page, 'Show the vital signs for PAT-002');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByLabel('Message to Ward')).toBeFocused();
  await expect(page.locator('[data-testid="tool-card"][data-status="ok"]')).toHaveCount(0);
});
