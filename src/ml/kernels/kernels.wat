;; Small kernels with WebAssembly SIMD (four float32 lanes at a time): the arithmetic of decoding a
;; token (linear, scores, mix) and the softmax of the training losses' rows.
;; Every pointer is a byte offset into the imported memory; every width is a multiple of 4.
(module
  (import "env" "memory" (memory 1))

  ;; y = x·W + b for the rows of x.
  ;;   x: [rows, in]   W: [in, out] (row-major)   b: [out], or 0 for none   y: [rows, out]
  ;; Four rows of W are taken per pass over y, so y is read and written once per four inputs.
  (func (export "linear")
    (param $x i32) (param $rows i32) (param $in i32) (param $out i32)
    (param $w i32) (param $b i32) (param $y i32)
    (local $r i32) (local $i i32) (local $j i32)
    (local $outBytes i32) (local $xRow i32) (local $yRow i32) (local $w0 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local.set $outBytes (i32.shl (local.get $out) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $xRow (i32.add (local.get $x) (i32.mul (local.get $r) (i32.shl (local.get $in) (i32.const 2)))))
        (local.set $yRow (i32.add (local.get $y) (i32.mul (local.get $r) (local.get $outBytes))))
        ;; y = b (or 0)
        (local.set $j (i32.const 0))
        (loop $start
          (v128.store (i32.add (local.get $yRow) (local.get $j))
            (if (result v128) (local.get $b)
              (then (v128.load (i32.add (local.get $b) (local.get $j))))
              (else (v128.const f32x4 0 0 0 0))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $start (i32.lt_u (local.get $j) (local.get $outBytes))))
        ;; y += x[i..i+4] · W[i..i+4, :]
        (local.set $i (i32.const 0))
        (local.set $w0 (local.get $w))
        (loop $inputs
          (local.set $x0 (f32x4.splat (f32.load (i32.add (local.get $xRow) (i32.shl (local.get $i) (i32.const 2))))))
          (local.set $x1 (f32x4.splat (f32.load offset=4 (i32.add (local.get $xRow) (i32.shl (local.get $i) (i32.const 2))))))
          (local.set $x2 (f32x4.splat (f32.load offset=8 (i32.add (local.get $xRow) (i32.shl (local.get $i) (i32.const 2))))))
          (local.set $x3 (f32x4.splat (f32.load offset=12 (i32.add (local.get $xRow) (i32.shl (local.get $i) (i32.const 2))))))
          (local.set $j (i32.const 0))
          (loop $columns
            (v128.store (i32.add (local.get $yRow) (local.get $j))
              (f32x4.add
                (f32x4.add
                  (f32x4.add
                    (f32x4.add
                      (v128.load (i32.add (local.get $yRow) (local.get $j)))
                      (f32x4.mul (local.get $x0) (v128.load (i32.add (local.get $w0) (local.get $j)))))
                    (f32x4.mul (local.get $x1)
                      (v128.load (i32.add (i32.add (local.get $w0) (local.get $outBytes)) (local.get $j)))))
                  (f32x4.mul (local.get $x2)
                    (v128.load (i32.add (i32.add (local.get $w0) (i32.shl (local.get $outBytes) (i32.const 1))) (local.get $j)))))
                (f32x4.mul (local.get $x3)
                  (v128.load (i32.add (i32.add (local.get $w0) (i32.mul (local.get $outBytes) (i32.const 3))) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $columns (i32.lt_u (local.get $j) (local.get $outBytes))))
          (local.set $w0 (i32.add (local.get $w0) (i32.shl (local.get $outBytes) (i32.const 2))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br_if $inputs (i32.lt_u (local.get $i) (local.get $in))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; out[t] = q · keys[t] for t < count (attention scores before scaling).
  ;;   q: [width]   keys: [count, width]   out: [count]
  (func (export "scores")
    (param $q i32) (param $keys i32) (param $width i32) (param $count i32) (param $out i32)
    (local $t i32) (local $e i32) (local $widthBytes i32) (local $sum v128)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $t (i32.const 0))
    (block $done
      (loop $key
        (br_if $done (i32.ge_u (local.get $t) (local.get $count)))
        (local.set $sum (v128.const f32x4 0 0 0 0))
        (local.set $e (i32.const 0))
        (loop $lanes
          (local.set $sum
            (f32x4.add (local.get $sum)
              (f32x4.mul
                (v128.load (i32.add (local.get $q) (local.get $e)))
                (v128.load (i32.add (local.get $keys) (local.get $e))))))
          (local.set $e (i32.add (local.get $e) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $e) (local.get $widthBytes))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $t) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
            (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
        (local.set $keys (i32.add (local.get $keys) (local.get $widthBytes)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $key))))

  ;; out = Σ_t weights[t] · values[t] for t < count (attention's weighted sum).
  ;;   weights: [count]   values: [count, width]   out: [width]
  (func (export "mix")
    (param $weights i32) (param $values i32) (param $width i32) (param $count i32) (param $out i32)
    (local $t i32) (local $e i32) (local $widthBytes i32) (local $weight v128)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $e (i32.const 0))
    (loop $clear
      (v128.store (i32.add (local.get $out) (local.get $e)) (v128.const f32x4 0 0 0 0))
      (local.set $e (i32.add (local.get $e) (i32.const 16)))
      (br_if $clear (i32.lt_u (local.get $e) (local.get $widthBytes))))
    (local.set $t (i32.const 0))
    (block $done
      (loop $value
        (br_if $done (i32.ge_u (local.get $t) (local.get $count)))
        (local.set $weight
          (f32x4.splat (f32.load (i32.add (local.get $weights) (i32.shl (local.get $t) (i32.const 2))))))
        (local.set $e (i32.const 0))
        (loop $lanes
          (v128.store (i32.add (local.get $out) (local.get $e))
            (f32x4.add
              (v128.load (i32.add (local.get $out) (local.get $e)))
              (f32x4.mul (local.get $weight) (v128.load (i32.add (local.get $values) (local.get $e))))))
          (local.set $e (i32.add (local.get $e) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $e) (local.get $widthBytes))))
        (local.set $values (i32.add (local.get $values) (local.get $widthBytes)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $value))))

  ;; e^x for four lanes, as Cephes' expf: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its degree-7
  ;; polynomial, 2^n built in the exponent bits (about 1 ulp; x is clamped to [−87.3, 88.7]).
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3))
      (v128.const f32x4 88.7 88.7 88.7 88.7)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    ;; e^r = p·r² + r + 1
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
      (v128.const f32x4 1 1 1 1)))
    ;; × 2^n: n + 127 in the exponent bits.
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127))
        (i32.const 23))))

  ;; One row's softmax at scale s (1 / temperature): out[v] = e^(s·x[v] − m) with m = max s·x.
  ;; Returns m and Σ out (summed in four float64 pairs), so p = out / Σ and log p = s·x − m − log Σ.
  ;;   x: [count]   out: [count]
  (func (export "softmax")
    (param $x i32) (param $count i32) (param $scale f32) (param $out i32) (result f32 f64)
    (local $i i32) (local $bytes i32) (local $max v128) (local $m f32) (local $e v128)
    (local $sumLow v128) (local $sumHigh v128) (local $s v128)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $max (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $i (i32.const 0))
    (loop $maxLoop
      (local.set $max (f32x4.max (local.get $max)
        (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $x) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br_if $maxLoop (i32.lt_u (local.get $i) (local.get $bytes))))
    (local.set $m (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $max)) (f32x4.extract_lane 1 (local.get $max)))
      (f32.max (f32x4.extract_lane 2 (local.get $max)) (f32x4.extract_lane 3 (local.get $max)))))
    (local.set $max (f32x4.splat (local.get $m)))
    (local.set $sumLow (v128.const f64x2 0 0))
    (local.set $sumHigh (v128.const f64x2 0 0))
    (local.set $i (i32.const 0))
    (loop $expLoop
      (local.set $e (call $exp (f32x4.sub
        (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.get $max))))
      (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $e))
      (local.set $sumLow (f64x2.add (local.get $sumLow) (f64x2.promote_low_f32x4 (local.get $e))))
      (local.set $sumHigh (f64x2.add (local.get $sumHigh) (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br_if $expLoop (i32.lt_u (local.get $i) (local.get $bytes))))
    (local.set $sumLow (f64x2.add (local.get $sumLow) (local.get $sumHigh)))
    (local.get $m)
    (f64.add (f64x2.extract_lane 0 (local.get $sumLow)) (f64x2.extract_lane 1 (local.get $sumLow))))

  ;; GELU (tanh approximation, as GPT-2) in place: x = x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))),
  ;; with 1 + tanh(u) = 2 − 2 / (e^(2u) + 1).
  ;;   x: [count]
  (func (export "gelu") (param $x i32) (param $count i32)
    (local $i i32) (local $bytes i32) (local $v v128) (local $u v128)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $i (i32.const 0))
    (loop $lanes
      (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
      ;; 2u = 2·√(2/π) · (x + 0.044715 x³)
      (local.set $u (f32x4.mul
        (v128.const f32x4 1.5957691216057308 1.5957691216057308 1.5957691216057308 1.5957691216057308)
        (f32x4.add (local.get $v)
          (f32x4.mul (v128.const f32x4 0.044715 0.044715 0.044715 0.044715)
            (f32x4.mul (local.get $v) (f32x4.mul (local.get $v) (local.get $v)))))))
      (v128.store (i32.add (local.get $x) (local.get $i))
        (f32x4.mul (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5) (local.get $v))
          (f32x4.sub (v128.const f32x4 2 2 2 2)
            (f32x4.div (v128.const f32x4 2 2 2 2)
              (f32x4.add (call $exp (local.get $u)) (v128.const f32x4 1 1 1 1))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br_if $lanes (i32.lt_u (local.get $i) (local.get $bytes))))))
