export function benchLadder(n: i32): void { for (let i = 0; i < n; i++) x25519LadderSimd(K, X1, X2, Z2); }
export function benchInv(n: i32): void { for (let i = 0; i < n; i++) feInvert(Z2, Z2); }
