import { decodeEntities } from '../../routing/text.js';
import { normaliseName } from '../../people/roster.js';

/**
 * Teams message text as plain text: HTML flattened, entities decoded, and each `<at>Name</at>`
 * replaced by the name, remembering where it was and whom it mentions.
 */

export interface Mention {
  /** Display name from the mention entity. */
  name: string;
  /** Entra object id (or the channel account id) of the person mentioned. */
  id: string;
}

export interface MentionSpan {
  start: number;
  end: number;
  /** The text shown between the `<at>` tags. */
  text: string;
  mention?: Mention | undefined;
}

export interface PlainText {
  text: string;
  mentions: MentionSpan[];
}

function flattenHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(?:p|div|li|tr)>/giu, '\n')
    .replace(/<(?!\/?at\b)[^>]*>/giu, '')
    .replace(/\r\n?/gu, '\n');
}

function tidy(text: string): string {
  return decodeEntities(text).replace(/[\u00a0\u2007\u202f]/gu, ' ');
}

/** Pairs each `<at>` with its mention entity: by name first, then by order for the rest. */
function attachMentions(spans: MentionSpan[], mentions: readonly Mention[]): void {
  const unused = [...mentions];
  const take = (index: number) => unused.splice(index, 1)[0];
  for (const span of spans) {
    const shown = normaliseName(span.text);
    const exact = unused.findIndex((mention) => normaliseName(mention.name) === shown);
    const partial =
      exact >= 0
        ? exact
        : unused.findIndex(
            (mention) => shown !== '' && normaliseName(mention.name).split(' ').includes(shown),
          );
    if (partial >= 0) span.mention = take(partial);
  }
  const unmatched = spans.filter((span) => !span.mention);
  if (unmatched.length > 0 && unmatched.length === unused.length) {
    unmatched.forEach((span, index) => {
      const mention = unused[index];
      if (mention) span.mention = mention;
    });
  }
}

/** Plain text of a Teams message, trimmed, with mention positions in that text. */
export function toPlainText(raw: string, mentions: readonly Mention[] = []): PlainText {
  const html = flattenHtml(raw);
  const spans: MentionSpan[] = [];
  let text = '';
  let last = 0;
  for (const match of html.matchAll(/<at\b[^>]*>([\s\S]*?)<\/at>/giu)) {
    text += tidy(html.slice(last, match.index));
    const shown = tidy(match[1] ?? '').trim();
    spans.push({ start: text.length, end: text.length + shown.length, text: shown });
    text += shown;
    last = match.index + match[0].length;
  }
  text += tidy(html.slice(last));

  const leading = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const shifted = spans
    .map((span) => ({ ...span, start: span.start - leading, end: span.end - leading }))
    .filter((span) => span.start >= 0 && span.end <= trimmed.length && span.text !== '');
  attachMentions(shifted, mentions);
  return { text: trimmed, mentions: shifted };
}
