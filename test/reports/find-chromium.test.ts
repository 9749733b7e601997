import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findChromium, type SearchEnvironment } from './find-chromium.js';

let root: string;

/** An executable file (a stand-in for a browser) at `path` under the test's folder. */
function executable(path: string): string {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

const linux = (env: SearchEnvironment['env']): SearchEnvironment => ({ env, platform: 'linux', home: join(root, 'home') });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'scimulator-find-chromium-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('findChromium', () => {
  it('takes CHROME_PATH first, and calls one that is not an executable a mistake to fix', () => {
    const chrome = executable('opt/chrome');
    executable('bin/chromium');
    expect(findChromium(linux({ CHROME_PATH: chrome, PATH: join(root, 'bin') }))).toEqual({ path: chrome });
    const wrong = findChromium(linux({ CHROME_PATH: join(root, 'nowhere'), PATH: join(root, 'bin') }));
    expect(wrong).toEqual({ why: `CHROME_PATH is ${join(root, 'nowhere')}, which is not an executable file: point it at Chromium or Chrome, or unset it`, configured: true });
  });

  it('then the usual names on PATH, folder by folder, skipping files that are not executable', () => {
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'a/chromium'), 'not executable');
    const chrome = executable('b/google-chrome-stable');
    executable('c/chromium');
    expect(findChromium(linux({ PATH: ['a', 'b', 'c'].map((f) => join(root, f)).join(delimiter) }))).toEqual({ path: chrome });
  });

  it('then the newest Chromium Playwright downloaded, in XDG_CACHE_HOME, ~/.cache or PLAYWRIGHT_BROWSERS_PATH', () => {
    executable('home/.cache/ms-playwright/chromium-1100/chrome-linux/chrome');
    const newest = executable('home/.cache/ms-playwright/chromium-1200/chrome-linux64/chrome');
    executable('home/.cache/ms-playwright/chromium_headless_shell-1200/chrome-headless-shell-linux64/chrome-headless-shell');
    expect(findChromium(linux({ PATH: '' }))).toEqual({ path: newest });
    const shell = executable('xdg/ms-playwright/chromium_headless_shell-1300/chrome-headless-shell-linux64/chrome-headless-shell');
    expect(findChromium(linux({ XDG_CACHE_HOME: join(root, 'xdg') }))).toEqual({ path: shell });
    const pinned = executable('browsers/chromium-1000/chrome-linux/chrome');
    expect(findChromium(linux({ PLAYWRIGHT_BROWSERS_PATH: join(root, 'browsers') }))).toEqual({ path: pinned });
  });

  it('finds Playwright’s macOS and Windows downloads where those systems keep them', () => {
    const mac = executable('home/Library/Caches/ms-playwright/chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing');
    expect(findChromium({ env: {}, platform: 'darwin', home: join(root, 'home') })).toEqual({ path: mac });
    const win = executable('local/ms-playwright/chromium-1200/chrome-win64/chrome.exe');
    expect(findChromium({ env: { LOCALAPPDATA: join(root, 'local') }, platform: 'win32', home: join(root, 'home') })).toEqual({ path: win });
  });

  it('says where it looked and how to get one when there is none', () => {
    const none = findChromium(linux({ PATH: join(root, 'empty') }));
    expect(none).toEqual({
      why: `no Chromium or Chrome found (CHROME_PATH, chromium, chromium-browser, google-chrome, google-chrome-stable, chrome on PATH, Playwright's ${join(root, 'home/.cache/ms-playwright')}): install chromium or set CHROME_PATH to a Chrome or Chromium executable`,
      configured: false,
    });
  });
});
