;; The ONNX Runtime engine's per-step loops over Float32Arrays, in WebAssembly SIMD (four float32
;; lanes): AdamW, its finiteness check, the squared norms for clipping, and the dropout masks.
;; As plain JavaScript they took ~600 ms of a 1.1 s MiniLM step: V8 runs them one double at a
;; time, and AdamW's sqrt and division dominate. array-kernels.ts copies chunks in and out of
;; this module's memory and pads each chunk to a multiple of four lanes with zeros, which leave
;; every result below unchanged. Built to array-kernels.wasm by scripts/build-kernels.mjs.
;;
;; Every operation is one float32 operation in tfjs' (and torch.optim.AdamW's) order, so an
;; update equals the tfjs engine's bit for bit: each of +, -, *, / and sqrt is correctly rounded.
(module
  (memory (export "memory") 1)

  ;; max |firstMoment| and max secondMoment of the last adamw call.
  (global $largestFirst (export "largestFirst") (mut f32) (f32.const 0))
  (global $largestSecond (export "largestSecond") (mut f32) (f32.const 0))

  ;; AdamW over n values (n a multiple of 4) at byte offsets w, g, m, v, in place:
  ;;   g' = g * scale                       (the clipping coefficient)
  ;;   m  = m * b1 + g' * c1                (c1 = 1 - beta1)
  ;;   v  = v * b2 + (g' * g') * c2         (c2 = 1 - beta2)
  ;;   w  = w * decay - (m / (sqrt(v) / correction + eps)) * stepSize
  (func (export "adamw")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $scale f32) (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $decay f32) (param $correction f32) (param $eps f32) (param $stepSize f32)
    (local $offset i32) (local $end i32)
    (local $gradient v128) (local $first v128) (local $second v128)
    (local $largest1 v128) (local $largest2 v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $largest1 (v128.const f32x4 0 0 0 0))
    (local.set $largest2 (v128.const f32x4 0 0 0 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
        (local.set $gradient
          (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $offset))) (f32x4.splat (local.get $scale))))
        (local.set $first
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $offset))) (f32x4.splat (local.get $b1)))
            (f32x4.mul (local.get $gradient) (f32x4.splat (local.get $c1)))))
        (local.set $second
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $offset))) (f32x4.splat (local.get $b2)))
            (f32x4.mul (f32x4.mul (local.get $gradient) (local.get $gradient)) (f32x4.splat (local.get $c2)))))
        (v128.store (i32.add (local.get $m) (local.get $offset)) (local.get $first))
        (v128.store (i32.add (local.get $v) (local.get $offset)) (local.get $second))
        (v128.store (i32.add (local.get $w) (local.get $offset))
          (f32x4.sub
            (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $offset))) (f32x4.splat (local.get $decay)))
            (f32x4.mul
              (f32x4.div
                (local.get $first)
                (f32x4.add
                  (f32x4.div (f32x4.sqrt (local.get $second)) (f32x4.splat (local.get $correction)))
                  (f32x4.splat (local.get $eps))))
              (f32x4.splat (local.get $stepSize)))))
        (local.set $largest1 (f32x4.max (local.get $largest1) (f32x4.abs (local.get $first))))
        (local.set $largest2 (f32x4.max (local.get $largest2) (local.get $second)))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (br $next)))
    (global.set $largestFirst (call $laneMax (local.get $largest1)))
    (global.set $largestSecond (call $laneMax (local.get $largest2))))

  ;; 1 if adamw's new moments for these values would all be finite (no Inf, no NaN), else 0;
  ;; writes nothing.
  (func (export "momentsFinite")
    (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $scale f32) (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (result i32)
    (local $offset i32) (local $end i32) (local $gradient v128) (local $finite v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $finite (v128.const i32x4 -1 -1 -1 -1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
        (local.set $gradient
          (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $offset))) (f32x4.splat (local.get $scale))))
        ;; |x| < Inf is false for Inf and for NaN.
        (local.set $finite
          (v128.and (local.get $finite)
            (f32x4.lt
              (f32x4.abs
                (f32x4.add
                  (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $offset))) (f32x4.splat (local.get $b1)))
                  (f32x4.mul (local.get $gradient) (f32x4.splat (local.get $c1)))))
              (v128.const f32x4 inf inf inf inf))))
        (local.set $finite
          (v128.and (local.get $finite)
            (f32x4.lt
              (f32x4.add
                (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $offset))) (f32x4.splat (local.get $b2)))
                (f32x4.mul (f32x4.mul (local.get $gradient) (local.get $gradient)) (f32x4.splat (local.get $c2))))
              (v128.const f32x4 inf inf inf inf))))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (br $next)))
    (i32x4.all_true (local.get $finite)))

  ;; The sum of squares of n float32 values at x, in float64 (two lanes of two).
  (func (export "squaredSum") (param $x i32) (param $n i32) (result f64)
    (local $offset i32) (local $end i32) (local $values v128) (local $low v128) (local $high v128) (local $sum v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
        (local.set $values (v128.load (i32.add (local.get $x) (local.get $offset))))
        (local.set $low (f64x2.promote_low_f32x4 (local.get $values)))
        (local.set $high
          (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $values) (local.get $values))))
        (local.set $sum
          (f64x2.add (local.get $sum)
            (f64x2.add (f64x2.mul (local.get $low) (local.get $low)) (f64x2.mul (local.get $high) (local.get $high)))))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (br $next)))
    (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))

  ;; dropout-masks.ts's mask for positions start .. start + n - 1 (n a multiple of 4), written at
  ;; out: kept where (fmix(fmix(position ^ first) + second) >>> 8) >= threshold, as the integer
  ;; ceil(rate * 2^24); `kept` (1 / (1 - rate)) there, else 0.
  (func (export "dropoutMask")
    (param $out i32) (param $start i32) (param $n i32) (param $first i32) (param $second i32) (param $threshold i32) (param $kept f32)
    (local $offset i32) (local $end i32) (local $positions v128) (local $h v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $positions
      (i32x4.add (i32x4.splat (local.get $start)) (v128.const i32x4 0 1 2 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
        (local.set $h
          (i32x4.add
            (call $fmix (v128.xor (local.get $positions) (i32x4.splat (local.get $first))))
            (i32x4.splat (local.get $second))))
        (local.set $h (call $fmix (local.get $h)))
        (v128.store (i32.add (local.get $out) (local.get $offset))
          (v128.and
            (i32x4.ge_s (i32x4.shr_u (local.get $h) (i32.const 8)) (i32x4.splat (local.get $threshold)))
            (f32x4.splat (local.get $kept))))
        (local.set $positions (i32x4.add (local.get $positions) (v128.const i32x4 4 4 4 4)))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (br $next))))

  ;; MurmurHash3's fmix32 on four words.
  (func $fmix (param $h v128) (result v128)
    (local.set $h (v128.xor (local.get $h) (i32x4.shr_u (local.get $h) (i32.const 16))))
    (local.set $h (i32x4.mul (local.get $h) (v128.const i32x4 0x85ebca6b 0x85ebca6b 0x85ebca6b 0x85ebca6b)))
    (local.set $h (v128.xor (local.get $h) (i32x4.shr_u (local.get $h) (i32.const 13))))
    (local.set $h (i32x4.mul (local.get $h) (v128.const i32x4 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35)))
    (v128.xor (local.get $h) (i32x4.shr_u (local.get $h) (i32.const 16))))

  ;; The largest of four float32 lanes.
  (func $laneMax (param $x v128) (result f32)
    (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $x)) (f32x4.extract_lane 1 (local.get $x)))
      (f32.max (f32x4.extract_lane 2 (local.get $x)) (f32x4.extract_lane 3 (local.get $x)))))
)
