import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldingRanges } from '../folding';

describe('foldingRanges', () => {
  it('folds bodies, nested blocks and multi-line parameter lists', () => {
    const text = [
      'template t(', //        0
      '  rate: Rate,', //      1
      '  city: Region,', //    2
      ') {', //                3
      '  rollout {', //        4
      '    stage 1% for 2h', // 5
      '    stage 100%', //     6
      '  }', //                7
      '}', //                  8
    ].join('\n');
    assert.deepEqual(foldingRanges(text), [
      { start: 0, end: 2 },
      { start: 3, end: 7 },
      { start: 4, end: 6 },
    ]);
  });

  it('ignores brackets in strings and comments', () => {
    const text = ['campaign c {', '  title: "a { \\" [ ("', '  // }', '  owner: "x"', '}'].join('\n');
    assert.deepEqual(foldingRanges(text), [{ start: 0, end: 3 }]);
  });

  it('folds runs of comment lines, not single ones', () => {
    const text = ['// one', '// two', '/// three', 'scene s', '// alone', 'scene t'].join('\r\n');
    assert.deepEqual(foldingRanges(text), [{ start: 0, end: 2, kind: 'comment' }]);
  });

  it('does not fold one-line blocks or unmatched brackets', () => {
    assert.deepEqual(foldingRanges('region r { code: "CN-SH" }\n}\n{'), []);
  });
});
