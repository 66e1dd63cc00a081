/**
 * Drive REAL n8n, headless, for end-to-end tests.
 *
 * n8n itself is installed outside the repository by `harness/n8n/install-n8n.sh` (cache folder
 * `${SCRAVIO_N8N_CACHE:-~/.cache/n8n-nodes-scravio}`); see test/e2e/NOTES.md.
 *
 * Typical use:
 *   const install = getInstall(2);            // or 1
 *   ensureInstalled(install.major);           // runs install-n8n.sh once (minutes on a fresh machine)
 *   const home = await createN8nHome(install);
 *   await installPackage(home, tarball);      // as users install community nodes
 *   await importCredentials(home, [{ id, name, type, data }]);
 *   const id = await importWorkflow(home, workflowJson);
 *   const run = await executeWorkflow(home, id);
 *   nodeOutput(run, 'Scravio');               // -> items' json
 *   ...
 *   await removeN8nHome(home);
 *
 * Only Node.js built-ins are used. Every process started here is killed by stop()/on exit.
 *
 * Modules, by concern: ./install (where each n8n version lives and how it runs), ./home (user
 * folders, ports, environment), ./processes (child processes, waiting), ./cli (`n8n` commands:
 * package, credentials, workflows, execute), ./server (`n8n start` / `n8n worker`), ./rest (the
 * REST API and the owner's session). Everything is re-exported here.
 */
export * from './install';
export * from './home';
export * from './processes';
export * from './cli';
export * from './server';
export * from './rest';
