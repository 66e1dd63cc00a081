/**
 * The files the file host serves (export files, validation-job results): registered with a source
 * that produces the bytes on first download, then cached. POST /__sandbox/reset forgets them.
 */
export interface StoredFile {
	body: Buffer;
	contentType: string;
	filename: string;
	etag: string;
	lastModified: number;
}

/** Produces a file's bytes on first download; the result is cached. */
export type FileSource = () => Promise<StoredFile>;

export class FileStore {
	private readonly sources = new Map<string, FileSource>();
	private readonly cache = new Map<string, Promise<StoredFile>>();

	/** Registers how to produce a file (generated lazily on first download, then cached). */
	register(key: string, source: FileSource): void {
		if (!this.sources.has(key)) this.sources.set(key, source);
	}

	/** Loads (generating if needed) a file, or undefined if nothing is registered under the key. */
	load(key: string): Promise<StoredFile | undefined> {
		const cached = this.cache.get(key);
		if (cached) return cached;
		const source = this.sources.get(key);
		if (!source) return Promise.resolve(undefined);
		const promise = source();
		this.cache.set(key, promise);
		promise.catch(() => this.cache.delete(key));
		return promise;
	}

	/** Forgets all files (reset). */
	clear(): void {
		this.sources.clear();
		this.cache.clear();
	}
}
