// Playwright drives Debian's Chromium (no browser download) against Ward servers started
// from the binary that `cargo leptos build` produced, each on a fresh SQLite file with the
// demo data and the offline model.
import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

import { WARD_PORT, LIMITED_PORT, SSO_PORT, OIDC_PORT } from './ports';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-e2e-'));

/** The command and environment of one Ward server on its own database. */
function wardServer(port: number, name: string, extraEnv: Record<string, string> = {}) {
  return {
    command: `${process.env.WARD_SERVER_BIN ?? '../target/debug/server'} serve`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      WARD_ENV: 'demo',
      DATABASE_URL: `sqlite://${path.join(scratch, `${name}.db`)}?mode=rwc`,
      LEPTOS_OUTPUT_NAME: 'ward',
      LEPTOS_SITE_ROOT: '../target/site',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LLM_PROVIDER: 'offline',
      RUST_LOG: 'warn',
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: './tests',
  // Timing runs only when asked (WARD_MEASURE=1).
  testIgnore: process.env.WARD_MEASURE ? [] : ['**/measure.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${WARD_PORT}`,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: [
    wardServer(WARD_PORT, 'main'),
    wardServer(LIMITED_PORT, 'limited', { RATE_LIMIT_MESSAGES_PER_HOUR: '2' }),
    // Single sign-on: a real OpenID Provider, and a Ward configured for it.
    {
      command: 'node oidc/provider.mjs',
      url: `http://localhost:${OIDC_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
      env: { OIDC_PORT: String(OIDC_PORT), WARD_URL: `http://127.0.0.1:${SSO_PORT}` },
    },
    wardServer(SSO_PORT, 'sso', {
      OIDC_ISSUER_URL: `http://localhost:${OIDC_PORT}`,
      OIDC_CLIENT_ID: 'ward-e2e',
      OIDC_CLIENT_SECRET: 'ward-e2e-client-secret',
      OIDC_SCOPES: 'openid profile groups ward',
      OIDC_ROLES_CLAIM: 'groups',
      OIDC_UNIT_CLAIM: 'ward_unit',
      WARD_PUBLIC_URL: `http://127.0.0.1:${SSO_PORT}`,
    }),
  ],
});
