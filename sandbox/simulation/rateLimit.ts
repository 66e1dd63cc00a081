/**
 * Sliding-window rate limits on the virtual clock. A refused request is not counted and changes
 * nothing, so a client that waits Retry-After seconds gets through.
 */
export interface RateLimitRule {
	limit: number;
	windowSeconds: number;
}

export class RateLimiter {
	private readonly hits = new Map<string, number[]>();

	/** Counts a hit if allowed; otherwise returns the seconds until the oldest hit leaves the window. */
	hit(
		key: string,
		rule: RateLimitRule,
		now: number,
	): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
		const windowMs = rule.windowSeconds * 1000;
		const recent = (this.hits.get(key) ?? []).filter((at) => at > now - windowMs);
		if (recent.length >= rule.limit) {
			this.hits.set(key, recent);
			const retryAfterSeconds = Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
			return { allowed: false, retryAfterSeconds };
		}
		recent.push(now);
		this.hits.set(key, recent);
		return { allowed: true };
	}

	clear(): void {
		this.hits.clear();
	}
}
