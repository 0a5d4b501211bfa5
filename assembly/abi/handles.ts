// The handle table, kept in util/handles.ts so that a session is named where it is made.
export { Kind, handleNew, handleGet, handleRetire, handleLiveCount } from "../util/handles";
