// THROWAWAY: a self-signed certificate for localhost and its private key, public in this repository,
// used only by the demo (`npm start`) and the tests. It is not in the package; it guards nothing.
// Generated with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 36500`.
export const DEMO_CERT = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIUbUsvqiHBQT+vPtxkiKZ1zgytvc0wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMTIzMjMzMloYDzIxMjYxMDI4
MjMyMzMyWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ1ZRb0PKKh4hZFjEijlM3HJvQ0rjxMQmwf5iO1NY+xUPVrWWz3dl70
rQqpyH34373ZehSiGtpL7yfrY0M6LkMZo28wbTAdBgNVHQ4EFgQUeDSu2QsZPPMg
7XXbS9xcz4bqUs8wHwYDVR0jBBgwFoAUeDSu2QsZPPMg7XXbS9xcz4bqUs8wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDRwAwRAIgUHFdwesjCt+VbfNR++tQFpDfpMdPfQ2HBpEukB+ovDwCICbH
itDL6KLqOHGGYtuCaLIYTqB/wolZ00oIkwUudvRg
-----END CERTIFICATE-----`;

export const DEMO_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1tnLp2O5HmBGxAi9
PJ7ZLSjqv/e8oousOFn7W/96lkOhRANCAAQ1ZRb0PKKh4hZFjEijlM3HJvQ0rjxM
Qmwf5iO1NY+xUPVrWWz3dl70rQqpyH34373ZehSiGtpL7yfrY0M6LkMZ
-----END PRIVATE KEY-----`;
