/*
 * The settings tables of docs/okta.md and docs/entra.md, written from the IdP descriptions' settings
 * (settings-table.ts) by `npm run schema`: a test fails while a committed table differs.
 */
import type { Field, IdpDescription } from '../scenario/idp-description.js';

export const SETTINGS_BEGIN = '<!-- settings:begin -->';
export const SETTINGS_END = '<!-- settings:end -->';

/**
 * The Markdown table of these settings: setting | default | meaning, a row each; settings that go
 * together (`escrowThresholds`) get a row, then one per member (`escrowThresholds.minimum`).
 */
export function settingsMarkdown(settings: Readonly<Record<string, Field>>): string {
  return ['| setting | default | meaning |', '|---|---|---|', ...rows(settings, '')].join('\n') + '\n';
}

function rows(settings: Readonly<Record<string, Field>>, prefix: string): string[] {
  return Object.entries(settings).flatMap(([name, field]) => {
    const members = groupMembers(field);
    const row = `| \`${prefix}${name}\` | ${members ? 'as below' : defaultCell(field.default)} | ${cell(field.description)} |`;
    return members ? [row, ...rows(members, `${prefix}${name}.`)] : [row];
  });
}

/** The fields of a setting whose value is a mapping of settings, each with its default. */
function groupMembers(field: Field): Readonly<Record<string, Field>> | undefined {
  const { shape } = field;
  if (shape.type !== 'mapping' || shape.others || !shape.fields || field.default === undefined) return undefined;
  return Object.values(shape.fields).every((member) => member.default !== undefined) ? shape.fields : undefined;
}

function defaultCell(value: unknown): string {
  return value === undefined ? 'unset' : `\`${cell(flow(value))}\``;
}

/** A value as a scenario writes it, on one line: `[]`, `{ minimum: 5000 }`, `SCIM 2.0 Test App`. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, member]) => `${key}: ${flow(member)}`).join(', ')} }`;
  }
  return String(value);
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** `doc`, the IdP's docs file, with the table between its settings markers written anew from the IdP's settings. */
export function withSettingsTable(doc: string, idp: Pick<IdpDescription, 'docs' | 'settings'>): string {
  const begin = doc.indexOf(SETTINGS_BEGIN);
  const end = doc.indexOf(SETTINGS_END);
  if (begin < 0 || end < begin) throw new Error(`${idp.docs} needs ${SETTINGS_BEGIN} and ${SETTINGS_END} around its settings table`);
  return `${doc.slice(0, begin + SETTINGS_BEGIN.length)}\n${settingsMarkdown(idp.settings)}${doc.slice(end)}`;
}
