// The X25519 Montgomery ladder of the SIMD build (RFC 7748 §5): both halves of each ladder step
// run side by side in the two lanes of f64x2 vectors, in constant time like the scalar ladder in
// x25519.ts, which does the final inversion.
//
// A field element is twelve limbs in radix 2^21.25 (bit offsets 0, 22, 43, 64, 85, 107, 128, 149,
// 170, 192, 213, 234: widths 22, 21, 21, 21 repeated), each an integer held exactly in a double.
// A pair (PFE bytes) holds limb i of two elements in one f64x2 at offset 16 i. The product of limbs
// i and j lands on limb i + j (mod 12) times 1 or 2, and times 19 where it wraps (2^255 = 19).
//
// Exactness: every value is an integer below 2^53, so every operation is exact (wasm rounds to
// nearest and never fuses). After a carry pass a limb of width w is at most 2^(w-1) + 2^14.3; a
// sum or difference of two, or AA + a24 E, is at most 2^22.1 (width 22) or 2^21.2 (width 21). In
// a product column of twelve terms, a term of two width-22 limbs carries a factor of at most 19,
// any other at most 38: each term is below 2^48.6 and the column below 2^52.2. A carry rounds a
// limb h to t, a multiple of 2^w, with (h + 3 2^(51+w)) - 3 2^(51+w), exact for |h| < 2^(51+w).
// Doubles stay integral, never subnormal: no operation's time depends on the values.
//
// A step is two pair squarings and three pair multiplications: [AA|BB] = [A|B]^2, [DA|CB] =
// [D|C] [A|B], [x_3|z_3 / x_1] = [DA + CB|DA - CB]^2, [x_2|z_2] = [AA|E] [BB|AA + a24 E], and
// [x_3|z_3] = [x_3|z_3 / x_1] [1|x_1]. Measured against the scalar ladder (ten i64 limbs, radix
// 2^25.5) in the same module: X25519 in 47 us instead of 53.

const PFE: usize = 192;
// the g (or f) limbs times 2, 4, 19, 38, 76 for the products
const GV: usize = memory.data(16 * 72);
// column sums before the carry pass
const HT: usize = memory.data(192);
// ladder registers (pairs), one block so one fill wipes them
const PREGS: usize = memory.data(10 * 192 + 16 * 48);
const AB: usize = PREGS;
const DC: usize = PREGS + 192;
const SQ: usize = PREGS + 384;
const DACB: usize = PREGS + 576;
const SD: usize = PREGS + 768;
const PP: usize = PREGS + 960;
const QQ: usize = PREGS + 1152;
const RR: usize = PREGS + 1344;
const ONEX1: usize = PREGS + 1536;
// ONEX1's limbs times 2, 19, 38 (fpPrep), for every step's multiplication by x_1
const X1V: usize = PREGS + 1728;
const PREGS_SIZE: usize = 10 * 192 + 16 * 48;

const WSHIFT: usize = memory.data<u8>([0, 22, 43, 64, 85, 107, 128, 149, 170, 192, 213, 234]);
const WWIDTH: usize = memory.data<u8>([22, 21, 21, 21, 22, 21, 21, 21, 22, 21, 21, 21]);
const BUF: usize = memory.data(40);
const LIMBS: usize = memory.data(96);
const WORDS: usize = memory.data(48);

/** Writes the multiples of g's limbs that fpMulV takes (times 2, 19, 38) to gv. */
function fpPrep(gv: usize, g: usize): void {
  const g1 = v128.load(g, 16);
  v128.store(gv, f64x2.mul(g1, f64x2.splat(2)), 80);
  v128.store(gv, f64x2.mul(g1, f64x2.splat(38)), 112);
  const g2 = v128.load(g, 32);
  v128.store(gv, f64x2.mul(g2, f64x2.splat(2)), 144);
  v128.store(gv, f64x2.mul(g2, f64x2.splat(19)), 160);
  v128.store(gv, f64x2.mul(g2, f64x2.splat(38)), 176);
  const g3 = v128.load(g, 48);
  v128.store(gv, f64x2.mul(g3, f64x2.splat(2)), 208);
  v128.store(gv, f64x2.mul(g3, f64x2.splat(19)), 224);
  v128.store(gv, f64x2.mul(g3, f64x2.splat(38)), 240);
  const g4 = v128.load(g, 64);
  v128.store(gv, f64x2.mul(g4, f64x2.splat(19)), 288);
  const g5 = v128.load(g, 80);
  v128.store(gv, f64x2.mul(g5, f64x2.splat(2)), 336);
  v128.store(gv, f64x2.mul(g5, f64x2.splat(19)), 352);
  v128.store(gv, f64x2.mul(g5, f64x2.splat(38)), 368);
  const g6 = v128.load(g, 96);
  v128.store(gv, f64x2.mul(g6, f64x2.splat(2)), 400);
  v128.store(gv, f64x2.mul(g6, f64x2.splat(19)), 416);
  v128.store(gv, f64x2.mul(g6, f64x2.splat(38)), 432);
  const g7 = v128.load(g, 112);
  v128.store(gv, f64x2.mul(g7, f64x2.splat(2)), 464);
  v128.store(gv, f64x2.mul(g7, f64x2.splat(19)), 480);
  v128.store(gv, f64x2.mul(g7, f64x2.splat(38)), 496);
  const g8 = v128.load(g, 128);
  v128.store(gv, f64x2.mul(g8, f64x2.splat(19)), 544);
  const g9 = v128.load(g, 144);
  v128.store(gv, f64x2.mul(g9, f64x2.splat(2)), 592);
  v128.store(gv, f64x2.mul(g9, f64x2.splat(19)), 608);
  v128.store(gv, f64x2.mul(g9, f64x2.splat(38)), 624);
  const g10 = v128.load(g, 160);
  v128.store(gv, f64x2.mul(g10, f64x2.splat(2)), 656);
  v128.store(gv, f64x2.mul(g10, f64x2.splat(19)), 672);
  v128.store(gv, f64x2.mul(g10, f64x2.splat(38)), 688);
  const g11 = v128.load(g, 176);
  v128.store(gv, f64x2.mul(g11, f64x2.splat(19)), 736);
  v128.store(gv, f64x2.mul(g11, f64x2.splat(38)), 752);
}

/**
 * The carry pass both fpMulV and fpSq end with: the column sums at HT, each rounded to its limb
 * width by adding and subtracting a power of two, carried up (the top limb wraps times 19), to h.
 */
// @ts-ignore: decorator
@inline function carryInto(h: usize): void {
  let h0 = v128.load(HT, 0);
  let h1 = v128.load(HT, 16);
  let h2 = v128.load(HT, 32);
  let h3 = v128.load(HT, 48);
  let h4 = v128.load(HT, 64);
  let h5 = v128.load(HT, 80);
  let h6 = v128.load(HT, 96);
  let h7 = v128.load(HT, 112);
  let h8 = v128.load(HT, 128);
  let h9 = v128.load(HT, 144);
  let h10 = v128.load(HT, 160);
  let h11 = v128.load(HT, 176);
  let t: v128;
  t = f64x2.sub(f64x2.add(h0, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  h0 = f64x2.sub(h0, t);
  h1 = f64x2.add(h1, f64x2.mul(t, f64x2.splat(2.384185791015625e-7)));
  t = f64x2.sub(f64x2.add(h3, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h3 = f64x2.sub(h3, t);
  h4 = f64x2.add(h4, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h6, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h6 = f64x2.sub(h6, t);
  h7 = f64x2.add(h7, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h9, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h9 = f64x2.sub(h9, t);
  h10 = f64x2.add(h10, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h1, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h1 = f64x2.sub(h1, t);
  h2 = f64x2.add(h2, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h4, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  h4 = f64x2.sub(h4, t);
  h5 = f64x2.add(h5, f64x2.mul(t, f64x2.splat(2.384185791015625e-7)));
  t = f64x2.sub(f64x2.add(h7, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h7 = f64x2.sub(h7, t);
  h8 = f64x2.add(h8, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h10, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h10 = f64x2.sub(h10, t);
  h11 = f64x2.add(h11, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h2, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h2 = f64x2.sub(h2, t);
  h3 = f64x2.add(h3, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h5, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h5 = f64x2.sub(h5, t);
  h6 = f64x2.add(h6, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h8, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  h8 = f64x2.sub(h8, t);
  h9 = f64x2.add(h9, f64x2.mul(t, f64x2.splat(2.384185791015625e-7)));
  t = f64x2.sub(f64x2.add(h11, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h11 = f64x2.sub(h11, t);
  h0 = f64x2.add(h0, f64x2.mul(t, f64x2.splat(0.000009059906005859375)));
  t = f64x2.sub(f64x2.add(h3, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h3 = f64x2.sub(h3, t);
  h4 = f64x2.add(h4, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h6, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h6 = f64x2.sub(h6, t);
  h7 = f64x2.add(h7, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h9, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  h9 = f64x2.sub(h9, t);
  h10 = f64x2.add(h10, f64x2.mul(t, f64x2.splat(4.76837158203125e-7)));
  t = f64x2.sub(f64x2.add(h0, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  h0 = f64x2.sub(h0, t);
  h1 = f64x2.add(h1, f64x2.mul(t, f64x2.splat(2.384185791015625e-7)));
  v128.store(h, h0, 0);
  v128.store(h, h1, 16);
  v128.store(h, h2, 32);
  v128.store(h, h3, 48);
  v128.store(h, h4, 64);
  v128.store(h, h5, 80);
  v128.store(h, h6, 96);
  v128.store(h, h7, 112);
  v128.store(h, h8, 128);
  v128.store(h, h9, 144);
  v128.store(h, h10, 160);
  v128.store(h, h11, 176);
}

/** h = f * g in both lanes, with g's multiples at gv (fpPrep); h may alias f or g. */
function fpMulV(h: usize, f: usize, g: usize, gv: usize): void {
  const f0 = v128.load(f, 0);
  const f1 = v128.load(f, 16);
  const f2 = v128.load(f, 32);
  const f3 = v128.load(f, 48);
  const f4 = v128.load(f, 64);
  const f5 = v128.load(f, 80);
  const f6 = v128.load(f, 96);
  const f7 = v128.load(f, 112);
  const f8 = v128.load(f, 128);
  const f9 = v128.load(f, 144);
  const f10 = v128.load(f, 160);
  const f11 = v128.load(f, 176);
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 0)), f64x2.mul(f1, v128.load(gv, 752))),
                        f64x2.mul(f2, v128.load(gv, 688)),
                      ),
                      f64x2.mul(f3, v128.load(gv, 624)),
                    ),
                    f64x2.mul(f4, v128.load(gv, 544)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 496)),
                ),
                f64x2.mul(f6, v128.load(gv, 432)),
              ),
              f64x2.mul(f7, v128.load(gv, 368)),
            ),
            f64x2.mul(f8, v128.load(gv, 288)),
          ),
          f64x2.mul(f9, v128.load(gv, 240)),
        ),
        f64x2.mul(f10, v128.load(gv, 176)),
      ),
      f64x2.mul(f11, v128.load(gv, 112)),
    ),
    0,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 16)), f64x2.mul(f1, v128.load(g, 0))),
                        f64x2.mul(f2, v128.load(gv, 736)),
                      ),
                      f64x2.mul(f3, v128.load(gv, 672)),
                    ),
                    f64x2.mul(f4, v128.load(gv, 608)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 544)),
                ),
                f64x2.mul(f6, v128.load(gv, 480)),
              ),
              f64x2.mul(f7, v128.load(gv, 416)),
            ),
            f64x2.mul(f8, v128.load(gv, 352)),
          ),
          f64x2.mul(f9, v128.load(gv, 288)),
        ),
        f64x2.mul(f10, v128.load(gv, 224)),
      ),
      f64x2.mul(f11, v128.load(gv, 160)),
    ),
    16,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 32)), f64x2.mul(f1, v128.load(gv, 80))),
                        f64x2.mul(f2, v128.load(g, 0)),
                      ),
                      f64x2.mul(f3, v128.load(gv, 736)),
                    ),
                    f64x2.mul(f4, v128.load(gv, 672)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 624)),
                ),
                f64x2.mul(f6, v128.load(gv, 544)),
              ),
              f64x2.mul(f7, v128.load(gv, 480)),
            ),
            f64x2.mul(f8, v128.load(gv, 416)),
          ),
          f64x2.mul(f9, v128.load(gv, 368)),
        ),
        f64x2.mul(f10, v128.load(gv, 288)),
      ),
      f64x2.mul(f11, v128.load(gv, 224)),
    ),
    32,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 48)), f64x2.mul(f1, v128.load(gv, 144))),
                        f64x2.mul(f2, v128.load(gv, 80)),
                      ),
                      f64x2.mul(f3, v128.load(g, 0)),
                    ),
                    f64x2.mul(f4, v128.load(gv, 736)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 688)),
                ),
                f64x2.mul(f6, v128.load(gv, 624)),
              ),
              f64x2.mul(f7, v128.load(gv, 544)),
            ),
            f64x2.mul(f8, v128.load(gv, 480)),
          ),
          f64x2.mul(f9, v128.load(gv, 432)),
        ),
        f64x2.mul(f10, v128.load(gv, 368)),
      ),
      f64x2.mul(f11, v128.load(gv, 288)),
    ),
    48,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 64)), f64x2.mul(f1, v128.load(gv, 208))),
                        f64x2.mul(f2, v128.load(gv, 144)),
                      ),
                      f64x2.mul(f3, v128.load(gv, 80)),
                    ),
                    f64x2.mul(f4, v128.load(g, 0)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 752)),
                ),
                f64x2.mul(f6, v128.load(gv, 688)),
              ),
              f64x2.mul(f7, v128.load(gv, 624)),
            ),
            f64x2.mul(f8, v128.load(gv, 544)),
          ),
          f64x2.mul(f9, v128.load(gv, 496)),
        ),
        f64x2.mul(f10, v128.load(gv, 432)),
      ),
      f64x2.mul(f11, v128.load(gv, 368)),
    ),
    64,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 80)), f64x2.mul(f1, v128.load(g, 64))),
                        f64x2.mul(f2, v128.load(g, 48)),
                      ),
                      f64x2.mul(f3, v128.load(g, 32)),
                    ),
                    f64x2.mul(f4, v128.load(g, 16)),
                  ),
                  f64x2.mul(f5, v128.load(g, 0)),
                ),
                f64x2.mul(f6, v128.load(gv, 736)),
              ),
              f64x2.mul(f7, v128.load(gv, 672)),
            ),
            f64x2.mul(f8, v128.load(gv, 608)),
          ),
          f64x2.mul(f9, v128.load(gv, 544)),
        ),
        f64x2.mul(f10, v128.load(gv, 480)),
      ),
      f64x2.mul(f11, v128.load(gv, 416)),
    ),
    80,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 96)), f64x2.mul(f1, v128.load(gv, 336))),
                        f64x2.mul(f2, v128.load(g, 64)),
                      ),
                      f64x2.mul(f3, v128.load(g, 48)),
                    ),
                    f64x2.mul(f4, v128.load(g, 32)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 80)),
                ),
                f64x2.mul(f6, v128.load(g, 0)),
              ),
              f64x2.mul(f7, v128.load(gv, 736)),
            ),
            f64x2.mul(f8, v128.load(gv, 672)),
          ),
          f64x2.mul(f9, v128.load(gv, 624)),
        ),
        f64x2.mul(f10, v128.load(gv, 544)),
      ),
      f64x2.mul(f11, v128.load(gv, 480)),
    ),
    96,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 112)), f64x2.mul(f1, v128.load(gv, 400))),
                        f64x2.mul(f2, v128.load(gv, 336)),
                      ),
                      f64x2.mul(f3, v128.load(g, 64)),
                    ),
                    f64x2.mul(f4, v128.load(g, 48)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 144)),
                ),
                f64x2.mul(f6, v128.load(gv, 80)),
              ),
              f64x2.mul(f7, v128.load(g, 0)),
            ),
            f64x2.mul(f8, v128.load(gv, 736)),
          ),
          f64x2.mul(f9, v128.load(gv, 688)),
        ),
        f64x2.mul(f10, v128.load(gv, 624)),
      ),
      f64x2.mul(f11, v128.load(gv, 544)),
    ),
    112,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 128)), f64x2.mul(f1, v128.load(gv, 464))),
                        f64x2.mul(f2, v128.load(gv, 400)),
                      ),
                      f64x2.mul(f3, v128.load(gv, 336)),
                    ),
                    f64x2.mul(f4, v128.load(g, 64)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 208)),
                ),
                f64x2.mul(f6, v128.load(gv, 144)),
              ),
              f64x2.mul(f7, v128.load(gv, 80)),
            ),
            f64x2.mul(f8, v128.load(g, 0)),
          ),
          f64x2.mul(f9, v128.load(gv, 752)),
        ),
        f64x2.mul(f10, v128.load(gv, 688)),
      ),
      f64x2.mul(f11, v128.load(gv, 624)),
    ),
    128,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 144)), f64x2.mul(f1, v128.load(g, 128))),
                        f64x2.mul(f2, v128.load(g, 112)),
                      ),
                      f64x2.mul(f3, v128.load(g, 96)),
                    ),
                    f64x2.mul(f4, v128.load(g, 80)),
                  ),
                  f64x2.mul(f5, v128.load(g, 64)),
                ),
                f64x2.mul(f6, v128.load(g, 48)),
              ),
              f64x2.mul(f7, v128.load(g, 32)),
            ),
            f64x2.mul(f8, v128.load(g, 16)),
          ),
          f64x2.mul(f9, v128.load(g, 0)),
        ),
        f64x2.mul(f10, v128.load(gv, 736)),
      ),
      f64x2.mul(f11, v128.load(gv, 672)),
    ),
    144,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 160)), f64x2.mul(f1, v128.load(gv, 592))),
                        f64x2.mul(f2, v128.load(g, 128)),
                      ),
                      f64x2.mul(f3, v128.load(g, 112)),
                    ),
                    f64x2.mul(f4, v128.load(g, 96)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 336)),
                ),
                f64x2.mul(f6, v128.load(g, 64)),
              ),
              f64x2.mul(f7, v128.load(g, 48)),
            ),
            f64x2.mul(f8, v128.load(g, 32)),
          ),
          f64x2.mul(f9, v128.load(gv, 80)),
        ),
        f64x2.mul(f10, v128.load(g, 0)),
      ),
      f64x2.mul(f11, v128.load(gv, 736)),
    ),
    160,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(
                f64x2.add(
                  f64x2.add(
                    f64x2.add(
                      f64x2.add(
                        f64x2.add(f64x2.mul(f0, v128.load(g, 176)), f64x2.mul(f1, v128.load(gv, 656))),
                        f64x2.mul(f2, v128.load(gv, 592)),
                      ),
                      f64x2.mul(f3, v128.load(g, 128)),
                    ),
                    f64x2.mul(f4, v128.load(g, 112)),
                  ),
                  f64x2.mul(f5, v128.load(gv, 400)),
                ),
                f64x2.mul(f6, v128.load(gv, 336)),
              ),
              f64x2.mul(f7, v128.load(g, 64)),
            ),
            f64x2.mul(f8, v128.load(g, 48)),
          ),
          f64x2.mul(f9, v128.load(gv, 144)),
        ),
        f64x2.mul(f10, v128.load(gv, 80)),
      ),
      f64x2.mul(f11, v128.load(g, 0)),
    ),
    176,
  );
  carryInto(h);
}

/** h = f^2 in both lanes (h may alias f). */
function fpSq(h: usize, f: usize): void {
  const f0 = v128.load(f, 0);
  const f1 = v128.load(f, 16);
  const f2 = v128.load(f, 32);
  const f3 = v128.load(f, 48);
  const f4 = v128.load(f, 64);
  const f5 = v128.load(f, 80);
  const f6 = v128.load(f, 96);
  const f7 = v128.load(f, 112);
  const f8 = v128.load(f, 128);
  const f9 = v128.load(f, 144);
  const f10 = v128.load(f, 160);
  const f11 = v128.load(f, 176);
  v128.store(GV, f64x2.mul(f1, f64x2.splat(2)), 112);
  v128.store(GV, f64x2.mul(f2, f64x2.splat(2)), 208);
  v128.store(GV, f64x2.mul(f2, f64x2.splat(4)), 224);
  v128.store(GV, f64x2.mul(f3, f64x2.splat(2)), 304);
  v128.store(GV, f64x2.mul(f3, f64x2.splat(4)), 320);
  v128.store(GV, f64x2.mul(f4, f64x2.splat(2)), 400);
  v128.store(GV, f64x2.mul(f5, f64x2.splat(2)), 496);
  v128.store(GV, f64x2.mul(f5, f64x2.splat(4)), 512);
  v128.store(GV, f64x2.mul(f6, f64x2.splat(2)), 592);
  v128.store(GV, f64x2.mul(f6, f64x2.splat(4)), 608);
  v128.store(GV, f64x2.mul(f6, f64x2.splat(38)), 640);
  v128.store(GV, f64x2.mul(f7, f64x2.splat(2)), 688);
  v128.store(GV, f64x2.mul(f7, f64x2.splat(4)), 704);
  v128.store(GV, f64x2.mul(f7, f64x2.splat(19)), 720);
  v128.store(GV, f64x2.mul(f7, f64x2.splat(38)), 736);
  v128.store(GV, f64x2.mul(f7, f64x2.splat(76)), 752);
  v128.store(GV, f64x2.mul(f8, f64x2.splat(2)), 784);
  v128.store(GV, f64x2.mul(f8, f64x2.splat(19)), 816);
  v128.store(GV, f64x2.mul(f8, f64x2.splat(38)), 832);
  v128.store(GV, f64x2.mul(f9, f64x2.splat(2)), 880);
  v128.store(GV, f64x2.mul(f9, f64x2.splat(4)), 896);
  v128.store(GV, f64x2.mul(f9, f64x2.splat(38)), 928);
  v128.store(GV, f64x2.mul(f9, f64x2.splat(76)), 944);
  v128.store(GV, f64x2.mul(f10, f64x2.splat(2)), 976);
  v128.store(GV, f64x2.mul(f10, f64x2.splat(4)), 992);
  v128.store(GV, f64x2.mul(f10, f64x2.splat(38)), 1024);
  v128.store(GV, f64x2.mul(f10, f64x2.splat(76)), 1040);
  v128.store(GV, f64x2.mul(f11, f64x2.splat(2)), 1072);
  v128.store(GV, f64x2.mul(f11, f64x2.splat(19)), 1104);
  v128.store(GV, f64x2.mul(f11, f64x2.splat(38)), 1120);
  v128.store(GV, f64x2.mul(f11, f64x2.splat(76)), 1136);
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(f64x2.mul(f0, v128.load(f, 0)), f64x2.mul(f1, v128.load(GV, 1136))),
              f64x2.mul(f2, v128.load(GV, 1040)),
            ),
            f64x2.mul(f3, v128.load(GV, 944)),
          ),
          f64x2.mul(f4, v128.load(GV, 832)),
        ),
        f64x2.mul(f5, v128.load(GV, 752)),
      ),
      f64x2.mul(f6, v128.load(GV, 640)),
    ),
    0,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(f64x2.mul(f0, v128.load(GV, 112)), f64x2.mul(f2, v128.load(GV, 1120))),
            f64x2.mul(f3, v128.load(GV, 1024)),
          ),
          f64x2.mul(f4, v128.load(GV, 928)),
        ),
        f64x2.mul(f5, v128.load(GV, 832)),
      ),
      f64x2.mul(f6, v128.load(GV, 736)),
    ),
    16,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(f64x2.mul(f0, v128.load(GV, 208)), f64x2.mul(f1, v128.load(GV, 112))),
              f64x2.mul(f3, v128.load(GV, 1120)),
            ),
            f64x2.mul(f4, v128.load(GV, 1024)),
          ),
          f64x2.mul(f5, v128.load(GV, 944)),
        ),
        f64x2.mul(f6, v128.load(GV, 832)),
      ),
      f64x2.mul(f7, v128.load(GV, 720)),
    ),
    32,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(f64x2.mul(f0, v128.load(GV, 304)), f64x2.mul(f1, v128.load(GV, 224))),
            f64x2.mul(f4, v128.load(GV, 1120)),
          ),
          f64x2.mul(f5, v128.load(GV, 1040)),
        ),
        f64x2.mul(f6, v128.load(GV, 944)),
      ),
      f64x2.mul(f7, v128.load(GV, 832)),
    ),
    48,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(f64x2.mul(f0, v128.load(GV, 400)), f64x2.mul(f1, v128.load(GV, 320))),
              f64x2.mul(f2, v128.load(GV, 208)),
            ),
            f64x2.mul(f5, v128.load(GV, 1136)),
          ),
          f64x2.mul(f6, v128.load(GV, 1040)),
        ),
        f64x2.mul(f7, v128.load(GV, 944)),
      ),
      f64x2.mul(f8, v128.load(GV, 816)),
    ),
    64,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(f64x2.mul(f0, v128.load(GV, 496)), f64x2.mul(f1, v128.load(GV, 400))),
            f64x2.mul(f2, v128.load(GV, 304)),
          ),
          f64x2.mul(f6, v128.load(GV, 1120)),
        ),
        f64x2.mul(f7, v128.load(GV, 1024)),
      ),
      f64x2.mul(f8, v128.load(GV, 928)),
    ),
    80,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(f64x2.mul(f0, v128.load(GV, 592)), f64x2.mul(f1, v128.load(GV, 512))),
              f64x2.mul(f2, v128.load(GV, 400)),
            ),
            f64x2.mul(f3, v128.load(f, 48)),
          ),
          f64x2.mul(f7, v128.load(GV, 1120)),
        ),
        f64x2.mul(f8, v128.load(GV, 1024)),
      ),
      f64x2.mul(f9, v128.load(GV, 928)),
    ),
    96,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(f64x2.mul(f0, v128.load(GV, 688)), f64x2.mul(f1, v128.load(GV, 608))),
            f64x2.mul(f2, v128.load(GV, 512)),
          ),
          f64x2.mul(f3, v128.load(GV, 400)),
        ),
        f64x2.mul(f8, v128.load(GV, 1120)),
      ),
      f64x2.mul(f9, v128.load(GV, 1040)),
    ),
    112,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(f64x2.mul(f0, v128.load(GV, 784)), f64x2.mul(f1, v128.load(GV, 704))),
              f64x2.mul(f2, v128.load(GV, 608)),
            ),
            f64x2.mul(f3, v128.load(GV, 512)),
          ),
          f64x2.mul(f4, v128.load(f, 64)),
        ),
        f64x2.mul(f9, v128.load(GV, 1136)),
      ),
      f64x2.mul(f10, v128.load(GV, 1024)),
    ),
    128,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(f64x2.mul(f0, v128.load(GV, 880)), f64x2.mul(f1, v128.load(GV, 784))),
            f64x2.mul(f2, v128.load(GV, 688)),
          ),
          f64x2.mul(f3, v128.load(GV, 592)),
        ),
        f64x2.mul(f4, v128.load(GV, 496)),
      ),
      f64x2.mul(f10, v128.load(GV, 1120)),
    ),
    144,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(
              f64x2.add(f64x2.mul(f0, v128.load(GV, 976)), f64x2.mul(f1, v128.load(GV, 896))),
              f64x2.mul(f2, v128.load(GV, 784)),
            ),
            f64x2.mul(f3, v128.load(GV, 688)),
          ),
          f64x2.mul(f4, v128.load(GV, 592)),
        ),
        f64x2.mul(f5, v128.load(GV, 496)),
      ),
      f64x2.mul(f11, v128.load(GV, 1104)),
    ),
    160,
  );
  v128.store(
    HT,
    f64x2.add(
      f64x2.add(
        f64x2.add(
          f64x2.add(
            f64x2.add(f64x2.mul(f0, v128.load(GV, 1072)), f64x2.mul(f1, v128.load(GV, 992))),
            f64x2.mul(f2, v128.load(GV, 896)),
          ),
          f64x2.mul(f3, v128.load(GV, 784)),
        ),
        f64x2.mul(f4, v128.load(GV, 688)),
      ),
      f64x2.mul(f5, v128.load(GV, 608)),
    ),
    176,
  );
  carryInto(h);
}

/** Step start: from PP = [x_2|z_2] and RR = [x_3|z_3], swapped under m: AB = [A|B], DC = [D|C]. */
function pStart(m: v128): void {
  let x: v128, z: v128, p: v128, r: v128, s: v128, d: v128;
  p = v128.load(PP, 0);
  r = v128.load(RR, 0);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 0);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 0);
  p = v128.load(PP, 16);
  r = v128.load(RR, 16);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 16);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 16);
  p = v128.load(PP, 32);
  r = v128.load(RR, 32);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 32);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 32);
  p = v128.load(PP, 48);
  r = v128.load(RR, 48);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 48);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 48);
  p = v128.load(PP, 64);
  r = v128.load(RR, 64);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 64);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 64);
  p = v128.load(PP, 80);
  r = v128.load(RR, 80);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 80);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 80);
  p = v128.load(PP, 96);
  r = v128.load(RR, 96);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 96);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 96);
  p = v128.load(PP, 112);
  r = v128.load(RR, 112);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 112);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 112);
  p = v128.load(PP, 128);
  r = v128.load(RR, 128);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 128);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 128);
  p = v128.load(PP, 144);
  r = v128.load(RR, 144);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 144);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 144);
  p = v128.load(PP, 160);
  r = v128.load(RR, 160);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 160);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 160);
  p = v128.load(PP, 176);
  r = v128.load(RR, 176);
  x = i8x16.shuffle(p, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  z = i8x16.shuffle(p, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  x = v128.bitselect(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), x, m);
  z = v128.bitselect(i8x16.shuffle(z, z, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7), z, m);
  s = f64x2.add(x, z);
  d = f64x2.sub(x, z);
  v128.store(AB, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 176);
  v128.store(DC, i8x16.shuffle(d, s, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), 176);
}

/**
 * Middle of the step, from SQ = [AA|BB] and DACB = [DA|CB]: PP = [AA|E], QQ = [BB|AA + a24 E],
 * SD = [DA + CB|DA - CB]. a24 E is carried in one round of carries all taken from the products,
 * then once more from limb 0.
 */
function pMiddle(): void {
  const a24 = f64x2.splat(121665);
  let a: v128, b: v128, d: v128;
  a = v128.load(SQ, 0);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 0);
  b = v128.load(DACB, 0);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    0,
  );
  const h0 = f64x2.mul(d, a24);
  a = v128.load(SQ, 16);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 16);
  b = v128.load(DACB, 16);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    16,
  );
  const h1 = f64x2.mul(d, a24);
  a = v128.load(SQ, 32);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 32);
  b = v128.load(DACB, 32);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    32,
  );
  const h2 = f64x2.mul(d, a24);
  a = v128.load(SQ, 48);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 48);
  b = v128.load(DACB, 48);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    48,
  );
  const h3 = f64x2.mul(d, a24);
  a = v128.load(SQ, 64);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 64);
  b = v128.load(DACB, 64);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    64,
  );
  const h4 = f64x2.mul(d, a24);
  a = v128.load(SQ, 80);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 80);
  b = v128.load(DACB, 80);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    80,
  );
  const h5 = f64x2.mul(d, a24);
  a = v128.load(SQ, 96);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 96);
  b = v128.load(DACB, 96);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    96,
  );
  const h6 = f64x2.mul(d, a24);
  a = v128.load(SQ, 112);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 112);
  b = v128.load(DACB, 112);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    112,
  );
  const h7 = f64x2.mul(d, a24);
  a = v128.load(SQ, 128);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 128);
  b = v128.load(DACB, 128);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    128,
  );
  const h8 = f64x2.mul(d, a24);
  a = v128.load(SQ, 144);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 144);
  b = v128.load(DACB, 144);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    144,
  );
  const h9 = f64x2.mul(d, a24);
  a = v128.load(SQ, 160);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 160);
  b = v128.load(DACB, 160);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    160,
  );
  const h10 = f64x2.mul(d, a24);
  a = v128.load(SQ, 176);
  d = f64x2.sub(a, i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v128.store(PP, i8x16.shuffle(a, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 176);
  b = v128.load(DACB, 176);
  v128.store(
    SD,
    i8x16.shuffle(
      f64x2.add(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      f64x2.sub(b, i8x16.shuffle(b, b, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)),
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
    ),
    176,
  );
  const h11 = f64x2.mul(d, a24);
  const t0 = f64x2.sub(f64x2.add(h0, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  const t1 = f64x2.sub(f64x2.add(h1, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  const t2 = f64x2.sub(f64x2.add(h2, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  const t3 = f64x2.sub(f64x2.add(h3, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  const t4 = f64x2.sub(f64x2.add(h4, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  const t5 = f64x2.sub(f64x2.add(h5, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  const t6 = f64x2.sub(f64x2.add(h6, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  const t7 = f64x2.sub(f64x2.add(h7, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  const t8 = f64x2.sub(f64x2.add(h8, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  const t9 = f64x2.sub(f64x2.add(h9, f64x2.splat(1.4167099448608936e22)), f64x2.splat(1.4167099448608936e22));
  const t10 = f64x2.sub(
    f64x2.add(h10, f64x2.splat(1.4167099448608936e22)),
    f64x2.splat(1.4167099448608936e22),
  );
  const t11 = f64x2.sub(
    f64x2.add(h11, f64x2.splat(1.4167099448608936e22)),
    f64x2.splat(1.4167099448608936e22),
  );
  let r0 = f64x2.add(f64x2.sub(h0, t0), f64x2.mul(t11, f64x2.splat(0.000009059906005859375)));
  let r1 = f64x2.add(f64x2.sub(h1, t1), f64x2.mul(t0, f64x2.splat(2.384185791015625e-7)));
  const r2 = f64x2.add(f64x2.sub(h2, t2), f64x2.mul(t1, f64x2.splat(4.76837158203125e-7)));
  const r3 = f64x2.add(f64x2.sub(h3, t3), f64x2.mul(t2, f64x2.splat(4.76837158203125e-7)));
  const r4 = f64x2.add(f64x2.sub(h4, t4), f64x2.mul(t3, f64x2.splat(4.76837158203125e-7)));
  const r5 = f64x2.add(f64x2.sub(h5, t5), f64x2.mul(t4, f64x2.splat(2.384185791015625e-7)));
  const r6 = f64x2.add(f64x2.sub(h6, t6), f64x2.mul(t5, f64x2.splat(4.76837158203125e-7)));
  const r7 = f64x2.add(f64x2.sub(h7, t7), f64x2.mul(t6, f64x2.splat(4.76837158203125e-7)));
  const r8 = f64x2.add(f64x2.sub(h8, t8), f64x2.mul(t7, f64x2.splat(4.76837158203125e-7)));
  const r9 = f64x2.add(f64x2.sub(h9, t9), f64x2.mul(t8, f64x2.splat(2.384185791015625e-7)));
  const r10 = f64x2.add(f64x2.sub(h10, t10), f64x2.mul(t9, f64x2.splat(4.76837158203125e-7)));
  const r11 = f64x2.add(f64x2.sub(h11, t11), f64x2.mul(t10, f64x2.splat(4.76837158203125e-7)));
  const u = f64x2.sub(f64x2.add(r0, f64x2.splat(2.833419889721787e22)), f64x2.splat(2.833419889721787e22));
  r0 = f64x2.sub(r0, u);
  r1 = f64x2.add(r1, f64x2.mul(u, f64x2.splat(2.384185791015625e-7)));
  const hi = i64x2(0, -1);
  a = v128.load(SQ, 0);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r0, r0, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    0,
  );
  a = v128.load(SQ, 16);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r1, r1, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    16,
  );
  a = v128.load(SQ, 32);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r2, r2, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    32,
  );
  a = v128.load(SQ, 48);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r3, r3, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    48,
  );
  a = v128.load(SQ, 64);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r4, r4, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    64,
  );
  a = v128.load(SQ, 80);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r5, r5, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    80,
  );
  a = v128.load(SQ, 96);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r6, r6, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    96,
  );
  a = v128.load(SQ, 112);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r7, r7, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    112,
  );
  a = v128.load(SQ, 128);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r8, r8, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    128,
  );
  a = v128.load(SQ, 144);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r9, r9, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    144,
  );
  a = v128.load(SQ, 160);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r10, r10, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    160,
  );
  a = v128.load(SQ, 176);
  v128.store(
    QQ,
    f64x2.add(
      i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
      v128.and(i8x16.shuffle(r11, r11, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), hi),
    ),
    176,
  );
}

/** Sets lane `lane` of the pair at `p` to the 255-bit number at BUF (top bit clear). */
function fpFromBuf(p: usize, lane: i32): void {
  for (let i: usize = 0; i < 12; i++) {
    const sh = <usize>load<u8>(WSHIFT + i);
    const wd = <u64>load<u8>(WWIDTH + i);
    const v = <f64>((load<u64>(BUF + (sh >> 3)) >> u64(sh & 7)) & (((<u64>1) << wd) - 1));
    const old = v128.load(p + (i << 4));
    v128.store(p + (i << 4), lane ? f64x2.replace_lane(old, 1, v) : f64x2.replace_lane(old, 0, v));
  }
}

/** Adds v (below 2^40) at bit `pos` of the five-word little-endian number at WORDS. */
function addAt(pos: usize, v: u64): void {
  const word = pos >> 6,
    sh = u64(pos & 63);
  const lo = v << sh;
  const hi: u64 = sh ? v >> (64 - sh) : 0;
  let carry: u64 = 0;
  for (let k: usize = 0; k < 5; k++) {
    const x = load<u64>(WORDS + (k << 3));
    const add: u64 = k == word ? lo : k == word + 1 ? hi : 0;
    const s1 = x + add;
    const s2 = s1 + carry;
    store<u64>(WORDS + (k << 3), s2);
    carry = (s1 < x ? <u64>1 : 0) | (s2 < s1 ? <u64>1 : 0);
  }
}

/** Writes lane `lane` of the pair at `p` to `out` as 32 little-endian bytes of a value below 2^255. */
function fpToBytes(out: usize, p: usize, lane: i32): void {
  for (let i: usize = 0; i < 12; i++) {
    const v = v128.load(p + (i << 4));
    store<i64>(LIMBS + (i << 3), <i64>(lane ? f64x2.extract_lane(v, 1) : f64x2.extract_lane(v, 0)));
  }
  // floor carries, twice around: every limb nonnegative, within a bit of its width
  for (let pass = 0; pass < 2; pass++) {
    for (let i: usize = 0; i < 12; i++) {
      const wd = <i64>load<u8>(WWIDTH + i);
      const li = load<i64>(LIMBS + (i << 3));
      const c = li >> wd;
      store<i64>(LIMBS + (i << 3), li - (c << wd));
      const nx: usize = i == 11 ? 0 : i + 1;
      store<i64>(LIMBS + (nx << 3), load<i64>(LIMBS + (nx << 3)) + (i == 11 ? c * 19 : c));
    }
  }
  memory.fill(WORDS, 0, 48);
  for (let i: usize = 0; i < 12; i++) addAt(<usize>load<u8>(WSHIFT + i), <u64>load<i64>(LIMBS + (i << 3)));
  // fold bits 255 and up back in (2^255 = 19), twice: below 2^255 after
  for (let r = 0; r < 2; r++) {
    const top = (load<u64>(WORDS, 24) >> 63) | (load<u64>(WORDS, 32) << 1);
    store<u64>(WORDS, load<u64>(WORDS, 24) & 0x7fffffffffffffff, 24);
    store<u64>(WORDS, 0, 32);
    addAt(0, top * 19);
  }
  memory.copy(out, WORDS, 32);
  memory.fill(WORDS, 0, 48);
  memory.fill(LIMBS, 0, 96);
}

/**
 * The ladder of §5 for the clamped scalar at `k` and the u-coordinate at `u` (32 bytes each):
 * writes x_2 and z_2 (before the final division) to `outX` and `outZ`, 32 little-endian bytes
 * each, values below 2^255. Wipes its registers.
 */
export function x25519LadderPair(k: usize, u: usize, outX: usize, outZ: usize): void {
  memory.fill(PREGS, 0, PREGS_SIZE);
  memory.copy(BUF, u, 32);
  memory.fill(BUF + 32, 0, 8);
  store<u8>(BUF + 31, load<u8>(BUF + 31) & 0x7f);
  // ONEX1 = [1 | x_1]; PP = [x_2 | z_2] = [1 | 0]; RR = [x_3 | z_3] = [x_1 | 1]
  fpFromBuf(ONEX1, 1);
  fpFromBuf(RR, 0);
  memory.fill(BUF, 0, 40);
  v128.store(ONEX1, f64x2.replace_lane(v128.load(ONEX1), 0, 1.0));
  v128.store(PP, f64x2.replace_lane(v128.load(PP), 0, 1.0));
  v128.store(RR, f64x2.replace_lane(v128.load(RR), 1, 1.0));
  fpPrep(X1V, ONEX1);
  let swap: u32 = 0;
  for (let t = 254; t >= 0; t--) {
    const kt = ((<u32>load<u8>(k + ((<usize>t) >> 3))) >> ((<u32>t) & 7)) & 1;
    swap ^= kt;
    pStart(i64x2.splat(-(<i64>swap))); // AB = [A|B], DC = [D|C]
    swap = kt;
    fpSq(SQ, AB); // [AA | BB]
    fpPrep(GV, AB);
    fpMulV(DACB, DC, AB, GV); // [DA | CB]
    pMiddle(); // PP = [AA | E], QQ = [BB | AA + a24 E], SD = [DA + CB | DA - CB]
    fpSq(RR, SD); // [x_3 | z_3 / x_1]
    fpPrep(GV, QQ);
    fpMulV(PP, PP, QQ, GV); // [x_2 | z_2]
    fpMulV(RR, RR, ONEX1, X1V); // [x_3 | z_3]
  }
  // the last swap: x_2 and z_2 are lane `swap` of PP... or RR when swapped
  const m = i64x2.splat(-(<i64>swap));
  for (let i: usize = 0; i < PFE; i += 16)
    v128.store(PP + i, v128.bitselect(v128.load(RR + i), v128.load(PP + i), m));
  fpToBytes(outX, PP, 0);
  fpToBytes(outZ, PP, 1);
  memory.fill(PREGS, 0, PREGS_SIZE);
  memory.fill(GV, 0, 16 * 72);
  memory.fill(HT, 0, 192);
}
