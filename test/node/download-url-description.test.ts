/**
 * "Returns an opaque Scravio download URL for a completed export. Do not parse or persist the
 * returned URL." (reference, GET /list-exports/{id}/download) and the link route is public: Get
 * Download URL tells the user, in the operation list and on the operation, that the link is
 * short-lived and grants access to the file without a key.
 */
import { Scravio } from '../../nodes/Scravio/Scravio.node';

describe('Export › Get Download URL says what the link is', () => {
	const properties = new Scravio().description.properties;

	it('its description in the operation list: short-lived, access without an API key, not to be stored', () => {
		const operations = properties.find(
			(property) =>
				property.name === 'operation' && property.displayOptions?.show?.resource?.[0] === 'export',
		);
		const option = (operations?.options as Array<{ value: string; description?: string }>).find(
			(entry) => entry.value === 'getDownloadUrl',
		);
		expect(option?.description).toMatch(/short-lived/);
		expect(option?.description).toMatch(/without an API key/);
		expect(option?.description).toMatch(/do not store/i);
	});

	it('a notice on the operation says the same', () => {
		const notice = properties.find((property) => property.name === 'downloadUrlNotice');
		expect(notice?.type).toBe('notice');
		expect(notice?.displayOptions?.show).toMatchObject({
			resource: ['export'],
			operation: ['getDownloadUrl'],
		});
		expect(notice?.displayName).toMatch(/short-lived.*without an API key/);
	});
});
