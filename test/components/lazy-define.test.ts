import { expect, waitUntil } from '@open-wc/testing';
import { defineLazily, loadElement } from '../../src/components/base/lazy-define.js';

let serial = 0;
const uniqueTag = () => `x-lazy-${Date.now().toString(36)}-${serial++}`;

function loader(counter: { calls: number }) {
  return async () => {
    counter.calls++;
    return class extends HTMLElement {
      upgraded = true;
    };
  };
}

describe('lazy element definitions', () => {
  it('defines a tag when it is added to the document, once, and upgrades it in place', async () => {
    const tag = uniqueTag();
    const counter = { calls: 0 };
    defineLazily({ [tag]: loader(counter) });
    expect(customElements.get(tag)).to.equal(undefined);
    expect(counter.calls).to.equal(0);

    const host = document.createElement('div');
    host.innerHTML = `<section><${tag} data-x="1"></${tag}></section>`;
    document.body.append(host);
    await waitUntil(() => customElements.get(tag), 'defined after it appeared');
    const el = host.querySelector(tag) as HTMLElement & { upgraded?: boolean };
    expect(el.upgraded).to.equal(true);
    expect(el.dataset.x).to.equal('1');

    document.body.append(document.createElement(tag));
    await new Promise((r) => setTimeout(r, 20));
    expect(counter.calls).to.equal(1);
    host.remove();
  });

  it('defines a tag already in the document when registered', async () => {
    const tag = uniqueTag();
    const el = document.createElement(tag);
    document.body.append(el);
    const counter = { calls: 0 };
    defineLazily({ [tag]: loader(counter) });
    await waitUntil(() => customElements.get(tag), 'defined at once');
    expect((el as HTMLElement & { upgraded?: boolean }).upgraded).to.equal(true);
    el.remove();
  });

  it('loadElement defines on request (tags in shadow roots), and retries after a failure', async () => {
    const tag = uniqueTag();
    let fail = true;
    let calls = 0;
    defineLazily({
      [tag]: async () => {
        calls++;
        if (fail) throw new Error('chunk missing');
        return class extends HTMLElement {};
      },
    });
    await loadElement(tag);
    expect(customElements.get(tag)).to.equal(undefined);
    fail = false;
    await loadElement(tag);
    expect(customElements.get(tag)).to.not.equal(undefined);
    expect(calls).to.equal(2);
  });
});
