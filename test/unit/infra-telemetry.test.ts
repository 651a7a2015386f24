import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  onTelemetryEvent,
  startTelemetry,
  TELEMETRY_EVENTS,
  trackEvent,
  type TelemetryListener,
} from '../../bot/telemetry.js';
import { loadConfig } from '../../bot/config.js';

/**
 * Telemetry is off unless APPLICATIONINSIGHTS_CONNECTION_STRING is set, and then costs nothing:
 * OpenTelemetry is only ever imported dynamically, once it is switched on. (What it sends when on
 * was checked against a stand-in ingestion endpoint: requests, Graph and Bot Connector
 * dependencies, custom events.)
 */

describe('telemetry', () => {
  it('is off without a connection string, and tracking is then a no-op', async () => {
    for (const env of [{}, { APPLICATIONINSIGHTS_CONNECTION_STRING: '   ' }]) {
      const telemetry = await startTelemetry(loadConfig(env).telemetry);
      expect(telemetry.enabled).toBe(false);
      expect(() => trackEvent(TELEMETRY_EVENTS.actionLogged, { ref: 'A-0042', owners: 2 })).not.toThrow();
      await expect(telemetry.shutdown()).resolves.toBeUndefined();
    }
  });

  it('reads the connection string App Service and the Bicep set', () => {
    expect(
      loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: ' InstrumentationKey=x ' }).telemetry
        .connectionString,
    ).toBe('InstrumentationKey=x');
    expect(loadConfig({}).telemetry.connectionString).toBeUndefined();
  });

  it('imports OpenTelemetry only when it is switched on', () => {
    const source = readFileSync(new URL('../../bot/telemetry.ts', import.meta.url), 'utf8');
    const staticImports = source.match(/^import\s+(?!type\b)[^;]*;/gm) ?? [];
    expect(staticImports.filter((i) => /@azure|@opentelemetry/.test(i))).toEqual([]);
    expect(source).toMatch(/await Promise\.all\(\[\s*import\('@azure\/monitor-opentelemetry'\)/);
  });

  it('names its custom events once, distinctly', () => {
    const names = Object.values(TELEMETRY_EVENTS);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it('tells listeners of each event, without undefined properties, until they unsubscribe', () => {
    const heard: [string, Record<string, unknown>][] = [];
    const stop = onTelemetryEvent((name, props) => heard.push([name, props]));
    trackEvent(TELEMETRY_EVENTS.packSent, { meetingRef: 'M-0001', version: 1, note: undefined });
    trackEvent(TELEMETRY_EVENTS.actionLogged);
    stop();
    trackEvent(TELEMETRY_EVENTS.actionUpdated, { ref: 'A-0042' });
    stop();
    expect(heard).toEqual([
      ['AgendaPackSent', { meetingRef: 'M-0001', version: 1 }],
      ['ActionLogged', {}],
    ]);
    expect(Object.keys(heard[0]![1])).not.toContain('note');
  });

  it('keeps each subscription apart: the same listener twice hears twice, and one unsubscribe leaves the other', () => {
    let calls = 0;
    const listener: TelemetryListener = () => calls++;
    const first = onTelemetryEvent(listener);
    const second = onTelemetryEvent(listener);
    trackEvent(TELEMETRY_EVENTS.actionLogged, { count: 1 });
    first();
    trackEvent(TELEMETRY_EVENTS.actionLogged, { count: 1 });
    second();
    trackEvent(TELEMETRY_EVENTS.actionLogged, { count: 1 });
    expect(calls).toBe(3);
  });

  it('never throws for a listener that does, and the others still hear; each has its own copy', () => {
    const heard: Record<string, unknown>[] = [];
    const stops = [
      onTelemetryEvent((_name, props) => {
        props.ref = 'changed';
        throw new Error('a broken sink');
      }),
      onTelemetryEvent((_name, props) => heard.push(props)),
    ];
    expect(() => trackEvent(TELEMETRY_EVENTS.actionUpdated, { ref: 'A-0042' })).not.toThrow();
    stops.forEach((stop) => stop());
    expect(heard).toEqual([{ ref: 'A-0042' }]);
  });
});
