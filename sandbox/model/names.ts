/** Word lists for synthetic profiles. All emails use reserved example domains (RFC 2606). */
export const FIRST_NAMES = [
	'anna', 'ben', 'cleo', 'david', 'elena', 'felix', 'grace', 'hugo', 'isla', 'jonas', 'kira', 'liam', 'maya', 'noah',
	'olivia', 'paul', 'quinn', 'rosa', 'sam', 'tara', 'umar', 'vera', 'will', 'xena', 'yusuf', 'zoe', 'lena', 'marco',
	'nina', 'oscar', 'priya', 'ravi', 'sofia', 'theo', 'amir', 'bea', 'carla', 'dario', 'emma', 'finn',
] as const;

export const LAST_NAMES = [
	'smith', 'meyer', 'garcia', 'rossi', 'novak', 'kim', 'silva', 'dubois', 'jensen', 'kowalski', 'nguyen', 'patel',
	'lopez', 'berg', 'costa', 'fischer', 'moreau', 'tanaka', 'okafor', 'larsen', 'weber', 'romero', 'hansen', 'ivanova',
] as const;

export const NICHES = [
	'design', 'fitness', 'travel', 'coffee', 'skincare', 'saas', 'photography', 'vegan food', 'interior', 'running',
	'yoga', 'marketing', 'ceramics', 'gaming', 'fashion', 'pets', 'gardening', 'music', 'finance', 'education',
] as const;

export const BUSINESS_WORDS = ['Studio', 'Collective', 'Lab', 'Atelier', 'Works', 'House', 'Co', 'Supply', 'Club', 'Goods'] as const;

export const PLACE_WORDS = ['Café', 'Bakery', 'Dental', 'Yoga Studio', 'Barber', 'Bistro', 'Florist', 'Bookshop', 'Gym', 'Law Office'] as const;

export const STREET_WORDS = ['Nord', 'Linden', 'Harbor', 'Oak', 'Maple', 'River', 'Market', 'Station', 'Park', 'Garden'] as const;

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'inbox.example'] as const;

export const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'CA', 'AU', 'SE', 'PL'] as const;
