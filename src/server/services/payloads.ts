/**
 * Message payloads per type: validation and normalisation (only the fields of types.ts are kept),
 * the 12 KB body limit, media URLs and merged-forward lists stored apart.
 *
 * | type             | required                                                    |
 * |------------------|-------------------------------------------------------------|
 * | TIMTextElem      | text (string); atUserList (string[]) optional                |
 * | TIMCustomElem    | data, description, extension: strings (missing: '')          |
 * | TIMFaceElem      | index (number), data (string, missing: '')                   |
 * | TIMLocationElem  | description (string), longitude [-180,180], latitude [-90,90] |
 * | TIMImageElem     | uuid, imageFormat, imageInfoArray [{type 0/1/2, url, width, height, size}] |
 * | TIMFileElem      | uuid, fileUrl, fileName, fileSize                             |
 * | TIMSoundElem     | uuid, url, second, size                                       |
 * | TIMVideoFileElem | videoUUID, videoUrl, videoSecond, videoFormat, videoSize, thumbUUID, thumbUrl, thumbWidth, thumbHeight (thumb may be empty) |
 * | TIMRelayElem     | title, abstractList, compatibleText (non-empty), messageList (<= 300) or downloadKey |
 *
 * Media URLs must name an upload of this server for this app and of the right kind:
 * `/media/<uuid>/<file>` (relative, or absolute with the origin the upload answered), with `uuid`
 * the payload's own. Everything is 10004 when wrong; the body (payload + cloudCustomData, UTF-8)
 * over 12 KB is 80002, except a merged list stored apart (over LIMITS.mergerInlineBytes).
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import { byteLength, ImError, invalid } from '../errors.js';
import type { MediaKind, Storage } from '../storage/types.js';

type Payload = Record<string, unknown>;

export interface PreparedPayload {
  payload: Payload;
  /** A merged list stored apart under payload.downloadKey. */
  merger?: { downloadKey: string; messageList: string };
}

/** Types whose payload modifyMessage may change. */
export const MODIFIABLE_TYPES: readonly string[] = [
  'TIMTextElem',
  'TIMCustomElem',
  'TIMLocationElem',
  'TIMFaceElem',
];

const MEDIA_PATH =
  /^\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([^/]+)$/;

function str(p: Payload, key: string, optional = false): string {
  const value = p[key];
  if (value === undefined && optional) return '';
  if (typeof value !== 'string') throw invalid(`payload.${key} must be a string`);
  return value;
}

function num(p: Payload, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = p[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(`payload.${key} must be a number in [${min}, ${max}]`);
  }
  return value;
}

function checkBody(payload: Payload, cloudCustomData: string): void {
  const bytes = byteLength(JSON.stringify(payload)) + byteLength(cloudCustomData);
  if (bytes > LIMITS.messageBodyBytes) {
    throw new ImError(
      ErrorCode.MESSAGE_BODY_TOO_LARGE,
      `message body is ${bytes} bytes, over 12 KB`,
    );
  }
}

/** Payload fields every caller can check without storage (text, custom, face, location). */
export function simplePayload(type: string, p: Payload): Payload | null {
  switch (type) {
    case 'TIMTextElem': {
      const text = str(p, 'text');
      if (p.atUserList === undefined) return { text };
      if (!Array.isArray(p.atUserList) || p.atUserList.some((u) => typeof u !== 'string')) {
        throw invalid('payload.atUserList must be an array of strings');
      }
      return { text, atUserList: p.atUserList as string[] };
    }
    case 'TIMCustomElem':
      return {
        data: str(p, 'data', true),
        description: str(p, 'description', true),
        extension: str(p, 'extension', true),
      };
    case 'TIMFaceElem':
      return { index: num(p, 'index', -(2 ** 31), 2 ** 31), data: str(p, 'data', true) };
    case 'TIMLocationElem':
      return {
        description: str(p, 'description', true),
        longitude: num(p, 'longitude', -180, 180),
        latitude: num(p, 'latitude', -90, 90),
      };
    default:
      return null;
  }
}

export class PayloadService {
  constructor(private readonly storage: Storage) {}

  /**
   * Validates and normalises a payload for sending, enforcing the body limit.
   * `canReadMerger(convKey)` says whether the sender may reuse a stored list (forwarding a large
   * merged message).
   */
  async prepare(
    app: number,
    type: string,
    payload: Payload,
    cloudCustomData: string,
    canReadMerger: (convKey: string) => Promise<boolean>,
  ): Promise<PreparedPayload> {
    if (type === 'TIMRelayElem') return this.merger(app, payload, cloudCustomData, canReadMerger);
    checkBody(payload, cloudCustomData);
    const simple = simplePayload(type, payload);
    if (simple) return { payload: simple };
    switch (type) {
      case 'TIMImageElem':
        return { payload: await this.image(app, payload) };
      case 'TIMFileElem': {
        const uuid = str(payload, 'uuid');
        return {
          payload: {
            uuid,
            fileUrl: await this.mediaURL(app, 'file', uuid, str(payload, 'fileUrl'), 'fileUrl'),
            fileName: str(payload, 'fileName'),
            fileSize: num(payload, 'fileSize'),
          },
        };
      }
      case 'TIMSoundElem': {
        const uuid = str(payload, 'uuid');
        return {
          payload: {
            uuid,
            url: await this.mediaURL(app, 'audio', uuid, str(payload, 'url'), 'url'),
            second: num(payload, 'second'),
            size: num(payload, 'size'),
          },
        };
      }
      case 'TIMVideoFileElem':
        return { payload: await this.video(app, payload) };
      default:
        throw invalid(`message type ${type} cannot be sent`);
    }
  }

  /** `url` must be an upload of this app, of `kind`, with this uuid. */
  private async mediaURL(
    app: number,
    kind: MediaKind,
    uuid: string,
    url: string,
    field: string,
  ): Promise<string> {
    let parsed: URL;
    try {
      parsed = new URL(url, 'http://relative.invalid');
    } catch {
      throw invalid(`payload.${field} is not a URL`);
    }
    const match = MEDIA_PATH.exec(parsed.pathname);
    let file = '';
    try {
      file = match ? decodeURIComponent(match[2]) : '';
    } catch {
      // a bad escape never names a file
    }
    const relative = url.startsWith('/') && !url.startsWith('//');
    const record = match ? await this.storage.getMedia(match[1]) : null;
    if (
      !match ||
      parsed.search !== '' ||
      parsed.hash !== '' ||
      !record ||
      record.app !== app ||
      record.uuid !== uuid ||
      record.kind !== kind ||
      !record.files.includes(file) ||
      (!relative && parsed.origin !== record.origin)
    ) {
      throw invalid(`payload.${field} is not a ${kind} upload of this server (uuid ${uuid})`);
    }
    return url;
  }

  private async image(app: number, p: Payload): Promise<Payload> {
    const uuid = str(p, 'uuid');
    const format = p.imageFormat;
    if (typeof format !== 'string' && typeof format !== 'number') {
      throw invalid('payload.imageFormat must be a string');
    }
    const list = p.imageInfoArray;
    if (!Array.isArray(list) || list.length === 0 || list.length > 3) {
      throw invalid('payload.imageInfoArray must hold 1 to 3 renditions');
    }
    const imageInfoArray: Payload[] = [];
    for (const [i, raw] of list.entries()) {
      if (typeof raw !== 'object' || raw === null) {
        throw invalid(`payload.imageInfoArray.${i} must be an object`);
      }
      const info = raw as Payload;
      const type = info.type;
      if (type !== 0 && type !== 1 && type !== 2) {
        throw invalid(`payload.imageInfoArray.${i}.type must be 0, 1 or 2`);
      }
      imageInfoArray.push({
        type,
        url: await this.mediaURL(app, 'image', uuid, str(info, 'url'), `imageInfoArray.${i}.url`),
        width: num(info, 'width'),
        height: num(info, 'height'),
        size: num(info, 'size'),
      });
    }
    return { uuid, imageFormat: format, imageInfoArray };
  }

  private async video(app: number, p: Payload): Promise<Payload> {
    const videoUUID = str(p, 'videoUUID');
    const thumbUUID = str(p, 'thumbUUID', true);
    const thumbUrl = str(p, 'thumbUrl', true);
    if ((thumbUUID === '') !== (thumbUrl === '')) {
      throw invalid('payload.thumbUUID and thumbUrl go together');
    }
    return {
      videoUUID,
      videoUrl: await this.mediaURL(app, 'video', videoUUID, str(p, 'videoUrl'), 'videoUrl'),
      videoSecond: num(p, 'videoSecond'),
      videoFormat: str(p, 'videoFormat', true),
      videoSize: num(p, 'videoSize'),
      thumbUUID,
      thumbUrl: thumbUUID ? await this.mediaURL(app, 'image', thumbUUID, thumbUrl, 'thumbUrl') : '',
      thumbWidth: p.thumbWidth === undefined ? 0 : num(p, 'thumbWidth'),
      thumbHeight: p.thumbHeight === undefined ? 0 : num(p, 'thumbHeight'),
    };
  }

  private async merger(
    app: number,
    p: Payload,
    cloudCustomData: string,
    canReadMerger: (convKey: string) => Promise<boolean>,
  ): Promise<PreparedPayload> {
    const title = str(p, 'title');
    const compatibleText = str(p, 'compatibleText');
    if (compatibleText === '') throw invalid('payload.compatibleText is required');
    const abstractList = p.abstractList;
    if (!Array.isArray(abstractList) || abstractList.some((a) => typeof a !== 'string')) {
      throw invalid('payload.abstractList must be an array of strings');
    }
    const layersOverLimit = p.layersOverLimit === true;
    const downloadKey = p.downloadKey === undefined ? '' : str(p, 'downloadKey');
    const messageList = p.messageList === undefined ? [] : p.messageList;
    if (!Array.isArray(messageList)) throw invalid('payload.messageList must be an array');
    if (messageList.length > LIMITS.mergerMessages) {
      throw invalid(`payload.messageList has more than ${LIMITS.mergerMessages} messages`);
    }
    for (const [i, m] of messageList.entries()) {
      if (typeof m !== 'object' || m === null || typeof (m as Payload).type !== 'string') {
        throw invalid(`payload.messageList.${i} is not a message`);
      }
      const item = m as Payload;
      if (item.status === 'fail' || item.status === 'unSend') {
        throw invalid(`payload.messageList.${i} was not sent`);
      }
      if (item.type === 'TIMGroupTipElem' || item.type === 'TIMGroupSystemNoticeElem') {
        throw invalid(`payload.messageList.${i}: group tips cannot be merged`);
      }
    }
    const base = { title, abstractList, compatibleText, layersOverLimit };
    let listJSON: string;
    if (messageList.length === 0) {
      // Forwarding a large merged message: copy the stored list the sender may read.
      if (downloadKey === '') throw invalid('payload.messageList is empty');
      const stored = await this.storage.getMergerList(app, downloadKey);
      if (!stored || !(await canReadMerger(stored.convKey))) {
        throw invalid('payload.downloadKey is unknown');
      }
      listJSON = stored.messageList;
    } else {
      listJSON = JSON.stringify(messageList);
    }
    const inline = { ...base, messageList: JSON.parse(listJSON) as unknown[], downloadKey: '' };
    const inlineBytes = byteLength(JSON.stringify(inline)) + byteLength(cloudCustomData);
    if (
      byteLength(listJSON) <= LIMITS.mergerInlineBytes &&
      inlineBytes <= LIMITS.messageBodyBytes
    ) {
      return { payload: inline };
    }
    const key = randomBytes(24).toString('base64url');
    const apart = { ...base, messageList: [], downloadKey: key };
    checkBody(apart, cloudCustomData);
    return { payload: apart, merger: { downloadKey: key, messageList: listJSON } };
  }
}
