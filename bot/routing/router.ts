import { VERBS, verbByName, type VerbData, type VerbKey } from '../../cards/verbs.js';
import { FeatureError, toldBy, type ErrorSink } from './errors.js';
import { refusal, EVERYONE } from './roles.js';
import type {
  CommandDef,
  DialogHandlers,
  DialogOutcome,
  MessageActionHandlers,
  Role,
  Turn,
  VerbOutcome,
} from './types.js';

/**
 * Routes per activity family, as plain TypeScript: text commands, card verbs, dialogs and message
 * actions. Features register here (bot/features/<name>/index.ts); the edge only translates activities.
 * Every entry names the roles it allows, and the router refuses anyone else before a handler runs.
 * A handler that throws is caught here, once: the error sink logs it and the person is told the
 * error's own message (FeatureError) or the route's `fails` message; with neither, it goes on to the
 * edge's turn error handler.
 */

export interface RouteOptions {
  /** Who may use it (everyone when left out); anyone else is told who can. */
  allow?: readonly Role[];
  /** What it does, for the refusal: "Only officers can <what>." */
  what?: string;
  /** What the person is told when the handler throws (the lists are down). */
  fails?: string;
}

type Guarded<T> = T & { allow: readonly Role[]; what: string; fails?: string };

/** The routing fields of an entry. */
function guarded(
  options: RouteOptions,
  what: string,
): { allow: readonly Role[]; what: string; fails?: string } {
  return {
    allow: options.allow ?? EVERYONE,
    what: options.what ?? what,
    ...(options.fails !== undefined ? { fails: options.fails } : {}),
  };
}

/**
 * A command for some kinds of a feature's intent: the feature's one reader decides, and the command
 * matches only its own kinds, so each can be guarded with its own roles.
 */
export function intentCommand<I extends { kind: string }, K extends I['kind']>(
  name: string,
  read: (text: string) => I | undefined,
  kinds: readonly K[],
  handle: (turn: Turn, intent: Extract<I, { kind: K }>) => Promise<void>,
): CommandDef<Extract<I, { kind: K }>> {
  return {
    name,
    match: (text) => {
      const intent = read(text);
      return intent && (kinds as readonly string[]).includes(intent.kind)
        ? (intent as Extract<I, { kind: K }>)
        : undefined;
    },
    handle,
  };
}

export type VerbHandler<K extends VerbKey> = (data: VerbData<K>, turn: Turn) => Promise<VerbOutcome>;

export class Router {
  private readonly commands: Guarded<CommandDef>[] = [];
  private sink: ErrorSink = () => undefined;
  private readonly verbRoutes = new Map<
    string,
    Guarded<{ handle: (data: unknown, turn: Turn) => Promise<VerbOutcome> }>
  >();
  private readonly dialogs = new Map<string, Guarded<DialogHandlers>>();
  private readonly messageActions = new Map<string, Guarded<MessageActionHandlers>>();
  private unknownText: (turn: Turn) => Promise<void> = async (turn) => {
    await turn.reply({ text: 'Sorry, I didn\'t understand that. Type "help" to see what I can do.' });
  };

  /** The one place a failed route is reported (bolt's `app.error`): the composition root logs here. */
  onError(sink: ErrorSink): this {
    this.sink = sink;
    return this;
  }

  command<I>(def: CommandDef<I>, options: RouteOptions = {}): this {
    this.commands.push({ ...(def as CommandDef), ...guarded(options, `use "${def.name}"`) });
    return this;
  }

  verb<K extends VerbKey>(key: K, handle: VerbHandler<K>, options: RouteOptions = {}): this {
    const name = VERBS[key].name;
    if (this.verbRoutes.has(name)) throw new Error(`Card verb ${name} has two handlers`);
    this.verbRoutes.set(name, {
      handle: (data, turn) => handle(data as VerbData<K>, turn),
      ...guarded(options, VERBS[key].description.toLowerCase()),
    });
    return this;
  }

  /** Several card verbs with the same roles. */
  verbs(handlers: { [K in VerbKey]?: VerbHandler<K> }, options: RouteOptions = {}): this {
    for (const key of Object.keys(handlers) as VerbKey[]) this.verb(key, handlers[key] as never, options);
    return this;
  }

  dialog(name: string, handlers: DialogHandlers, options: RouteOptions = {}): this {
    this.dialogs.set(name, { ...handlers, ...guarded(options, `open ${name}`) });
    return this;
  }

  messageAction(commandId: string, handlers: MessageActionHandlers, options: RouteOptions = {}): this {
    this.messageActions.set(commandId, { ...handlers, ...guarded(options, `use ${commandId}`) });
    return this;
  }

  /**
   * Runs a handler; a failure is reported to the sink and the person is told what it means, or, when
   * neither the error nor the route says, it goes on to the edge.
   */
  private async attempt<T>(
    route: { what: string; fails?: string },
    turn: Turn,
    work: () => Promise<T>,
    told: (message: string) => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const message = toldBy(err) ?? route.fails;
      if (message === undefined) throw err;
      this.sink(err, { route: route.what, code: err instanceof FeatureError ? err.code : 'failed', turn });
      return told(message);
    }
  }

  onUnknownText(handler: (turn: Turn) => Promise<void>): this {
    this.unknownText = handler;
    return this;
  }

  /** Registered verb names, for the test that checks every declared verb has a handler. */
  verbNames(): string[] {
    return [...this.verbRoutes.keys()];
  }

  commandNames(): string[] {
    return this.commands.map((c) => c.name);
  }

  /** True when anyone may press this verb (help): it needs no board, so the edge need not ask which. */
  verbOpenToAll(verbName: unknown): boolean {
    const def = typeof verbName === 'string' ? verbByName(verbName) : undefined;
    const entry = def ? this.verbRoutes.get(def.name) : undefined;
    return entry?.allow.includes('stranger') ?? false;
  }

  /**
   * True when this text is a command only a board's members may use: it works on one board, so in
   * a personal chat across several the edge asks which. Help, and what anyone may ask, need none.
   */
  textNeedsBoard(text: string): boolean {
    const command = this.commands.find((c) => c.match(text) !== undefined);
    return command !== undefined && !command.allow.includes('stranger');
  }

  async handleText(turn: Turn): Promise<void> {
    for (const cmd of this.commands) {
      const intent = cmd.match(turn.text);
      if (intent === undefined) continue;
      if (!cmd.allow.includes(turn.actor.role)) {
        await turn.reply({ text: refusedTo(turn, cmd.allow, cmd.what) });
        return;
      }
      await this.attempt(
        cmd,
        turn,
        () => cmd.handle(turn, intent),
        async (message) => void (await turn.reply({ text: message })),
      );
      return;
    }
    await this.unknownText(turn);
  }

  async handleVerb(verbName: unknown, rawData: unknown, turn: Turn): Promise<VerbOutcome> {
    const def = typeof verbName === 'string' ? verbByName(verbName) : undefined;
    const entry = def ? this.verbRoutes.get(def.name) : undefined;
    if (!def || !entry) {
      return {
        kind: 'message',
        message:
          'That button is from an older version of this card and no longer does anything. Type "help" for a fresh one.',
      };
    }
    if (!entry.allow.includes(turn.actor.role))
      return { kind: 'refused', message: refusedTo(turn, entry.allow, entry.what) };
    const parsed = def.data.safeParse(stripCardNoise(rawData));
    if (!parsed.success) {
      return {
        kind: 'message',
        message:
          'That card sent something I could not read, so nothing was changed. Please try again from a fresh card.',
      };
    }
    return this.attempt(entry, turn, () => entry.handle(parsed.data, turn), told);
  }

  async handleDialog(
    phase: 'fetch' | 'submit',
    name: unknown,
    data: Record<string, unknown>,
    turn: Turn,
  ): Promise<DialogOutcome> {
    const entry = typeof name === 'string' ? this.dialogs.get(name) : undefined;
    if (!entry)
      return { kind: 'message', message: 'That form is not available any more. Type "help" to start again.' };
    if (!entry.allow.includes(turn.actor.role))
      return { kind: 'message', message: refusedTo(turn, entry.allow, entry.what) };
    return this.attempt(entry, turn, () => entry[phase](data, turn), told);
  }

  async handleMessageAction(
    phase: 'fetch' | 'submit',
    commandId: unknown,
    payload: Parameters<MessageActionHandlers['fetch']>[0] | Record<string, unknown>,
    turn: Turn,
  ): Promise<DialogOutcome> {
    const entry = typeof commandId === 'string' ? this.messageActions.get(commandId) : undefined;
    if (!entry)
      return {
        kind: 'message',
        message: 'I don\'t know that message action. Type "help" to see what I can do.',
      };
    if (!entry.allow.includes(turn.actor.role))
      return { kind: 'message', message: refusedTo(turn, entry.allow, entry.what) };
    return this.attempt(
      entry,
      turn,
      () =>
        phase === 'fetch'
          ? entry.fetch(payload as Parameters<MessageActionHandlers['fetch']>[0], turn)
          : entry.submit(payload as Record<string, unknown>, turn),
      told,
    );
  }
}

/** The refusal, and for a stranger why they are one ("You are not a member of the … team"). */
function refusedTo(turn: Turn, allow: readonly Role[], what: string): string {
  const text = refusal(allow, what);
  return turn.actor.role === 'stranger' && turn.why ? `${text} ${turn.why}` : text;
}

/** A failure told in a card's or dialog's answer. */
const told = async (message: string) => ({ kind: 'message' as const, message });

/** Card payloads may carry our `verb` (Action.Submit fallback) and Teams' `msteams` block: not data. */
function stripCardNoise(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw ?? {};
  const { verb: _verb, msteams: _msteams, ...rest } = raw as Record<string, unknown>;
  return rest;
}
