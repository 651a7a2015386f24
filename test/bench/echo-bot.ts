import { pathToFileURL } from 'node:url';
import restify from 'restify';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request as BotRequest,
  type TurnContext,
} from 'botbuilder';

/**
 * The baseline for the throughput figure: the smallest botbuilder bot there is. A CloudAdapter
 * behind restify (the same HTTP stack and body parsing as the Partnership Board bot, so the
 * comparison isolates what the bot does per turn), answering every message with one text
 * message, and every card button (`adaptiveCard/action`, in the mixed workload) with a one-line
 * message in the invoke response. Authentication is off, as in the bench's bot. Run alone it
 * listens on `HOST`:`PORT` (default 127.0.0.1, a free port) and prints `{"url": ...}` when ready.
 */

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (ctx, next) => {
      await ctx.sendActivity(MessageFactory.text(`Echo: ${ctx.activity.text ?? ''}`));
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    _ctx: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: `Echo: ${value.action.verb}` as never,
    };
  }
}

export async function startEchoBot(
  port = 0,
  host = '127.0.0.1',
): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
    } as ConfigurationBotFrameworkAuthenticationOptions),
  );
  adapter.onTurnError = async (ctx, error) => {
    console.error('turn failed', error);
    await ctx.sendActivity('The echo bot failed.');
  };
  const bot = new EchoBot();
  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    // restify's method is `string | undefined`; botbuilder declares it optional: the same request.
    await adapter.process(req as BotRequest, res, (ctx) => bot.run(ctx));
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { ok: true });
    next();
  });
  await new Promise<void>((resolve) => server.listen(port, host, () => resolve()));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const echo = await startEchoBot(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
  const stop = () => void echo.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: echo.url })}\n`);
}
