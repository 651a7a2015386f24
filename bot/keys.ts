import { createHash, randomUUID } from 'node:crypto';

/**
 * Keys made from the parts that identify one thing (a conversation and an activity id, a form):
 * Teams re-sends a message with the same id, so the same parts give the same key, and a key stays
 * well within a 255-character list column.
 */

function digest(parts: readonly (string | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0001'))
    .digest('hex');
}

/** An idempotency key for a list item's SourceKey: `<kind>:<40 hex>`. */
export function keyFor(kind: string, ...parts: (string | undefined)[]): string {
  return `${kind}:${digest(parts).slice(0, 40)}`;
}

/** A short hex key (24 characters) for card data and idempotency. */
export function shortKey(...parts: (string | undefined)[]): string {
  return digest(parts).slice(0, 24);
}

/** A short key nobody else has: a form opened afresh. */
export function freshKey(): string {
  return shortKey(randomUUID());
}

/** A short hex fingerprint of a text (12 characters), for keys that name what was said. */
export function textPrint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
