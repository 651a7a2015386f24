import type { Who } from '../../features/actions/service.js';
import type { Repositories } from '../../sharepoint/index.js';
import type { TabRole, ViewData } from '../contract.js';

/**
 * A board view: a title, who may see it, and a function from the lists to blocks the tab draws.
 * Add one by writing a file beside this one and naming it in `index.ts`.
 */

export type ViewLists = Pick<
  Repositories,
  'Meetings' | 'AgendaItems' | 'Attendance' | 'Consultations' | 'Feedback'
>;

export interface ViewContext {
  lists: ViewLists;
  who: Who & { role: TabRole };
  now: Date;
  boardName: string;
  /** The picker's value, when the view offers one (a consultation's reference, say). */
  choice?: string;
}

export interface TabView {
  /** Lower-case words and hyphens: the view's address, `/tab/api/views/<id>`. */
  id: string;
  title: string;
  /** Everyone on the board unless narrowed. */
  allow?: readonly TabRole[];
  load(ctx: ViewContext): Promise<ViewData>;
}
