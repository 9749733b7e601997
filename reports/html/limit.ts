/**
 * The most items of one kind (requests, IdP records, clock entries) a scenario shows in full, and
 * the most notable ones shown beyond: a 10,000-user cycle records 20,000 requests and 10,000 log
 * records, a page no browser would open. The JSON report keeps every one.
 */
export const SHOWN_PER_SCENARIO = 300;

/** The first SHOWN_PER_SCENARIO items, then up to as many of the rest that `notable` picks, in order. */
export function shownItems<T>(items: readonly T[], notable: (item: T) => boolean): readonly T[] {
  if (items.length <= SHOWN_PER_SCENARIO) return items;
  return [...items.slice(0, SHOWN_PER_SCENARIO), ...items.slice(SHOWN_PER_SCENARIO).filter(notable).slice(0, SHOWN_PER_SCENARIO)];
}

/** The note above a shortened list, or nothing when every item is shown. */
export function shownNote(shown: number, total: number, what: string, rest: string): string {
  if (shown === total) return '';
  return `<p class="note">Showing ${shown} of ${total} ${what}: the first ${SHOWN_PER_SCENARIO}${rest}. The JSON report (<code>--reporter json</code>) has every one.</p>`;
}
