import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's Chromium (`apt-get install -y chromium`); puppeteer's own download is not used. */
export const CHROMIUM = process.env['AIC_CHROMIUM'] ?? '/usr/bin/chromium';

let checked = false;

/**
 * Makes sure Chromium is installed. On a fresh CI machine where we are root with apt-get (as
 * `.ci/run` also does), installs it; otherwise fails saying what to do.
 */
export function ensureChromium(): void {
  if (checked) return;
  const present = (): boolean => existsSync(CHROMIUM);
  if (!present() && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 600_000 });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env, timeout: 900_000 });
  }
  if (!present()) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM} and could not be installed here. Install it (Debian/Ubuntu: ` +
        '`sudo apt-get install -y chromium`), or point AIC_CHROMIUM at a Chromium or Chrome binary, and run the tests again.',
    );
  }
  checked = true;
}

/** Headless Chromium with a fresh profile and nothing that talks to the internet. */
export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  const profile = await mkdtemp(join(tmpdir(), 'aic-chromium-'));
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
}
