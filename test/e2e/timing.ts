/** Prints how long a describe block took (beforeAll to afterAll) so runs can be compared per n8n version. */
export function reportTiming(label: string): void {
	let start = 0;
	beforeAll(() => {
		start = Date.now();
	});
	afterAll(() => {
		process.stderr.write(`[e2e timing] ${label}: ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
	});
}
