/** An `<im-provider>` signed in on the real stack (dev UserSig, the server the test run started). */
import { fixture, html, oneEvent } from '@open-wc/testing';
import type { ImProvider } from '../../src/components/provider/provider.js';
import { devUserSig, testEnv } from '../helpers/browser-env.js';

/** Mounts a provider for `userID` holding `children` (HTML) in a box styled `style`; resolves on im-ready. */
export async function signedInProvider(
  userID: string,
  children: string,
  style: string,
): Promise<ImProvider> {
  const userSig = await devUserSig(userID);
  const provider = document.createElement('im-provider');
  Object.assign(provider, {
    server: testEnv.server,
    appId: testEnv.SDKAppID,
    userId: userID,
    userSig,
  });
  const ready = oneEvent(provider, 'im-ready');
  const el = await fixture<HTMLElement>(html`<div style=${style}></div>`);
  provider.innerHTML = children;
  el.append(provider);
  await ready;
  return provider;
}
