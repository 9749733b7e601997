import { describe, expect, it } from 'vitest';
import { fillTemplates, newRunId, TemplateError, Vars } from '../../../harness/steps/template.js';

function vars(): Vars {
  const v = new Vars('3f9a1c2b', 7, 'http://h/scim/v2');
  v.set('userId', 'abc');
  v.set('total', 2);
  v.set('member', { value: 'abc' });
  return v;
}

describe('templates', () => {
  it('fills saved values, unique values and the base URL in every string, keys too', () => {
    expect(
      fillTemplates(
        { path: '/Users/{{userId}}', body: { userName: '{{unique.user}}@example.com', '{{userId}}': ['{{ baseUrl }}/Users/{{userId}}', 3, null] } },
        vars(),
        0,
      ),
    ).toEqual({
      path: '/Users/abc',
      body: { userName: 'scim-3f9a1c2b-7-user@example.com', abc: ['http://h/scim/v2/Users/abc', 3, null] },
    });
  });

  it('keeps the saved type for a string that is exactly one placeholder, and writes JSON inside text', () => {
    expect(fillTemplates({ count: '{{total}}', members: ['{{member}}'], text: 'n={{total}} m={{member}}' }, vars(), 0)).toEqual({
      count: 2,
      members: [{ value: 'abc' }],
      text: 'n=2 m={"value":"abc"}',
    });
  });

  it('gives the same unique value for a label within a scenario, and different ones across scenarios and runs', () => {
    const v = vars();
    expect(fillTemplates('{{unique.user}}', v, 0)).toBe(fillTemplates('{{unique.user}}', v, 5));
    expect(fillTemplates('{{unique.group}}', v, 0)).not.toBe(fillTemplates('{{unique.user}}', v, 0));
    const other = new Vars('3f9a1c2b', 8, '');
    expect(fillTemplates('{{unique.user}}', other, 0)).toBe('scim-3f9a1c2b-8-user');
    expect(newRunId()).toMatch(/^[0-9a-f]{8}$/);
    expect(newRunId()).not.toBe(newRunId());
  });

  it('makes a fresh UUID at each use', () => {
    const [a, b] = fillTemplates(['{{uuid}}', '{{uuid}}'], vars(), 0) as string[];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('says which step uses a value no earlier step saved, or why it was not saved', () => {
    const v = vars();
    expect(() => fillTemplates({ path: '/Users/{{groupId}}' }, v, 2)).toThrow(new TemplateError('step 3 uses {{groupId}}, which no earlier step saved'));
    v.markUnsaved('groupId', 'step 1 got status 500');
    expect(() => fillTemplates('{{groupId}}', v, 2)).toThrow('step 3 uses {{groupId}}, which was not saved because step 1 got status 500');
    expect(() => fillTemplates('{{unique}}', v, 0)).toThrow(/needs a label/);
    expect(() => fillTemplates('{{unique.a b}}', v, 0)).toThrow(/needs a label/);
  });

  it('leaves text that is not a placeholder alone', () => {
    expect(fillTemplates(['{{', '}}', '{x}', 'a{2}', 42, true], vars(), 0)).toEqual(['{{', '}}', '{x}', 'a{2}', 42, true]);
  });
});
