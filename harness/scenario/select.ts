import type { Scenario } from '../types.js';

export interface Selection {
  /** Text in the id or the title, ignoring case. */
  grep?: string;
  /** Scenarios with any of these tags. */
  tags?: string[];
  /** Leaves out scenarios with any of these tags (`strict`: what the RFC only recommends). */
  excludeTags?: string[];
}

/** The scenarios `--grep`, `--tag` and `--exclude-tag` select, in their order; no criteria selects all. */
export function selectScenarios(scenarios: Scenario[], { grep, tags, excludeTags }: Selection): Scenario[] {
  const text = grep?.toLowerCase();
  return scenarios.filter(
    (s) =>
      (!text || s.id.toLowerCase().includes(text) || s.title.toLowerCase().includes(text)) &&
      (!tags || tags.length === 0 || s.tags.some((tag) => tags.includes(tag))) &&
      !(excludeTags ?? []).some((tag) => s.tags.includes(tag)),
  );
}
