/**
 * A scripted, OpenAI-compatible Chat Completions server on 127.0.0.1, standing in for the model
 * behind n8n's "OpenAI Chat Model" node (its credential's Base URL points here). It answers
 * `POST /v1/chat/completions` from a script: a function of the conversation so far that returns
 * either tool calls or the final text. Plain JSON and `stream: true` (server-sent events) are
 * both answered. Every request is recorded, so a test can check what the model was shown: the
 * tools' names, descriptions and argument schemas, and the tool results.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{
		id: string;
		type: 'function';
		function: { name: string; arguments: string };
	}>;
	tool_call_id?: string;
}

export interface ChatTool {
	type: 'function';
	function: {
		name: string;
		description?: string;
		parameters?: {
			properties?: Record<string, { type?: string; description?: string }>;
			required?: string[];
		};
	};
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
}

export type ScriptStep =
	{ toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> } | { text: string };

export interface ScriptedOpenAi {
	/** Base URL for the OpenAI credential, e.g. `http://127.0.0.1:41234/v1`. */
	url: string;
	requests: ChatRequest[];
	close(): Promise<void>;
}

/** The text of a message (string content or text parts). */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	return (message.content ?? []).map((part) => part.text ?? '').join('');
}

export async function startScriptedOpenAi(
	script: (request: ChatRequest) => ScriptStep,
): Promise<ScriptedOpenAi> {
	const requests: ChatRequest[] = [];
	let callNumber = 0;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.method === 'GET' && req.url?.endsWith('/models')) {
				send(200, {
					object: 'list',
					data: [{ id: 'scripted-model', object: 'model', owned_by: 'test' }],
				});
				return;
			}
			if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
				send(404, { error: { message: `not scripted: ${req.method} ${req.url}` } });
				return;
			}
			let request: ChatRequest;
			let step: ScriptStep;
			try {
				request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
				requests.push(request);
				step = script(request);
			} catch (error) {
				send(500, { error: { message: `script failed: ${(error as Error).message}` } });
				return;
			}
			const id = `chatcmpl-${++callNumber}`;
			const created = Math.floor(Date.now() / 1000);
			const toolCalls =
				'toolCalls' in step
					? step.toolCalls.map((call, index) => ({
							index,
							id: `call_${callNumber}_${index}`,
							type: 'function' as const,
							function: { name: call.name, arguments: JSON.stringify(call.arguments) },
						}))
					: undefined;
			const message = toolCalls
				? {
						role: 'assistant',
						content: null,
						tool_calls: toolCalls.map(({ index: _index, ...call }) => call),
					}
				: { role: 'assistant', content: (step as { text: string }).text };
			const finishReason = toolCalls ? 'tool_calls' : 'stop';
			const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
			if (!request.stream) {
				send(200, {
					id,
					object: 'chat.completion',
					created,
					model: request.model,
					choices: [{ index: 0, message, finish_reason: finishReason }],
					usage,
				});
				return;
			}
			res.writeHead(200, {
				'content-type': 'text/event-stream',
				'cache-control': 'no-cache',
				connection: 'keep-alive',
			});
			const event = (delta: unknown, finish: string | null, extra: object = {}) =>
				res.write(
					`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`,
				);
			event(
				toolCalls
					? { role: 'assistant', content: null, tool_calls: toolCalls }
					: { role: 'assistant', content: message.content },
				null,
			);
			event({}, finishReason, { usage });
			res.end('data: [DONE]\n\n');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
