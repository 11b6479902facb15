import { installBridge } from '../../src/bridge/install.js';

installBridge(window, new URL('../../src/worker/shared-worker.ts', import.meta.url));
