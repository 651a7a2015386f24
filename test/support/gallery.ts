import type { AdaptiveCard } from '../../cards/adaptive.js';

/**
 * One card of the card gallery: a card builder run on a realistic view model (from the seeds).
 * Each feature lists its cards in `test/fixtures/gallery/<feature>.ts` as `export const entries`;
 * the gallery (`npm run cards`) renders all of them and a test validates every one.
 */
export interface GalleryEntry {
  /** File-name safe, unique across the gallery, e.g. `actions-logged`. */
  id: string;
  title: string;
  description?: string;
  card: AdaptiveCard;
}
