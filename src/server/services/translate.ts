/**
 * translateText through a translator of the operator's choice (`--translate-url URL`): the server
 * POSTs `{sourceTextList, sourceLanguage, targetLanguage}` as JSON and expects
 * `{translatedTextList}` with as many strings, within `translateTimeoutMs` (10 s). Anything else
 * (network error, timeout, non-2xx, bad JSON, wrong length) is 2117; without a URL every call is
 * 2118. At most LIMITS.translateTextsPerCall texts (schema) and LIMITS.translateChars characters
 * in all (10004).
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import type { OpData } from '../../protocol/wire.js';
import { ImError, invalid } from '../errors.js';
import type { Caller, ServiceDeps } from './deps.js';

export class TranslateService {
  constructor(private readonly deps: ServiceDeps) {}

  async translate(
    _caller: Caller,
    data: OpData<'translateText'>,
  ): Promise<{ translatedTextList: string[] }> {
    const { translateURL, translateTimeoutMs } = this.deps.config;
    if (!translateURL) {
      throw new ImError(
        ErrorCode.TRANSLATE_NOT_CONFIGURED,
        'translation is not configured on this server',
      );
    }
    const chars = data.sourceTextList.reduce((n, t) => n + [...t].length, 0);
    if (chars > LIMITS.translateChars) {
      throw invalid(`at most ${LIMITS.translateChars} characters per call (got ${chars})`);
    }
    const fail = (why: string) =>
      new ImError(ErrorCode.TRANSLATE_FAILED, `translation failed: ${why}`);
    let body: unknown;
    try {
      const res = await fetch(translateURL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          sourceTextList: data.sourceTextList,
          sourceLanguage: data.sourceLanguage,
          targetLanguage: data.targetLanguage,
        }),
        redirect: 'error',
        signal: AbortSignal.timeout(translateTimeoutMs),
      });
      if (!res.ok) throw fail(`translator answered HTTP ${res.status}`);
      body = await res.json();
    } catch (err) {
      if (err instanceof ImError) throw err;
      this.deps.log.warn('translator failed', { err });
      const name = (err as Error | undefined)?.name;
      throw fail(
        name === 'TimeoutError' ? 'translator timed out' : 'translator unreachable or bad JSON',
      );
    }
    const list = (body as { translatedTextList?: unknown } | null)?.translatedTextList;
    if (
      !Array.isArray(list) ||
      list.length !== data.sourceTextList.length ||
      list.some((t) => typeof t !== 'string')
    ) {
      throw fail('translator answered no translatedTextList of the same length');
    }
    return { translatedTextList: list as string[] };
  }
}
