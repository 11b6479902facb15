/**
 * The body of one message bubble, per message type. Every value from a message goes into the DOM
 * through text bindings or attribute bindings (URLs through `safeUrl`), never as HTML.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { TYPES } from '../../protocol/constants.js';
import {
  messageForShow,
  type AudioPayload,
  type CustomPayload,
  type FacePayload,
  type FilePayload,
  type ImagePayload,
  type LocationPayload,
  type MergerPayload,
  type Message,
  type TextPayload,
  type VideoPayload,
} from '../../protocol/types.js';
import {
  fillTemplate,
  fitBox,
  formatDuration,
  humanSize,
  imageRendition,
  safeUrl,
  splitMentions,
} from '../base/message-utils.js';
import type { MessageAction } from '../events.js';
import { fileIcon, locationIcon } from '../base/icons.js';

/** Renders custom messages; null / undefined falls back to `[Custom message] description`. */
export type CustomRenderer = (message: Message) => TemplateResult | string | null | undefined;

export interface ContentOptions {
  /** `https://maps.example/?q={lat},{lng}`: location messages link there. */
  mapUrlTemplate?: string;
  /** `https://cdn.example/faces/{index}.png` (`{index}`, `{data}`): face messages as images. */
  faceUrlTemplate?: string;
  customRenderer?: CustomRenderer;
  /** A local object URL of media being sent. */
  preview?: string;
  act: (action: MessageAction) => void;
}

/** Thumbnails fit in a square of this size (px). */
export const THUMB_BOX = 240;

function text(m: Message) {
  const value = String((m.payload as Partial<TextPayload>).text ?? '');
  const pieces = splitMentions(value, Array.isArray(m.atUserList) ? m.atUserList : []);
  return html`<span class="text"
    >${pieces.map((p) => (p.mention ? html`<span part="mention">${p.text}</span>` : p.text))}</span
  >`;
}

function image(m: Message, o: ContentOptions) {
  const p = m.payload as Partial<ImagePayload>;
  const info = imageRendition(p, [2, 1, 0]);
  const src = (info && safeUrl(info.url)) || o.preview;
  const { w, h } = fitBox(info?.width ?? 0, info?.height ?? 0, THUMB_BOX);
  if (!src) {
    return html`<span part="image-placeholder" style="width:${w}px;height:${h}px">Image</span>`;
  }
  return html`<button
    part="image-button"
    type="button"
    aria-label="Open image"
    @click=${() => o.act('open-image')}
  >
    <img part="image" src=${src} alt="Image" width=${w} height=${h} decoding="async" />
  </button>`;
}

function file(m: Message) {
  const p = m.payload as Partial<FilePayload>;
  const name = String(p.fileName || 'File');
  const url = safeUrl(p.fileUrl);
  return html`<div part="file">
    <span part="file-icon">${fileIcon}</span>
    <span part="file-info">
      ${
        url
          ? html`<a part="file-link" href=${url} download=${name} target="_blank" rel="noopener"
              >${name}</a
            >`
          : html`<span part="file-name">${name}</span>`
      }
      <span part="file-size">${humanSize(Number(p.fileSize))}</span>
    </span>
  </div>`;
}

function audio(m: Message) {
  const p = m.payload as Partial<AudioPayload>;
  const url = safeUrl(p.url);
  const duration = formatDuration(Number(p.second));
  return html`<div part="audio-player">
    ${
      url
        ? html`<audio
            part="audio"
            controls
            preload="none"
            src=${url}
            aria-label=${`Voice message, ${duration}`}
          ></audio>`
        : html`<span>Voice message</span>`
    }
    <span part="duration">${duration}</span>
  </div>`;
}

function video(m: Message, o: ContentOptions) {
  const p = m.payload as Partial<VideoPayload>;
  const url = safeUrl(p.videoUrl) || o.preview;
  const poster = safeUrl(p.thumbUrl);
  const { w, h } = fitBox(Number(p.thumbWidth) || 0, Number(p.thumbHeight) || 0, THUMB_BOX);
  const duration = formatDuration(Number(p.videoSecond));
  return html`<div part="video-player">
    ${
      url
        ? html`<video
            part="video"
            controls
            preload="none"
            src=${url}
            poster=${poster ?? nothing}
            width=${w}
            height=${h}
            aria-label=${`Video, ${duration}`}
          ></video>`
        : html`<span>Video</span>`
    }
    <span part="duration">${duration}</span>
  </div>`;
}

function coordinate(value: unknown): string {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(5) : '?';
}

function location(m: Message, o: ContentOptions) {
  const p = m.payload as Partial<LocationPayload>;
  const lat = Number(p.latitude);
  const lng = Number(p.longitude);
  const map =
    Number.isFinite(lat) && Number.isFinite(lng)
      ? fillTemplate(o.mapUrlTemplate, { lat, lng, latitude: lat, longitude: lng })
      : undefined;
  return html`<div part="location">
    <span part="location-icon">${locationIcon}</span>
    <span part="location-info">
      <span part="location-description">${String(p.description || 'Location')}</span>
      <span part="location-coordinates">${coordinate(p.latitude)}, ${coordinate(p.longitude)}</span>
      ${
        map
          ? html`<a part="map-link" href=${map} target="_blank" rel="noopener noreferrer"
              >Open map</a
            >`
          : nothing
      }
    </span>
  </div>`;
}

function face(m: Message, o: ContentOptions) {
  const p = m.payload as Partial<FacePayload>;
  const index = Number(p.index) || 0;
  const data = String(p.data ?? '');
  const src = fillTemplate(o.faceUrlTemplate, { index, data });
  const label = data ? `Sticker ${data}` : `Sticker ${index}`;
  return src
    ? html`<img part="face" src=${src} alt=${label} />`
    : html`<span part="face-label">[${label}]</span>`;
}

function custom(m: Message, o: ContentOptions) {
  let rendered: TemplateResult | string | null | undefined = null;
  try {
    rendered = o.customRenderer?.(m);
  } catch {
    rendered = null;
  }
  if (rendered !== null && rendered !== undefined && rendered !== '') {
    return typeof rendered === 'string' ? html`<span class="text">${rendered}</span>` : rendered;
  }
  const description = String((m.payload as Partial<CustomPayload>).description ?? '');
  return html`<span part="custom">[Custom message]${description ? ` ${description}` : ''}</span>`;
}

function merger(m: Message, o: ContentOptions) {
  const p = m.payload as Partial<MergerPayload>;
  const abstracts = Array.isArray(p.abstractList) ? p.abstractList.slice(0, 4) : [];
  return html`<div part="merger" @click=${() => o.act('open-merger')}>
    <span part="merger-title">${String(p.title || 'Chat history')}</span>
    ${
      abstracts.length
        ? html`<ul part="merger-abstracts">
            ${abstracts.map((a) => html`<li>${String(a)}</li>`)}
          </ul>`
        : nothing
    }
    <button part="merger-open" type="button">View chat history</button>
  </div>`;
}

/** The bubble body for `m`. */
export function renderContent(m: Message, o: ContentOptions): TemplateResult {
  switch (m.type) {
    case TYPES.MSG_TEXT:
      return text(m);
    case TYPES.MSG_IMAGE:
      return image(m, o);
    case TYPES.MSG_FILE:
      return file(m);
    case TYPES.MSG_AUDIO:
      return audio(m);
    case TYPES.MSG_VIDEO:
      return video(m, o);
    case TYPES.MSG_LOCATION:
      return location(m, o);
    case TYPES.MSG_FACE:
      return face(m, o);
    case TYPES.MSG_CUSTOM:
      return html`${custom(m, o)}`;
    case TYPES.MSG_MERGER:
      return merger(m, o);
    default:
      return html`<span class="text">${messageForShow(m.type, m.payload)}</span>`;
  }
}

/** A short kind name for the `bubble-<kind>` part. */
export function contentKind(m: Message): string {
  switch (m.type) {
    case TYPES.MSG_TEXT:
      return 'text';
    case TYPES.MSG_IMAGE:
      return 'image';
    case TYPES.MSG_FILE:
      return 'file';
    case TYPES.MSG_AUDIO:
      return 'audio';
    case TYPES.MSG_VIDEO:
      return 'video';
    case TYPES.MSG_LOCATION:
      return 'location';
    case TYPES.MSG_FACE:
      return 'face';
    case TYPES.MSG_CUSTOM:
      return 'custom';
    case TYPES.MSG_MERGER:
      return 'merger';
    default:
      return 'other';
  }
}
