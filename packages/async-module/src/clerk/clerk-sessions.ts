// Sessions of the clerk page: a random id in a strict cookie, a CSRF token, the leased requests.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RoomRequest } from '../types.js';

/** One clerk's session. */
export interface ClerkSession {
  id: string;
  /** The principal that opened it; a session never changes hands. */
  principalId: string;
  /** The per-session token every form carries (synchroniser token pattern). */
  csrfToken: string;
  /** Requests leased for the clerk, by room, until the lease ends. */
  work: Map<string, { until: number; requests: RoomRequest[] }>;
  expiresAt: number;
}

/** The cookie that names the session. */
export const SESSION_COOKIE = 'interop_clerk';

/**
 * Sessions in memory, one process.
 *
 * TODO(clerk-sessions): behind a load balancer the clerk needs sticky sessions; sessions in the
 * store would lift that.
 */
export class ClerkSessions {
  readonly #sessions = new Map<string, ClerkSession>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** The live session of the cookie when it belongs to `principalId`; else a new one. */
  open(cookieValue: string | undefined, principalId: string, now: number): ClerkSession {
    this.#sweep(now);
    const existing = cookieValue ? this.#sessions.get(cookieValue) : undefined;
    if (existing && existing.principalId === principalId) {
      existing.expiresAt = now + this.#ttlMs;
      return existing;
    }
    const session: ClerkSession = {
      id: randomBytes(24).toString('base64url'),
      principalId,
      csrfToken: randomBytes(24).toString('base64url'),
      work: new Map(),
      expiresAt: now + this.#ttlMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session of the cookie for `principalId`, without creating one. */
  find(
    cookieValue: string | undefined,
    principalId: string,
    now: number,
  ): ClerkSession | undefined {
    const session = cookieValue ? this.#sessions.get(cookieValue) : undefined;
    if (!session || session.principalId !== principalId || session.expiresAt <= now)
      return undefined;
    return session;
  }

  #sweep(now: number): void {
    for (const [id, session] of this.#sessions) {
      if (session.expiresAt <= now) this.#sessions.delete(id);
    }
  }
}

/** Compares a submitted token with the session's in constant time. */
export function tokenMatches(session: ClerkSession, submitted: string | null): boolean {
  if (submitted === null) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
