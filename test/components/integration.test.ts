/**
 * The elements on the real stack: define.ts (the im.js entry) with the client core, the
 * SharedWorker engine from source, and the IM server web-test-runner started for the run.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import { configureClients } from '../../src/core/chat-client.js';
import { uniqueUser } from '../helpers/browser-env.js';
import { signedInProvider } from './live-provider.js';
import { deepAll, deepPart, parts } from './setup-queries.js';

configureClients({ workerURL: new URL('../../src/worker/shared-worker.ts', import.meta.url) });

const signedIn = (userID: string, peer: string) =>
  signedInProvider(
    userID,
    `<im-conversation-list></im-conversation-list>
    <im-chat conversation-id="C2C${peer}" style="flex: 1"></im-chat>`,
    'height: 400px; display: flex',
  );

describe('elements with the real client and server', () => {
  it('sends from one user and shows it in the other user’s list and chat', async function () {
    this.timeout(30000);
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await signedIn(alice, bob);
    const b = await signedIn(bob, alice);

    const chat = a.querySelector('im-chat')!;
    await waitUntil(
      () => deepPart<HTMLTextAreaElement>(chat, 'input')?.disabled === false,
      'composer enabled',
    );
    const input = deepPart<HTMLTextAreaElement>(chat, 'input')!;
    input.value = 'hello over the wire <i>ok</i>';
    input.dispatchEvent(new Event('input'));
    await chat.shadowRoot!.querySelector('im-composer')!.updateComplete;
    const sent = oneEvent(chat, 'im-message-sent');
    deepPart<HTMLButtonElement>(chat, 'send-button')!.click();
    const { detail } = await sent;
    expect(detail.message.status).to.equal('success');
    expect(detail.message.sequence).to.be.above(0);

    const bobList = b.querySelector('im-conversation-list')!;
    await waitUntil(
      () =>
        parts(bobList, 'preview').some((p) => p.textContent === 'hello over the wire <i>ok</i>'),
      'bob’s list did not show the message',
      { timeout: 10000 },
    );
    const bobChat = b.querySelector('im-chat')!;
    await waitUntil(
      () =>
        deepAll(bobChat, '.text').some((t) => t.textContent === 'hello over the wire <i>ok</i>'),
      'bob’s chat did not show the message',
      { timeout: 10000 },
    );
    await expect(bobChat).to.be.accessible();
  });

  it('shows a message page code sends through the client API in the same tab', async function () {
    this.timeout(30000);
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await signedIn(alice, bob);
    await signedIn(bob, alice);
    const chat = a.querySelector('im-chat')!;
    await waitUntil(
      () => deepPart<HTMLTextAreaElement>(chat, 'input')?.disabled === false,
      'composer enabled',
    );
    const client = a.client!;
    const message = client.createTextMessage({
      to: bob,
      conversationType: 'C2C',
      payload: { text: 'sent by page code' },
    });
    await client.sendMessage(message);
    await waitUntil(
      () =>
        deepAll(chat, '.text').filter((t) => t.textContent === 'sent by page code').length === 1,
      'the chat did not show the message sent through the API',
      { timeout: 10000 },
    );
    const shown = chat.shadowRoot!.querySelector(`im-message[data-message-id="${message.ID}"]`);
    expect(shown?.getAttribute('status')).to.equal('success');
  });
});
