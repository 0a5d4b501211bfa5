// Node-only helpers: node:tls servers and clients whose session caches are ours.
export {
  attachSessionCache,
  attachFleet,
  BadStoreValue,
  DEFAULT_STORE_TIMEOUT_MS,
  DEFAULT_RETRY_AFTER_MS,
  DEFAULT_REVALIDATE_AFTER_MS,
  type AttachOptions,
  type FleetOptions,
  type AttachStats,
  type AttachCounters,
  type FleetStats,
  type Attachment,
  type Detach,
  type Fleet,
} from "./server.js";
export {
  fleetTicketKey,
  installFleetTicketKeys,
  DEFAULT_TICKET_PERIOD,
  type FleetTicketKeyOptions,
  type FleetTicketKeys,
} from "./fleet_ticket_keys.js";
export {
  ClientSessionStore,
  NoClientSessionStore,
  MAX_TICKET_LIFETIME,
  DEFAULT_TICKETS_PER_SERVER,
  DEFAULT_MAX_SERVERS,
  type ClientSessionStoreLike,
  type ClientSessionStoreOptions,
} from "./client.js";
export {
  type SessionStore,
  NoSessionStore,
  MemorySessionStore,
  sessionKey,
  MAX_STORE_TTL,
  type MemorySessionStoreOptions,
} from "../stores/store.js";
export {
  RedisSessionStore,
  type RedisSessionStoreOptions,
  type RedisClientLike,
  type RedisCommand,
} from "../stores/redis.js";
