/**
 * Date-only columns. SharePoint keeps a date-only value as midnight in the site's regional time zone
 * and Graph returns that instant in UTC (pnp/pnpjs#1890, microsoft-graph-docs#13168): 3 September
 * comes back as `2018-09-02T23:00:00Z` from a London site in summer, `2018-09-03T07:00:00Z` from Los
 * Angeles and `2018-09-02T12:00:00Z` from Auckland. The bot cannot ask Graph for the site's zone, so
 * it reads the day without it: local midnight in any zone from UTC−10:59 to UTC+13:00 falls between
 * 11:00 UTC the day before and 10:59 UTC on the day, so the day is the UTC date 13 hours later.
 * (Zones outside that band, UTC+14 and UTC−11/−12, would need the zone itself.)
 *
 * Written as a bare `YYYY-MM-DD`, which SharePoint stores as that day in the site's zone; a
 * timestamp would be converted to the site's zone first and could land on the day before.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const SHIFT_MS = 13 * 3_600_000;

/** The calendar day (YYYY-MM-DD) a date-only field holds, or undefined when it is not a date. */
export function readDateOnly(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (!realDate(text.slice(0, 10))) return undefined;
  if (DATE_ONLY.test(text)) return text;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms + SHIFT_MS).toISOString().slice(0, 10);
}

/** YYYY-MM-DD naming a day that exists (not 30 February). */
function realDate(text: string): boolean {
  if (!DATE_ONLY.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}
