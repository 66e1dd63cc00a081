/**
 * A tiny RFC 4180 CSV reader for the files the API hands back (validation results). Verified
 * community nodes may carry no runtime dependencies, so no CSV library: quoted fields, doubled
 * quotes, commas and line breaks inside quotes, CRLF or LF line ends, a UTF-8 BOM.
 */

/** Splits CSV text into rows of cells. Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
	const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	let i = 0;

	const endCell = () => {
		row.push(cell);
		cell = '';
	};
	const endRow = () => {
		endCell();
		if (!(row.length === 1 && row[0] === '')) rows.push(row);
		row = [];
	};

	while (i < input.length) {
		const char = input[i];
		if (quoted) {
			if (char === '"') {
				if (input[i + 1] === '"') {
					cell += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i++;
				continue;
			}
			cell += char;
			i++;
			continue;
		}
		if (char === '"' && cell === '') {
			quoted = true;
		} else if (char === ',') {
			endCell();
		} else if (char === '\r' || char === '\n') {
			endRow();
			if (char === '\r' && input[i + 1] === '\n') i++;
		} else {
			cell += char;
		}
		i++;
	}
	if (cell !== '' || row.length > 0) endRow();
	return rows;
}

/**
 * Rows as objects keyed by the header row's names (trimmed), so that columns are found by name
 * whatever their order, and extra columns are kept. "true"/"false" cells become booleans.
 */
export function csvRecords(text: string): {
	headers: string[];
	records: Array<Record<string, string | boolean>>;
} {
	const [headerRow, ...rows] = parseCsv(text);
	const headers = (headerRow ?? []).map((name) => name.trim());
	const records = rows.map((cells) => {
		const record: Record<string, string | boolean> = {};
		headers.forEach((name, index) => {
			if (name === '') return;
			const value = cells[index] ?? '';
			record[name] = value === 'true' ? true : value === 'false' ? false : value;
		});
		return record;
	});
	return { headers, records };
}
