// Node-only helpers: node:tls servers and clients whose session caches are ours.
export { attachSessionCache, type AttachOptions, type AttachCounters, type Detach } from "./server.js";
export {
  ClientSessionStore,
  NoClientSessionStore,
  MAX_TICKET_LIFETIME,
  DEFAULT_TICKETS_PER_SERVER,
  DEFAULT_MAX_SERVERS,
  type ClientSessionStoreLike,
  type ClientSessionStoreOptions,
} from "./client.js";
export * from "./fleet.js";
