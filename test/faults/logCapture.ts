/**
 * Imported first by the fault matrix: n8n's own logger (the one n8n-core reports node errors
 * with) writes at debug level to a file of this run, so that the matrix can check that no secret
 * reaches the log. n8n reads these settings when it first logs.
 */
import os from 'os';
import path from 'path';

export const N8N_LOG_FILE = path.join(os.tmpdir(), `scravio-fault-matrix-${process.pid}-${Date.now()}.log`);
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_FILE_LOCATION = N8N_LOG_FILE;
