/**
 * Teams sends message text with markup: `<at>Name</at>` for mentions, HTML from the rich editor,
 * entities and non-breaking spaces. Commands are matched on the plain text a person meant.
 */

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  rsquo: '\u2019',
  lsquo: '\u2018',
  ndash: '\u2013',
  mdash: '\u2014',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X'))
      return safeCodePoint(parseInt(code.slice(2), 16), whole);
    if (code.startsWith('#')) return safeCodePoint(parseInt(code.slice(1), 10), whole);
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(n: number, fallback: string): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : fallback;
}

/** Remove the bot's own @mention (by its display name) and turn every other mention into its name. */
export function plainText(raw: string, botNames: string[] = []): string {
  let s = raw ?? '';
  for (const name of botNames) {
    if (!name) continue;
    s = s.split(`<at>${name}</at>`).join(' ');
  }
  s = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n')
    // Tables pasted from Word keep their shape: cells become tabs, rows become lines.
    .replace(/<\/t[dh]>\s*/gi, '\t')
    .replace(/<\/tr>\s*/gi, '\n')
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/<[^>]{0,500}>/g, '');
  s = decodeEntities(s).replace(/[\u00a0\u2007\u202f]/g, ' ');
  return s
    .split('\n')
    .map((line) =>
      line
        .replace(/ +/g, ' ')
        .replace(/^ +| +$/g, '')
        .replace(/\t+$/, ''),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Lower-case, straight quotes, no trailing punctuation: the form command patterns are written for. */
export function commandForm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.]+$/g, '')
    .trim();
}
