import { httpRequest, type Answer } from './http.js';

/**
 * Activities posted to the bot as Teams would post them. `postActivity` (shared with the tests'
 * faults workload) goes over fetch's keep-alive connections; `postOnce` sends an activity's JSON
 * on a fresh connection with a time limit, as the mixed-workload suites' seeding and their one turn
 * of each kind do.
 */

export { postActivity, type BotAnswer } from '../../support/bot-client.js';

export function postOnce(botUrl: string, body: string, timeoutMs = 30_000): Promise<Answer> {
  return httpRequest(`${botUrl}/api/messages`, { method: 'POST', body, timeoutMs });
}
