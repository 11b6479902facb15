import { expect } from '@open-wc/testing';
import { ChatClientImpl } from '../../src/core/client.js';
import { spawnEngine } from '../../src/core/spawn.js';
import { parseBridgeConfig } from '../../src/bridge/install.js';
import { EVENT } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import { destroyAll, readyUser, Recorder, testEnv, waitFor } from './live.js';

afterEach(destroyAll);

/** The same files from another origin: the page is on `localhost`, this is `127.0.0.1`. */
function otherOrigin(path: string): URL {
  const url = new URL(path, import.meta.url);
  url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return url;
}

async function reachable(url: URL): Promise<boolean> {
  try {
    await fetch(url, { mode: 'no-cors' });
    return true;
  } catch {
    return false;
  }
}

describe('cross-origin bridge', () => {
  it('validates the config it is handed', () => {
    expect(parseBridgeConfig({ server: 'http://x', SDKAppID: 1, userID: 'a' })).to.deep.equal({
      server: 'http://x',
      SDKAppID: 1,
      userID: 'a',
    });
    expect(parseBridgeConfig({ server: 'http://x', SDKAppID: '1', userID: 'a' })).to.equal(null);
    expect(parseBridgeConfig(null)).to.equal(null);
  });

  it('reaches a SharedWorker of the script origin through a hidden iframe', async () => {
    const workerURL = otherOrigin('../../src/worker/shared-worker.ts');
    const bridgeURL = otherOrigin('./bridge-fixture.html');
    if (!(await reachable(bridgeURL))) {
      console.warn(`${bridgeURL.origin} is not served here: cross-origin bridge test not run`);
      return;
    }

    const link = await spawnEngine(
      { server: testEnv.server, SDKAppID: testEnv.SDKAppID, userID: 'x' },
      { workerURL, bridgeURL },
    );
    expect(link.kind).to.equal('bridge');
    const frame = document.querySelector<HTMLIFrameElement>(`iframe[src="${bridgeURL.href}"]`);
    expect(frame).to.not.equal(null);
    expect(frame!.getAttribute('aria-hidden')).to.equal('true');
    link.port.close();

    const bob = await readyUser('bob');
    const alice = new ChatClientImpl(testEnv.SDKAppID, testEnv.server, { workerURL, bridgeURL });
    const rec = new Recorder(alice);
    const userID = `bridged_${Date.now().toString(36)}`;
    const sig = await (await fetch(`${testEnv.server}/dev/usersig?userID=${userID}`)).json();
    const res = await alice.login({ userID, userSig: sig.userSig });
    expect(res.code).to.equal(0);
    await waitFor(() => alice.isReady(), 'bridged client ready');
    const m = bob.client.createTextMessage({
      to: userID,
      conversationType: 'C2C',
      payload: { text: 'over the bridge' },
    });
    await bob.client.sendMessage(m);
    await waitFor(
      () =>
        rec
          .of<Message[]>(EVENT.MESSAGE_RECEIVED)
          .flat()
          .some((x) => x.ID === m.ID),
      'bridged receive',
    );
    // one iframe per bridge URL, whatever the number of clients
    expect(document.querySelectorAll(`iframe[src="${bridgeURL.href}"]`).length).to.equal(1);
    await alice.destroy();
  });
});
