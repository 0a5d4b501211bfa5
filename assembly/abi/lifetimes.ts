// The end of a cache's life, shared by SSL_CTX_free and SSL_free (whichever drops the last
// reference): the handle dies first, then every session is flushed (events settled) and freed.

import { handleRetire } from "./handles";
import { Cache } from "../cache/context";
import { cacheFree } from "../cache/cache";

export function cacheDestroy(c: Cache): void {
  handleRetire(c.handle);
  cacheFree(c);
}
