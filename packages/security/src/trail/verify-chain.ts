// Checks a stream of records against their hashes, links, positions and signed checkpoints.

import { canonicalHash } from './canonical.js';
import type { TrailAppendResult, TrailProblem, TrailProblemKind } from './types.js';

/** What the verifier reads of a record: its position, links and canonical text. */
export interface VerifiableRow {
  seq: number;
  hash: string;
  prev_hash: string;
  /** The canonical encoding (see `recordCanonical`), as built from the stored columns. */
  canonical: string;
}

/** The record before the first one checked: its seq, and its hash when known. */
export interface ChainAnchor {
  seq: number;
  hash: string | undefined;
}

interface Row {
  seq: number;
  hash: string;
  prev: string;
  /** The stored hash equals the hash recomputed from the stored columns. */
  intact: boolean;
}

/** Rows kept ahead of the one being judged, to recognise moved and inserted records. */
// TODO(trail-far-moves): a record moved further than this is reported as `edited`, not
// `reordered`; it is found either way, only the kind differs.
const LOOKAHEAD = 256;
const LOOKBACK = 256;
const MAX_PROBLEMS = 10_000;

/**
 * Verifies records fed in seq order, page by page. A broken link is explained by looking at the
 * neighbours: the record two back (one was inserted), a later record (moved), a later record
 * linking to the previous one (this one was inserted), or else the previous record was edited
 * and re-hashed. A content hash that does not match is an edit; a gap in seq is a deletion.
 */
export class ChainVerifier {
  readonly problems: TrailProblem[] = [];
  records = 0;
  #window: Row[] = [];
  #next = 0;
  #last: Row;
  readonly #explained = new Set<number>();
  readonly #reported = new Set<string>();
  readonly #checkpoints: Map<number, string>;

  /** `checkpoints`: seq -> hash of the checkpoints whose signature is valid. */
  constructor(anchor: ChainAnchor, checkpoints: Map<number, string>) {
    this.#last = { seq: anchor.seq, hash: anchor.hash ?? '', prev: '', intact: true };
    this.#checkpoints = checkpoints;
    if (anchor.hash === undefined) this.#explained.add(anchor.seq);
  }

  /** Feeds the next page of records (ascending seq). */
  push(page: readonly VerifiableRow[]): void {
    for (const r of page) {
      const intact = canonicalHash(r.canonical) === r.hash;
      this.#window.push({ seq: r.seq, hash: r.hash, prev: r.prev_hash, intact });
    }
    while (this.#window.length - this.#next > LOOKAHEAD) this.#judge();
    if (this.#next > 4 * LOOKBACK) {
      this.#window = this.#window.slice(this.#next - LOOKBACK);
      this.#next = LOOKBACK;
    }
  }

  /**
   * Judges the remaining records and the end of the chain. `expectedEnd` is the seq the chain
   * should reach (its head row, or the end of the range), when known.
   */
  finish(expectedEnd?: number): { head: TrailAppendResult | undefined } {
    while (this.#next < this.#window.length) this.#judge();
    const last = this.#last;

    let missingTail = expectedEnd !== undefined && expectedEnd > last.seq;
    for (const seq of this.#checkpoints.keys()) if (seq > last.seq) missingTail = true;
    if (missingTail) {
      this.#report(
        'truncated',
        last.seq + 1,
        'The records from here on are missing; a checkpoint or the head says they existed.',
      );
    } else if (expectedEnd !== undefined && expectedEnd < last.seq) {
      this.#report('inserted', expectedEnd + 1, 'Records lie beyond the head of the chain.');
    }
    this.problems.sort((a, b) => a.seq - b.seq);
    return { head: this.records > 0 ? { seq: last.seq, hash: last.hash } : undefined };
  }

  #judge(): void {
    const i = this.#next;
    const r = this.#window[i] as Row;
    const p = i > 0 ? (this.#window[i - 1] as Row) : this.#last;
    this.#next += 1;
    this.records += 1;

    const gap = r.seq > p.seq + 1;
    if (gap) {
      for (let seq = p.seq + 1; seq < r.seq && this.problems.length < MAX_PROBLEMS; seq++) {
        this.#report('deleted', seq, 'This record is missing from the chain.');
      }
    } else if (r.prev !== p.hash && !this.#explained.has(p.seq) && !this.#explained.has(r.seq)) {
      this.#explainLink(i, r, p);
    }

    if (!r.intact && !this.#explained.has(r.seq)) {
      this.#report('edited', r.seq, 'The record does not match its hash.');
    }
    const signed = this.#checkpoints.get(r.seq);
    if (signed !== undefined && signed !== r.hash && !this.#explained.has(r.seq)) {
      this.#report(
        'edited',
        r.seq,
        'The record does not match the signed checkpoint at its position.',
      );
    }
    this.#last = r;
  }

  #explainLink(i: number, r: Row, p: Row): void {
    const ahead = this.#window.slice(i + 1, i + 1 + LOOKAHEAD);
    const successorOfPrevious = ahead.find((x) => x.prev === p.hash);
    if (!r.intact) {
      if (successorOfPrevious)
        this.#explain('inserted', r, 'This record was inserted into the chain.');
      return; // otherwise the content edit of r explains it
    }

    const twoBack = i > 1 ? this.#window[i - 2] : undefined;
    if (twoBack && r.prev === twoBack.hash) {
      this.#explain('inserted', p, 'This record was inserted into the chain.');
    } else if (ahead.some((x) => x.hash === r.prev)) {
      this.#explain('reordered', r, 'This record is out of its place in the chain.');
      if (successorOfPrevious) {
        this.#explain(
          'reordered',
          successorOfPrevious,
          'This record is out of its place in the chain.',
        );
      }
    } else if (successorOfPrevious) {
      this.#explain('inserted', r, 'This record was inserted into the chain.');
    } else if (this.#window.slice(Math.max(0, i - LOOKBACK), i).some((x) => x.hash === r.prev)) {
      this.#explain('reordered', r, 'This record is out of its place in the chain.');
    } else {
      this.#report(
        'edited',
        p.seq,
        'The next record does not link to this one: it was edited and re-hashed, ' +
          'or the record after it was removed and the rest renumbered.',
      );
    }
  }

  #explain(kind: TrailProblemKind, row: Row, detail: string): void {
    this.#explained.add(row.seq);
    // A record found to be inserted or moved was judged before; its content finding says no more.
    const edited = this.problems.findIndex((x) => x.kind === 'edited' && x.seq === row.seq);
    if (edited >= 0) this.problems.splice(edited, 1);
    this.#report(kind, row.seq, detail);
  }

  #report(kind: TrailProblemKind, seq: number, detail: string): void {
    const key = `${kind}:${seq}`;
    if (this.#reported.has(key) || this.problems.length >= MAX_PROBLEMS) return;
    this.#reported.add(key);
    this.problems.push({ kind, seq, detail });
  }
}
