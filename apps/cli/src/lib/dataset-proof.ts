import {
  type NodeId,
  decodeProof,
  decodeTree,
  encodeProof,
  gitObjectId,
  proveKey,
  sha1,
  toHex,
  verifyProof,
} from "@git-prolly/prolly-core";
import { ROOT_NAME, type VersionedKvStore } from "@git-prolly/kv-store";
import { CliError } from "./cli-error.js";
import { rootAtCommit } from "./dataset-root.js";
import { bytesToJson } from "./json-output.js";

/**
 * A self-contained proof that a key has a value (or is absent) in a dataset at a commit. It
 * carries the commit object, the Git trees from the commit's tree down to the dataset's `root`
 * entry, and prolly-core's key proof from that root to the leaf: anyone holding the commit id can
 * check it with SHA-1 alone, without the repository.
 */
export interface DatasetProof {
  readonly format: "git-prolly-proof";
  readonly version: 1;
  /** The commit the proof is anchored in. */
  readonly commit: string;
  /** The dataset's directory in that commit (`""` for the repository root). */
  readonly dataset: string;
  readonly key: string | { base64: string };
  /** What the proof claims (checked again by the verifier). */
  readonly present: boolean;
  readonly value?: string | { base64: string };
  /** Base64 objects: the commit, then one tree per path component down to `root`. */
  readonly objects: { readonly commit: string; readonly trees: readonly string[] };
  /** Base64 of prolly-core's encoded key proof from the root node to the leaf. */
  readonly proof: string;
}

/** What checking a proof established. */
export type ProofCheck =
  | {
      readonly valid: true;
      readonly commit: string;
      readonly dataset: string;
      readonly key: Uint8Array;
      readonly present: true;
      readonly value: Uint8Array;
    }
  | {
      readonly valid: true;
      readonly commit: string;
      readonly dataset: string;
      readonly key: Uint8Array;
      readonly present: false;
    }
  | { readonly valid: false; readonly reason: string };

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));
const enc = new TextEncoder();

function jsonBytes(v: string | { base64: string }): Uint8Array {
  return typeof v === "string" ? enc.encode(v) : unb64(v.base64);
}

/** The Git id of a commit object's content (prolly-core hashes only blobs and trees). */
function commitId(content: Uint8Array): string {
  return toHex(sha1([enc.encode(`commit ${content.length}\0`), content]));
}

function pathParts(dataset: string): string[] {
  return [...(dataset === "" ? [] : dataset.split("/")), ROOT_NAME];
}

/** Builds the proof of `key` in the dataset at `rev` (default `HEAD`). */
export async function proveDatasetKey(store: VersionedKvStore, key: string, rev = "HEAD"): Promise<DatasetProof> {
  const repo = store.repository;
  const { commit, root } = await rootAtCommit(store, rev);
  const commitObject = await repo.readObject(commit, "commit");
  const trees: string[] = [];
  let tree = (await repo.readCommit(commit)).tree;
  for (const part of pathParts(store.dataset)) {
    trees.push(b64((await repo.readObject(tree, "tree")).content));
    const entry = (await repo.readTree(tree)).find((e) => e.name === part);
    if (entry === undefined) break;
    tree = entry.id;
  }
  const keyProof = await proveKey(repo.createNodeStore(), root.id as NodeId, enc.encode(key));
  const verdict = verifyProof(keyProof, root.id as NodeId);
  const claim =
    verdict.valid && verdict.present ? { present: true, value: bytesToJson(verdict.value) } : { present: false };
  return {
    format: "git-prolly-proof",
    version: 1,
    commit,
    dataset: store.dataset,
    key: bytesToJson(enc.encode(key)),
    ...claim,
    objects: { commit: b64(commitObject.content), trees },
    proof: b64(encodeProof(keyProof)),
  };
}

/**
 * Checks a proof document with SHA-1 alone (no repository). `expectedCommit`, when given, must be
 * the commit the proof is anchored in (a full id or a prefix of at least 7 digits).
 */
export function checkDatasetProof(doc: unknown, expectedCommit?: string): ProofCheck {
  try {
    const p = doc as DatasetProof;
    if (typeof p !== "object" || p === null || p.format !== "git-prolly-proof" || p.version !== 1)
      return { valid: false, reason: "not a git-prolly proof (format/version)" };
    if (
      typeof p.commit !== "string" ||
      typeof p.dataset !== "string" ||
      typeof p.proof !== "string" ||
      typeof p.objects !== "object"
    ) {
      return { valid: false, reason: "incomplete proof document" };
    }
    if (
      expectedCommit !== undefined &&
      (expectedCommit.length < 7 || !p.commit.startsWith(expectedCommit.toLowerCase()))
    ) {
      return { valid: false, reason: `anchored in commit ${p.commit}, not ${expectedCommit}` };
    }
    const commitContent = unb64(p.objects.commit);
    if (commitId(commitContent) !== p.commit)
      return { valid: false, reason: `commit object does not hash to ${p.commit}` };
    const treeLine = /^tree ([0-9a-f]{40})\n/.exec(new TextDecoder().decode(commitContent.subarray(0, 64)));
    if (treeLine === null) return { valid: false, reason: "commit object has no tree" };
    let expected = treeLine[1]!;
    const parts = pathParts(p.dataset);
    if (p.objects.trees.length !== parts.length)
      return { valid: false, reason: "wrong number of trees for the dataset path" };
    for (let i = 0; i < parts.length; i++) {
      const content = unb64(p.objects.trees[i]!);
      if (gitObjectId("tree", content, sha1) !== expected)
        return { valid: false, reason: `tree ${i} does not hash to ${expected}` };
      const entry = decodeTree(content).find((e) => e.name === parts[i]);
      if (entry === undefined) return { valid: false, reason: `no ${parts[i]} in tree ${i}` };
      expected = entry.id;
    }
    const keyProof = decodeProof(unb64(p.proof));
    const key = jsonBytes(p.key);
    if (Buffer.compare(Buffer.from(keyProof.key), Buffer.from(key)) !== 0)
      return { valid: false, reason: "the key proof is for another key" };
    const verdict = verifyProof(keyProof, expected as NodeId);
    if (!verdict.valid) return { valid: false, reason: verdict.reason };
    if (verdict.present !== p.present) return { valid: false, reason: "the document's claim does not match the proof" };
    if (verdict.present) {
      if (p.value === undefined || Buffer.compare(Buffer.from(jsonBytes(p.value)), Buffer.from(verdict.value)) !== 0) {
        return { valid: false, reason: "the document's value does not match the proof" };
      }
      return { valid: true, commit: p.commit, dataset: p.dataset, key, present: true, value: verdict.value };
    }
    return { valid: true, commit: p.commit, dataset: p.dataset, key, present: false };
  } catch (e) {
    return { valid: false, reason: e instanceof Error ? e.message : "undecodable proof" };
  }
}

/** Parses a proof file's text. @throws {CliError} CLI_BAD_FORMAT */
export function parseProofDocument(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliError("CLI_BAD_FORMAT", `'${path}' is not a proof document (invalid JSON)`, {
      hint: "give the JSON that `git-prolly proof <key>` printed",
      data: { path },
      cause,
    });
  }
}
