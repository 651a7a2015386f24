import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { TelemetryConfig } from './config.js';
import type { Logger } from './logger.js';

/**
 * Telemetry to Application Insights through `@azure/monitor-opentelemetry`, on exactly when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set: incoming requests and outgoing HTTP (Bot Connector,
 * Entra tokens) from the distro's http instrumentation, Graph calls from the undici instrumentation
 * (the Graph client uses Node's fetch, which the http one does not see), and custom events that
 * features send with `trackEvent`. Nothing of OpenTelemetry is imported until it is switched on,
 * so with no connection string it costs nothing, in memory or at start-up.
 */

/**
 * Custom event names, declared once, so a dashboard's queries and the features agree. Properties are
 * references, counts and settings, never people's names or what they wrote:
 * - ActionLogged: one per action logged from chat or a message (`source` "chat" | "messageAction",
 *   `ref`, `count` 1, `owners`, `tentative`), and one per import of minutes (`source` "import",
 *   `count` created, `already`, `failed`, `owners` over them all, `unowned`, `tentative` how many).
 * - ActionUpdated: a change that wrote something (`ref`, `change` "done" | "note" | …, `status`,
 *   `previousStatus`), from chat, a card or the tab.
 * - AgendaPackSent: the pack posted where it was published (`to` "channel", `cards` its summary and
 *   item cards, `partners` invited), its personal copies (`to` "partners", `partners` sent now), or a
 *   supplement's notice (`kind` "supplement", `supplement` n); each with `meetingRef` and `version`.
 * - ConsultationOpened: `consultationRef`, `invited`, `questions`, `themes`, `anonymity`, `countPer`.
 * - ConsultationClosed: `consultationRef`, `by` "officer" | "deadline", `invited`, `answered`, `drafts`.
 * Each is sent once per thing that happened: a repeated delivery or click that wrote or sent nothing
 * new, a refusal and a failure send none.
 */
export const TELEMETRY_EVENTS = {
  actionLogged: 'ActionLogged',
  actionUpdated: 'ActionUpdated',
  packSent: 'AgendaPackSent',
  consultationOpened: 'ConsultationOpened',
  consultationClosed: 'ConsultationClosed',
} as const;

export type TelemetryEventName = (typeof TELEMETRY_EVENTS)[keyof typeof TELEMETRY_EVENTS];

export type EventProperties = Record<string, string | number | boolean | undefined>;

/** Hears every custom event as it is tracked (tests; a local debug sink), with undefined left out. */
export type TelemetryListener = (
  name: TelemetryEventName,
  props: Record<string, string | number | boolean>,
) => void;

export interface Telemetry {
  enabled: boolean;
  /** Sends what is buffered; call before the process exits. */
  shutdown(): Promise<void>;
}

/** Application Insights maps log records with this attribute to customEvents. */
const CUSTOM_EVENT_ATTRIBUTE = 'microsoft.custom_event.name';
const SERVICE_NAME = 'partnership-board';
const SHUTDOWN_BUDGET_MS = 5_000;

let emit: ((name: string, props: Record<string, string | number | boolean>) => void) | undefined;
let running: Telemetry | undefined;
/** Each subscription its own entry, so the same function subscribed twice is unsubscribed once. */
const listeners = new Set<{ listener: TelemetryListener }>();

const OFF: Telemetry = { enabled: false, shutdown: async () => undefined };

/**
 * Starts telemetry when a connection string is configured; once per process. OpenTelemetry reads the
 * role name (`settings.serviceName`) from `OTEL_SERVICE_NAME` in the environment, which the bot's
 * entry point sets from the configuration.
 */
export async function startTelemetry(settings: TelemetryConfig, logger?: Logger): Promise<Telemetry> {
  const { connectionString } = settings;
  if (!connectionString) return OFF;
  if (running) return running;

  const [distro, instrumentation, undici, logsApi] = await Promise.all([
    import('@azure/monitor-opentelemetry'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/api-logs'),
  ]);
  distro.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    instrumentationOptions: {
      http: { enabled: true },
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
  });
  instrumentation.registerInstrumentations({ instrumentations: [new undici.UndiciInstrumentation()] });
  patchLoadedHttp();

  const events = logsApi.logs.getLogger(SERVICE_NAME);
  emit = (name, props) => {
    events.emit({ body: name, attributes: { ...props, [CUSTOM_EVENT_ATTRIBUTE]: name } });
  };
  running = {
    enabled: true,
    async shutdown() {
      emit = undefined;
      running = undefined;
      // A last flush that fails (ingestion unreachable) or hangs must not stop a clean exit.
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          distro.shutdownAzureMonitor(),
          new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_BUDGET_MS))),
        ]);
      } catch (err) {
        logger?.warn({ err }, 'telemetry could not send its last batch');
      } finally {
        clearTimeout(timer);
      }
    },
  };
  logger?.info('telemetry on: Application Insights');
  return running;
}

/**
 * The http instrumentation patches `http`/`https` when they are next `require`d, but the server and
 * its clients loaded them long before telemetry starts (as it must: lazily, after config). Asking
 * for them once more applies the patch, and syncing the ES module bindings lets `import * as http`
 * callers see it too.
 */
function patchLoadedHttp(): void {
  const require = createRequire(import.meta.url);
  require('http');
  require('https');
  syncBuiltinESMExports();
}

/**
 * A custom event ("ActionLogged", "AgendaPackSent" …) with a few plain properties: references and
 * counts, never people's words or names. A no-op while telemetry is off and nobody listens, and it
 * never throws.
 */
export function trackEvent(name: TelemetryEventName, props: EventProperties = {}): void {
  if (!emit && listeners.size === 0) return;
  const defined: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(props)) if (value !== undefined) defined[key] = value;
  try {
    emit?.(name, defined);
  } catch {
    // Telemetry must never break a turn.
  }
  for (const { listener } of listeners) {
    try {
      listener(name, { ...defined });
    } catch {
      // Nor must a listener.
    }
  }
}

/**
 * Listens to every custom event tracked from now on, whether or not telemetry is on; returns the
 * unsubscribe. Tests use it to see what Application Insights would be sent.
 */
export function onTelemetryEvent(listener: TelemetryListener): () => void {
  const entry = { listener };
  listeners.add(entry);
  return () => void listeners.delete(entry);
}
