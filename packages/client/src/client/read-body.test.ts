import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBodyLimited } from './read-body.js';

describe('readBodyLimited', () => {
  it('returns the whole body when it fits, in one or many chunks', async () => {
    expect((await readBodyLimited(Readable.from([Buffer.from('{"a":1}')]), 100))?.toString()).toBe('{"a":1}');
    const many = Readable.from(['ab', 'cd', 'ef'].map((s) => Buffer.from(s)));
    expect((await readBodyLimited(many, 6))?.toString()).toBe('abcdef');
  });

  it('stops at the limit: undefined, the stream destroyed, nothing thrown later', async () => {
    const body = new PassThrough();
    const read = readBodyLimited(body, 4);
    body.write(Buffer.from('abc'));
    body.write(Buffer.from('def'));
    expect(await read).toBeUndefined();
    expect(body.destroyed).toBe(true);
  });

  it('rejects when the stream errors or closes before its end', async () => {
    const failing = new PassThrough();
    const read = readBodyLimited(failing, 100);
    failing.write(Buffer.from('ab'));
    failing.destroy(new Error('socket hang up'));
    await expect(read).rejects.toThrow('socket hang up');

    const cut = new PassThrough();
    const cutRead = readBodyLimited(cut, 100);
    cut.write(Buffer.from('ab'));
    cut.destroy();
    await expect(cutRead).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
