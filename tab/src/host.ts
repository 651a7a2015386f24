import { app, authentication } from '@microsoft/teams-js';

/**
 * Where the tab runs. Inside Teams: teams-js initialised, the Teams theme followed, and an Entra
 * SSO token for each API call. Outside Teams (local development, tests): standalone, with the
 * development person named by `?as=` and the theme from `?theme=` or the system's preference.
 */

export type Theme = 'default' | 'dark' | 'contrast';

export interface Host {
  inTeams: boolean;
  theme: Theme;
  /** The person `?as=` names, outside Teams. */
  devAs?: string;
  /** Headers that identify the caller to the tab's API. */
  authHeaders(): Promise<Record<string, string>>;
  onThemeChange(handler: (theme: Theme) => void): void;
}

const INIT_TIMEOUT_MS = 6000;

function toTheme(value: string | null | undefined): Theme {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms)),
  ]);
}

function standalone(params: URLSearchParams): Host {
  const asked = params.get('theme');
  const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
  const theme = asked ? toTheme(asked) : prefersDark ? 'dark' : 'default';
  const devAs = params.get('as')?.trim() || undefined;
  return {
    inTeams: false,
    theme,
    ...(devAs ? { devAs } : {}),
    authHeaders: async (): Promise<Record<string, string>> => (devAs ? { 'x-tab-dev-as': devAs } : {}),
    onThemeChange: () => undefined,
  };
}

/**
 * `?as=` means a developer's browser. Anything else must be Teams: on the web and desktop it frames
 * the tab, on mobile it hosts it in a web view, so framing alone cannot tell; teams-js can.
 */
export async function connect(): Promise<Host> {
  const params = new URLSearchParams(window.location.search);
  if (params.has('as')) return standalone(params);

  await withTimeout(app.initialize(), INIT_TIMEOUT_MS, 'Connecting to Teams');
  const context = await app.getContext();
  // Only tells Teams to hide its loading indicator: nothing here waits on it, and a failure (the
  // frame already gone) leaves nothing to do.
  void app.notifySuccess();
  return {
    inTeams: true,
    theme: toTheme(context.app.theme),
    // Teams caches the token and renews it before it expires, so asking each time is cheap.
    authHeaders: async () => ({ authorization: `Bearer ${await authentication.getAuthToken()}` }),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(toTheme(theme))),
  };
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}
