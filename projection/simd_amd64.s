#include "textflag.h"

// AVX2 + FMA float32 kernels (see simd.go). Each runs 8 lanes x 4
// accumulators over 32 elements per step, then 8 at a time, then one at
// a time, and sums the lanes at the end. Callers guarantee len(y) >= len(x)
// and that the CPU has AVX2 and FMA (simd_amd64.go checks).

// REDUCE sums Y0..Y3 and the scalar tail X5 into X0 (lane 0).
#define REDUCE \
	VADDPS       Y1, Y0, Y0 \
	VADDPS       Y3, Y2, Y2 \
	VADDPS       Y2, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS       X1, X0, X0 \
	VHADDPS      X0, X0, X0 \
	VHADDPS      X0, X0, X0 \
	VADDSS       X5, X0, X0

// SQ32 adds |x-y|^2 over 32 elements at (AX) and (DI) into Y0..Y3 and
// advances both; SQ8 adds 8 elements into Y0; SQ1 one element into X5.
#define SQ32 \
	VMOVUPS     (AX), Y4 \
	VMOVUPS     32(AX), Y6 \
	VMOVUPS     64(AX), Y7 \
	VMOVUPS     96(AX), Y8 \
	VSUBPS      (DI), Y4, Y4 \
	VSUBPS      32(DI), Y6, Y6 \
	VSUBPS      64(DI), Y7, Y7 \
	VSUBPS      96(DI), Y8, Y8 \
	VFMADD231PS Y4, Y4, Y0 \
	VFMADD231PS Y6, Y6, Y1 \
	VFMADD231PS Y7, Y7, Y2 \
	VFMADD231PS Y8, Y8, Y3 \
	ADDQ        $128, AX \
	ADDQ        $128, DI

#define SQ8 \
	VMOVUPS     (AX), Y4 \
	VSUBPS      (DI), Y4, Y4 \
	VFMADD231PS Y4, Y4, Y0 \
	ADDQ        $32, AX \
	ADDQ        $32, DI

#define SQ1 \
	VMOVSS      (AX), X4 \
	VSUBSS      (DI), X4, X4 \
	VFMADD231SS X4, X4, X5 \
	ADDQ        $4, AX \
	ADDQ        $4, DI

// ZERO clears the accumulators.
#define ZERO \
	VXORPS Y0, Y0, Y0 \
	VXORPS Y1, Y1, Y1 \
	VXORPS Y2, Y2, Y2 \
	VXORPS Y3, Y3, Y3 \
	VXORPS X5, X5, X5

// func dotAVX2(x, y []float32) float32
TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	ZERO

dot_loop32:
	CMPQ        CX, $32
	JL          dot_loop8
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y6
	VMOVUPS     64(SI), Y7
	VMOVUPS     96(SI), Y8
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y6, Y1
	VFMADD231PS 64(DI), Y7, Y2
	VFMADD231PS 96(DI), Y8, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	JMP         dot_loop32

dot_loop8:
	CMPQ        CX, $8
	JL          dot_loop1
	VMOVUPS     (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         dot_loop8

dot_loop1:
	TESTQ       CX, CX
	JE          dot_end
	VMOVSS      (SI), X4
	VFMADD231SS (DI), X4, X5
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JMP         dot_loop1

dot_end:
	REDUCE
	VMOVSS     X0, ret+48(FP)
	VZEROUPPER
	RET

// func sqDistAVX2(x, y []float32) float32
TEXT ·sqDistAVX2(SB), NOSPLIT, $0-52
	MOVQ x_base+0(FP), AX
	MOVQ x_len+8(FP), BX
	MOVQ y_base+24(FP), DI
	ZERO

sq_loop32:
	CMPQ BX, $32
	JL   sq_loop8
	SQ32
	SUBQ $32, BX
	JMP  sq_loop32

sq_loop8:
	CMPQ BX, $8
	JL   sq_loop1
	SQ8
	SUBQ $8, BX
	JMP  sq_loop8

sq_loop1:
	TESTQ BX, BX
	JE    sq_end
	SQ1
	DECQ  BX
	JMP   sq_loop1

sq_end:
	REDUCE
	VMOVSS     X0, ret+48(FP)
	VZEROUPPER
	RET

// NEXTROW is the top of the gather kernels' loop over the candidates,
// labelled row: it ends at done after the last candidate DX, else it
// prefetches every cache line of candidate DX+R13's row (R13 = ahead, when
// there is one) and, at compute, sets DI to candidate DX's row, AX to x and
// BX to its length. Registers: SI x, CX len(x), R8 the matrix, R10 idx,
// R11 len(idx), rowbytes a row's size in bytes; AX and BX are clobbered.
#define NEXTROW(row, prefetch, compute, done, rowbytes) \
row: \
	CMPQ       DX, R11 \
	JGE        done \
	LEAQ       (DX)(R13*1), AX \
	CMPQ       AX, R11 \
	JGE        compute \
	MOVLQSX    (R10)(AX*4), AX \
	IMULQ      rowbytes, AX \
	ADDQ       R8, AX \
	XORQ       BX, BX \
prefetch: \
	CMPQ       BX, rowbytes \
	JGE        compute \
	PREFETCHT0 (AX)(BX*1) \
	ADDQ       $64, BX \
	JMP        prefetch \
compute: \
	MOVLQSX    (R10)(DX*4), DI \
	IMULQ      rowbytes, DI \
	ADDQ       R8, DI \
	MOVQ       SI, AX \
	MOVQ       CX, BX

// func sqDistGatherAVX2(x, m []float32, idx []int32, out []float32, ahead int)
//
// out[i] = |x - row idx[i] of m|^2, rows of len(x) floats. Before row i it
// prefetches every cache line of row idx[i+ahead], so that the random rows
// of a candidate list arrive from memory while earlier ones are computed.
TEXT ·sqDistGatherAVX2(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ m_base+24(FP), R8
	MOVQ idx_base+48(FP), R10
	MOVQ idx_len+56(FP), R11
	MOVQ out_base+72(FP), R12
	MOVQ ahead+96(FP), R13
	MOVQ CX, R9
	SHLQ $2, R9
	XORQ DX, DX

	NEXTROW(g_row, g_prefetch, g_compute, g_done, R9)
	ZERO

g_loop32:
	CMPQ BX, $32
	JL   g_loop8
	SQ32
	SUBQ $32, BX
	JMP  g_loop32

g_loop8:
	CMPQ BX, $8
	JL   g_loop1
	SQ8
	SUBQ $8, BX
	JMP  g_loop8

g_loop1:
	TESTQ BX, BX
	JE    g_store
	SQ1
	DECQ  BX
	JMP   g_loop1

g_store:
	REDUCE
	VMOVSS X0, (R12)(DX*4)
	INCQ   DX
	JMP    g_row

g_done:
	VZEROUPPER
	RET

// func sqDistGatherU8AVX2(x, m []uint8, idx []int32, out []float32, ahead int)
//
// out[i] = sum over c of (x[c] - row idx[i] of m [c])^2, rows of len(x)
// bytes, computed exactly in int32 (len(x) <= 33,000 keeps the sum below
// 2^31) and stored as float32. Bytes are widened to 16 bits (VPMOVZXBW),
// subtracted, and VPMADDWD squares and adds pairs into 32-bit lanes: 32
// bytes per step in two accumulators, then 16, then one at a time. Before
// row i it prefetches every cache line of row idx[i+ahead].
TEXT ·sqDistGatherU8AVX2(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ m_base+24(FP), R8
	MOVQ idx_base+48(FP), R10
	MOVQ idx_len+56(FP), R11
	MOVQ out_base+72(FP), R12
	MOVQ ahead+96(FP), R13
	XORQ DX, DX

	NEXTROW(u_row, u_prefetch, u_compute, u_done, CX)
	VPXOR   Y0, Y0, Y0
	VPXOR   Y1, Y1, Y1
	XORL    R9, R9

u_loop32:
	CMPQ      BX, $32
	JL        u_loop16
	VPMOVZXBW (AX), Y4
	VPMOVZXBW 16(AX), Y5
	VPMOVZXBW (DI), Y6
	VPMOVZXBW 16(DI), Y7
	VPSUBW    Y6, Y4, Y4
	VPSUBW    Y7, Y5, Y5
	VPMADDWD  Y4, Y4, Y4
	VPMADDWD  Y5, Y5, Y5
	VPADDD    Y4, Y0, Y0
	VPADDD    Y5, Y1, Y1
	ADDQ      $32, AX
	ADDQ      $32, DI
	SUBQ      $32, BX
	JMP       u_loop32

u_loop16:
	CMPQ      BX, $16
	JL        u_loop1
	VPMOVZXBW (AX), Y4
	VPMOVZXBW (DI), Y6
	VPSUBW    Y6, Y4, Y4
	VPMADDWD  Y4, Y4, Y4
	VPADDD    Y4, Y0, Y0
	ADDQ      $16, AX
	ADDQ      $16, DI
	SUBQ      $16, BX

u_loop1:
	TESTQ   BX, BX
	JE      u_store
	MOVBLZX (AX), R14
	MOVBLZX (DI), R15
	SUBL    R15, R14
	IMULL   R14, R14
	ADDL    R14, R9
	INCQ    AX
	INCQ    DI
	DECQ    BX
	JMP     u_loop1

u_store:
	VPADDD       Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VPHADDD      X0, X0, X0
	VPHADDD      X0, X0, X0
	VMOVD        X0, R14
	ADDL         R9, R14
	CVTSL2SS     R14, X0
	MOVSS        X0, (R12)(DX*4)
	INCQ         DX
	JMP          u_row

u_done:
	VZEROUPPER
	RET

// func dotGatherAVX2(x, m []float32, idx []int32, out []float32, ahead int)
//
// out[i] = x . row idx[i] of m, rows of len(x) floats, prefetching every
// cache line of row idx[i+ahead] before row i (see sqDistGatherAVX2).
TEXT ·dotGatherAVX2(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ m_base+24(FP), R8
	MOVQ idx_base+48(FP), R10
	MOVQ idx_len+56(FP), R11
	MOVQ out_base+72(FP), R12
	MOVQ ahead+96(FP), R13
	MOVQ CX, R9
	SHLQ $2, R9
	XORQ DX, DX

	NEXTROW(d_row, d_prefetch, d_compute, d_done, R9)
	ZERO

d_loop32:
	CMPQ        BX, $32
	JL          d_loop8
	VMOVUPS     (AX), Y4
	VMOVUPS     32(AX), Y6
	VMOVUPS     64(AX), Y7
	VMOVUPS     96(AX), Y8
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y6, Y1
	VFMADD231PS 64(DI), Y7, Y2
	VFMADD231PS 96(DI), Y8, Y3
	ADDQ        $128, AX
	ADDQ        $128, DI
	SUBQ        $32, BX
	JMP         d_loop32

d_loop8:
	CMPQ        BX, $8
	JL          d_loop1
	VMOVUPS     (AX), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ        $32, AX
	ADDQ        $32, DI
	SUBQ        $8, BX
	JMP         d_loop8

d_loop1:
	TESTQ       BX, BX
	JE          d_store
	VMOVSS      (AX), X4
	VFMADD231SS (DI), X4, X5
	ADDQ        $4, AX
	ADDQ        $4, DI
	DECQ        BX
	JMP         d_loop1

d_store:
	REDUCE
	VMOVSS X0, (R12)(DX*4)
	INCQ   DX
	JMP    d_row

d_done:
	VZEROUPPER
	RET
