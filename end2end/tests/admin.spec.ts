// The admin screen: usage charts, budgets, users and roles.
import { test, expect, signIn, chatReady, ask, screenshot } from './helpers';

test('an admin sees spend per day and per user as charts, and changes a budget', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  await chatReady(page);
  await ask(page, 'Show the latest labs for PAT-001');
  await expect(page.getByTestId('tool-card').first()).toHaveAttribute('data-status', 'ok');
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('img', { name: /Spend per day: total/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Spend per user: total/ })).toBeVisible();
  // The offline model costs nothing, so spend bars may be flat; tokens are not.
  await expect(page.getByRole('img', { name: /Tokens per day: total [1-9]/ })).toBeVisible();
  await expect(page.locator('svg.bars rect.bar:not([height="0"])').first()).toBeVisible();
  await expect(page.getByTestId('users-table')).toContainText('Dr. Gregory House');
  await page.getByLabel('Each user (USD per day)').fill('7.50');
  await page.getByRole('button', { name: 'Save budgets' }).click();
  await expect(page.getByText('Saved: $50.00 per day for Ward, $7.50 per user.')).toBeVisible();
  await screenshot(page, testInfo, 'admin');
});

test('an admin grants a role and the user gets it', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/frontend/admin');
  const box = page.getByLabel('Reviewer for nurse');
  await expect(box).not.toBeChecked();
  await box.check();
  await expect(page.getByText('nurse is now reviewer.')).toBeVisible();
  await expect(page.getByLabel('Reviewer for nurse')).toBeChecked();
  await page.getByLabel('Reviewer for nurse').uncheck();
  await expect(page.getByText('nurse is no longer reviewer.')).toBeVisible();
});

test('leaving chat for another screen and coming back reopens the same empty session', async ({ page }) => {
  await signIn(page, 'admin');
  await chatReady(page);
  const session = page.url();
  const sessions = page.getByTestId('session-item');
  // The session just opened is in the list, marked current (also when it was made just now).
  const current = page.locator('[data-testid="session-item"].current');
  await expect(current).toHaveCount(1);
  const count = await sessions.count();
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByTestId('users-table')).toBeVisible();
  await page.getByRole('link', { name: 'Chat', exact: true }).click();
  await chatReady(page);
  // The newest empty session is opened again: no session was made on the way out or back.
  await expect(page).toHaveURL(session);
  await expect(sessions).toHaveCount(count);
  await expect(current).toHaveCount(1);
});

test('an admin imports a FHIR Bulk Data export from the app, sees the report, and a re-import only updates', async ({ page }, testInfo) => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = path.join(__dirname, '../../core/tests/fixtures/fhir/pysynthea/bulk');
  const files = fs.readdirSync(dir).filter((n: string) => n.endsWith('.ndjson'))
    .map((n: string) => ({ name: n, mimeType: 'application/fhir+ndjson', buffer: fs.readFileSync(path.join(dir, n)) }));
  // One unusable line among good ones: reported, and the rest imports.
  files.push({
    name: 'Immunization-extra.ndjson',
    mimeType: 'application/fhir+ndjson',
    buffer: Buffer.from('{"resourceType":"Immunization","id":"broken-1","status":"completed"}\n'),
  });
  await signIn(page, 'admin');
  await page.goto('/frontend/admin');
  // The upload works only once the app has hydrated.
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const section = page.getByTestId('import-section');
  await expect(section).toBeVisible();
  await section.locator('input[type=file]').setInputFiles(files);
  await section.getByRole('button', { name: 'Import' }).click();
  await expect(section.getByText(`${files.length} file(s) sent.`)).toBeVisible({ timeout: 60_000 });
  const summary = section.getByTestId('import-summary');
  await expect(summary).toHaveClass(/ok-banner/);
  await expect(summary).toContainText(/imported \([1-9]\d* new, 0 updated\)/);
  await expect(summary).toContainText(/[1-9]\d* could not be used/);
  const immunizations = section.getByTestId('import-kinds').getByRole('row', { name: /^Immunization/ });
  await expect(immunizations.locator('td').nth(1)).not.toHaveText('0');
  await expect(section.getByTestId('import-issues')).toContainText('broken-1');
  await screenshot(page, testInfo, 'admin-import');

  // The same export again: every record is updated, none duplicated.
  await section.locator('input[type=file]').setInputFiles(files.slice(0, -1));
  await section.getByRole('button', { name: 'Import' }).click();
  await expect(section.getByText(`${files.length - 1} file(s) sent.`)).toBeVisible({ timeout: 60_000 });
  await expect(summary).toContainText(/imported \(0 new, [1-9]\d* updated\)/);
});
