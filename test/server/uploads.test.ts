// POST /upload and GET /media/...: auth, limits while streaming, image renditions, serving.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { ErrorCode } from '../../src/protocol/codes.js';
import { LIMITS } from '../../src/protocol/constants.js';
import type { UploadResult } from '../../src/protocol/types.js';
import { genUserSig } from '../../src/server/usersig.js';
import { sleep, startTestServer, uid, uploadFile, type RunningServer } from '../helpers/server.js';

const image = (width: number, height: number, format: 'jpeg' | 'png' | 'webp' = 'jpeg') =>
  sharp({ create: { width, height, channels: 3, background: '#3a6' } })
    .toFormat(format)
    .toBuffer();

/** Upload directories present (the temp dir aside). */
function stored(mediaDir: string): string[] {
  return readdirSync(mediaDir).filter((d) => d !== '.tmp');
}

describe('uploads', () => {
  let server: RunningServer;
  let mediaDir: string;
  before(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), 'imkit-media-test-'));
    server = await startTestServer({ mediaDir });
  });
  after(async () => {
    await server.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  test('images: original, large (short side 720) and thumbnail (198), served with the right headers', async () => {
    const res = await uploadFile(server, uid('a'), {
      kind: 'image',
      name: 'holiday photo.jpg',
      body: await image(2000, 1000),
      contentType: 'image/jpeg',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.body.code, 0);
    const data = res.body.data as UploadResult;
    assert.match(data.uuid, /^[0-9a-f-]{36}$/);
    assert.equal(data.name, 'holiday photo.jpg');
    assert.equal(data.contentType, 'image/jpeg');
    assert.equal(data.imageFormat, 'jpeg');
    assert.equal(data.url, `${server.url}/media/${data.uuid}/holiday_photo.jpg`);
    const [orig, large, thumb] = data.imageInfoArray!;
    assert.deepEqual([orig.type, orig.width, orig.height, orig.size], [0, 2000, 1000, data.size]);
    assert.deepEqual([large.type, large.width, large.height], [1, 1440, 720]);
    assert.deepEqual([thumb.type, thumb.width, thumb.height], [2, 396, 198]);
    for (const info of [orig, large, thumb]) {
      const got = await fetch(info.url);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'image/jpeg');
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(got.headers.get('cache-control'), 'private, max-age=31536000, immutable');
      assert.equal(got.headers.get('content-disposition'), null);
      const bytes = Buffer.from(await got.arrayBuffer());
      assert.equal(bytes.length, info.size);
      const meta = await sharp(bytes).metadata();
      assert.deepEqual([meta.width, meta.height], [info.width, info.height]);
    }
    const head = await fetch(thumb.url, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(thumb.size));
  });

  test('small images are never upscaled: the original serves every rendition', async () => {
    const res = await uploadFile(server, uid('a'), {
      kind: 'image',
      name: 'icon.png',
      body: await image(150, 100, 'png'),
    });
    const data = res.body.data as UploadResult;
    assert.equal(data.contentType, 'image/png', 'from the bytes, not the declared type');
    const [orig, large, thumb] = data.imageInfoArray!;
    for (const r of [large, thumb]) {
      assert.deepEqual([r.width, r.height, r.url], [150, 100, orig.url]);
    }
    // 500x300: large keeps it, the thumbnail shrinks
    const mid = (
      await uploadFile(server, uid('a'), {
        kind: 'image',
        name: 'm.webp',
        body: await image(500, 300, 'webp'),
      })
    ).body.data!;
    assert.equal(mid.imageInfoArray![1].url, mid.url);
    assert.deepEqual([mid.imageInfoArray![2].width, mid.imageInfoArray![2].height], [330, 198]);
    assert.equal(mid.imageFormat, 'webp');
  });

  test('kind=image refuses what is not an accepted image (10004); nothing is kept', async () => {
    const before = stored(mediaDir).length;
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
    for (const body of ['not an image at all', svg]) {
      const res = await uploadFile(server, uid('a'), {
        kind: 'image',
        name: 'x.png',
        body,
        contentType: 'image/png',
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, ErrorCode.INVALID_PARAMETER);
    }
    assert.equal(stored(mediaDir).length, before);
    assert.deepEqual(readdirSync(join(mediaDir, '.tmp')), []);
  });

  test('files: attachment, declared type, nosniff, byte ranges', async () => {
    const body = Buffer.from('0123456789abcdefghij');
    const res = await uploadFile(server, uid('a'), {
      kind: 'file',
      name: 'résumé final.html',
      body,
      contentType: 'text/html',
    });
    const data = res.body.data as UploadResult;
    assert.equal(data.name, 'résumé final.html');
    assert.equal(data.size, body.length);
    assert.equal(data.imageInfoArray, undefined);
    const got = await fetch(data.url);
    assert.equal(got.headers.get('content-type'), 'text/html');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.match(
      got.headers.get('content-disposition')!,
      /^attachment; filename="r_sum_ final.html"; filename\*=UTF-8''r%C3%A9sum%C3%A9%20final\.html$/,
    );
    assert.equal(await got.text(), body.toString());
    const part = await fetch(data.url, { headers: { Range: 'bytes=2-5' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 2-5/${body.length}`);
    assert.equal(await part.text(), '2345');
    const suffix = await fetch(data.url, { headers: { Range: 'bytes=-3' } });
    assert.equal(await suffix.text(), 'hij');
    const open = await fetch(data.url, { headers: { Range: 'bytes=18-' } });
    assert.equal(await open.text(), 'ij');
    const bad = await fetch(data.url, { headers: { Range: 'bytes=50-60' } });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get('content-range'), `bytes */${body.length}`);
  });

  test('audio and video: content type checked against the kind, ranges for players', async () => {
    const audio = (
      await uploadFile(server, uid('a'), {
        kind: 'audio',
        name: 'v.mp3',
        body: Buffer.alloc(1000, 1),
        contentType: 'text/html',
      })
    ).body.data!;
    assert.equal(audio.contentType, 'audio/mpeg', 'guessed from the name, not text/html');
    const video = (
      await uploadFile(server, uid('a'), {
        kind: 'video',
        name: 'clip',
        body: Buffer.alloc(5000, 2),
        contentType: 'video/webm',
      })
    ).body.data!;
    assert.equal(video.contentType, 'video/webm');
    const part = await fetch(video.url, { headers: { Range: 'bytes=0-99' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-type'), 'video/webm');
    assert.equal((await part.arrayBuffer()).byteLength, 100);
    assert.equal(part.headers.get('accept-ranges'), 'bytes');
  });

  test('authentication like login: missing or bad headers are refused, nothing stored', async () => {
    const before = stored(mediaDir).length;
    const user = uid('a');
    const cases: [Record<string, string>, number, number][] = [
      [{ 'X-IM-UserSig': '' }, 401, ErrorCode.USER_SIG_EMPTY],
      [{ 'X-IM-UserSig': 'garbage' }, 401, ErrorCode.USER_SIG_MALFORMED],
      [
        { 'X-IM-UserSig': server.genUserSig(uid('other')) },
        401,
        ErrorCode.USER_SIG_IDENTIFIER_MISMATCH,
      ],
      [{ 'X-IM-UserSig': server.genUserSig(user, -10) }, 401, ErrorCode.USER_SIG_EXPIRED],
      [{ 'X-IM-SDKAppID': '1' }, 401, ErrorCode.APP_NOT_FOUND],
      [{ 'X-IM-SDKAppID': 'x' }, 400, ErrorCode.INVALID_PARAMETER],
      [{ 'X-IM-UserID': 'bad user!' }, 400, ErrorCode.INVALID_PARAMETER],
      [
        {
          'X-IM-UserSig': genUserSig({
            SDKAppID: server.app.SDKAppID,
            secretKey: '0'.repeat(64),
            userID: user,
          }),
        },
        401,
        ErrorCode.USER_SIG_MISMATCH,
      ],
    ];
    for (const [headers, status, code] of cases) {
      const res = await uploadFile(server, user, { kind: 'file', name: 'f', body: 'x', headers });
      assert.equal(res.status, status, JSON.stringify(headers));
      assert.equal(res.body.code, code, JSON.stringify(headers));
    }
    assert.equal(stored(mediaDir).length, before);
  });

  test('bad kind, empty body, wrong method; CORS preflight', async () => {
    const before = stored(mediaDir).length;
    let res = await uploadFile(server, uid('a'), { kind: 'pdf', name: 'f', body: 'x' });
    assert.deepEqual([res.status, res.body.code], [400, ErrorCode.INVALID_PARAMETER]);
    res = await uploadFile(server, uid('a'), { kind: 'file', name: 'f', body: '' });
    assert.deepEqual([res.status, res.body.code], [400, ErrorCode.UPLOAD_EMPTY]);
    const get = await fetch(`${server.url}/upload?kind=file`);
    assert.equal(get.status, 405);
    assert.equal(stored(mediaDir).length, before);
    const preflight = await fetch(`${server.url}/upload?kind=image`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-im-sdkappid, x-im-userid, x-im-usersig, content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
    const allowed = preflight.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const h of ['content-type', 'x-im-sdkappid', 'x-im-userid', 'x-im-usersig']) {
      assert.ok(allowed.includes(h), h);
    }
  });

  test('over the size limit: refused from Content-Length, or cut while streaming (413 7005)', async () => {
    const before = stored(mediaDir).length;
    const user = uid('a');
    const headers = {
      'X-IM-SDKAppID': String(server.app.SDKAppID),
      'X-IM-UserID': user,
      'X-IM-UserSig': server.genUserSig(user),
    };
    const limit = LIMITS.uploadBytes.audio;
    const declared = await fetch(`${server.url}/upload?kind=audio&name=a.mp3`, {
      method: 'POST',
      headers,
      body: new Uint8Array(limit + 1),
    });
    assert.equal(declared.status, 413);
    assert.equal(((await declared.json()) as { code: number }).code, ErrorCode.UPLOAD_TOO_LARGE);

    // no Content-Length: the server counts while it reads and stops past the limit
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const total = Math.ceil(limit / chunk.length) + 20;
    const body = new ReadableStream({
      pull(controller) {
        if (sent++ >= total) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await fetch(`${server.url}/upload?kind=audio&name=a.mp3`, {
      method: 'POST',
      headers,
      body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(((await streamed.json()) as { code: number }).code, ErrorCode.UPLOAD_TOO_LARGE);
    assert.ok(sent < total, `stopped reading (${sent} of ${total} MB offered)`);
    await sleep(100);
    assert.equal(stored(mediaDir).length, before);
    assert.deepEqual(readdirSync(join(mediaDir, '.tmp')), []);
  });

  test('an aborted upload leaves nothing behind', async () => {
    const before = stored(mediaDir).length;
    const user = uid('a');
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/upload?kind=file&name=big.bin`, {
        method: 'POST',
        headers: {
          'X-IM-SDKAppID': String(server.app.SDKAppID),
          'X-IM-UserID': user,
          'X-IM-UserSig': server.genUserSig(user),
          'Content-Length': String(10 * 1024 * 1024),
        },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(256 * 1024));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await sleep(200);
    assert.equal(stored(mediaDir).length, before);
    assert.deepEqual(readdirSync(join(mediaDir, '.tmp')), []);
  });

  test('unknown media and odd paths are 404', async () => {
    const data = (await uploadFile(server, uid('a'), { kind: 'file', name: 'a.txt', body: 'x' }))
      .body.data!;
    for (const path of [
      `/media/${data.uuid}/other.txt`,
      `/media/00000000-0000-4000-8000-000000000000/a.txt`,
      `/media/${data.uuid}/..%2F..%2Fimkit.sqlite`,
      `/media/${data.uuid}`,
      `/media/not-a-uuid/a.txt`,
    ]) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
    }
    const post = await fetch(data.url, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
  });
});

describe('media directory', () => {
  test('file databases keep uploads under <dataDir>/media; in-memory ones in a temp dir removed on close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imkit-data-'));
    try {
      const server = await startTestServer({ dbFile: undefined, dataDir });
      const data = (
        await uploadFile(server, uid('a'), { kind: 'file', name: 'k.txt', body: 'keep' })
      ).body.data!;
      assert.ok(existsSync(join(dataDir, 'media', data.uuid, 'k.txt')));
      await server.close();
      // the record survives a restart
      const again = await startTestServer({ dbFile: undefined, dataDir });
      assert.equal(await (await fetch(`${again.url}/media/${data.uuid}/k.txt`)).text(), 'keep');
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const temps = () =>
      readdirSync(tmpdir()).filter(
        (d) => d.startsWith('imkit-media-') && !d.startsWith('imkit-media-test-'),
      );
    const before = new Set(temps());
    const server = await startTestServer();
    const created = temps().filter((d) => !before.has(d));
    await server.close();
    assert.equal(created.length, 1);
    assert.ok(!existsSync(join(tmpdir(), created[0])));
  });
});
