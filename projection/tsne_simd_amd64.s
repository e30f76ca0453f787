#include "textflag.h"

// AVX2 + FMA float64 kernels of t-SNE's gradient (see tsne_simd.go), four
// lanes at a time. Callers guarantee the lengths documented on the Go
// declarations and that the CPU has AVX2 and FMA.

// CONST4 defines a read-only vector of four float64 copies of v.
#define CONST4(name, v) \
	DATA name<>+0(SB)/8, v \
	DATA name<>+8(SB)/8, v \
	DATA name<>+16(SB)/8, v \
	DATA name<>+24(SB)/8, v \
	GLOBL name<>(SB), RODATA|NOPTR, $32

CONST4(tsneHalf, $0.5)
CONST4(tsneFour, $4.0)
CONST4(tsneTwelve, $12.0)

DATA tsneOne<>+0(SB)/8, $1.0
GLOBL tsneOne<>(SB), RODATA|NOPTR, $8

// HSUM sums the four lanes of Y into the low lane of X (its low half);
// T is a scratch X register.
#define HSUM(Y, X, T) \
	VEXTRACTF128 $1, Y, T \
	VADDPD       T, X, X \
	VHADDPD      X, X, X

// NEXT4 advances the index AX by four lanes and loops while it is below CX.
#define NEXT4(loop) \
	ADDQ $4, AX \
	CMPQ AX, CX \
	JLT  loop

// CAUCHY loads four positions (x at (SI), y at (DI), index AX) and sets
// Y3, Y4 to (xi, yi) - (x, y) and Y5 to q = 1/(1+dx^2+dy^2), with xi, yi
// and 1 broadcast in Y15, Y14, Y13.
#define CAUCHY \
	VMOVUPD     (SI)(AX*8), Y3 \
	VMOVUPD     (DI)(AX*8), Y4 \
	VSUBPD      Y3, Y15, Y3 \
	VSUBPD      Y4, Y14, Y4 \
	VMULPD      Y3, Y3, Y5 \
	VFMADD231PD Y4, Y4, Y5 \
	VADDPD      Y13, Y5, Y5 \
	VDIVPD      Y5, Y13, Y5

// func qtSumAVX2(l *qtList, xi, yi float64) (fx, fy, z float64)
TEXT ·qtSumAVX2(SB), NOSPLIT, $0-48
	MOVQ         l+0(FP), R8
	VBROADCASTSD xi+8(FP), Y15
	VBROADCASTSD yi+16(FP), Y14
	VBROADCASTSD tsneOne<>(SB), Y13
	VXORPD       Y0, Y0, Y0
	VXORPD       Y1, Y1, Y1
	VXORPD       Y2, Y2, Y2

	// Single points: x at 0(R8), y at 24(R8) (slice headers).
	MOVQ 0(R8), SI
	MOVQ 8(R8), CX
	MOVQ 24(R8), DI
	XORQ AX, AX
	CMPQ AX, CX
	JGE  cells

points:
	CAUCHY
	VADDPD      Y5, Y2, Y2
	VMULPD      Y5, Y5, Y5
	VFMADD231PD Y5, Y3, Y0
	VFMADD231PD Y5, Y4, Y1
	NEXT4(points)

cells:
	// Cells: cx 48, cy 72, n 96, mxx 120, mxy 144, myy 168.
	MOVQ 48(R8), SI
	MOVQ 56(R8), CX
	MOVQ 72(R8), DI
	MOVQ 96(R8), R9
	MOVQ 120(R8), R10
	MOVQ 144(R8), R11
	MOVQ 168(R8), R12
	XORQ AX, AX
	CMPQ AX, CX
	JGE  done

cellloop:
	CAUCHY
	VMULPD       Y5, Y5, Y6               // q2
	VMULPD       Y6, Y5, Y7               // q3
	VMOVUPD      (R10)(AX*8), Y8          // mxx
	VMOVUPD      (R11)(AX*8), Y9          // mxy
	VMOVUPD      (R12)(AX*8), Y10         // myy
	VMULPD       Y8, Y3, Y11
	VFMADD231PD  Y9, Y4, Y11              // mdx = mxx dx + mxy dy
	VMULPD       Y9, Y3, Y12
	VFMADD231PD  Y10, Y4, Y12             // mdy = mxy dx + myy dy
	VADDPD       Y10, Y8, Y8              // tr
	VMULPD       Y11, Y3, Y9
	VFMADD231PD  Y12, Y4, Y9              // dmd
	VMOVUPD      (R9)(AX*8), Y10          // n
	VFMADD231PD  Y10, Y5, Y2              // z += n q
	VFNMADD231PD Y8, Y6, Y2               // z -= tr q2
	VMULPD       Y9, Y7, Y9               // D = dmd q3
	VMULPD       tsneFour<>(SB), Y7, Y7   // 4 q3
	VFMADD231PD  tsneFour<>(SB), Y9, Y2   // z += 4 D
	VMULPD       Y10, Y6, Y10             // a = n q2
	VMULPD       Y8, Y7, Y8               // 4 tr q3
	VFNMADD231PD tsneHalf<>(SB), Y8, Y10  // a -= 2 tr q3
	VMULPD       Y9, Y5, Y9               // D q
	VFMADD231PD  tsneTwelve<>(SB), Y9, Y10 // a += 12 D q
	VFMADD231PD  Y10, Y3, Y0              // fx += a dx
	VFNMADD231PD Y7, Y11, Y0              // fx -= 4 q3 mdx
	VFMADD231PD  Y10, Y4, Y1
	VFNMADD231PD Y7, Y12, Y1
	NEXT4(cellloop)

done:
	HSUM(Y0, X0, X3)
	HSUM(Y1, X1, X3)
	HSUM(Y2, X2, X3)
	VMOVSD X0, fx+24(FP)
	VMOVSD X1, fy+32(FP)
	VMOVSD X2, z+40(FP)
	VZEROUPPER
	RET

// Eight-lane (AVX-512) forms of CAUCHY, NEXT4 and HSUM.
#define CAUCHY8 \
	VMOVUPD     (SI)(AX*8), Z3 \
	VMOVUPD     (DI)(AX*8), Z4 \
	VSUBPD      Z3, Z15, Z3 \
	VSUBPD      Z4, Z14, Z4 \
	VMULPD      Z3, Z3, Z5 \
	VFMADD231PD Z4, Z4, Z5 \
	VADDPD      Z13, Z5, Z5 \
	VDIVPD      Z5, Z13, Z5

#define NEXT8(loop) \
	ADDQ $8, AX \
	CMPQ AX, CX \
	JLT  loop

#define HSUM8(Z, Y, X) \
	VEXTRACTF64X4 $1, Z, Y3 \
	VADDPD        Y3, Y, Y \
	HSUM(Y, X, X3)

DATA tsneFour1<>+0(SB)/8, $4.0
GLOBL tsneFour1<>(SB), RODATA|NOPTR, $8
DATA tsneHalf1<>+0(SB)/8, $0.5
GLOBL tsneHalf1<>(SB), RODATA|NOPTR, $8
DATA tsneTwelve1<>+0(SB)/8, $12.0
GLOBL tsneTwelve1<>(SB), RODATA|NOPTR, $8

// func qtSumAVX512(l *qtList, xi, yi float64) (fx, fy, z float64)
TEXT ·qtSumAVX512(SB), NOSPLIT, $0-48
	MOVQ         l+0(FP), R8
	VBROADCASTSD xi+8(FP), Z15
	VBROADCASTSD yi+16(FP), Z14
	VBROADCASTSD tsneOne<>(SB), Z13
	VPXORQ       Z0, Z0, Z0
	VPXORQ       Z1, Z1, Z1
	VPXORQ       Z2, Z2, Z2

	// Single points8: x at 0(R8), y at 24(R8) (slice headers).
	MOVQ 0(R8), SI
	MOVQ 8(R8), CX
	MOVQ 24(R8), DI
	XORQ AX, AX
	CMPQ AX, CX
	JGE  cells8

points8:
	CAUCHY8
	VADDPD      Z5, Z2, Z2
	VMULPD      Z5, Z5, Z5
	VFMADD231PD Z5, Z3, Z0
	VFMADD231PD Z5, Z4, Z1
	NEXT8(points8)

cells8:
	// Cells: cx 48, cy 72, n 96, mxx 120, mxy 144, myy 168.
	MOVQ 48(R8), SI
	MOVQ 56(R8), CX
	MOVQ 72(R8), DI
	MOVQ 96(R8), R9
	MOVQ 120(R8), R10
	MOVQ 144(R8), R11
	MOVQ 168(R8), R12
	XORQ AX, AX
	CMPQ AX, CX
	JGE  done8

cellloop8:
	CAUCHY8
	VMULPD       Z5, Z5, Z6               // q2
	VMULPD       Z6, Z5, Z7               // q3
	VMOVUPD      (R10)(AX*8), Z8          // mxx
	VMOVUPD      (R11)(AX*8), Z9          // mxy
	VMOVUPD      (R12)(AX*8), Z10         // myy
	VMULPD       Z8, Z3, Z11
	VFMADD231PD  Z9, Z4, Z11              // mdx = mxx dx + mxy dy
	VMULPD       Z9, Z3, Z12
	VFMADD231PD  Z10, Z4, Z12             // mdy = mxy dx + myy dy
	VADDPD       Z10, Z8, Z8              // tr
	VMULPD       Z11, Z3, Z9
	VFMADD231PD  Z12, Z4, Z9              // dmd
	VMOVUPD      (R9)(AX*8), Z10          // n
	VFMADD231PD  Z10, Z5, Z2              // z += n q
	VFNMADD231PD Z8, Z6, Z2               // z -= tr q2
	VMULPD       Z9, Z7, Z9               // D = dmd q3
	VMULPD.BCST       tsneFour1<>(SB), Z7, Z7   // 4 q3
	VFMADD231PD.BCST  tsneFour1<>(SB), Z9, Z2   // z += 4 D
	VMULPD       Z10, Z6, Z10             // a = n q2
	VMULPD       Z8, Z7, Z8               // 4 tr q3
	VFNMADD231PD.BCST tsneHalf1<>(SB), Z8, Z10  // a -= 2 tr q3
	VMULPD       Z9, Z5, Z9               // D q
	VFMADD231PD.BCST  tsneTwelve1<>(SB), Z9, Z10 // a += 12 D q
	VFMADD231PD  Z10, Z3, Z0              // fx += a dx
	VFNMADD231PD Z7, Z11, Z0              // fx -= 4 q3 mdx
	VFMADD231PD  Z10, Z4, Z1
	VFNMADD231PD Z7, Z12, Z1
	NEXT8(cellloop8)

done8:
	HSUM8(Z0, Y0, X0)
	HSUM8(Z1, Y1, X1)
	HSUM8(Z2, Y2, X2)
	VMOVSD X0, fx+24(FP)
	VMOVSD X1, fy+32(FP)
	VMOVSD X2, z+40(FP)
	VZEROUPPER
	RET

DATA tsneOne32<>+0(SB)/4, $1.0
GLOBL tsneOne32<>(SB), RODATA|NOPTR, $4

// func attractAVX2(pos []float32, cols []int32, vals []float32, xi, yi float32) (fx, fy float32)
//
// Eight edges a step: their columns are read as scalars and each
// neighbour's (x, y) pair with one 8-byte load (no gather instructions,
// which cost more than the arithmetic here), then split into x and y
// vectors; 1/u comes from VRCPPS and one Newton step.
TEXT ·attractAVX2(SB), NOSPLIT, $0-88
	MOVQ         pos_base+0(FP), SI
	MOVQ         cols_base+24(FP), DI
	MOVQ         cols_len+32(FP), CX
	ANDQ         $-8, CX
	MOVQ         vals_base+48(FP), R9
	VBROADCASTSS xi+72(FP), Y15
	VBROADCASTSS yi+76(FP), Y14
	VBROADCASTSS tsneOne32<>(SB), Y13
	VXORPS       Y0, Y0, Y0
	VXORPS       Y1, Y1, Y1
	XORQ         AX, AX
	CMPQ         AX, CX
	JGE          adone

aloop:
	MOVLQZX      0(DI)(AX*4), R10
	MOVLQZX      4(DI)(AX*4), R11
	MOVLQZX      8(DI)(AX*4), R12
	MOVLQZX      12(DI)(AX*4), R13
	VMOVQ        (SI)(R10*8), X3         // (x, y) of edges 0, 1
	VPINSRQ      $1, (SI)(R11*8), X3, X3
	VMOVQ        (SI)(R12*8), X4         // edges 2, 3
	VPINSRQ      $1, (SI)(R13*8), X4, X4
	MOVLQZX      16(DI)(AX*4), R10
	MOVLQZX      20(DI)(AX*4), R11
	MOVLQZX      24(DI)(AX*4), R12
	MOVLQZX      28(DI)(AX*4), R13
	VMOVQ        (SI)(R10*8), X5         // edges 4, 5
	VPINSRQ      $1, (SI)(R11*8), X5, X5
	VMOVQ        (SI)(R12*8), X6         // edges 6, 7
	VPINSRQ      $1, (SI)(R13*8), X6, X6
	VINSERTI128  $1, X5, Y3, Y3          // edges 0, 1 | 4, 5
	VINSERTI128  $1, X6, Y4, Y4          // edges 2, 3 | 6, 7
	VSHUFPS      $0xdd, Y4, Y3, Y5       // y of edges 0..7
	VSHUFPS      $0x88, Y4, Y3, Y3       // x of edges 0..7
	VMOVAPS      Y5, Y4
	VSUBPS       Y3, Y15, Y3
	VSUBPS       Y4, Y14, Y4
	VMULPS       Y3, Y3, Y5
	VFMADD231PS  Y4, Y4, Y5
	VADDPS       Y13, Y5, Y5             // u = 1 + d^2
	VRCPPS       Y5, Y9                  // r ~ 1/u, 12 bits
	VMOVAPS      Y13, Y10
	VFNMADD231PS Y9, Y5, Y10             // e = 1 - u r
	VFMADD231PS  Y10, Y9, Y9             // r += r e: 23 bits
	VMULPS       (R9)(AX*4), Y9, Y9      // p q
	VFMADD231PS  Y9, Y3, Y0
	VFMADD231PS  Y9, Y4, Y1
	ADDQ         $8, AX
	CMPQ         AX, CX
	JLT          aloop

adone:
	VEXTRACTF128 $1, Y0, X3
	VADDPS       X3, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	VEXTRACTF128 $1, Y1, X3
	VADDPS       X3, X1, X1
	VHADDPS      X1, X1, X1
	VHADDPS      X1, X1, X1
	VMOVSS       X0, fx+80(FP)
	VMOVSS       X1, fy+84(FP)
	VZEROUPPER
	RET
