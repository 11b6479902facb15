/**
 * Entry of the hidden iframe `bridge.html` the IM server serves next to `im-worker.js`, for pages
 * on another origin. The page posts `{type: 'imkit:connect', config}` with a MessagePort (to this
 * origin explicitly); the bridge hands that port to the engine it starts from ITS origin: a
 * SharedWorker named exactly as a same-origin tab would name it, so both share one engine.
 *
 * It checks nothing secret and keeps no state: any page may embed it, and every port must still
 * `login` with a valid UserSig (verified by the server) before the engine serves it anything.
 * Browsers that partition third-party storage also partition this SharedWorker by top-level site.
 */
import { installBridge } from './install.js';

installBridge(window, new URL('./im-worker.js', import.meta.url));
