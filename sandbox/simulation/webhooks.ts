/**
 * Export completion webhooks: one POST with a JSON body when an export completes or fails. The body
 * carries no download URL and no credentials: the receiver asks the API for the file.
 */
import type { ExportRecord } from '../model/exportModel';

export interface WebhookDelivery {
	exportId: string;
	url: string;
	event: string;
	at: string;
	status: number | null;
	error: string | null;
	body: unknown;
}

const TIMEOUT_MS = 5_000;

export class WebhookSender {
	private deliveries: WebhookDelivery[] = [];

	constructor(private readonly log: (message: string) => void) {}

	async send(
		e: ExportRecord,
		apiExport: { status: string } & Record<string, unknown>,
		nowIso: string,
	): Promise<WebhookDelivery> {
		const event = apiExport.status === 'completed' ? 'list_export.completed' : 'list_export.failed';
		const body = { event, data: apiExport, sentAt: nowIso };
		const delivery: WebhookDelivery = {
			exportId: e.id,
			url: e.webhookUrl!,
			event,
			at: nowIso,
			status: null,
			error: null,
			body,
		};
		this.deliveries.push(delivery);
		try {
			const response = await fetch(e.webhookUrl!, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'user-agent': 'Scravio-Webhooks/sandbox',
					'x-scravio-event': event,
				},
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(TIMEOUT_MS),
			});
			delivery.status = response.status;
			await response.arrayBuffer().catch(() => undefined);
		} catch (error) {
			delivery.error = (error as Error).message;
			this.log(`webhook ${event} to ${e.webhookUrl} failed: ${delivery.error}`);
		}
		return delivery;
	}

	list(): WebhookDelivery[] {
		return this.deliveries;
	}

	clear(): void {
		this.deliveries = [];
	}
}
