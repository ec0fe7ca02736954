/**
 * @git-prolly/reader: what applications import to read a git-prolly dataset at runtime, from
 * the checked-out files (no `.git` needed) or from any committed version (`{ ref }`).
 * No runtime dependencies: prolly-core's node decoder is bundled at build time.
 * @packageDocumentation
 */
export { READER_ERROR_CODES, ReaderError, type ReaderErrorCode } from "./errors.js";
export { DATASET_FORMAT_VERSION } from "./manifest.js";
export { type Decoder, type Key, type ListOptions, type OpenOptions, Reader, type ReaderEntry, open } from "./reader.js";
