import { AGENDA_NEW_DIALOG, packFormCard } from '../../../cards/agenda-form.js';
import { AGENDA_NEW_FORM } from '../../../cards/agenda-verbs.js';
import type { Logger } from '../../logger.js';
import { BOARD_ROLES, EVERYONE } from '../../routing/roles.js';
import { intentCommand, type RouteOptions, type Router } from '../../routing/router.js';
import type { DialogHandlers, Role } from '../../routing/types.js';
import type { ActionsSource } from './arising.js';
import { handleAgenda, type CommandDeps } from './commands.js';
import { NOT_READ, NOT_SAVED, type AgendaContext } from './context.js';
import { blankForm, formFromValues, rowsOf } from './form.js';
import {
  createFromForm,
  onAnswer,
  onChanges,
  onCreate,
  onDecisions,
  onDecisionsForm,
  onDiscard,
  onEdit,
  onItems,
  onMoreRows,
  onPublish,
  onSheet,
  onShow,
  onSupplement,
  onUpdate,
} from './buttons.js';
import { readAgendaIntent, type AgendaIntent } from './intents.js';
import { AgendaStore, type AgendaRepos } from './store.js';
import { freshKey } from '../../keys.js';

/**
 * Agenda packs, registered on the router with their role guards: officers create, publish,
 * supplement and record decisions; officers and chairs see the attendance sheet; everyone on the
 * board reads packs, answers attendance and compares versions. Refusals say who can. When the
 * lists fail, routes that read say NOT_READ and routes that write say NOT_SAVED.
 */

export { registerAgendaReminders } from './reminders.js';
export type { AgendaContext } from './context.js';
export { attachedItemsFiles } from './files.js';

const OFFICERS: readonly Role[] = ['officer'];
const SHEET_READERS: readonly Role[] = ['officer', 'chair'];

export interface RegisterAgendaDeps {
  lists: AgendaRepos;
  logger: Logger;
  boardName: string;
  officers: readonly string[];
  chairs: readonly string[];
  /** Proactive posts, personal copies and in-place updates; absent only in routing tests. */
  messaging?: AgendaContext['messaging'];
  /** The actions store's open and overdue queries, for Matters arising. */
  actions?: ActionsSource;
  /** Files attached to an "agenda import" message, once the edge passes them on. */
  files?: CommandDeps['files'];
}

export function agendaContext(deps: RegisterAgendaDeps): AgendaContext {
  return {
    store: new AgendaStore(deps.lists),
    logger: deps.logger.child({ feature: 'agenda' }),
    officers: new Set(deps.officers.map((s) => s.toLowerCase())),
    chairs: new Set(deps.chairs.map((s) => s.toLowerCase())),
    ...(deps.messaging ? { messaging: deps.messaging } : {}),
    ...(deps.actions ? { actions: deps.actions } : {}),
  };
}

/** The form as a dialog (task module), where Teams can open one. */
function newPackDialog(ctx: AgendaContext, boardName: string): DialogHandlers {
  const title = 'New agenda pack';
  return {
    fetch: async (data) => {
      const key =
        typeof data.form === 'string' && /^[a-f0-9]{16,64}$/.test(data.form) ? data.form : freshKey();
      const form = Object.keys(data).some((k) => /^i\d/.test(k) || k === 'board')
        ? formFromValues(data, { mode: 'dialog', key })
        : blankForm('dialog', key, boardName);
      return { kind: 'dialog', dialog: { title, card: packFormCard(form), size: 'large' } };
    },
    submit: async (raw, turn) => {
      const { dialog: _dialog, more, ...rest } = raw;
      const parsed = AGENDA_NEW_FORM.safeParse(rest);
      if (!parsed.success)
        return {
          kind: 'message',
          message:
            'That form sent something I could not read, so nothing was saved. Please type "agenda new" again.',
        };
      const data = parsed.data;
      if (more === true || more === 'true')
        return {
          kind: 'dialog',
          dialog: {
            title,
            card: packFormCard(formFromValues(data, { mode: 'dialog', key: data.form, rows: rowsOf(data) })),
            size: 'large',
          },
        };
      const r = await createFromForm(ctx, data, turn, boardName, 'dialog');
      if (!r.ok) return { kind: 'dialog', dialog: { title, card: r.form, size: 'large' } };
      return { kind: 'close', post: { card: r.card } };
    },
  };
}

export function registerAgenda(router: Router, deps: RegisterAgendaDeps): AgendaContext {
  const ctx = agendaContext(deps);
  const c: CommandDeps = { ctx, boardName: deps.boardName, ...(deps.files ? { files: deps.files } : {}) };
  const writes = (allow: readonly Role[], what: string): RouteOptions => ({ allow, what, fails: NOT_SAVED });
  const reads = (allow: readonly Role[], what: string): RouteOptions => ({ allow, what, fails: NOT_READ });
  const officers = (what: string) => writes(OFFICERS, what);
  const board = (what: string) => reads(BOARD_ROLES, what);
  const text = <K extends AgendaIntent['kind']>(name: string, kinds: readonly K[]) =>
    intentCommand(name, readAgendaIntent, kinds, (turn, intent) => handleAgenda(c, turn, intent));

  router
    .command(text('agenda new', ['new']), officers('create agenda packs'))
    .command(text('agenda import', ['import']), officers('create agenda packs'))
    .command(text('agenda supplement', ['supplement']), officers('publish supplementary papers'))
    .command(text('agenda decision', ['decide']), officers('record decisions'))
    .command(text('agenda attendance', ['attendance']), reads(SHEET_READERS, 'see the attendance sheet'))
    .command(text('agenda [M-…]', ['show', 'decisions', 'changes']), board('read agenda packs'))
    .command(text('agenda …', ['unknown']), writes(EVERYONE, 'ask about agenda packs'))

    .verb('agendaCreate', onCreate(ctx, deps.boardName), officers('create agenda packs'))
    .verb('agendaFormRows', (data) => onMoreRows(data), officers('create agenda packs'))
    .verb('agendaUpdate', onUpdate(ctx, deps.boardName), officers('change agenda packs'))
    .verb('agendaEdit', onEdit(ctx), reads(OFFICERS, 'change agenda packs'))
    .verb('agendaDiscard', onDiscard(ctx), officers('discard agenda packs'))
    .verb('agendaPublish', onPublish(ctx), officers('publish agenda packs'))
    .verb('agendaShow', onShow(ctx), board('read agenda packs'))
    .verb('agendaItems', onItems(ctx), board('read agenda packs'))
    .verb('agendaAttend', onAnswer(ctx, 'Attending'), writes(BOARD_ROLES, 'answer attendance'))
    .verb('agendaApologies', onAnswer(ctx, 'Apologies'), writes(BOARD_ROLES, 'answer attendance'))
    .verb('agendaSubstitute', onAnswer(ctx, 'Substitute'), writes(BOARD_ROLES, 'answer attendance'))
    .verb('agendaSheet', onSheet(ctx), reads(SHEET_READERS, 'see the attendance sheet'))
    .verb('agendaSupplement', onSupplement(ctx), officers('publish supplementary papers'))
    .verb('agendaChanges', onChanges(ctx), board('compare versions of agenda packs'))
    .verb('agendaDecisionsForm', onDecisionsForm(ctx), reads(OFFICERS, 'record decisions'))
    .verb('agendaDecisions', onDecisions(ctx), officers('record decisions'))
    .dialog(AGENDA_NEW_DIALOG, newPackDialog(ctx, deps.boardName), officers('create agenda packs'));
  return ctx;
}
