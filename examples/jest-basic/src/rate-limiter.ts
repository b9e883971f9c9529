export interface RateLimiterOptions {
  /** Requests allowed per client per window. */
  limit: number
  windowMs: number
  now?: () => number
}

export interface RateLimiter {
  /** Records a request from `client`; false when the client is over its limit. */
  allow(client: string): boolean
}

// A sliding-window rate limiter, e.g. per client IP address.
export function createRateLimiter({ limit, windowMs, now = Date.now }: RateLimiterOptions): RateLimiter {
  const hits = new Map<string, number[]>()
  return {
    allow(client) {
      const t = now()
      const recent = (hits.get(client) ?? []).filter((at) => t - at < windowMs)
      const allowed = recent.length < limit
      if (allowed) recent.push(t)
      // The bug: old hits are dropped, but a client that never comes back keeps its entry
      // forever. Every client address ever seen stays in `hits`.
      hits.set(client, recent)
      return allowed
    },
  }
}
