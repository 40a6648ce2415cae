export {
  AdminsQuery,
  AdminsResponse,
  authServiceContract,
  BillingAddress,
  InternalUserResponse,
  Permission,
  RoleName,
  UserByEmailResponse,
  UserStatus,
  UserTenantResponse,
  ValidatePermissionsBody,
  ValidatePermissionsResponse,
  ValidateUsersBody,
  ValidateUsersResponse,
} from './auth-service.js';
export { eventServiceContract, InternalEventResponse, SolanaAddress } from './event-service.js';
export {
  COMMON_PROBLEMS,
  type ContractHandlers,
  type ContractRequest,
  type ContractRouteOptions,
  contractRouteOptions,
  registerContractRoutes,
  routeOptionsFor,
} from './fastify-route.js';
export { type OpenApiDocument, openApiDocument } from './openapi.js';
export {
  OrderForPaymentResponse,
  OrderItem,
  OrderItemsResponse,
  OrderResponse,
  OrderStatus,
  OrderSummary,
  OrdersWithoutTicketsQuery,
  OrdersWithoutTicketsResponse,
  orderServiceContract,
} from './order-service.js';
export { type Problem, ProblemSchema, type ProblemStatus } from './schemas/problem.js';
export {
  Cents,
  Count,
  CurrencyCode,
  EMAIL_PATTERN,
  EmailAddress,
  StringEnum,
  Text,
} from './schemas/scalars.js';
export { DATE_TIME_PATTERN, Timestamp } from './schemas/timestamp.js';
export { UUID_PATTERN, Uuid } from './schemas/uuid.js';
export {
  defineServiceContract,
  permissionMapOf,
  type RouteDocs,
  type ServiceContract,
} from './service-contract.js';
export { serviceContracts } from './service-contracts.js';
export {
  CalculatePriceBody,
  CalculatePriceResponse,
  CancelBatchBody,
  CancelBatchResponse,
  EventsAttendedResponse,
  OrderTicketsResponse,
  TicketByTokenResponse,
  TicketStatus,
  TicketStatusResponse,
  TokenId,
  TransferTicketBody,
  TransferTicketResponse,
  ticketServiceContract,
} from './ticket-service.js';
export { ValidateTicketResponse, VenueResponse, venueServiceContract } from './venue-service.js';
