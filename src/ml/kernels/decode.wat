;; The arithmetic of decoding a token, with WebAssembly SIMD (four float32 lanes at a time).
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
        (br $value)))))
