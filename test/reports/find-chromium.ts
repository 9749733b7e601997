import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Names Chromium and Chrome are installed under on PATH (Debian, Ubuntu, Fedora, Arch, Google's packages). */
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** Where the browser is inside a Playwright download (`chromium-1200/`, `chromium_headless_shell-1200/`), on each platform and in older layouts. */
const IN_DOWNLOAD = [
  'chrome-linux64/chrome',
  'chrome-linux-arm64/chrome',
  'chrome-linux/chrome',
  'chrome-headless-shell-linux64/chrome-headless-shell',
  'chrome-headless-shell-linux-arm64/chrome-headless-shell',
  'chrome-linux/headless_shell',
  'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
  'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
  'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
  'chrome-headless-shell-mac-arm64/chrome-headless-shell',
  'chrome-headless-shell-mac-x64/chrome-headless-shell',
  'chrome-win64/chrome.exe',
  'chrome-win/chrome.exe',
  'chrome-headless-shell-win64/chrome-headless-shell.exe',
];

export interface SearchEnvironment {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
}

export type ChromiumSearch =
  | { path: string }
  /** `configured`: CHROME_PATH was set but is not a browser, a mistake to report rather than skip over. */
  | { path?: undefined; why: string; configured: boolean };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Playwright's browser folder, as Playwright itself computes it. */
function playwrightCache({ env, platform, home }: SearchEnvironment): string {
  if (env.PLAYWRIGHT_BROWSERS_PATH) return env.PLAYWRIGHT_BROWSERS_PATH;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'ms-playwright');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'ms-playwright');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'ms-playwright');
}

/** The browsers Playwright downloaded, the newest revision first, full Chromium before the headless shell. */
function fromPlaywright(search: SearchEnvironment): string | undefined {
  const cache = playwrightCache(search);
  let folders: string[];
  try {
    folders = readdirSync(cache);
  } catch {
    return undefined;
  }
  const downloads = folders
    .map((name) => ({ name, match: /^(chromium|chromium_headless_shell)-(\d+)$/.exec(name) }))
    .filter((d) => d.match !== null)
    .sort((a, b) => Number(b.match![2]) - Number(a.match![2]) || a.match![1]!.length - b.match![1]!.length);
  for (const { name } of downloads) {
    for (const inside of IN_DOWNLOAD) {
      const path = join(cache, name, ...inside.split('/'));
      if (isExecutable(path)) return path;
    }
  }
  return undefined;
}

/**
 * A Chromium or Chrome to drive: CHROME_PATH, else the usual names on PATH, else a browser
 * Playwright downloaded (`npx playwright install chromium`); never downloads one.
 */
export function findChromium(search: SearchEnvironment = { env: process.env, platform: process.platform, home: homedir() }): ChromiumSearch {
  const { env, platform } = search;
  if (env.CHROME_PATH) {
    if (isExecutable(env.CHROME_PATH)) return { path: env.CHROME_PATH };
    return { why: `CHROME_PATH is ${env.CHROME_PATH}, which is not an executable file: point it at Chromium or Chrome, or unset it`, configured: true };
  }
  const names = platform === 'win32' ? PATH_NAMES.map((n) => `${n}.exe`) : PATH_NAMES;
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) if (isExecutable(join(folder, name))) return { path: join(folder, name) };
  }
  const downloaded = fromPlaywright(search);
  if (downloaded) return { path: downloaded };
  return {
    why: `no Chromium or Chrome found (CHROME_PATH, ${PATH_NAMES.join(', ')} on PATH, Playwright's ${playwrightCache(search)}): install chromium or set CHROME_PATH to a Chrome or Chromium executable`,
    configured: false,
  };
}
