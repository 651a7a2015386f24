import type { Logger } from '../../logger.js';
import type { Clock } from '../../messaging/clock.js';
import type { Messaging } from '../../messaging/index.js';
import { BOARD_ROLES } from '../../routing/roles.js';
import type { Router } from '../../routing/router.js';
import type { CommandDef, Role, Turn, VerbOutcome } from '../../routing/types.js';
import type { ConsultationFields, FeedbackFields, ListRepository } from '../../sharepoint/index.js';
import { CONSULT_USAGE, readConsultIntent, type ConsultIntent } from './commands.js';
import { ConsultHandlers, LISTS_DOWN } from './handlers.js';
import { ConsultationService } from './service.js';
import type { Consultation } from './model.js';
import { ConsultationStore } from './store.js';

/**
 * Consultations on draft strategies, registered on the router with their role guards: officers
 * open them and follow them up (remind, send invitations again, respond, close, export, "you said,
 * we did"); officers and chairs see who has answered; partners answer. Everything a handler could
 * not do because the lists are down ends in a clear message, never a silent failure.
 */

export { ConsultationService } from './service.js';
export { ConsultationStore } from './store.js';
export { registerExportRoute } from './export.js';

const OFFICERS: readonly Role[] = ['officer'];
const FOLLOWERS: readonly Role[] = ['officer', 'chair'];

export interface RegisterConsultationsDeps {
  consultations: ListRepository<ConsultationFields>;
  feedback: ListRepository<FeedbackFields>;
  messaging?: {
    fanOut: Messaging['fanOut'];
    resumePending: Messaging['resumePending'];
    deliveries: Pick<Messaging['deliveries'], 'forCampaign' | 'apply'>;
    messenger: Pick<Messaging['messenger'], 'update' | 'deliver'>;
  };
  clock?: Clock;
  secret: string;
  officers: readonly string[];
  baseUrl: () => string;
  logger: Logger;
}

export interface ConsultationsFeature {
  service: ConsultationService;
  handlers: ConsultHandlers;
}

function command(
  name: string,
  kinds: readonly ConsultIntent['kind'][],
  handle: (turn: Turn, intent: ConsultIntent) => Promise<void>,
): CommandDef {
  return {
    name,
    match: (text) => {
      const intent = readConsultIntent(text);
      return intent && kinds.includes(intent.kind) ? { kind: intent.kind } : undefined;
    },
    handle: async (turn) => {
      const intent = readConsultIntent(turn.text);
      if (intent) await handle(turn, intent);
    },
  };
}

/** Runs a handler; when the lists fail, the person is told plainly and nothing is claimed. */
async function safely<T>(logger: Logger, what: string, work: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    logger.error({ err }, `${what} failed`);
    return fallback;
  }
}

export function registerConsultations(router: Router, deps: RegisterConsultationsDeps): ConsultationsFeature {
  const logger = deps.logger.child({ feature: 'consultations' });
  const store = new ConsultationStore(deps.consultations, deps.feedback);
  const service = new ConsultationService({
    store,
    ...(deps.messaging ? { messaging: deps.messaging } : {}),
    clock: deps.clock ?? (() => new Date()),
    secret: deps.secret,
    logger,
  });
  const messenger = deps.messaging?.messenger;
  const h = new ConsultHandlers({
    service,
    logger,
    officers: deps.officers.map((o) => o.toLowerCase()),
    baseUrl: deps.baseUrl,
    ...(messenger ? { deliver: (recipient, message) => messenger.deliver(recipient, message) } : {}),
  });
  const down: VerbOutcome = { kind: 'message', message: LISTS_DOWN };
  const verb = (what: string, work: () => Promise<VerbOutcome>) => safely(logger, what, work, down);
  const text = async (turn: Turn, what: string, work: () => Promise<void>) => {
    const ok = await safely(logger, what, async () => (await work(), true), false);
    if (!ok) await turn.reply({ text: LISTS_DOWN });
  };

  /** A command about one consultation: find it (by reference, else the newest), then act. */
  const about =
    (act: (turn: Turn, c: Consultation) => Promise<void>) =>
    async (turn: Turn, intent: ConsultIntent): Promise<void> => {
      const ref = 'ref' in intent ? intent.ref : undefined;
      await text(turn, `consult ${intent.kind}`, async () => {
        const found = await h.find(ref, intent.kind === 'remind' || intent.kind === 'close' ? 'open' : 'any');
        if ('message' in found) await turn.reply({ text: found.message });
        else await act(turn, found.consultation);
      });
    };

  router
    .command(
      command('consult new', ['new'], async (turn) => void (await turn.reply(h.newForm(turn)))),
      { allow: OFFICERS, what: 'open a consultation' },
    )
    .command(
      command(
        'consult status',
        ['status'],
        about(async (turn, c) => {
          const card = await h.statusCardFor(c, turn);
          const said = await h.privately(turn, { card }, `the status of ${c.ref}`);
          if (said) await turn.reply({ text: said });
        }),
      ),
      { allow: FOLLOWERS, what: 'see who has answered a consultation' },
    )
    .command(
      command(
        'consult remind',
        ['remind'],
        about(async (turn, c) => {
          await turn.reply({ text: await h.remind(c) });
        }),
      ),
      { allow: OFFICERS, what: 'remind partners about a consultation' },
    )
    .command(
      command(
        'consult close',
        ['close'],
        about(async (turn, c) => {
          await turn.reply({ text: (await h.close(c)).message });
        }),
      ),
      { allow: OFFICERS, what: 'close a consultation' },
    )
    .command(
      command(
        'consult export',
        ['export'],
        about(async (turn, c) => {
          const said = await h.exportOutcome(c, turn);
          if (said) await turn.reply({ text: said });
        }),
      ),
      { allow: OFFICERS, what: 'export the feedback of a consultation' },
    )
    .command(
      command(
        'consult you said we did',
        ['weDid'],
        about(async (turn, c) => {
          const outcome = await h.weDidForm(c);
          await turn.reply(outcome.kind === 'card' ? { card: outcome.card } : { text: outcome.message });
        }),
      ),
      { allow: OFFICERS, what: 'record what changed after a consultation' },
    )
    .command(
      command('consult', ['show'], async (turn, intent) =>
        text(
          turn,
          'consult',
          async () =>
            void (await turn.reply(await h.show(intent.kind === 'show' ? intent.ref : undefined, turn))),
        ),
      ),
      { allow: BOARD_ROLES, what: 'see consultations' },
    )
    .command(
      command(
        'consult …',
        ['unknown'],
        async (turn) => void (await turn.reply({ text: `I didn't recognise that. ${CONSULT_USAGE}` })),
      ),
    )

    .verb('consultOpen', (data, turn) => verb('opening a consultation', () => h.open(data, turn)), {
      allow: OFFICERS,
      what: 'open a consultation',
    })
    .verb(
      'consultAnswer',
      ({ ref }, turn) => verb('showing the answer form', () => h.answerForm(ref, turn)),
      {
        allow: BOARD_ROLES,
        what: 'answer consultations',
      },
    )
    .verb('consultSave', (data, turn) => verb('saving answers', () => h.saveAnswers(data, turn, false)), {
      allow: BOARD_ROLES,
      what: 'answer consultations',
    })
    .verb(
      'consultSubmit',
      (data, turn) => verb('submitting answers', () => h.saveAnswers(data, turn, true)),
      {
        allow: BOARD_ROLES,
        what: 'answer consultations',
      },
    )
    .verb(
      'consultRefresh',
      ({ ref, view }, turn) => verb('refreshing a consultation card', () => h.refresh(ref, view, turn)),
      {
        allow: BOARD_ROLES,
        what: 'see consultations',
      },
    )
    .verb('consultStatus', ({ ref }, turn) => verb('showing a status', () => h.statusOutcome(ref, turn)), {
      allow: FOLLOWERS,
      what: 'see who has answered a consultation',
    })
    .verb(
      'consultRemind',
      ({ ref }, turn) =>
        verb('reminding', async () => {
          const c = await store.get(ref);
          if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
          return h.statusOutcome(ref, turn, await h.remind(c));
        }),
      { allow: OFFICERS, what: 'remind partners about a consultation' },
    )
    .verb('consultResend', ({ ref }, turn) => verb('sending invitations again', () => h.resend(ref, turn)), {
      allow: OFFICERS,
      what: 'send consultation invitations again',
    })
    .verb(
      'consultRespond',
      (data, turn) => {
        const typed = data.slot ? (data as Record<string, unknown>)[`reply${data.slot}`] : data.response;
        return verb('responding', () =>
          h.respond(data.ref, data.item, typeof typed === 'string' ? typed : undefined, turn),
        );
      },
      {
        allow: OFFICERS,
        what: 'give an initial response to feedback',
      },
    )
    .verb(
      'consultClose',
      ({ ref }, turn) =>
        verb('closing', async () => {
          const c = await store.get(ref);
          if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
          const closed = await h.close(c);
          return h.statusOutcome(ref, turn, closed.message);
        }),
      { allow: OFFICERS, what: 'close a consultation' },
    )
    .verb(
      'consultExport',
      ({ ref }, turn) =>
        verb('exporting', async () => {
          const c = await store.get(ref);
          if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
          const rows = (await store.feedbackFor(c.ref)).length;
          if (turn.where.type === 'personal') return { kind: 'card', card: h.exportMessage(c, rows).card! };
          return { kind: 'message', message: (await h.exportOutcome(c, turn)) ?? '' };
        }),
      { allow: OFFICERS, what: 'export the feedback of a consultation' },
    )
    .verb(
      'consultWeDid',
      ({ ref }, _turn) =>
        verb('showing you said, we did', async () => {
          const c = await store.get(ref);
          return c ? h.weDidForm(c) : { kind: 'message', message: `Consultation ${ref} no longer exists.` };
        }),
      { allow: OFFICERS, what: 'record what changed after a consultation' },
    )
    .verb(
      'consultWeDidSave',
      (data, turn) => verb('saving you said, we did', () => h.weDidSave(data, turn)),
      {
        allow: OFFICERS,
        what: 'record what changed after a consultation',
      },
    );

  return { service, handlers: h };
}

/**
 * How the composition root wires the feature. The messaging layer and the server's address exist
 * only after the router is built, so they are asked for when first needed; `feature` is filled in
 * by `wireConsultations` for the export route and the scheduler's deadline check.
 */
export interface ConsultationsWiring {
  messaging?: () => Messaging | undefined;
  clock?: Clock;
  /** The bot's own address once it listens (export links fall back to it). */
  listeningUrl?: () => string | undefined;
  feature?: ConsultationsFeature;
}

function late(get: () => Messaging | undefined): NonNullable<RegisterConsultationsDeps['messaging']> {
  const need = (): Messaging => {
    const m = get();
    if (!m) throw new Error('The messaging layer is not ready yet');
    return m;
  };
  return {
    fanOut: (request) => need().fanOut(request),
    resumePending: (options) => need().resumePending(options),
    deliveries: {
      forCampaign: (campaign) => need().deliveries.forCampaign(campaign),
      apply: (delivery, event, options) => need().deliveries.apply(delivery, event, options),
    },
    messenger: {
      update: (conversationId, activityId, message, signal) =>
        need().messenger.update(conversationId, activityId, message, signal),
      deliver: (recipient, message, signal) => need().messenger.deliver(recipient, message, signal),
    },
  };
}

export function wireConsultations(
  router: Router,
  config: {
    consultations: { secret: string; publicBaseUrl?: string };
    roles: { officers: string[] };
    port: number;
  },
  repos: { Consultations: ListRepository<ConsultationFields>; Feedback: ListRepository<FeedbackFields> },
  logger: Logger,
  wiring: ConsultationsWiring,
): ConsultationsFeature {
  const feature = registerConsultations(router, {
    consultations: repos.Consultations,
    feedback: repos.Feedback,
    ...(wiring.messaging ? { messaging: late(wiring.messaging) } : {}),
    ...(wiring.clock ? { clock: wiring.clock } : {}),
    secret: config.consultations.secret,
    officers: config.roles.officers,
    baseUrl: () =>
      config.consultations.publicBaseUrl ?? wiring.listeningUrl?.() ?? `http://127.0.0.1:${config.port}`,
    logger,
  });
  wiring.feature = feature;
  return feature;
}
