import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The node run as an AI agent's tool. n8n offers every `usableAsTool` node as a tool variant
 * whose type ends in "Tool" (`n8n-nodes-scravio.scravioTool`), and runs it either through a
 * SupplyDataContext (`isToolExecution()` is true) or, for the AI Agent 3.x in n8n 2.x, as a normal
 * node the engine runs on the agent's request (`isToolExecution()` is false there, the type still
 * ends in "Tool"). n8n 1.x has no `isToolExecution`.
 */
export function isToolExecution(context: IExecuteFunctions): boolean {
	if (context.getNode().type.endsWith('Tool')) return true;
	const probe = (context as { isToolExecution?: () => boolean }).isToolExecution;
	return typeof probe === 'function' && probe.call(context) === true;
}

/**
 * Return All in tool use returns at most this many objects: everything an agent receives goes
 * into the model's context (a campaign can have 100,000 leads). The model can ask for a Limit.
 */
export const TOOL_RETURN_ALL_LIMIT = 100;

/** The limit for "Return All": none in a workflow, TOOL_RETURN_ALL_LIMIT for an agent. */
export function returnAllLimit(context: IExecuteFunctions): number | undefined {
	return isToolExecution(context) ? TOOL_RETURN_ALL_LIMIT : undefined;
}

/** Added to an item with a file when an agent runs the node: agents receive JSON only. */
export const TOOL_FILE_NOTE =
	'The file is stored as binary data in this n8n execution; an AI agent receives only this JSON. ' +
	'To hand the file on, use Export > Get Download URL (a short-lived link) or let the workflow process the binary.';
