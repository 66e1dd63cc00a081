import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

export class ScravioApi implements ICredentialType {
	name = 'scravioApi';

	displayName = 'Scravio API';

	icon: Icon = { light: 'file:../icons/scravio.svg', dark: 'file:../icons/scravio.dark.svg' };

	documentationUrl = 'https://github.com/scravio/n8n-nodes-scravio#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'A key starting with sk_live_, sent as X-API-Key',
				},
				{
					name: 'Access Token',
					value: 'accessToken',
					description: 'A user access token, sent as Authorization: Bearer',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk_live_...',
			description: 'Create one in the API Keys dashboard of Scravio',
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			placeholder: 'ws_...',
			description:
				'Optional. Sent as X-Workspace-Id on workspace-aware requests. Leave empty to use the key’s workspace or the account’s default. A node can override it.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.scravio.com/api',
			description: 'Change only to use the Scravio sandbox or a proxy',
		},
	];

	// n8n applies this to every request made with httpRequestWithAuthentication. Exactly one
	// auth header is set; the workspace header is added by the transport, which knows the
	// routes that must not get it.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = { ...(requestOptions.headers ?? {}) };
		if (credentials.authentication === 'accessToken') {
			headers.Authorization = `Bearer ${credentials.accessToken as string}`;
		} else {
			headers['X-API-Key'] = credentials.apiKey as string;
		}
		return { ...requestOptions, headers };
	}

	// The Test sends the secret like every request, so it must not follow a redirect either: a
	// Base URL that answers 3xx would otherwise hand X-API-Key or the token to whatever host the
	// Location names. A redirect fails the Test with a message that says so.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/auth/me',
			headers: {
				'X-Workspace-Id': '={{$credentials.workspaceId || undefined}}',
			},
			disableFollowRedirect: true,
		},
		rules: [301, 302, 303, 307, 308].map((code) => ({
			type: 'responseCode' as const,
			properties: {
				value: code,
				message: `The Base URL answered with a redirect (HTTP ${code}). Credentials are never sent to another address: set the Base URL to the API itself (e.g. https://api.scravio.com/api).`,
			},
		})),
	};
}
