// Photos before upload: made smaller in the phone, as WeChat's chooseImage
// (sizeType "compressed") does. A 12-megapixel camera JPEG of 3-15 MB becomes a
// JPEG of at most 2048 px on its long side (what the server keeps anyway:
// backend/domain/uploads.py MAX_LONG_EDGE) at quality 0.85, usually well under 1 MB,
// turned upright from its EXIF orientation. What the browser cannot decode is sent
// as it is, so the server gives its own clear refusal; but nothing over the server's
// size limit is sent at all.

// backend/domain/uploads.py MAX_PHOTO_BYTES and its message (upload.too_large).
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const TOO_LARGE = "照片不能超过 10 MB，请压缩或重新拍摄后上传。";
export const LONG_EDGE = 2048;
export const QUALITY = 0.85;
// A small photo within the long edge is sent untouched.
const SMALL_ENOUGH = 1024 * 1024;

export class PhotoTooLarge extends Error {
  constructor() {
    super(TOO_LARGE);
    this.name = "PhotoTooLarge";
  }
}

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return null;  // not an image this browser can read
  }
}

function encode(canvas) {
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
}

/** The file to send: `{ file, compressed }`. Throws PhotoTooLarge when even the
 * file to send would be over the server's limit. */
export async function prepare(file) {
  const bitmap = await decode(file);
  if (!bitmap) {
    if (file.size > MAX_PHOTO_BYTES) throw new PhotoTooLarge();
    return { file, compressed: false };
  }
  const { width, height } = bitmap;
  const scale = Math.min(1, LONG_EDGE / Math.max(width, height));
  if (scale === 1 && file.size <= SMALL_ENOUGH && file.type === "image/jpeg") {
    bitmap.close();
    return { file, compressed: false };
  }
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d");
  context.imageSmoothingQuality = "high";  // averages when shrinking: less noise, a smaller file
  context.fillStyle = "#fff";  // a transparent PNG becomes a photo on white, not black
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await encode(canvas);
  if (!blob) {
    if (file.size > MAX_PHOTO_BYTES) throw new PhotoTooLarge();
    return { file, compressed: false };
  }
  if (blob.size > MAX_PHOTO_BYTES) throw new PhotoTooLarge();
  const name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
  return { file: new File([blob], name, { type: "image/jpeg" }), compressed: true };
}

/** 1536000 → "1.5 MB"; 300000 → "293 KB". */
export function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
