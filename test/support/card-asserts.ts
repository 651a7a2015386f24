import { expect } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { cardProblems } from './cards.js';

/**
 * Assertions on cards, for tests run by vitest (kept apart from ./cards.ts, which the benchmarks
 * also import outside vitest).
 */

/** The card, after asserting that it validates (parser, verbs, size budget). */
export function valid(card: AdaptiveCard): AdaptiveCard {
  expect(cardProblems(card)).toEqual([]);
  return card;
}

/** The card an invoke answered with, which must be one and must validate. */
export const card = (body: { type: string; value: unknown }): AdaptiveCard => {
  expect(body.type, JSON.stringify(body.value).slice(0, 300)).toBe('application/vnd.microsoft.card.adaptive');
  const c = body.value as AdaptiveCard;
  expect(cardProblems(c)).toEqual([]);
  return c;
};
