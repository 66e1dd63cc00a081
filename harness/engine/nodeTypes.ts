/** The node types registry handed to n8n-workflow's `Workflow`, with the Start node `runNode` puts first. */
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeCredentials,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';

import type { Ctor, CredentialsByType } from './types';

/** Node type name of the trigger node that `runNode` puts in front of the node under test. */
export const START_NODE_TYPE = 'n8n-nodes-base.manualTrigger';
/** Name of that trigger node in the workflow `runNode` builds. */
export const START_NODE_NAME = 'Start';

/** The Start node: a manual trigger that outputs the items the engine puts on its input. */
class StartNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'When clicking ‘Execute workflow’',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Start of a test run',
		defaults: { name: START_NODE_NAME },
		inputs: [],
		outputs: ['main' as never],
		properties: [],
	};

	async execute(this: import('n8n-workflow').IExecuteFunctions) {
		return [this.getInputData()];
	}
}

export function startNode(): INode {
	return {
		id: 'start',
		name: START_NODE_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

export class EngineNodeTypes implements INodeTypes {
	private readonly byName = new Map<string, INodeType | IVersionedNodeType>();

	constructor(nodes: Array<INodeType | IVersionedNodeType>) {
		this.byName.set(START_NODE_TYPE, new StartNode());
		for (const node of nodes) this.byName.set(node.description.name, node);
	}

	getByName(type: string): INodeType | IVersionedNodeType {
		const found = this.byName.get(type) ?? this.byName.get(type.slice(type.lastIndexOf('.') + 1));
		if (!found)
			throw new UnexpectedError(`Unknown node type "${type}" (not registered in the engine)`);
		return found;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.byName.keys()].map((k) => [k, {}]));
	}
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

export function instantiate<T>(x: T | Ctor<T>): T {
	return typeof x === 'function' ? new (x as Ctor<T>)() : x;
}

export function defaultVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const v = type.description.defaultVersion ?? type.description.version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

export function defaultNodeName(type: INodeType): string {
	return type.description.defaults?.name ?? type.description.displayName;
}

export function nodeCredentials(credentials?: CredentialsByType): INodeCredentials | undefined {
	if (!credentials) return undefined;
	return Object.fromEntries(
		Object.keys(credentials).map((type, i) => [type, { id: `cred-${i + 1}`, name: type }]),
	);
}
