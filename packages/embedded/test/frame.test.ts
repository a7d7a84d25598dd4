/** TextFrame: the bytes match what `ws` itself would send for the same text, in every length class. */
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { TextFrame } from '../src/protocol/frame.js';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  rsv1: boolean;
  readOnly: boolean;
}
/** `ws` exports its Sender, untyped in @types/ws. */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/** `ws`'s own framing of an unmasked, uncompressed text message, as one buffer. */
function wsFrame(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, rsv1: false, readOnly: true }));
}

describe('TextFrame', () => {
  const texts = {
    empty: '',
    'one byte': 'x',
    '125 bytes (7-bit length)': 'a'.repeat(125),
    '126 bytes (16-bit length)': 'a'.repeat(126),
    'multi-byte UTF-8 (bytes, not characters, counted)': 'é'.repeat(100),
    '65,535 bytes (the last 16-bit length)': 'b'.repeat(65_535),
    '65,536 bytes (64-bit length)': 'c'.repeat(65_536),
    'a lone surrogate (encoded as U+FFFD, as ws does)': 'a\ud800b',
  };
  for (const [name, text] of Object.entries(texts)) {
    it(`frames ${name} exactly as ws does`, () => {
      const frame = TextFrame.of(text);
      expect(frame.text).toBe(text);
      expect(frame.wire.equals(wsFrame(text))).toBe(true);
    });
  }
});
