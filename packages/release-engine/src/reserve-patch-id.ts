import { PATCH_ID_REF_PREFIX, patchIdRef } from "./branch-names.js";
import type { GitPort } from "./git-port.js";
import { currentHolder, defaultRemote, formatLockMessage, parseLockMessage, type LockOwner } from "./origin-lock.js";
import { assertPatchId } from "./patch-id.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** A patch id reserved on the remote. */
export interface PatchIdReservation {
  patchId: string;
  /** `refs/git-prolly/patch-id/<id>`. */
  ref: string;
  /** The reservation commit. */
  id: string;
  holder: LockOwner;
}

const FOREVER = 100 * 365 * 24 * 3600 * 1000;

/** Options of {@link reservePatchId}. */
export interface ReservePatchIdOptions {
  /** The remote (default `origin` when configured, else the local repository). */
  remote?: string;
  /** The command recorded in the reservation (default `patch new <id>`). */
  command?: string;
  /**
   * Reserve the id's number (`refs/git-prolly/patch-id/<number>`), as half_orm_dev does: then
   * `123-a` and `123-b` cannot both exist ("Patch number 123 already reserved"). Default false: the whole id.
   */
  byNumber?: boolean;
}

function reservedPatchId(message: string): string | undefined {
  const start = message.indexOf("{");
  try {
    const v = JSON.parse(message.slice(start)) as { patchId?: unknown };
    return typeof v.patchId === "string" ? v.patchId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reserves a patch id on the remote before its branch is pushed: a commit naming the holder is
 * pushed to `refs/git-prolly/patch-id/<id>` with a lease saying the ref must not exist, so of two
 * developers creating the same id exactly one succeeds. A taken id is `RELEASE_PATCH_ID_RESERVED`
 * with its holder; the same owner (`user.email`) reserving again gets the existing reservation
 * (a retry after a failed `patch new`). Reservations never expire (ids are never reused). The remote defaults to
 * `origin` when configured, else the local repository (`.`).
 */
export async function reservePatchId(
  git: GitPort,
  patchId: string,
  options: ReservePatchIdOptions = {},
): Promise<PatchIdReservation> {
  assertPatchId(patchId);
  const remote = options.remote ?? (await defaultRemote(git));
  const number = patchId.split("-")[0]!;
  const ref = options.byNumber === true ? `${PATCH_ID_REF_PREFIX}${number}` : patchIdRef(patchId);
  const holder = await currentHolder(git, options.command ?? `patch new ${patchId}`, FOREVER, new Date());
  const id = await git.createDetachedCommit(formatLockMessage({ ...holder, patchId } as LockOwner, ref));
  const pushed = await git.pushWithLease(remote, { ref, newValue: id, expected: null });
  if (pushed.ok) return { patchId, ref, id, holder };
  if (pushed.reason === "rejected" && (await git.lsRemote(remote, ref)).size === 0) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.GIT_FAILED,
      `Could not reserve patch id ${patchId} on ${remote}: ${pushed.message}`,
      {
        hint: `Check that you can push to ${remote} (git push ${remote} ho-prod --dry-run)`,
        data: { patchId, ref },
      },
    );
  }
  const found = await git.readRemoteCommit(remote, ref);
  const other = found === undefined ? undefined : parseLockMessage(found.message);
  const reservedId = found === undefined ? undefined : reservedPatchId(found.message);
  // The same developer running `patch new` again after a failure keeps their reservation.
  if (
    found !== undefined &&
    other !== undefined &&
    other.owner === holder.owner &&
    (reservedId === undefined || reservedId === patchId)
  )
    return { patchId, ref, id: found.id, holder: other };
  const what =
    options.byNumber === true
      ? `Patch number ${number} already reserved${reservedId === undefined ? "" : ` by patch ${reservedId}`}`
      : `Patch id ${patchId} already reserved`;
  throw new ReleaseError(
    RELEASE_ERROR_CODES.PATCH_ID_RESERVED,
    `${what}${other === undefined ? "" : ` by ${other.owner} on ${other.host} at ${other.acquiredAt}`}`,
    {
      hint:
        "Choose another id (ids are never reused), or fetch the existing patch: git fetch origin && git checkout ho-patch/" +
        (reservedId ?? patchId),
      data: {
        patchId,
        ref,
        ...(reservedId === undefined ? {} : { reservedBy: reservedId }),
        ...(other === undefined ? {} : { holder: other }),
      },
    },
  );
}

/** Gives a reservation back (when creating the patch failed before its branch was pushed); lease on the reservation's id. */
export async function releasePatchIdReservation(
  git: GitPort,
  reservation: PatchIdReservation,
  options: { remote?: string } = {},
): Promise<void> {
  await git.pushWithLease(options.remote ?? (await defaultRemote(git)), {
    ref: reservation.ref,
    newValue: null,
    expected: reservation.id,
  });
}
