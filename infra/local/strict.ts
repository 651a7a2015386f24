import { GraphError } from './errors.js';

/**
 * Where the local service is as strict as SharePoint Online, and stricter than Graph's documents
 * say. Every default is SharePoint's; tests and the dev runner can change them (LOCAL_LISTS_* in
 * env.ts). Each rule names the public document or issue it follows.
 */

export type DuplicateStatus = 400 | 409 | 500;

export interface StrictSettings {
  /**
   * The list view threshold (5,000 on SharePoint Online, and not changeable there): a query on a list
   * holding more items fails unless its most selective indexed clause matches at most this many.
   * "Manage large lists and libraries" (Microsoft Support); pnp/pnpjs#1158, #3149.
   */
  threshold: number;
  /**
   * How a duplicate in an `enforceUniqueValues` column is answered. SharePoint raises
   * SPDuplicateValuesFoundException, which REST and Graph report as HTTP 500 (pnp/pnpcore#1280,
   * pnp/PnP-Sites-Core#608); 409 (what Graph's documents suggest) and 400 are selectable.
   */
  duplicateStatus: DuplicateStatus;
  /**
   * The site's regional time zone (IANA name). A date-only value is stored as that zone's midnight
   * and read back converted to UTC (pnp/pnpjs#1890, microsoft-graph-docs#13168).
   */
  timeZone: string;
  /**
   * Creating a list with `columns` drops `indexed` and `enforceUniqueValues` from them, as Graph
   * has been reported to do (microsoft-graph-docs#11966, microsoft-graph-docs-contrib#3480).
   */
  lossyCreate: boolean;
}

export const DEFAULT_STRICT: StrictSettings = {
  threshold: 5000,
  duplicateStatus: 500,
  timeZone: 'Europe/London',
  lossyCreate: false,
};

export function checkTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    throw new Error(`'${zone}' is not an IANA time zone (e.g. Europe/London, America/Los_Angeles)`);
  }
  return zone;
}

const DUPLICATE_MESSAGE =
  'The list item could not be added or updated because duplicate values were found in one or more fields in the list.';

/** SharePoint's duplicate-value answer (pnp/pnpcore#1280), in the status the settings choose. */
export function duplicateError(status: DuplicateStatus, columns: string[]): GraphError {
  const which = ` Fields: [${columns.join(', ')}].`;
  switch (status) {
    case 500:
      // REST reports Microsoft.SharePoint.SPDuplicateValuesFoundException; Graph passes it on as a
      // general exception with SharePoint's message.
      return new GraphError(500, 'generalException', `${DUPLICATE_MESSAGE}${which}`);
    case 409:
      return new GraphError(409, 'nameAlreadyExists', `${DUPLICATE_MESSAGE}${which}`);
    case 400:
      return new GraphError(400, 'invalidRequest', `${DUPLICATE_MESSAGE}${which}`);
  }
}

/**
 * SharePoint's threshold answer. REST says 500 SPQueryThrottledException "The attempted operation is
 * prohibited because it exceeds the list view threshold." (SharePoint/sp-dev-docs#6826,
 * pnp/pnpjs#3149); Graph has been seen passing it on as 429 without `Retry-After`
 * (microsoftgraph/msgraph-sdk-dotnet#827), which a client must not take for throttling.
 */
export function thresholdError(matches: number, threshold: number): GraphError {
  return new GraphError(
    429,
    'activityLimitReached',
    'The attempted operation is prohibited because it exceeds the list view threshold. ' +
      `(Microsoft.SharePoint.SPQueryThrottledException: the query's most selective indexed clause matches ${matches} items; the threshold is ${threshold}.)`,
  );
}

// ── the site's time zone ──

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

function wallClock(ms: number, zone: string): { y: number; m: number; d: number; utcOfWall: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return { y: year, m: month, d: day, utcOfWall: Date.UTC(year, month - 1, day, hour, minute, second) };
}

/** The calendar date (YYYY-MM-DD) an instant falls on in the zone. */
export function zonedDate(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  return `${String(w.y).padStart(4, '0')}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/** The instant of midnight at the start of an ISO date in the zone. */
export function zonedMidnight(isoDate: string, zone: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const offset = wallClock(guess, zone).utcOfWall - guess;
    const next = wall - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}
