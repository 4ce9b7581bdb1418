import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildWithUpstream } from '../upstream-helper.ts';

// Debian's chromium (.ci/provision-chromium.sh installs it); playwright-core downloads no browser of its own.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Headless as root in a container, and quiet: this machine has no network beyond loopback.
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: run .ci/provision-chromium.sh (apt-get install -y chromium), or set CHROMIUM_PATH`);
  }
  // No time limits of Playwright's own (30 s by default): on a busy machine a launch or a page may take longer, and
  // Vitest's hang guard still ends a wait that never ends.
  browser = await chromium.launch({ executablePath, args, timeout: 0 });
});

afterAll(async () => {
  await browser.close();
});

/** Types a city into the form on the current page, submits it, and returns the status of the page that comes back, once it has loaded. */
async function search(page: Page, city: string) {
  await page.getByLabel('City').fill(city);
  // The answer's own load event: the page's load state still says "loaded" (the form's) until the answer is committed.
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url().endsWith('/weather')),
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Get weather' }).click(),
  ]);
  return response.status();
}

describe('the pages in a browser', () => {
  it('finds the weather for a city typed into the form, and says so when a city is unknown', async () => {
    const { app } = await buildWithUpstream('open-meteo');
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const page = await browser.newPage();
    // Closed before the app, so that no request of the page is still open as the app closes.
    onTestFinished(() => page.close());
    page.setDefaultTimeout(0);

    await page.goto(url);
    expect(await page.title()).toBe('Weather Information');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Weather Information');

    expect(await search(page, 'London')).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Weather Information for London, GB');
    expect(await page.locator('dt:has-text("Temperature") + dd').textContent()).toBe('55 °F');
    expect(await page.locator('dt:has-text("Humidity") + dd').textContent()).toBe('77%');

    expect(await search(page, 'Atlantis')).toBe(404);
    expect(await page.getByRole('alert').textContent()).toBe('Open-Meteo knows no place called "Atlantis".');
    expect(await page.getByLabel('City').inputValue()).toBe('Atlantis');
  });
});
