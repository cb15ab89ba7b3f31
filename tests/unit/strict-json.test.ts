import { describe, expect, it } from 'vitest';
import { parseStrictJson, StrictJsonError } from '../../lib/ledger/strict-json';

const bytes = (text: string) => new TextEncoder().encode(text);
const refused = (input: Uint8Array) => {
  try {
    parseStrictJson(input);
  } catch (error) {
    expect(error).toBeInstanceOf(StrictJsonError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('parseStrictJson: the one reading every verifier agrees on', () => {
  it('reads plain JSON, whole numbers up to 2^53 − 1 either side, and any Unicode text', () => {
    expect(parseStrictJson(bytes('{"a":[1,-9007199254740991,9007199254740991],"b":{"c":"Zoë 😀 \\u2028"},"d":null}'))).toEqual({
      a: [1, -9007199254740991, 9007199254740991], b: { c: 'Zoë 😀 \u2028' }, d: null,
    });
  });

  it('refuses a key twice in any object, however deep, naming it and where', () => {
    expect(refused(bytes('{"a":{"b":[{"type":"agreed","type":"declined"}]}}'))).toBe('The key "type" appears twice in one object (line 1, column 29); readers disagree on which one counts.');
    // The same key in different objects is fine.
    expect(parseStrictJson(bytes('[{"k":1},{"k":2}]'))).toEqual([{ k: 1 }, { k: 2 }]);
  });

  it.each(['1.5', '2.0', '1e3', '9007199254740992', '-9007199254740992', '1E-2'])('refuses the number %s', (n) => {
    expect(refused(bytes(`{"n":${n}}`))).toMatch(new RegExp(`^The number ${n.replace(/[.+-]/g, '\\$&')} \\(line 1, column 6\\) is not a whole number`));
  });

  it('refuses NaN, Infinity, comments and trailing commas as not JSON', () => {
    for (const text of ['{"n":NaN}', '{"n":Infinity}', '{"n":1 /* c */}', '{"n":1,}']) expect(refused(bytes(text))).toMatch(/^The file is not valid JSON: /);
  });

  it('refuses a byte order mark and invalid UTF-8, naming the first bad byte', () => {
    expect(refused(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{}')]))).toBe('The file starts with a byte order mark (BOM); ledger files are UTF-8 without one.');
    expect(refused(new Uint8Array([...bytes('{"a":"'), 0xc3, 0x28, ...bytes('"}')]))).toBe('The file is not valid UTF-8 (first bad byte at offset 7).');
    expect(refused(new Uint8Array([...bytes('{"a":"'), 0xed, 0xa0, 0x80, ...bytes('"}')]))).toMatch(/^The file is not valid UTF-8/); // an encoded surrogate
  });
});
