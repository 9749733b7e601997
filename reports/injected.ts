import type { Exchange, ScenarioResult } from '../harness/result.js';

/**
 * What the target injected on purpose into an exchange (docs/faults.md), as every report says it:
 * `injected: 429 Retry-After 30`; undefined when nothing was.
 */
export function injectedText(exchange: Exchange | undefined): string | undefined {
  return exchange?.fault === undefined ? undefined : `injected: ${exchange.fault}`;
}

/** `injectedText` of the scenario's exchange `seq` (a check's or a cause's). */
export function injectedAt(scenario: ScenarioResult, seq: number | undefined): string | undefined {
  return seq === undefined ? undefined : injectedText(scenario.exchanges.find((e) => e.seq === seq));
}
