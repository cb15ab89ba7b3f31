import { evaluate, parse, traverse, type NumberNode, type ObjectNode } from '@humanwhocodes/momoa';

/**
 * Reads a ledger file the one way every verifier can agree on (docs/ledger.md, Reading the file):
 * UTF-8 without a byte order mark, RFC 8259 JSON, no object with the same key twice, and only whole
 * numbers a double holds exactly (|n| ≤ 2^53 − 1, written without fraction or exponent). Anything
 * else is refused with a sentence, never repaired: JSON parsers disagree on duplicate keys (first or
 * last wins), on invalid bytes (replaced or refused) and on big or fractional numbers, so a file
 * that relies on any of them could read one way to Candor and another way to an auditor.
 *
 * The JSON grammar and positions come from momoa (a maintained JSON parser that keeps every member
 * and each number's source text), not from a hand-written parser.
 */
export class StrictJsonError extends Error {}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

export function parseStrictJson(input: Uint8Array): unknown {
  if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
    throw new StrictJsonError('The file starts with a byte order mark (BOM); ledger files are UTF-8 without one.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new StrictJsonError(`The file is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(input)}).`);
  }
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(text, { mode: 'json', ranges: true });
  } catch (error) {
    throw new StrictJsonError(`The file is not valid JSON: ${(error as Error).message}`);
  }
  traverse(ast, {
    enter(node) {
      const where = `line ${node.loc.start.line}, column ${node.loc.start.column}`;
      if (node.type === 'Object') {
        const object = node as ObjectNode;
        const seen = new Set<string>();
        for (const member of object.members) {
          const key = member.name.type === 'String' ? member.name.value : member.name.name;
          if (seen.has(key)) {
            const at = `line ${member.loc.start.line}, column ${member.loc.start.column}`;
            throw new StrictJsonError(`The key "${key}" appears twice in one object (${at}); readers disagree on which one counts.`);
          }
          seen.add(key);
        }
      } else if (node.type === 'Number') {
        const number = node as NumberNode;
        const source = text.slice(node.range![0], node.range![1]);
        if (!INTEGER.test(source) || !Number.isSafeInteger(number.value)) {
          throw new StrictJsonError(`The number ${source} (${where}) is not a whole number between -9007199254740991 and 9007199254740991; ledger files hold no others.`);
        }
      }
    },
  });
  return evaluate(ast);
}

/** Offset of the first byte that breaks UTF-8 (for the message only: runs on the error path). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  return bytes.length; // a sequence cut off by the end of the file
}
