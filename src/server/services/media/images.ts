/**
 * Image uploads: format detection and the renditions of Tencent's imageInfoArray, made with sharp:
 * large (short side LIMITS.imageLargeShortSide = 720 px) and thumbnail (198 px), never upscaled
 * (an image already that small is its own rendition). JPEG, PNG, WebP, GIF (animated kept) and
 * AVIF are accepted; anything else (SVG, TIFF, HEIC, not an image) is refused.
 */
import sharp from 'sharp';
import { LIMITS } from '../../../protocol/constants.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif';

export const IMAGE_CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

export const IMAGE_EXTENSIONS: Record<ImageFormat, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  avif: 'avif',
};

export interface Rendition {
  /** 1 large, 2 thumbnail. */
  type: 1 | 2;
  /** null: the original is small enough and serves as this rendition. */
  data: Buffer | null;
  width: number;
  height: number;
}

export interface ImageAnalysis {
  format: ImageFormat;
  /** Displayed size (EXIF orientation applied). */
  width: number;
  height: number;
  renditions: Rendition[];
}

/** null when the bytes are not an accepted image. */
export async function analyzeImage(input: Buffer): Promise<ImageAnalysis | null> {
  const meta = await sharp(input)
    .metadata()
    .catch(() => null);
  if (!meta) return null;
  let format: ImageFormat;
  if (meta.format === 'heif' && meta.compression === 'av1') format = 'avif';
  else if (
    meta.format === 'jpeg' ||
    meta.format === 'png' ||
    meta.format === 'webp' ||
    meta.format === 'gif'
  ) {
    format = meta.format;
  } else return null;
  if (!meta.width || !meta.height) return null;
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  const animated = (format === 'gif' || format === 'webp') && (meta.pages ?? 1) > 1;
  const pageHeight = animated ? (meta.pageHeight ?? height) : height;
  const renditions: Rendition[] = [];
  for (const [type, shortSide] of [
    [1, LIMITS.imageLargeShortSide],
    [2, LIMITS.imageThumbShortSide],
  ] as const) {
    if (Math.min(width, pageHeight) <= shortSide) {
      renditions.push({ type, data: null, width, height });
      continue;
    }
    const resize = width <= pageHeight ? { width: shortSide } : { height: shortSide };
    try {
      const { data, info } = await sharp(input, { animated })
        .rotate()
        .resize({ ...resize, withoutEnlargement: true })
        .toFormat(format === 'avif' ? 'avif' : format)
        .toBuffer({ resolveWithObject: true });
      renditions.push({ type, data, width: info.width, height: info.pageHeight ?? info.height });
    } catch {
      return null;
    }
  }
  return { format, width, height: pageHeight, renditions };
}
