import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";

/** Longest key the format accepts, in bytes. */
export const MAX_KEY_BYTES = 64 * 1024;
/** Longest value the format accepts, in bytes. */
export const MAX_VALUE_BYTES = 100 * 1024 * 1024;

/**
 * Checks a key: non-empty and at most {@link MAX_KEY_BYTES}.
 * @throws {ProllyError} PROLLY_INVALID_KEY
 */
export function assertValidKey(key: Uint8Array): void {
  if (key.length === 0) {
    throw new ProllyError(PROLLY_ERROR_CODES.INVALID_KEY, "empty key", {
      hint: "Keys must hold at least one byte.",
    });
  }
  if (key.length > MAX_KEY_BYTES) {
    throw new ProllyError(
      PROLLY_ERROR_CODES.INVALID_KEY,
      `key of ${key.length} bytes is longer than ${MAX_KEY_BYTES}`,
      {
        hint: `Keep keys at most ${MAX_KEY_BYTES} bytes; store large data in the value.`,
        data: { length: key.length, max: MAX_KEY_BYTES },
      },
    );
  }
}

/**
 * Checks a value: at most {@link MAX_VALUE_BYTES}.
 * @throws {ProllyError} PROLLY_INVALID_VALUE
 */
export function assertValidValue(value: Uint8Array): void {
  if (value.length > MAX_VALUE_BYTES) {
    throw new ProllyError(
      PROLLY_ERROR_CODES.INVALID_VALUE,
      `value of ${value.length} bytes is longer than ${MAX_VALUE_BYTES}`,
      {
        hint: `Keep values at most ${MAX_VALUE_BYTES} bytes.`,
        data: { length: value.length, max: MAX_VALUE_BYTES },
      },
    );
  }
}
