/**
 * What browser tests know about the real IM server web-test-runner started for the run
 * (see web-test-runner.config.js): its base URL and the dev app's SDKAppID. UserSigs come from the
 * server's dev-only endpoint.
 */
interface TestEnv {
  server: string;
  SDKAppID: number;
}

export const testEnv: TestEnv = (globalThis as unknown as { __IM_TEST__: TestEnv }).__IM_TEST__;

export async function devUserSig(userID: string): Promise<string> {
  const res = await fetch(`${testEnv.server}/dev/usersig?userID=${encodeURIComponent(userID)}`);
  if (!res.ok) throw new Error(`dev usersig failed: ${res.status}`);
  const body = (await res.json()) as { userSig: string };
  return body.userSig;
}

/** A user ID no other test uses. */
export function uniqueUser(prefix = 'u'): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}
