// Debian's Chromium through playwright-core, launched as CI requires (no browser download).
import { chromium } from 'playwright-core';

/** Launches headless Chromium (`CHROMIUM` overrides /usr/bin/chromium). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
