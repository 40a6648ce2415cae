/** The services of issue 17 that own data, each with its own schema and role. */
export const DATA_SERVICES = ['ticket', 'auth', 'order', 'event', 'venue'] as const;
export type DataService = (typeof DATA_SERVICES)[number];
