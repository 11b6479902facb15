/**
 * The ONE place that starts an engine, feature-detected:
 *
 * 1. The worker script is on another origin than the page (the usual script-tag case: page on
 *    shop.example, script from im.example): a SharedWorker of that origin cannot be created from
 *    here, so a hidden iframe `bridge.html` of the script's origin (next to the worker script, i.e.
 *    `${server}/bridge.html` when the server serves the bundle at its root) gets a MessagePort, and
 *    the bridge hands it to the SharedWorker it starts from its own origin.
 * 2. SharedWorker (module) named `imkit:${BUILD_ID}:${server}:${SDKAppID}:${userID}`, so tabs of one
 *    build and user share one engine, and tabs of different builds never share one.
 * 3. A dedicated module Worker (same script) where SharedWorker does not exist.
 * 4. The engine in the page (dynamic import) behind a MessageChannel, where there are no workers.
 *
 * Whatever the path, the caller gets a MessagePort speaking the protocol of src/protocol/rpc.ts.
 * The worker script URL defaults to `im-worker.js` next to this bundle; tests pass the source
 * file (`new URL('../../src/worker/shared-worker.ts', import.meta.url)`).
 */
import type { EngineConfig } from '../protocol/rpc.js';
import type { Host } from '../worker/host.js';

export type SpawnMode = 'auto' | 'shared' | 'dedicated' | 'inpage';

export interface SpawnOptions {
  /** Worker script URL; default `./im-worker.js` relative to the bundle. */
  workerURL?: string | URL;
  /** Bridge page URL for the cross-origin case; default `bridge.html` next to the worker script. */
  bridgeURL?: string | URL;
  /** Force one path (tests); 'auto' picks the best available. */
  mode?: SpawnMode;
}

export type EngineLinkKind = 'shared' | 'dedicated' | 'inpage' | 'bridge';

export interface EngineLink {
  port: MessagePort;
  kind: EngineLinkKind;
  /** Called when the worker reports a fatal error (e.g. its script failed to load). */
  onFatal(handler: (message: string) => void): void;
  /** Free what was created for this link (terminates a dedicated worker). */
  dispose(): void;
}

export const CONNECT_TYPE = 'imkit:connect';

export function buildID(): string {
  const id = (globalThis as { __IMKIT_BUILD_ID__?: unknown }).__IMKIT_BUILD_ID__;
  return typeof id === 'string' && id ? id : 'dev';
}

export function workerName(config: EngineConfig): string {
  return `imkit:${buildID()}:${config.server}:${config.SDKAppID}:${config.userID}`;
}

/**
 * Directory of the script-tag bundle (`im.js`). This module may be bundled into a lazily loaded
 * chunk under `chunks/`, whose URL is one level below; `globalThis.__IMKIT_BASE_URL__` overrides.
 */
export function bundleBaseURL(): URL {
  const override = (globalThis as { __IMKIT_BASE_URL__?: unknown }).__IMKIT_BASE_URL__;
  if (typeof override === 'string' && override) return new URL('.', override);
  const here = new URL('.', import.meta.url);
  return here.pathname.endsWith('/chunks/') ? new URL('..', here) : here;
}

/** `im-worker.js` next to the bundle (the build emits it there). */
export function defaultWorkerURL(): URL {
  return new URL('im-worker.js', bundleBaseURL());
}

function pageOrigin(): string | null {
  return typeof location !== 'undefined' ? location.origin : null;
}

export async function spawnEngine(
  config: EngineConfig,
  options: SpawnOptions = {},
): Promise<EngineLink> {
  const base = typeof location !== 'undefined' ? location.href : import.meta.url;
  const workerURL = new URL(options.workerURL ?? defaultWorkerURL(), base);
  const mode = options.mode ?? 'auto';
  const origin = pageOrigin();
  if (mode === 'auto' && origin && workerURL.origin !== origin && typeof document !== 'undefined') {
    const bridgeURL = new URL(options.bridgeURL ?? new URL('./bridge.html', workerURL), base);
    return viaBridge(config, bridgeURL);
  }
  const channel = new MessageChannel();
  const link = await handOver(config, channel.port2, workerURL, mode);
  return { ...link, port: channel.port1 };
}

type LocalLink = Omit<EngineLink, 'port'>;

/**
 * Connect `port` to the engine for `config` in this realm: through a SharedWorker, a dedicated
 * Worker or the in-page host. Used by spawnEngine and by the bridge iframe.
 */
export async function handOver(
  config: EngineConfig,
  port: MessagePort,
  workerURL: URL,
  mode: SpawnMode = 'auto',
  lockName?: string,
): Promise<LocalLink> {
  const fatal = new Set<(message: string) => void>();
  const onFatal = (handler: (message: string) => void) => void fatal.add(handler);
  const report = (event: Event) => {
    const message = (event as ErrorEvent).message || 'The IM worker failed to start';
    for (const handler of fatal) handler(message);
  };
  const g = globalThis as { SharedWorker?: typeof SharedWorker; Worker?: typeof Worker };
  const name = workerName(config);
  if ((mode === 'auto' || mode === 'shared') && typeof g.SharedWorker === 'function') {
    const worker = new g.SharedWorker(workerURL, { type: 'module', name });
    worker.addEventListener('error', report);
    worker.port.start();
    worker.port.postMessage({ type: CONNECT_TYPE, lockName }, [port]);
    return { kind: 'shared', onFatal, dispose: () => worker.port.close() };
  }
  if ((mode === 'auto' || mode === 'dedicated') && typeof g.Worker === 'function') {
    const worker = new g.Worker(workerURL, { type: 'module', name });
    worker.addEventListener('error', report);
    worker.postMessage({ type: CONNECT_TYPE, lockName }, [port]);
    return { kind: 'dedicated', onFatal, dispose: () => worker.terminate() };
  }
  const host = await inPageHost();
  host.connect(port, lockName);
  return { kind: 'inpage', onFatal, dispose: () => undefined };
}

let pageHost: Promise<Host> | null = null;

function inPageHost(): Promise<Host> {
  pageHost ??= import('../worker/host.js').then(({ Host }) => new Host());
  return pageHost;
}

// --- cross-origin bridge ---

const bridges = new Map<string, Promise<HTMLIFrameElement>>();

function bridgeFrame(url: URL): Promise<HTMLIFrameElement> {
  const key = url.href;
  let frame = bridges.get(key);
  if (!frame) {
    frame = new Promise<HTMLIFrameElement>((resolve, reject) => {
      const iframe = document.createElement('iframe');
      iframe.src = url.href;
      iframe.title = 'imkit bridge';
      iframe.setAttribute('aria-hidden', 'true');
      iframe.tabIndex = -1;
      iframe.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
      const timer = setTimeout(() => {
        bridges.delete(key);
        iframe.remove();
        reject(new Error(`The IM bridge ${url.href} did not load`));
      }, 15_000);
      // The iframe's load event fires after its module script ran, so its listener is in place.
      iframe.addEventListener(
        'load',
        () => {
          clearTimeout(timer);
          resolve(iframe);
        },
        { once: true },
      );
      (document.body ?? document.documentElement).appendChild(iframe);
    });
    bridges.set(key, frame);
  }
  return frame;
}

async function viaBridge(config: EngineConfig, bridgeURL: URL): Promise<EngineLink> {
  const iframe = await bridgeFrame(bridgeURL);
  const target = iframe.contentWindow;
  if (!target) throw new Error('The IM bridge frame has no window');
  const channel = new MessageChannel();
  // Explicit target origin: the port only ever goes to the bridge of the IM server's origin.
  target.postMessage({ type: CONNECT_TYPE, config }, bridgeURL.origin, [channel.port2]);
  return {
    port: channel.port1,
    kind: 'bridge',
    onFatal: () => undefined,
    dispose: () => undefined,
  };
}
