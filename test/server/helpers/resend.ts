/**
 * A minimal resend loop standing in for the pane's sync client: send a batch, and on a network
 * error, a timeout or a 5xx wait a little and send it again, until the server confirms it.
 * A 4xx is a bug in the test and fails at once.
 */
import type { AuditEntry } from "../../../src/engine/audit";

export interface ResendStats {
  attempts: number;
  networkErrors: number;
  timeouts: number;
  serverErrors: number;
}

export function newStats(): ResendStats {
  return { attempts: 0, networkErrors: 0, timeouts: 0, serverErrors: 0 };
}

export interface Confirmation {
  status: number;
  stored: string[];
  alreadyStored: string[];
}

export async function sendUntilStored(
  base: () => string,
  token: string,
  workbookId: string,
  entries: AuditEntry[],
  stats: ResendStats,
  opts: { timeoutMs?: number; maxAttempts?: number; onSent?: () => void } = {},
): Promise<Confirmation> {
  const maxAttempts = opts.maxAttempts ?? 400;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    stats.attempts++;
    try {
      const pending = fetch(`${base()}/api/v1/workbooks/${workbookId}/audit`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ entries }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      opts.onSent?.();
      const res = await pending;
      const body = await res.json();
      if (res.status === 200 || res.status === 201) return { status: res.status, stored: body.stored, alreadyStored: body.alreadyStored };
      if (res.status >= 500) stats.serverErrors++;
      else throw new Error(`unexpected ${res.status}: ${JSON.stringify(body)}`);
    } catch (e) {
      const err = e as Error;
      if (err.message.startsWith("unexpected")) throw err;
      if (err.name === "TimeoutError") stats.timeouts++;
      else stats.networkErrors++;
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** Math.min(attempt, 5))));
  }
  throw new Error(`batch for ${workbookId} not stored after ${maxAttempts} attempts`);
}
