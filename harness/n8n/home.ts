/** n8n homes: one N8N_USER_FOLDER each, with its own ports and environment. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { isInstalled, type N8nInstall } from './install';

export interface N8nHome {
	install: N8nInstall;
	/** N8N_USER_FOLDER; n8n keeps its data in `<userFolder>/.n8n`. */
	userFolder: string;
	/** `<userFolder>/.n8n` */
	n8nDir: string;
	/** `<userFolder>/.n8n/nodes`, where community packages are installed. */
	nodesDir: string;
	port: number;
	brokerPort: number;
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Full environment of every n8n process run for this home. */
	env: NodeJS.ProcessEnv;
}

export interface CreateHomeOptions {
	/** Extra or overriding environment variables for n8n. */
	env?: Record<string, string>;
	/** Parent folder of the temp user folder (default: os.tmpdir()). */
	parentDir?: string;
	/** A fixed, persistent user folder instead of a new temp one (created if missing; never wiped here). */
	userFolder?: string;
	port?: number;
	brokerPort?: number;
}

const handedOutPorts = new Set<number>();

/** A free TCP port on 127.0.0.1 not handed out before by this process. */
export async function getFreePort(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const srv = net.createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const addr = srv.address() as net.AddressInfo;
				srv.close(() => resolve(addr.port));
			});
		});
		if (!handedOutPorts.has(port)) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('no free port found');
}

export async function createN8nHome(
	install: N8nInstall,
	opts: CreateHomeOptions = {},
): Promise<N8nHome> {
	if (!isInstalled(install)) {
		throw new Error(
			`n8n ${install.version} is not installed in ${install.dir}; run harness/n8n/install-n8n.sh ${install.major}`,
		);
	}
	const userFolder = opts.userFolder
		? path.resolve(opts.userFolder)
		: fs.mkdtempSync(path.join(opts.parentDir ?? os.tmpdir(), `n8n-${install.version}-home-`));
	const n8nDir = path.join(userFolder, '.n8n');
	const nodesDir = path.join(n8nDir, 'nodes');
	fs.mkdirSync(n8nDir, { recursive: true });
	const port = opts.port ?? (await getFreePort());
	const brokerPort = opts.brokerPort ?? (await getFreePort());
	const env: NodeJS.ProcessEnv = {
		...process.env,
		// Never inherit n8n settings of the developer's own shell.
		...Object.fromEntries(
			Object.keys(process.env)
				.filter((k) => k.startsWith('N8N_') || k.startsWith('DB_'))
				.map((k) => [k, undefined]),
		),
		// Under jest NODE_ENV is "test", and n8n then logs nothing: `n8n execute` printed no run.
		NODE_ENV: undefined,
		JEST_WORKER_ID: undefined,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		// `info` is required: at `warn` or above `n8n execute` prints nothing.
		N8N_LOG_LEVEL: 'info',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		...install.env,
		...(opts.env ?? {}),
	};
	for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
	// The node binary for 2.x lives in the install; make `node` in child processes the same one.
	if (path.isAbsolute(install.nodeBin)) {
		env.PATH = `${path.dirname(install.nodeBin)}${path.delimiter}${env.PATH ?? ''}`;
	}
	return {
		install,
		userFolder,
		n8nDir,
		nodesDir,
		port,
		brokerPort,
		url: `http://127.0.0.1:${port}`,
		env,
	};
}

/** Deletes the home's temp folder (stop its server first). */
export async function removeN8nHome(home: N8nHome): Promise<void> {
	handedOutPorts.delete(home.port);
	handedOutPorts.delete(home.brokerPort);
	await fs.promises.rm(home.userFolder, { recursive: true, force: true });
}
