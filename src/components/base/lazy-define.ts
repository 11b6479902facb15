/**
 * Elements fetched when a page first uses them. The script a page loads before its first paint
 * stays small (the page-weight budget): tags most pages do not show at once (the group panel, the
 * contact list, the profile card) are defined only when one appears in the document, from a chunk
 * loaded then. Until it is defined, the tag is an unknown element that upgrades in place, with the
 * attributes and properties set on it meanwhile (Lit picks up properties set before the upgrade).
 *
 * Appearing means: in the document when the bundle runs, added to it later (a MutationObserver
 * over the whole document), or asked for with `loadElement(tag)`, which elements that render a lazy
 * tag in their own shadow root call (the document observer does not see into shadow roots).
 */
import { defineElement } from './define-element.js';

type Loader = () => Promise<CustomElementConstructor>;

const loaders = new Map<string, Loader>();
const loading = new Map<string, Promise<void>>();
let observer: MutationObserver | null = null;

/** Define `tag` from `load()` the first time it is used; resolves once it is defined. */
export function loadElement(tag: string): Promise<void> {
  let done = loading.get(tag);
  if (done) return done;
  const load = loaders.get(tag);
  if (!load) return customElements.whenDefined(tag).then(() => undefined);
  done = load().then(
    (ctor) => {
      defineElement(tag, ctor);
    },
    (err: unknown) => {
      loading.delete(tag); // a later use tries again (the chunk may have failed to download)
      console.warn(`[imkit] could not load <${tag}>: ${String(err)}`);
    },
  );
  loading.set(tag, done);
  return done;
}

function scan(root: ParentNode | Element): void {
  if (observer && [...loaders.keys()].every((tag) => customElements.get(tag))) {
    observer.disconnect(); // everything is defined: nothing left to watch for
    observer = null;
    return;
  }
  for (const tag of loaders.keys()) {
    if (loading.has(tag) || customElements.get(tag)) continue;
    if ((root instanceof Element && root.localName === tag) || root.querySelector(tag)) {
      void loadElement(tag);
    }
  }
}

/** Register tags to define on first use (see above). Safe to call with tags already defined. */
export function defineLazily(tags: Record<string, Loader>): void {
  if (typeof customElements === 'undefined' || typeof document === 'undefined') return;
  for (const [tag, load] of Object.entries(tags)) {
    if (!customElements.get(tag) && !loaders.has(tag)) loaders.set(tag, load);
  }
  scan(document);
  if (observer) return;
  observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) scan(node);
      }
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}
