/**
 * Everything about HTTP for the Scravio nodes: base URL, auth and workspace headers,
 * retries, error mapping, pagination and downloads. Operations and the trigger go
 * through here and never build their own requests.
 */
export * from './request';
export * from './pagination';
export * from './download';
export * from './retry';
