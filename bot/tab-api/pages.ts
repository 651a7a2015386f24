/**
 * The tab's HTML pages: one small shell each, which the bundled script fills in. The manifest
 * points the personal tab "My actions" at /tab/actions, the channel tab "Board" at /tab/board, and
 * the channel tab's configuration page at /tab/config.
 */

const TAB_PAGES = {
  board: 'Board',
  actions: 'My actions',
  config: 'Add the Board tab',
} as const;
export type TabPage = keyof typeof TAB_PAGES;

export function isTabPage(value: string): value is TabPage {
  return Object.hasOwn(TAB_PAGES, value);
}

/** Hosts that may frame the tab: Teams on the web, desktop and mobile, and Microsoft 365. */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.teams.microsoft.us',
  'https://*.skype.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://*.cloud.microsoft',
  'https://outlook.office.com',
  'https://outlook.office365.com',
];

/** Scripts and styles from this origin only; text is always inserted as text, never as HTML. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // teams-js refreshes its list of Teams hosts from Microsoft's CDN (it has a built-in copy).
    "connect-src 'self' https://res.cdn.office.net",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cache-control': 'no-cache',
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function pageHtml(page: TabPage, boardName: string): string {
  const title = `${TAB_PAGES[page]}: ${boardName}`;
  return `<!doctype html>
<html lang="en-GB" data-theme="default">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/tab/assets/tab.css">
<script defer src="/tab/assets/tab.js"></script>
</head>
<body data-page="${page}" data-board="${escapeHtml(boardName)}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="top">
<h1 id="page-title">${escapeHtml(TAB_PAGES[page])}</h1>
<p class="who" id="who"></p>
</header>
<main id="main" tabindex="-1">
<p class="loading" role="status">Loading…</p>
<noscript><p>The Board tab needs JavaScript.</p></noscript>
</main>
</body>
</html>
`;
}
