/**
 * `<im-contact-list>` and `<im-profile>` on the real stack: define.ts, the SharedWorker engine from
 * source and the IM server web-test-runner started. bob (a plain client) asks alice to be friends;
 * alice accepts in her contact list; bob's online dot follows him without a subscription.
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import { configureClients } from '../../src/core/chat-client.js';
import { destroyAll, readyUser } from '../core/live.js';
import { uniqueUser } from '../helpers/browser-env.js';
import { signedInProvider } from './live-provider.js';
import { part, parts } from './setup-queries.js';

configureClients({ workerURL: new URL('../../src/worker/shared-worker.ts', import.meta.url) });

afterEach(destroyAll);

const signedIn = (userID: string) =>
  signedInProvider(
    userID,
    '<im-profile></im-profile><im-contact-list></im-contact-list>',
    'height: 500px',
  );

describe('contacts with the real client and server', () => {
  it('a request from bob is accepted in alice’s list; his dot follows him', async function () {
    this.timeout(30000);
    const alice = uniqueUser('alice');
    const a = await signedIn(alice);
    const list = a.querySelector('im-contact-list')!;
    const profile = a.querySelector('im-profile')!;
    await list.viewReady;
    await profile.viewReady;
    await waitUntil(() => part(profile, 'user-id')?.textContent === alice, 'own profile shown');

    const bob = await readyUser('bob');
    const res = await bob.client.addFriend({ to: alice, wording: 'hello from bob' });
    expect(res.data.code).to.equal(30539);
    await waitUntil(() => part(list, 'tab-badge'), 'request badge', { timeout: 10000 });
    parts<HTMLButtonElement>(list, 'tab')[1].click();
    await waitUntil(() => part(list, 'detail')?.textContent === 'hello from bob', 'request shown');
    part<HTMLButtonElement>(list, 'accept-button')!.click();

    parts<HTMLButtonElement>(list, 'tab')[0].click();
    await waitUntil(
      () => parts(list, 'name').some((n) => n.textContent === bob.userID),
      'bob in the friend list',
      { timeout: 10000 },
    );
    await waitUntil(() => part(list, 'status-online'), 'bob online', { timeout: 10000 });
    await expect(list).to.be.accessible();

    await bob.client.setSelfStatus({ customStatus: 'walking the dog' });
    await waitUntil(
      () => part(list, 'detail')?.textContent === 'walking the dog',
      'bob’s custom status',
      { timeout: 10000 },
    );
    await bob.client.logout();
    await waitUntil(() => !part(list, 'status-online'), 'bob offline', { timeout: 10000 });
  });
});
