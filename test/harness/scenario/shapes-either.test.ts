import { describe, expect, it } from 'vitest';
import { loadErrors, tempFolder } from './helpers.js';

const folder = tempFolder();
const errorsOf = (text: string) => loadErrors(folder, text);

/** An Entra scenario whose line 7 is the given user mapping edit. */
const mapping = (edit: string) =>
  ['id: t.x', 'title: t', 'refs: ["Entra ref §1.2"]', 'idp: entra', 'settings:', '  userMappings:', `    externalId: ${edit}`, 'steps:', '  - advance: 1m', ''].join('\n');

describe('a value refused by every option of a setting that takes one of several', () => {
  it('names all the options for a plain value: matching takes a positive integer or false', async () => {
    expect(await errorsOf(mapping('{ source: objectId, matching: 0 }'))).toEqual([
      'bad.yaml:7:47: settings.userMappings.externalId.matching must be a positive integer or false, got 0',
    ]);
  });

  it('takes each option', async () => {
    expect(await errorsOf(mapping('{ source: objectId, matching: 2 }'))).toEqual([]);
    expect(await errorsOf(mapping('{ source: objectId, matching: false }'))).toEqual([]);
  });
});
