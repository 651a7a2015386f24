import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LaunchOptions } from 'playwright-core';

/**
 * Chromium for the end-to-end tests and the README screenshot. Playwright's own browser downloads
 * do not work on the machines this project targets, so we use the distribution's Chromium and
 * install it through apt when we are root on Debian/Ubuntu.
 */

const DEBIAN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const PATH_NAMES = ['chromium', 'chromium-browser'];

export const INSTALL_HINT =
  'Chromium was not found. Install it with `sudo apt-get install -y chromium` (Debian; ' +
  '`chromium-browser` on Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome executable.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The Chromium executable already on this machine, if any (no installing). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!isExecutable(configured)) {
      throw new Error(`CHROMIUM_PATH is set to ${configured}, which is not an executable file.`);
    }
    return configured;
  }
  return DEBIAN_PATHS.find(isExecutable) ?? PATH_NAMES.map((n) => onPath(n, env)).find(Boolean);
}

/**
 * The Chromium executable: CHROMIUM_PATH, else Debian's, else one on PATH; else, when running as
 * root where apt-get exists, `apt-get update && apt-get install -y chromium` (printed as it runs);
 * else an error saying what to install.
 */
export function findOrInstallChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = findChromium(env);
  if (found) return found;

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = onPath('apt-get', env);
  if (!isRoot || !aptGet) throw new Error(INSTALL_HINT);

  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    console.error(`Chromium is missing; running: apt-get ${args.join(' ')}`);
    const run = spawnSync(aptGet, args, { stdio: 'inherit', env: aptEnv });
    if (run.status !== 0) {
      throw new Error(`apt-get ${args.join(' ')} failed (exit ${run.status ?? run.signal}). ${INSTALL_HINT}`);
    }
  }
  const installed = findChromium(env);
  if (!installed) throw new Error(`apt-get installed chromium but no executable was found. ${INSTALL_HINT}`);
  return installed;
}

/** Flags for a quiet, reproducible headless browser that never reaches out to the network itself. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

/**
 * Options for `chromium.launch()` from playwright-core. `launch()` gives every browser a fresh,
 * throw-away user-data directory, so runs never share a profile.
 */
export function chromiumLaunchOptions(
  executablePath = findOrInstallChromium(),
  overrides: LaunchOptions = {},
): LaunchOptions {
  return { executablePath, headless: true, args: [...CHROMIUM_ARGS], ...overrides };
}

// `npx tsx scripts/chromium.ts` prints the path (installing first when it can); used by .ci/run.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(findOrInstallChromium());
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
