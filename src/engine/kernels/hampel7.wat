;; The 7-period Hampel filter (src/engine/outliers.ts states the rule and its sources).
;; Built into hampel7Wasm.ts by `npm run build:wasm` (scripts/build-wasm.ts, wabt's wat2wasm);
;; test/build/wasm.test.ts fails when the committed bytes are not this file's.
;;
;; Two consecutive periods go through together, one in each lane of an f64x2: loading the seven
;; window values at p, p+8, ..., p+48 gives, in lane 0, the window of period i and, in lane 1,
;; that of period i+1. Each pair of windows is sorted by a 16-comparator, depth-6 sorting network
;; for 7 inputs (Knuth, TAOCP vol. 3, 2nd ed., section 5.3.4: 16 is the fewest comparators known
;; for n = 7), made of f64x2.pmin/pmax, so there is no branch on the data. With the window sorted,
;; s0 <= ... <= s6, the median m is s3 and the MAD (the 4th smallest of the 7 deviations |x - m|,
;; the median's own 0 included) is the 3rd smallest of L1 = m - s2 <= L2 = m - s1 <= L3 = m - s0
;; and R1 = s4 - m <= R2 = s5 - m <= R3 = s6 - m, that is max(min(L1, R3), min(L2, R2), min(L3, R1)).
;; Period i is replaced by m when m > 0 and |x_i - m| > f * MAD, f = threshold * 1.4826: exactly
;; the decision of filterPoint in outliers.ts, on the same values, so the results are the same bit
;; for bit. Values are finite and >= 0 (the caller checks), so pmin/pmax never see a NaN.
;;
;; The three periods at each end, whose windows are cut short (4, 5 and 6 periods), are done the
;; same way in $ends: the start and the end window of one size share an f64x2.
;;
;; Memory: the caller puts the n values at byte $src (with one spare f64 before it: when n - 6 is
;; odd the last pair starts a period early) and reads the n results back from $dst.
(module
  (memory (export "memory") 1)
  ;; The ends: the windows cut short, of 4, 5 and 6 periods. For each size, lane 0 holds the window
  ;; at the start (periods 0 .. size-1, centre size-4) and lane 1 the one at the end (the last size
  ;; periods, centre n-1-(size-4)); both are sorted, and the median and MAD of an even window are the
  ;; means of its two middle values, as filterPoint computes them (a + (b - a) / 2).
  ;; $end is the byte just past the row; the result goes to period size-4 (lane 0) and n-1-(size-4) (lane 1).
  (func $ends (param $src i32) (param $dst i32) (param $n i32) (param $fv v128) (result i32)
    (local $end i32) (local $dend i32) (local $count i32) (local $half v128) (local $x v128) (local $med v128) (local $mask v128) (local $t v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128)
    (local $l1 v128) (local $l2 v128) (local $l3 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $lo v128) (local $hi v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $dend (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $half (f64x2.splat (f64.const 0.5)))
    ;; 4 periods: (0,1)(2,3) (0,2)(1,3) (1,2)
    (local.set $a0 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -32)) (v128.load64_zero offset=0 (local.get $src))))
    (local.set $a1 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -24)) (v128.load64_zero offset=8 (local.get $src))))
    (local.set $a2 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -16)) (v128.load64_zero offset=16 (local.get $src))))
    (local.set $a3 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -8)) (v128.load64_zero offset=24 (local.get $src))))
    (local.set $x (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -8)) (v128.load64_zero offset=0 (local.get $src))))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a1))) (local.set $a1 (f64x2.pmax (local.get $a0) (local.get $a1))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a2) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a2) (local.get $a3))) (local.set $a2 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a0) (local.get $a2))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a1) (local.get $a3))) (local.set $a1 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a1) (local.get $a2))) (local.set $a1 (local.get $t))
    (local.set $med (f64x2.add (local.get $a1) (f64x2.mul (f64x2.sub (local.get $a2) (local.get $a1)) (local.get $half))))
    ;; MAD = the mean of the 2nd and 3rd smallest of L1 = m - s1 <= L2 = m - s0 and R1 = s2 - m <= R2 = s3 - m
    (local.set $l1 (f64x2.sub (local.get $med) (local.get $a1))) (local.set $l2 (f64x2.sub (local.get $med) (local.get $a0)))
    (local.set $r1 (f64x2.sub (local.get $a2) (local.get $med))) (local.set $r2 (f64x2.sub (local.get $a3) (local.get $med)))
    (local.set $lo (f64x2.pmin (f64x2.pmin (local.get $l2) (local.get $r2)) (f64x2.pmax (local.get $l1) (local.get $r1))))
    (local.set $hi (f64x2.pmin (f64x2.pmax (local.get $l1) (local.get $r2)) (f64x2.pmax (local.get $l2) (local.get $r1))))
    (local.set $mask
      (v128.and
        (f64x2.gt (f64x2.abs (f64x2.sub (local.get $x) (local.get $med)))
          (f64x2.mul (local.get $fv) (f64x2.add (local.get $lo) (f64x2.mul (f64x2.sub (local.get $hi) (local.get $lo)) (local.get $half)))))
        (f64x2.gt (local.get $med) (f64x2.splat (f64.const 0)))))
    (local.set $t (v128.bitselect (local.get $med) (local.get $x) (local.get $mask)))
    (f64.store offset=0 (local.get $dst) (f64x2.extract_lane 0 (local.get $t)))
    (f64.store (i32.add (local.get $dend) (i32.const -8)) (f64x2.extract_lane 1 (local.get $t)))
    (local.set $count (i32.sub (i32.sub (local.get $count) (i32x4.extract_lane 0 (local.get $mask))) (i32x4.extract_lane 2 (local.get $mask))))
    ;; 5 periods: (0,1)(3,4) (2,4) (2,3) (0,3) (0,2)(1,4) (1,3) (1,2)
    (local.set $a0 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -40)) (v128.load64_zero offset=0 (local.get $src))))
    (local.set $a1 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -32)) (v128.load64_zero offset=8 (local.get $src))))
    (local.set $a2 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -24)) (v128.load64_zero offset=16 (local.get $src))))
    (local.set $a3 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -16)) (v128.load64_zero offset=24 (local.get $src))))
    (local.set $a4 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -8)) (v128.load64_zero offset=32 (local.get $src))))
    (local.set $x (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -16)) (v128.load64_zero offset=8 (local.get $src))))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a1))) (local.set $a1 (f64x2.pmax (local.get $a0) (local.get $a1))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a3) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a3) (local.get $a4))) (local.set $a3 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a2) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a2) (local.get $a4))) (local.set $a2 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a2) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a2) (local.get $a3))) (local.set $a2 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a0) (local.get $a3))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a0) (local.get $a2))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a1) (local.get $a4))) (local.set $a1 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a1) (local.get $a3))) (local.set $a1 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a1) (local.get $a2))) (local.set $a1 (local.get $t))
    (local.set $med (local.get $a2))
    ;; MAD = the 2nd smallest of L1 = m - s1 <= L2 = m - s0 and R1 = s3 - m <= R2 = s4 - m (the 3rd of 5 with the median's 0)
    (local.set $l1 (f64x2.sub (local.get $med) (local.get $a1))) (local.set $l2 (f64x2.sub (local.get $med) (local.get $a0)))
    (local.set $r1 (f64x2.sub (local.get $a3) (local.get $med))) (local.set $r2 (f64x2.sub (local.get $a4) (local.get $med)))
    (local.set $lo (f64x2.pmin (f64x2.pmin (local.get $l2) (local.get $r2)) (f64x2.pmax (local.get $l1) (local.get $r1))))
    (local.set $hi (local.get $lo))
    (local.set $mask
      (v128.and
        (f64x2.gt (f64x2.abs (f64x2.sub (local.get $x) (local.get $med)))
          (f64x2.mul (local.get $fv) (f64x2.add (local.get $lo) (f64x2.mul (f64x2.sub (local.get $hi) (local.get $lo)) (local.get $half)))))
        (f64x2.gt (local.get $med) (f64x2.splat (f64.const 0)))))
    (local.set $t (v128.bitselect (local.get $med) (local.get $x) (local.get $mask)))
    (f64.store offset=8 (local.get $dst) (f64x2.extract_lane 0 (local.get $t)))
    (f64.store (i32.add (local.get $dend) (i32.const -16)) (f64x2.extract_lane 1 (local.get $t)))
    (local.set $count (i32.sub (i32.sub (local.get $count) (i32x4.extract_lane 0 (local.get $mask))) (i32x4.extract_lane 2 (local.get $mask))))
    ;; 6 periods: (1,2)(4,5) (0,2)(3,5) (0,1)(3,4)(2,5) (0,3)(1,4) (2,4)(1,3) (2,3)
    (local.set $a0 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -48)) (v128.load64_zero offset=0 (local.get $src))))
    (local.set $a1 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -40)) (v128.load64_zero offset=8 (local.get $src))))
    (local.set $a2 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -32)) (v128.load64_zero offset=16 (local.get $src))))
    (local.set $a3 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -24)) (v128.load64_zero offset=24 (local.get $src))))
    (local.set $a4 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -16)) (v128.load64_zero offset=32 (local.get $src))))
    (local.set $a5 (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -8)) (v128.load64_zero offset=40 (local.get $src))))
    (local.set $x (v128.load64_lane 1 (i32.add (local.get $end) (i32.const -24)) (v128.load64_zero offset=16 (local.get $src))))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a1) (local.get $a2))) (local.set $a1 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a4) (local.get $a5))) (local.set $a5 (f64x2.pmax (local.get $a4) (local.get $a5))) (local.set $a4 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a0) (local.get $a2))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a3) (local.get $a5))) (local.set $a5 (f64x2.pmax (local.get $a3) (local.get $a5))) (local.set $a3 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a1))) (local.set $a1 (f64x2.pmax (local.get $a0) (local.get $a1))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a3) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a3) (local.get $a4))) (local.set $a3 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a2) (local.get $a5))) (local.set $a5 (f64x2.pmax (local.get $a2) (local.get $a5))) (local.set $a2 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a0) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a0) (local.get $a3))) (local.set $a0 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a1) (local.get $a4))) (local.set $a1 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a2) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a2) (local.get $a4))) (local.set $a2 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a1) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a1) (local.get $a3))) (local.set $a1 (local.get $t))
    (local.set $t (f64x2.pmin (local.get $a2) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a2) (local.get $a3))) (local.set $a2 (local.get $t))
    (local.set $med (f64x2.add (local.get $a2) (f64x2.mul (f64x2.sub (local.get $a3) (local.get $a2)) (local.get $half))))
    ;; MAD = the mean of the 3rd and 4th smallest of L1 = m - s2 <= L2 = m - s1 <= L3 = m - s0 and R1 = s3 - m <= R2 = s4 - m <= R3 = s5 - m
    (local.set $l1 (f64x2.sub (local.get $med) (local.get $a2))) (local.set $l2 (f64x2.sub (local.get $med) (local.get $a1))) (local.set $l3 (f64x2.sub (local.get $med) (local.get $a0)))
    (local.set $r1 (f64x2.sub (local.get $a3) (local.get $med))) (local.set $r2 (f64x2.sub (local.get $a4) (local.get $med))) (local.set $r3 (f64x2.sub (local.get $a5) (local.get $med)))
    (local.set $lo (f64x2.pmax (f64x2.pmax (f64x2.pmin (local.get $l1) (local.get $r3)) (f64x2.pmin (local.get $l2) (local.get $r2))) (f64x2.pmin (local.get $l3) (local.get $r1))))
    (local.set $hi (f64x2.pmin (f64x2.pmin (f64x2.pmax (local.get $l1) (local.get $r3)) (f64x2.pmax (local.get $l2) (local.get $r2))) (f64x2.pmax (local.get $l3) (local.get $r1))))
    (local.set $mask
      (v128.and
        (f64x2.gt (f64x2.abs (f64x2.sub (local.get $x) (local.get $med)))
          (f64x2.mul (local.get $fv) (f64x2.add (local.get $lo) (f64x2.mul (f64x2.sub (local.get $hi) (local.get $lo)) (local.get $half)))))
        (f64x2.gt (local.get $med) (f64x2.splat (f64.const 0)))))
    (local.set $t (v128.bitselect (local.get $med) (local.get $x) (local.get $mask)))
    (f64.store offset=16 (local.get $dst) (f64x2.extract_lane 0 (local.get $t)))
    (f64.store (i32.add (local.get $dend) (i32.const -24)) (f64x2.extract_lane 1 (local.get $t)))
    (local.set $count (i32.sub (i32.sub (local.get $count) (i32x4.extract_lane 0 (local.get $mask))) (i32x4.extract_lane 2 (local.get $mask))))
    (local.get $count))

  ;; Filters all n periods (n >= 7); returns how many were replaced.
  (func (export "hampel7") (param $src i32) (param $dst i32) (param $n i32) (param $f f64) (result i32)
    (local $i i32) (local $last i32) (local $p i32)
    (local $fv v128) (local $acc v128) (local $mask v128) (local $x v128) (local $med v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $t v128)
    (local $single i32)
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $i (i32.const 3))
    (local.set $last (i32.sub (local.get $n) (i32.const 4)))
    (block $done
      (loop $next
        ;; the pair is (i, i+1); when only i = last is left, take (last-1, last) and count lane 1 only
        (local.set $single (i32.eq (local.get $i) (local.get $last)))
        (if (local.get $single) (then (local.set $i (i32.sub (local.get $i) (i32.const 1)))))
        (br_if $done (i32.gt_s (local.get $i) (local.get $last)))
        (local.set $p (i32.add (local.get $src) (i32.shl (i32.sub (local.get $i) (i32.const 3)) (i32.const 3))))
        (local.set $a0 (v128.load offset=0 (local.get $p)))
        (local.set $a1 (v128.load offset=8 (local.get $p)))
        (local.set $a2 (v128.load offset=16 (local.get $p)))
        (local.set $a3 (v128.load offset=24 (local.get $p)))
        (local.set $a4 (v128.load offset=32 (local.get $p)))
        (local.set $a5 (v128.load offset=40 (local.get $p)))
        (local.set $a6 (v128.load offset=48 (local.get $p)))
        (local.set $x (local.get $a3))
        ;; the sorting network, layer by layer: (0,6)(2,3)(4,5) (0,2)(1,4)(3,6) (0,1)(2,5)(3,4) (1,2)(4,6) (2,3)(4,5) (1,2)(3,4)(5,6)
        (local.set $t (f64x2.pmin (local.get $a0) (local.get $a6))) (local.set $a6 (f64x2.pmax (local.get $a0) (local.get $a6))) (local.set $a0 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a2) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a2) (local.get $a3))) (local.set $a2 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a4) (local.get $a5))) (local.set $a5 (f64x2.pmax (local.get $a4) (local.get $a5))) (local.set $a4 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a0) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a0) (local.get $a2))) (local.set $a0 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a1) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a1) (local.get $a4))) (local.set $a1 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a3) (local.get $a6))) (local.set $a6 (f64x2.pmax (local.get $a3) (local.get $a6))) (local.set $a3 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a0) (local.get $a1))) (local.set $a1 (f64x2.pmax (local.get $a0) (local.get $a1))) (local.set $a0 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a2) (local.get $a5))) (local.set $a5 (f64x2.pmax (local.get $a2) (local.get $a5))) (local.set $a2 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a3) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a3) (local.get $a4))) (local.set $a3 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a1) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a1) (local.get $a2))) (local.set $a1 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a4) (local.get $a6))) (local.set $a6 (f64x2.pmax (local.get $a4) (local.get $a6))) (local.set $a4 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a2) (local.get $a3))) (local.set $a3 (f64x2.pmax (local.get $a2) (local.get $a3))) (local.set $a2 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a4) (local.get $a5))) (local.set $a5 (f64x2.pmax (local.get $a4) (local.get $a5))) (local.set $a4 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a1) (local.get $a2))) (local.set $a2 (f64x2.pmax (local.get $a1) (local.get $a2))) (local.set $a1 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a3) (local.get $a4))) (local.set $a4 (f64x2.pmax (local.get $a3) (local.get $a4))) (local.set $a3 (local.get $t))
        (local.set $t (f64x2.pmin (local.get $a5) (local.get $a6))) (local.set $a6 (f64x2.pmax (local.get $a5) (local.get $a6))) (local.set $a5 (local.get $t))
        (local.set $med (local.get $a3))
        ;; MAD = max(min(L1, R3), min(L2, R2), min(L3, R1)); outlier when med > 0 and |x - med| > f * MAD
        (local.set $mask
          (v128.and
            (f64x2.gt
              (f64x2.abs (f64x2.sub (local.get $x) (local.get $med)))
              (f64x2.mul (local.get $fv)
                (f64x2.pmax
                  (f64x2.pmax
                    (f64x2.pmin (f64x2.sub (local.get $med) (local.get $a2)) (f64x2.sub (local.get $a6) (local.get $med)))
                    (f64x2.pmin (f64x2.sub (local.get $med) (local.get $a1)) (f64x2.sub (local.get $a5) (local.get $med))))
                  (f64x2.pmin (f64x2.sub (local.get $med) (local.get $a0)) (f64x2.sub (local.get $a4) (local.get $med))))))
            (f64x2.gt (local.get $med) (f64x2.splat (f64.const 0)))))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3)))
          (v128.bitselect (local.get $med) (local.get $x) (local.get $mask)))
        (if (local.get $single)
          (then (local.set $mask (v128.and (local.get $mask) (v128.const i64x2 0 -1)))))
        (local.set $acc (i64x2.sub (local.get $acc) (local.get $mask)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next)))
    ;; after the interior: when n = 7 the early pair wrote garbage to period 2, which the ends overwrite
    (i32.add
      (call $ends (local.get $src) (local.get $dst) (local.get $n) (local.get $fv))
      (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $acc)) (i64x2.extract_lane 1 (local.get $acc)))))))
