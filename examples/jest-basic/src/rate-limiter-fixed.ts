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
  let lastSweep = now()
  return {
    allow(client) {
      const t = now()
      // The fix: once per window, forget the clients with no hit inside the window.
      if (t - lastSweep >= windowMs) {
        for (const [key, times] of hits) if (t - times[times.length - 1]! >= windowMs) hits.delete(key)
        lastSweep = t
      }
      const recent = (hits.get(client) ?? []).filter((at) => t - at < windowMs)
      const allowed = recent.length < limit
      if (allowed) recent.push(t)
      hits.set(client, recent)
      return allowed
    },
  }
}
