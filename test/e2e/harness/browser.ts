// Debian's Chromium, headless, driven by playwright-core (which brings no browser of its
// own). Root runs it here, and Chromium's sandbox refuses root: --no-sandbox.
import { chromium, type Browser } from 'playwright-core';
import { readChromium } from './env.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: readChromium(), args: ['--no-sandbox'] });
}
