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

export function toTheme(value: string | null | undefined): Theme {
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
  // `?team=` stands in for the channel tab's team outside Teams.
  const team = params.get('team')?.trim() || undefined;
  return {
    inTeams: false,
    theme,
    ...(devAs ? { devAs } : {}),
    authHeaders: async (): Promise<Record<string, string>> => ({
      ...(devAs ? { 'x-tab-dev-as': devAs } : {}),
      ...(team ? { 'x-tab-team': team } : {}),
    }),
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
  app.notifySuccess();
  return {
    inTeams: true,
    theme: toTheme(context.app.theme),
    // Teams caches the token and renews it before it expires, so asking each time is cheap. The
    // channel tab names its team, whose board it shows; the bot checks the caller is a member.
    authHeaders: async () => ({
      authorization: `Bearer ${await authentication.getAuthToken()}`,
      ...(context.team?.internalId ? { 'x-tab-team': context.team.internalId } : {}),
    }),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(toTheme(theme))),
  };
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}
