/** The public types of the engine harness (see ./index.ts). */
import type {
	ExecutionError,
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export type Ctor<T> = new () => T;

export interface EngineOptions {
	/** Node classes or instances. Each is registered under its `description.name`. */
	nodes: Array<INodeType | IVersionedNodeType | Ctor<INodeType | IVersionedNodeType>>;
	/** Credential classes or instances, registered under their `name`. */
	credentialTypes: Array<ICredentialType | Ctor<ICredentialType>>;
	/**
	 * Where `prepareBinaryData` puts files. Default `'memory'`: n8n-core's fallback when no
	 * storage is set up (base64 in the item, like n8n 1.x's default mode). `'filesystem'`: n8n
	 * 2.x's default, `BinaryDataService` initialised on `binaryDataPath`, files streamed to disk.
	 * n8n keeps this service once per process, so one process (test file) uses one mode.
	 */
	binaryDataMode?: 'memory' | 'filesystem';
	/** Storage folder of the `'filesystem'` mode (n8n's N8N_BINARY_DATA_STORAGE_PATH). */
	binaryDataPath?: string;
}

/** Decrypted credential data by credential type name, e.g. `{ scravioApi: { apiKey, baseUrl } }`. */
export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

export interface RunNodeArgs {
	/** Node type: `description.name` of a registered node, optionally prefixed (`n8n-nodes-scravio.scravio`). */
	type: string;
	parameters: INodeParameters;
	credentials?: CredentialsByType;
	/** Items the Start node outputs, i.e. the input of the node under test. Default `[{ json: {} }]`. */
	items?: INodeExecutionData[];
	typeVersion?: number;
	/** Name of the node under test. Default: the node's `defaults.name`, else its display name. */
	name?: string;
	continueOnFail?: boolean;
	onError?: INode['onError'];
	/**
	 * n8n's "Retry On Fail" on the node under test: n8n-core's WorkflowExecute then runs the node
	 * again when it fails (or its first output item is an error), up to `maxTries` times in all
	 * (n8n clamps it to 2..5, default 3), `waitBetweenTries` ms apart (0..5000, default 1000).
	 */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	/** Aborting it cancels the execution; the node sees it as `this.getExecutionCancelSignal()`. */
	signal?: AbortSignal;
	/** Execution mode. Default `'manual'`. */
	mode?: WorkflowExecuteMode;
}

export interface RunNodeResult {
	/** Items of the node under test, by output index (`outputs[1]` is the error output with `onError: 'continueErrorOutput'`). */
	outputs: INodeExecutionData[][];
	/** Error of the node under test (or of the execution), when it failed. */
	error?: ExecutionError;
	/** Run data of every node in the workflow. */
	runData: IRunData;
	/** The whole run, as the engine finished it (see `canceled`). */
	run: IRun;
	/**
	 * True when `signal` fired during the run. n8n then cancels the execution (its abort
	 * controller fires `this.getExecutionCancelSignal()`), waits for the running node to return,
	 * and finishes the run with that node's outcome: a node that rethrows the abort ends with
	 * `run.status === 'error'` and `error` set; `status` is `'canceled'` only when the node
	 * returned normally.
	 */
	canceled: boolean;
}

export interface RunWorkflowOptions {
	credentials?: CredentialsByType;
	/** Input items of the start node. Default `[{ json: {} }]`. */
	items?: INodeExecutionData[];
	/** Name of the node to start from. Default: the first trigger/start node n8n finds. */
	startNode?: string;
	signal?: AbortSignal;
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	/** Workflow static data (mutated in place by the run). */
	staticData?: IDataObject;
}

export interface PollArgs {
	type: string;
	parameters: INodeParameters;
	credentials?: CredentialsByType;
	typeVersion?: number;
	name?: string;
	/** `'trigger'`: a poll of an active workflow. `'manual'`: the editor's "Fetch test event". Default `'trigger'`. */
	mode?: 'trigger' | 'manual';
	/** The WHOLE workflow static data (`{ 'node:<name>': {...}, global: {...} }`). Mutated in place, then returned. */
	staticData?: IDataObject;
}

export interface PollResult {
	/** Errors the poll reported with __emitError while still emitting items. */
	reportedErrors: Error[];
	/** What `poll()` returned (`null` = nothing new). */
	items: INodeExecutionData[][] | null;
	/** The workflow static data object (the one given, mutated in place). */
	staticData: IDataObject;
	/** The node's own static data (`staticData['node:<name>']`). */
	nodeStaticData: IDataObject;
}

export interface Engine {
	/** Runs Start (manual trigger emitting `items`) → the node under test. Resolves also when the node fails. */
	runNode(args: RunNodeArgs): Promise<RunNodeResult>;
	/** Runs a full workflow (nodes + connections) and returns n8n's `IRun`. */
	runWorkflow(
		workflow: { nodes: INode[]; connections: IConnections },
		opts?: RunWorkflowOptions,
	): Promise<IRun>;
	/** Calls the node's `poll()` through n8n-core's poll machinery with a real `PollContext`. */
	poll(args: PollArgs): Promise<PollResult>;
	/** The node types registry handed to `Workflow` (for advanced use). */
	readonly nodeTypes: INodeTypes;
	/** The bytes of a binary data entry of an output item, in either binary data mode. */
	readBinary(binary: IBinaryData): Promise<Buffer>;
	/**
	 * The credential's **Test** button: its `test` request run the way n8n's CLI runs it
	 * (`CredentialsTester.runRequestTest`): n8n-core's `RoutingNode` on an `ExecuteContext`, the
	 * request through `httpRequestWithAuthentication` with the decrypted data, the test's rules.
	 */
	testCredential(
		credentialType: string,
		data: ICredentialDataDecryptedObject,
	): Promise<INodeCredentialTestResult>;
}
