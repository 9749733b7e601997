import { describe, expect, it } from 'vitest';
import { lineDiff, renderDiff } from '../../reports/html/diff.js';

const show = (lines: ReturnType<typeof lineDiff>) => lines?.map((l) => `${l.op}${l.text}`);

describe('lineDiff', () => {
  it('keeps common lines and shows what was taken out before what was put in', () => {
    expect(show(lineDiff(['{', 'a', 'b', 'c', '}'], ['{', 'a', 'B', 'c', 'd', '}']))).toEqual([' {', ' a', '-b', '+B', ' c', '+d', ' }']);
    expect(show(lineDiff([], ['x']))).toEqual(['+x']);
    expect(show(lineDiff(['x'], ['x']))).toEqual([' x']);
  });

  it('gives up on a huge differing middle instead of taking the time', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    expect(lineDiff(a, b)).toBeUndefined();
  });
});

describe('renderDiff', () => {
  it('diffs the value of an equals expectation against the actual value, escaped', () => {
    const html = renderDiff({ equals: { userName: 'a' } }, { userName: '<b>' });
    expect(html).toContain('<span class="del">-   &#34;userName&#34;: &#34;a&#34;</span>');
    expect(html).toContain('<span class="add">+   &#34;userName&#34;: &#34;&#60;b&#62;&#34;</span>');
  });

  it('shows a rule and the actual value side by side', () => {
    const html = renderDiff({ contains: 'x', ignoreCase: true }, 'y');
    expect(html).toContain('expected (a rule)');
    expect(html).not.toContain('class="diff"');
  });
});
