// The ABI's statuses and last error, kept in util/status.ts so that every layer can record a fault.
export { Status, fail, lastErrorCode, lastErrorMessage, lastErrorOffset } from "../util/status";
