// The ledger of this client's commands between sending and their final word.
//
// A command is in the ledger from `send` until it is settled for good:
// `rejected`, or `accepted` and then covered by the `durable` watermark (or
// `rejected` with `reverted` after all). While in the ledger it is re-sent
// with the same `cmdId` after every reconnect; the server answers a known
// `cmdId` with its original outcome, so re-sending never applies it twice.

import { CommandError } from "./errors.js";
import type { CmdId } from "./generated/CmdId.js";
import type { Command } from "./generated/Command.js";
import type { CommandResult } from "./generated/CommandResult.js";
import type { WireError } from "./generated/WireError.js";

/** A command's first acknowledgement: decided and sequenced. */
export interface Accepted<R extends CommandResult = CommandResult> {
  cmdId: CmdId;
  /** Where the change sits in the studio's log. */
  seq: number;
  result: R;
  /**
   * Resolves with the durable watermark once the change is durable; rejects
   * with a `CommandError` (code `reverted`) if the store refused it after all,
   * or with `ConnectionClosedError` if the client closed first.
   */
  durable: Promise<number>;
}

export type BookingAccepted = Accepted<Extract<CommandResult, { kind: "booking" }>>;
export type ArtistAccepted = Accepted<Extract<CommandResult, { kind: "artist" }>>;
/** A time-off entry after the change (`requestTimeOff`, `decideTimeOff`, `cancelTimeOff`). */
export type TimeOffAccepted = Accepted<Extract<CommandResult, { kind: "timeOff" }>>;
export type ProjectAccepted = Accepted<Extract<CommandResult, { kind: "project" }>>;
/** A phase's change: the phase, and every phase `push` moved. */
export type PhaseAccepted = Accepted<Extract<CommandResult, { kind: "phase" }>>;
/** A new dependency, and every phase it pushed. */
export type DependencyAccepted = Accepted<Extract<CommandResult, { kind: "dependency" }>>;
export type DependencyRemovedAccepted = Accepted<Extract<CommandResult, { kind: "dependencyRemoved" }>>;
export type MilestoneAccepted = Accepted<Extract<CommandResult, { kind: "milestone" }>>;
/** Notifications marked read: the ids it marked (none already read) and the unread count left. */
export type ReadAccepted = Accepted<Extract<CommandResult, { kind: "read" }>>;

/** A command's promise, carrying the command id (the key of its optimistic state). */
export type CommandPromise<T> = Promise<T> & { readonly cmdId: CmdId };

interface Entry {
  cmdId: CmdId;
  command: Command;
  /** Set by the first `accepted`. */
  seq?: number;
  resolve: (a: Accepted) => void;
  reject: (e: unknown) => void;
  durableResolve?: (watermark: number) => void;
  durableReject?: (e: unknown) => void;
}

export class CommandLedger {
  /** In send order (re-sends keep it). */
  private readonly entries = new Map<CmdId, Entry>();

  /** Records a new command; its promise settles on the first answer. */
  add(cmdId: CmdId, command: Command): Promise<Accepted> {
    return new Promise<Accepted>((resolve, reject) => {
      this.entries.set(cmdId, { cmdId, command, resolve, reject });
    });
  }

  /** Everything to re-send after a reconnect, in send order. */
  *toResend(): Iterable<{ cmdId: CmdId; command: Command }> {
    yield* this.entries.values();
  }

  /** The commands sent and not yet answered, in send order. */
  *unansweredCommands(): Iterable<{ cmdId: CmdId; command: Command }> {
    for (const e of this.entries.values()) if (e.seq === undefined) yield e;
  }

  /** Commands sent and not yet answered. */
  get unanswered(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.seq === undefined) n++;
    return n;
  }

  /** Returns whether the command is ours (a re-sent one may be accepted twice, with the same outcome). */
  accepted(cmdId: CmdId, seq: number, result: CommandResult, durableSeq: number): boolean {
    const e = this.entries.get(cmdId);
    if (!e) return false;
    const first = e.seq === undefined;
    e.seq = seq;
    if (first) {
      const durable = new Promise<number>((resolve, reject) => {
        e.durableResolve = resolve;
        e.durableReject = reject;
      });
      durable.catch(() => {}); // callers may ignore durability
      e.resolve({ cmdId, seq, result, durable });
    }
    this.durable(durableSeq);
    return true;
  }

  /** Settles a refused (or, after `accepted`, reverted) command; `undefined` if it is not ours. */
  rejected(cmdId: CmdId, error: WireError): CommandError | undefined {
    const e = this.entries.get(cmdId);
    if (!e) return undefined;
    this.entries.delete(cmdId);
    const err = new CommandError(cmdId, error);
    if (e.seq === undefined) e.reject(err);
    else e.durableReject?.(err);
    return err;
  }

  /** Every accepted change up to `durableSeq` is durable. */
  durable(durableSeq: number): void {
    for (const e of this.entries.values()) {
      if (e.seq !== undefined && e.seq <= durableSeq) {
        this.entries.delete(e.cmdId);
        e.durableResolve?.(durableSeq);
      }
    }
  }

  /** The client is closing: nothing in the ledger will get an answer. */
  failAll(reason: unknown): void {
    for (const e of this.entries.values()) {
      if (e.seq === undefined) e.reject(reason);
      else e.durableReject?.(reason);
    }
    this.entries.clear();
  }
}
