import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ENTRA_DEFAULTS, ENTRA_SETTINGS, type EntraSettings } from '../../../harness/idp/entra/settings.js';
import { OKTA_DEFAULTS, OKTA_SETTINGS, type OktaSettings } from '../../../harness/idp/okta/settings.js';
import { IDPS } from '../../../harness/idp/registry.js';
import { settingsMarkdown, withSettingsTable } from '../../../harness/idp/settings-docs.js';
import {
  defaultsOf,
  either,
  group,
  listOf,
  oneOf,
  optional,
  positiveInteger,
  setting,
  SettingError,
  settingFields,
  settingsReader,
  text,
  yesNo,
  type SettingsOf,
} from '../../../harness/idp/settings-table.js';
import { packageDir } from '../../../harness/scenario/files.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import { tempFolder } from '../scenario/helpers.js';

/** Settings declared once (harness/idp/settings-table.ts): the type, the defaults, the reader, the description and the docs all come from one table. */

const TABLE = {
  mode: setting(oneOf('fast', 'slow'), 'fast', 'How fast.'),
  tags: setting(either(text, listOf(text)), [], 'A tag or a list of them, each once.', (tags) => [...new Set(typeof tags === 'string' ? [tags] : tags)]),
  limits: group('Limits.', { low: setting(positiveInteger, 1, 'The low one.'), high: setting(positiveInteger, 9, 'The high one.') }),
  on: setting(yesNo, true, 'Whether it is on.'),
  token: optional(text, 'A token; none when unset.'),
};
const read = settingsReader({
  simulator: 'Test',
  docs: 'docs/test.md',
  table: TABLE,
  renamed: { speed: 'settings.speed is now settings.mode' },
  check: ({ limits }) => {
    if (limits.low > limits.high) throw new Error('settings.limits: low is above high');
  },
});

describe('a settings table', () => {
  it('gives the type of the settings: optional where there is no default', () => {
    expectTypeOf<SettingsOf<typeof TABLE>>().toEqualTypeOf<{ mode: 'fast' | 'slow'; tags: string[]; limits: { low: number; high: number }; on: boolean; token?: string }>();
    expectTypeOf<OktaSettings['provisioningFeatures']['pushGroups']>().toEqualTypeOf<boolean>();
    expectTypeOf<OktaSettings['seed']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<EntraSettings['flags']>().toEqualTypeOf<('aadOptscim062020' | 'AzureAdScimPatch062020' | 'AzureAdScimPatch2017')[]>();
    expectTypeOf<EntraSettings['accidentalDeletionThreshold']>().toEqualTypeOf<number | undefined>();
  });

  it('gives the defaults, nested ones filled in, frozen; unset optional settings absent', () => {
    const defaults = defaultsOf(TABLE);
    expect(defaults).toEqual({ mode: 'fast', tags: [], limits: { low: 1, high: 9 }, on: true });
    expect('token' in defaults).toBe(false);
    expect(Object.isFrozen(defaults.limits)).toBe(true);
  });

  it('reads settings over the defaults: a nested default filled, read applied, a fresh copy each time', () => {
    expect(read({ limits: { high: 20 }, tags: 'a', token: 't' })).toEqual({ mode: 'fast', tags: ['a'], limits: { low: 1, high: 20 }, on: true, token: 't' });
    expect(read({ tags: ['a', 'b', 'a'] }).tags).toEqual(['a', 'b']);
    const settings = read(undefined);
    settings.limits.low = 5;
    expect(read(null).limits.low).toBe(1);
  });

  it.each([
    [{ mode: 'quick' }, 'settings.mode must be one of fast, slow, got "quick" (see docs/test.md)', ['settings', 'mode']],
    [{ mode: 'Fast' }, "settings.mode must be one of fast, slow, got \"Fast\": did you mean 'fast'? (see docs/test.md)", ['settings', 'mode']],
    [{ on: 'yes' }, 'settings.on must be true or false, got "yes" (see docs/test.md)', ['settings', 'on']],
    [{ limits: { low: 0 } }, 'settings.limits.low must be a positive integer, got 0 (see docs/test.md)', ['settings', 'limits', 'low']],
    [{ limits: 3 }, 'settings.limits must be a mapping { low, high }, got 3 (see docs/test.md)', ['settings', 'limits']],
    [{ tags: [1] }, 'settings.tags[0] must be a non-empty text, got 1 (see docs/test.md)', ['settings', 'tags', 0]],
    [{ token: '' }, 'settings.token must be a non-empty text, got "" (see docs/test.md)', ['settings', 'token']],
    [{ moed: 'fast' }, "unknown setting moed for the Test simulator: did you mean 'mode'? (see docs/test.md)", ['settings', 'moed']],
    [{ colour: 'red' }, 'unknown setting colour for the Test simulator; known: mode, tags, limits, on, token (see docs/test.md)', ['settings', 'colour']],
    [{ limits: { hihg: 2 } }, "unknown setting limits.hihg for the Test simulator: did you mean 'high'? (see docs/test.md)", ['settings', 'limits', 'hihg']],
    [{ speed: 'fast' }, 'settings.speed is now settings.mode', ['settings', 'speed']],
  ])('refuses %j: %s', (raw, message, path) => {
    let thrown: unknown;
    try {
      read(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingError);
    expect((thrown as SettingError).message).toBe(message);
    expect((thrown as SettingError).path).toEqual(path);
  });

  it('refuses settings that are not a mapping, and applies the rules between settings', () => {
    expect(() => read('fast')).toThrow('settings must be a mapping of Test simulator settings (see docs/test.md), got "fast"');
    expect(() => read({ limits: { low: 10 } })).toThrow('settings.limits: low is above high');
  });

  it('gives the fields of the IdP description: shape, description and default of each', () => {
    expect(settingFields(TABLE).limits).toEqual({
      shape: {
        type: 'mapping',
        fields: { low: { shape: positiveInteger.shape, description: 'The low one.', default: 1 }, high: { shape: positiveInteger.shape, description: 'The high one.', default: 9 } },
      },
      description: 'Limits.',
      default: { low: 1, high: 9 },
    });
    expect(settingFields(TABLE).token).toEqual({ shape: text.shape, description: 'A token; none when unset.' });
    expect(Object.keys(IDPS.okta!.settings)).toEqual(Object.keys(OKTA_SETTINGS));
    expect(Object.keys(IDPS.entra!.settings)).toEqual(Object.keys(ENTRA_SETTINGS));
    for (const [name, value] of Object.entries(OKTA_DEFAULTS)) expect(IDPS.okta!.settings[name]!.default, name).toEqual(value);
    for (const [name, value] of Object.entries(ENTRA_DEFAULTS)) expect(IDPS.entra!.settings[name]!.default, name).toEqual(value);
  });

  it('renders the docs table: a row a setting, one a member of a group, unset where there is no default', () => {
    expect(settingsMarkdown(settingFields(TABLE))).toBe(
      [
        '| setting | default | meaning |',
        '|---|---|---|',
        '| `mode` | `fast` | How fast. |',
        '| `tags` | `[]` | A tag or a list of them, each once. |',
        '| `limits` | as below | Limits. |',
        '| `limits.low` | `1` | The low one. |',
        '| `limits.high` | `9` | The high one. |',
        '| `on` | `true` | Whether it is on. |',
        '| `token` | unset | A token; none when unset. |',
        '',
      ].join('\n'),
    );
  });
});

describe('the docs settings tables', () => {
  it.each(Object.values(IDPS).map((idp) => [idp.docs, idp] as const))('%s has the table its settings write (npm run schema)', async (docs, idp) => {
    const committed = await readFile(join(packageDir(), docs), 'utf8');
    // When this fails: npm run schema
    expect(committed === withSettingsTable(committed, idp), `${docs}'s settings table is out of date: run npm run schema`).toBe(true);
  });

  it('keeps the prose around the table, and says where the markers are missing', () => {
    const doc = '# T\n\nBefore.\n\n<!-- settings:begin -->\nold\n<!-- settings:end -->\n\nAfter.\n';
    const written = withSettingsTable(doc, { docs: 'docs/t.md', settings: settingFields({ on: setting(yesNo, true, 'On.') }) });
    expect(written).toBe('# T\n\nBefore.\n\n<!-- settings:begin -->\n| setting | default | meaning |\n|---|---|---|\n| `on` | `true` | On. |\n<!-- settings:end -->\n\nAfter.\n');
    expect(() => withSettingsTable('# T\n', { docs: 'docs/t.md', settings: {} })).toThrow('docs/t.md needs <!-- settings:begin --> and <!-- settings:end --> around its settings table');
  });
});

describe('validate reports a bad setting where it is written', () => {
  const folder = tempFolder();
  async function errorsOf(idp: string, settings: string): Promise<string[]> {
    const { dir, write } = await folder();
    await write('bad.yaml', `id: t.x\ntitle: t\nrefs: [r]\nidp: ${idp}\nsettings:\n${settings}steps:\n  - advance: 1m\n`);
    const { errors } = await loadScenarios([dir], { idps: IDPS });
    return errors.map((e) => String(e).slice(dir.length + 1));
  }

  it('a value the shape refuses, at the value', async () => {
    expect(await errorsOf('okta', '  variant: oin\n  provisioningFeatures:\n    pushGroups: maybe\n')).toEqual([
      'bad.yaml:8:17: settings.provisioningFeatures.pushGroups must be true or false, got "maybe"',
    ]);
  });

  it("Okta's former features, at the key, naming provisioningFeatures", async () => {
    expect(await errorsOf('okta', '  variant: aiw\n  features: { syncPassword: true }\n')).toEqual([
      'bad.yaml:7:3: settings cannot set features: settings.features is now settings.provisioningFeatures (the To App features on the Provisioning tab)',
    ]);
  });

  it("a rule only the simulator's reading says, at the value it is about", async () => {
    expect(await errorsOf('entra', '  scope: all\n  scopingFilter:\n    - { attribute: department, operator: REGEX MATCH, value: "(" }\n')).toEqual([
      'bad.yaml:8:62: settings.scopingFilter[0].value is not a regular expression: Invalid regular expression: /(/: Unterminated group',
    ]);
    expect(await errorsOf('entra', '  userMappings:\n    title: { source: jobTitle, constant: x }\n')).toEqual([
      'bad.yaml:7:12: settings.userMappings.title takes a source or a constant, not both',
    ]);
  });
});
