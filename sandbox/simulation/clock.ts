/**
 * The sandbox's virtual clock. Campaigns, jobs, exports, download links and rate limits all
 * read time from here, so tests can run a campaign in milliseconds (high speed or advance()).
 */
export class VirtualClock {
	private anchorReal: number;
	private anchorVirtual: number;
	private currentSpeed: number;

	constructor(speed = 1, start = Date.now()) {
		this.anchorReal = Date.now();
		this.anchorVirtual = start;
		this.currentSpeed = speed;
	}

	/** Virtual epoch milliseconds. */
	now(): number {
		return Math.floor(this.anchorVirtual + (Date.now() - this.anchorReal) * this.currentSpeed);
	}

	nowIso(): string {
		return new Date(this.now()).toISOString();
	}

	get speed(): number {
		return this.currentSpeed;
	}

	/** Changes the speed from this moment on; time already passed is kept. */
	setSpeed(speed: number): void {
		if (!(speed >= 0) || !Number.isFinite(speed))
			throw new Error('clock speed must be a finite number >= 0');
		this.rebase();
		this.currentSpeed = speed;
	}

	/** Jumps virtual time forward. */
	advance(ms: number): number {
		if (!(ms >= 0) || !Number.isFinite(ms))
			throw new Error('advance needs a finite number of milliseconds >= 0');
		this.rebase();
		this.anchorVirtual += ms;
		return this.now();
	}

	/** Restarts the clock at real "now" (used by reset). */
	restart(speed = this.currentSpeed): void {
		this.anchorReal = Date.now();
		this.anchorVirtual = Date.now();
		this.currentSpeed = speed;
	}

	private rebase(): void {
		const now = this.now();
		this.anchorReal = Date.now();
		this.anchorVirtual = now;
	}
}
