import { randomUUID } from 'node:crypto';
import restify from 'restify';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  JwtTokenValidation,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { BotAuthConfig } from './config.js';
import type { Logger } from './logger.js';

/**
 * The HTTP edge: restify with botbuilder's CloudAdapter. Transport only: it authenticates, parses,
 * refuses malformed requests with 4xx, and hands each activity to the bot. One error sink
 * (`onTurnError`) logs with a correlation id and tells the person plainly.
 */

interface HealthReport {
  ok: boolean;
  [key: string]: unknown;
}

export interface ServerDeps {
  auth: BotAuthConfig;
  logger: Logger;
  /** Runs one turn; the bot's `run`. */
  bot: { run(ctx: TurnContext): Promise<void> };
  health: () => Promise<HealthReport>;
  /** Extra routes (tab pages, exports) added by the composition root. */
  routes?: (server: restify.Server) => void;
  /** The adapter, when the composition root made it first (proactive sends use it too). */
  edge?: ReturnType<typeof createAdapter>;
}

export interface RunningServer {
  url: string;
  port: number;
  adapter: BoardAdapter;
  close(): Promise<void>;
}

type Identity = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/**
 * Outbound clients, made once per key rather than once per turn: building a ConnectorClient builds a
 * whole HTTP pipeline, which was most of what a turn allocated. Bounded, oldest out first; a client
 * whose creation failed is not kept.
 */
export class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly max = 64) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const made = make();
    made.catch(() => {
      if (this.entries.get(key) === made) this.entries.delete(key);
    });
    this.entries.set(key, made);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }
}

/** Who the outbound credentials are for: the bot's app id and the token's audience. */
function credentialKey(identity: ClaimsIdentity): string {
  const aud = identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? '';
  return `${JwtTokenValidation.getAppIdFromClaims(identity.claims) ?? ''}|${aud}`;
}

/** botbuilder's configuration-driven authentication, with one user-token client per app id. */
export class BoardAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly tokenClients = new ClientCache<UserTokenClient>();

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(credentialKey(identity), () => super.createUserTokenClient(identity));
  }
}

/** CloudAdapter with its turn pipeline reachable for an activity we have already authenticated. */
export class BoardAdapter extends CloudAdapter {
  private readonly connectors = new ClientCache<ConnectorClient>();

  runAuthenticated(identity: Identity, activity: Activity, logic: (ctx: TurnContext) => Promise<void>) {
    const factory = identity.connectorFactory;
    if (!factory) return this.processActivity(identity, activity, logic);
    const key = credentialKey(identity.claimsIdentity);
    const connectorFactory: ConnectorFactory = {
      create: (serviceUrl: string, audience?: string) =>
        this.connectors.get(`${key}|${audience ?? ''}|${serviceUrl}`, () =>
          factory.create(serviceUrl, audience),
        ),
    };
    return this.processActivity({ ...identity, connectorFactory }, activity, logic);
  }
}

export function createAdapter(
  auth: BotAuthConfig,
  logger: Logger,
): { adapter: BoardAdapter; authentication: BoardAuthentication } {
  const options: Record<string, string | boolean | undefined> = auth.enabled
    ? {
        MicrosoftAppId: auth.appId,
        MicrosoftAppPassword: auth.appPassword,
        MicrosoftAppType: auth.appType,
        MicrosoftAppTenantId: auth.tenantId,
      }
    : { MicrosoftAppId: '', MicrosoftAppPassword: '' };
  Object.assign(options, auth.overrides);
  const authentication = new BoardAuthentication(options as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new BoardAdapter(authentication);

  adapter.onTurnError = async (ctx, error) => {
    const ref = randomUUID().slice(0, 8);
    const a = ctx.activity;
    logger.error(
      {
        err: error,
        ref,
        activityId: a.id,
        activityType: a.type,
        name: a.name,
        conversationId: a.conversation?.id,
      },
      'turn failed',
    );
    // An error that says what the person can do (e.g. the list view threshold) is passed on as it is.
    const plain = (error as { userMessage?: unknown } | undefined)?.userMessage;
    const message =
      typeof plain === 'string'
        ? `${plain} (reference ${ref})`
        : `Sorry, something went wrong on my side (reference ${ref}). Nothing has been lost: please try again in a minute.`;
    try {
      if (a.type === ActivityTypes.Invoke) {
        // Each kind of invoke waits for its own answer shape; the wrong one shows as a broken dialog.
        await ctx.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: invokeErrorResponse(a.name, message),
        });
      } else if (a.type === ActivityTypes.Message) {
        await ctx.sendActivity(message);
      }
      // Any other activity (conversationUpdate, events) is answered 200 by the adapter, with nothing posted.
    } catch (sendError) {
      logger.error({ err: sendError, ref }, 'could not tell the user about the failed turn');
    }
  };
  return { adapter, authentication };
}

/**
 * What a failed invoke answers, in the shape its caller waits for, always with the person's message:
 * - `adaptiveCard/action` (Universal Actions): an Adaptive Card invoke response; the
 *   `application/vnd.microsoft.activity.message` type shows the text in place of the card's answer
 *   (learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model, "Response format").
 * - `task/fetch`, `task/submit` (dialogs): a task module response of type `message`, which Teams shows
 *   in the dialog (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/task-modules/task-modules-bots).
 * - `composeExtension/fetchTask` and `submitAction` (action commands): the same `task` message, which
 *   a message-extension action response may carry
 *   (…/messaging-extensions/how-to/action-commands/respond-to-task-module-submit);
 *   any other `composeExtension/*` (search, link unfurling): `composeExtension` of type `message`,
 *   "display a plain text message" (…/messaging-extensions/how-to/search-commands/respond-to-search).
 * - anything else (file consent, sign-in, configuration): 200 with no body. No Teams client shows a
 *   body for these, and most reach here from a malformed payload (a file consent with no value), which
 *   must not look like a server fault; the failure itself is logged above.
 */
export function invokeErrorResponse(
  name: string | undefined,
  message: string,
): { status: number; body?: unknown } {
  switch (name) {
    case 'adaptiveCard/action':
      return {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message },
      };
    case 'task/fetch':
    case 'task/submit':
    case 'composeExtension/fetchTask':
    case 'composeExtension/submitAction':
      return { status: 200, body: { task: { type: 'message', value: message } } };
  }
  if (name?.startsWith('composeExtension/'))
    return { status: 200, body: { composeExtension: { type: 'message', text: message } } };
  return { status: 200 };
}

function isActivity(body: unknown): body is Partial<Activity> & { type: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const a = body as Record<string, unknown>;
  const conversation = a.conversation as Record<string, unknown> | undefined;
  return (
    typeof a.type === 'string' &&
    a.type.length > 0 &&
    (a.conversation === undefined ||
      (typeof conversation === 'object' && conversation !== null && typeof conversation.id === 'string')) &&
    (a.serviceUrl === undefined || typeof a.serviceUrl === 'string')
  );
}

function withDates(activity: Partial<Activity>): Activity {
  const a = activity as Activity & Record<string, unknown>;
  for (const key of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const raw = a[key] as unknown;
    if (typeof raw === 'string') {
      const date = new Date(raw);
      (a as Record<string, unknown>)[key] = Number.isNaN(date.getTime()) ? undefined : date;
    }
  }
  return a;
}

export async function startServer(
  deps: ServerDeps,
  listen: { port: number; host: string },
): Promise<RunningServer> {
  const { logger } = deps;
  const { adapter, authentication } = deps.edge ?? createAdapter(deps.auth, logger);
  const server = restify.createServer({ name: 'partnership-board', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  let inFlight = 0;
  let closing = false;

  server.post('/api/messages', async (req, res) => {
    if (closing) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'shutting down' });
      return;
    }
    const body: unknown = req.body;
    if (!isActivity(body)) {
      res.send(400, {
        error: 'The request body must be a Bot Framework activity with a type and a conversation.',
      });
      return;
    }
    const activity = withDates(body);
    // We authenticate before the adapter does: its `process` answers 500 when a token cannot even
    // be checked (a forged one, or keys out of reach), and that is a 401.
    const header = req.header('authorization') ?? '';
    // botbuilder compares the token's `serviceurl` claim with the activity's only when the activity
    // names one: without this, any valid token would carry an activity that leaves it out.
    if (deps.auth.enabled && !activity.serviceUrl) {
      logger.warn('activity refused: no serviceUrl to check against the token');
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    let identity: Identity;
    try {
      identity = await authentication.authenticateRequest(activity, header);
    } catch (err) {
      logger.warn(
        { reason: err instanceof Error ? err.message : String(err) },
        'activity refused: not authenticated',
      );
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    inFlight++;
    try {
      const invokeResponse = await adapter.runAuthenticated(identity, activity, (ctx) => deps.bot.run(ctx));
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (err) {
      // Errors inside a turn go to onTurnError; what reaches here failed before the turn began.
      logger.error({ err }, 'activity could not be processed');
      if (!res.headersSent) res.send(500, { error: 'The activity could not be processed.' });
    } finally {
      inFlight--;
    }
  });

  server.get('/healthz', async (_req, res) => {
    try {
      const report = await deps.health();
      res.send(report.ok ? 200 : 503, report);
    } catch (err) {
      res.send(503, { ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });

  deps.routes?.(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host;

  return {
    url: `http://${host}:${port}`,
    port,
    adapter,
    async close() {
      closing = true;
      // Let turns in progress finish (bounded) so nobody's change is cut off half-way.
      const deadline = Date.now() + 10_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
