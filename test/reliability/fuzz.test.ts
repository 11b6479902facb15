// Protocol fuzzer: thousands of random, truncated, oversized, wrong-typed and out-of-order frames
// against a real server. The server must never crash, must answer every frame with an error (or a
// result, when the mutation happens to be valid) or close the socket with a documented code, and
// must keep serving the other clients. The seed is printed; IMKIT_FUZZ_SEED replays a run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.js';
import { LIMITS } from '../../src/protocol/constants.js';
import { OPS } from '../../src/protocol/wire.js';
import {
  connectClient,
  startTestServer,
  textMessage,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const FRAMES = Number(process.env.IMKIT_FUZZ_FRAMES ?? 3000);
const seed = Number(process.env.IMKIT_FUZZ_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: small, fast, good enough to drive a fuzzer reproducibly. */
function prng(s: number): () => number {
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(seed);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)];

const documentedCodes = new Set<number>(Object.values(ErrorCode));
const documentedCloses = new Set<number>([...Object.values(CloseCode), 1009]);

function randomValue(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick([0, -1, 1, 2 ** 53, -(2 ** 31), 3.5, Number.MAX_SAFE_INTEGER, 1e308]);
    case 3:
      return 'x'.repeat(int(64));
    case 4:
      return pick([
        '',
        'C2Calice',
        'GROUP@TGS#x',
        '@TIM#SYSTEM',
        '<script>',
        '\u0000',
        '🙂'.repeat(20),
      ]);
    case 5:
      return int(1000);
    case 6:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: int(4) }, () => [
          pick([
            'text',
            'ID',
            'to',
            'type',
            'payload',
            'message',
            'groupID',
            'cursor',
            '__proto__',
          ]),
          randomValue(depth + 1),
        ]),
      );
  }
}

/** A plausible frame for `op`, with one field broken now and then. */
function mutatedRequest(id: number): string {
  const op = rand() < 0.9 ? pick(OPS) : pick(['', 'Login', 'drop', 'constructor', '__proto__']);
  const samples: Record<string, unknown> = {
    sendMessage: textMessage(pick(['alice', 'bob', 'nobody', '']), 'fuzz'),
    getMessageList: { conversationID: pick(['C2Calice', 'C2Cbob', 'GROUPnone', 'x']) },
    setMessageRead: { conversationID: 'C2Calice' },
    sync: { cursor: int(1000) },
    createGroup: { name: 'fuzz', type: pick(['Private', 'Public', 'ChatRoom', 'AVChatRoom', 'x']) },
    joinGroup: { groupID: 'fuzz_none' },
  };
  const data: Record<string, unknown> = structuredClone(
    (Object.hasOwn(samples, op) ? samples[op] : {}) as Record<string, unknown>,
  );
  const mutations = int(3);
  for (let i = 0; i < mutations; i++) {
    const key = pick([...Object.keys(data), 'message', 'conversationID', 'groupID', 'x']);
    data[key] = randomValue();
  }
  const frame: Record<string, unknown> = { id, op, data };
  if (rand() < 0.1) frame.id = randomValue();
  if (rand() < 0.05) delete frame.op;
  return JSON.stringify(frame);
}

function junk(): string | Buffer {
  switch (int(4)) {
    case 0:
      return Buffer.from(Array.from({ length: int(300) }, () => int(256)));
    case 1: {
      const valid = mutatedRequest(1);
      return valid.slice(0, int(valid.length));
    }
    case 2:
      return pick(['', '{', '[]', 'null', '1', '"x"', '{"id":1}', '{"op":"login"}', 'true']);
    default:
      return JSON.stringify(randomValue());
  }
}

/** The first response frame after index `from`, 'closed', or null after 3 s of silence. */
async function answerAfter(
  client: TestClient,
  from: number,
  isOpen: () => boolean,
): Promise<{ code: number } | 'closed' | null> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const response = client.frames.slice(from).find((f) => 'id' in f && 'code' in f);
    if (response) return response as { code: number };
    if (!isOpen()) return 'closed';
    await new Promise((r) => setTimeout(r, 1));
  }
  return null;
}

let server: RunningServer;
let alice: TestClient;
let bob: TestClient;

before(async () => {
  console.log(`fuzz seed: ${seed} (replay with IMKIT_FUZZ_SEED=${seed}), frames: ${FRAMES}`);
  server = await startTestServer({ loginTimeoutMs: 2000 });
  alice = await connectClient(server, 'alice');
  bob = await connectClient(server, 'bob');
});

after(async () => {
  await alice?.close();
  await bob?.close();
  await server?.close();
});

async function controlStillWorks(round: number): Promise<void> {
  const sent = await alice.request('sendMessage', textMessage('bob', `control ${round}`));
  const push = await bob.nextFrame(
    (f) => 'push' in f && f.push === 'message' && f.data.ID === sent.message.ID,
    5000,
  );
  assert.ok(push, 'the other clients keep being served');
}

test(`fuzz: ${FRAMES} hostile frames, seed printed`, async () => {
  let sent = 0;
  let answered = 0;
  let closedSockets = 0;
  let nextId = 1000;
  while (sent < FRAMES) {
    const loggedIn = rand() < 0.6;
    const fuzzer = await connectClient(server, `fuzz_${int(5)}`, { login: loggedIn });
    let open = true;
    let closedBy: number | null = null;
    void fuzzer.closed.then(({ code }) => {
      open = false;
      closedBy = code;
    });
    const burst = 20 + int(80);
    for (let i = 0; i < burst && open && sent < FRAMES; i++) {
      sent++;
      const kind = rand();
      const id = nextId++;
      let frame: string | Buffer;
      if (kind < 0.55) frame = mutatedRequest(id);
      else frame = junk();
      if (rand() < 0.002) frame = 'x'.repeat(LIMITS.frameBytes + 10); // oversized: closes 1009
      const before = fuzzer.frames.length;
      fuzzer.sendRaw(frame, Buffer.isBuffer(frame));
      // Requests run one at a time per socket, so the next response on this socket answers this
      // frame (whatever id the mutation left on it).
      const reply = await answerAfter(fuzzer, before, () => open);
      if (reply === 'closed') break;
      assert.ok(reply, `no answer to frame #${sent} (seed ${seed})`);
      if (reply.code !== 0) {
        assert.ok(
          documentedCodes.has(reply.code),
          `undocumented code ${reply.code} (seed ${seed})`,
        );
      }
      answered++;
    }
    if (!open) {
      closedSockets++;
      assert.ok(
        documentedCloses.has(closedBy ?? -1),
        `undocumented close code ${closedBy} (seed ${seed})`,
      );
    }
    await fuzzer.terminate().catch(() => undefined);
    if (sent % 500 < burst) await controlStillWorks(sent);
  }
  await controlStillWorks(-1);
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  console.log(
    `fuzz: ${sent} frames, ${answered} answered, ${closedSockets} sockets closed by the server`,
  );
});
