// The demo data's ids, fixed so that `npm start`, tests and docs can name the same rows. Each kind
// has its own first block, so an id says what it is when it shows up in a log.
const id = (kind: string, n: number) => `${kind}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Ids of the demo rows written by {@link seedDemoData}: two tenants and a little of everything. */
export const DEMO = {
  tenants: { acme: id('a0000000', 1), globex: id('a0000000', 2) },
  users: {
    acmeAdmin: id('b0000000', 1),
    acmeCompliance: id('b0000000', 2),
    acmeBuyer: id('b0000000', 3),
    acmeFriend: id('b0000000', 4),
    globexAdmin: id('b0000000', 5),
    globexBuyer: id('b0000000', 6),
  },
  roles: {
    acmeAdmin: id('c0000000', 1),
    acmeComplianceAdmin: id('c0000000', 2),
    acmeCustomer: id('c0000000', 3),
    globexAdmin: id('c0000000', 4),
    globexCustomer: id('c0000000', 5),
  },
  venues: { acmeArena: id('d0000000', 1), globexHall: id('d0000000', 2) },
  events: { acmeRock: id('e0000000', 1), acmeJazz: id('e0000000', 2), globexComedy: id('e0000000', 3) },
  ticketTypes: {
    acmeRockGa: id('f0000000', 1),
    acmeRockVip: id('f0000000', 2),
    acmeJazzGa: id('f0000000', 3),
    globexComedyGa: id('f0000000', 4),
  },
  orders: {
    /** Confirmed, two tickets issued (one minted, one used at the door). */
    acmeConfirmed: id('20000000', 1),
    /** Paid an hour ago, no tickets yet: what `/internal/orders/without-tickets` finds. */
    acmePaidWithoutTickets: id('20000000', 2),
    globexConfirmed: id('20000000', 3),
  },
  orderItems: {
    acmeConfirmed: id('30000000', 1),
    acmePaid: id('30000000', 2),
    globexConfirmed: id('30000000', 3),
  },
  /** The minted ticket's token id: letters and digits only, as the contract's `TokenId` requires. */
  tokenIds: { acmeMinted: 'AcmeRock0001' },
  tickets: { acmeMinted: id('10000000', 1), acmeUsed: id('10000000', 2), globexActive: id('10000000', 3) },
} as const;
