/**
 * Small text helpers, one home for cards and the bot alike (the bot imports cards, never the
 * reverse): cutting long text, counting with a plural, web links only.
 */

/** Long text cut to `max` characters with an ellipsis (the full text stays in the list). */
export function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

/** "1 day", "3 days", "1,200 characters". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** Only web links: a `javascript:` URL typed into a list or a forged submit never becomes a link. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
