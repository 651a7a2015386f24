import type { TabRole, ViewSummary } from '../contract.js';
import { consultationResults } from './consultation-results.js';
import { nextMeeting } from './next-meeting.js';
import type { TabView } from './types.js';

/** The board tab's views, in the order of its navigation. A new view: one file, one line here. */
export const VIEWS: readonly TabView[] = [nextMeeting, consultationResults];

export function viewsFor(role: TabRole, views: readonly TabView[] = VIEWS): ViewSummary[] {
  return views.filter((v) => !v.allow || v.allow.includes(role)).map(({ id, title }) => ({ id, title }));
}

export type { TabView, ViewLists } from './types.js';
