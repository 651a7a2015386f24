/**
 * Posting an activity to a running bot's /api/messages as the Teams service would (the bot's
 * inbound auth is off in tests and the bench), over fetch's keep-alive connections. Shared by the
 * faults workload (test/support/faults-workload.ts) and the bench (test/bench/lib/bot-client.ts).
 */

export interface BotAnswer {
  status: number;
  /** The body parsed as JSON (an invoke's response); the text itself if it is not JSON; undefined if empty. */
  body: unknown;
  text: string;
}

export async function postActivity(botUrl: string, activity: unknown): Promise<BotAnswer> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body, text };
}
