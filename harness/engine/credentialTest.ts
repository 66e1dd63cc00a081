/** The credential's Test button, run the way n8n's CLI runs it. */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import { createEmptyRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { EngineCredentialsHelper, type EngineCredentialTypes } from './credentials';
import { createAdditionalData } from './execute';

/**
 * What n8n's CLI does for a credential type with a `test` request (n8n 2.40.7,
 * `packages/cli/src/services/credentials-tester.service.ts`, `runRequestTest`): a temporary node
 * type whose one property routes the test request, run by n8n-core's `RoutingNode` on an
 * `ExecuteContext` in mode `internal`, and the same mapping of errors and rules to a result.
 */
export async function runCredentialTest(
	credentialTypes: EngineCredentialTypes,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const type = credentialTypes.getByName(credentialType);
	if (!type.test)
		return { status: 'Error', message: 'No testing function found for this credential.' };
	const testRequest: ICredentialTestRequest = type.test;
	const credentialsHelper = new EngineCredentialsHelper(credentialTypes, {
		[credentialType]: data,
	});
	// The CLI applies the credential's defaults before the test (applyDefaultsAndOverwrites).
	const additionalData = createAdditionalData(credentialsHelper, undefined);
	const withDefaults = await credentialsHelper.getDecrypted(
		additionalData,
		{ id: 'test', name: 'test' },
		credentialType,
		'internal',
	);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: 'cred-test',
		name: 'credential under test',
		type: credentialType,
		data: withDefaults,
	};
	const nodeTypeCopy = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: 'Credential test',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeTypeCopy,
			getByNameAndVersion: () => nodeTypeCopy,
			getKnownTypes: () => ({}),
		},
	});
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
			message: string;
		};
		if (error.cause?.response) {
			const statusCode = error.cause.response.status;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value)
					return { status: 'Error', message: rule.properties.message };
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json as IDataObject | undefined;
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((v, k) => (v as IDataObject | undefined)?.[k], body);
			if (value === rule.properties.value)
				return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
