#include "textflag.h"

// The SGD's steps in AVX2 (see umap_sgd_lanes.go): a step's sixteen lanes
// are two vectors of eight. Points' (x, y) pairs and the force tables' (value, slope)
// pairs are read with one 8-byte load per lane and written back likewise
// (gather instructions cost more than scalar loads on the machines
// measured, see tsne_simd_amd64.s). No FMA: every product is rounded as in
// sgdStepsGo.

// CONST8 defines a read-only vector of eight copies of the 32-bit v.
#define CONST8(name, v) \
	DATA name<>+0(SB)/4, v \
	DATA name<>+4(SB)/4, v \
	DATA name<>+8(SB)/4, v \
	DATA name<>+12(SB)/4, v \
	DATA name<>+16(SB)/4, v \
	DATA name<>+20(SB)/4, v \
	DATA name<>+24(SB)/4, v \
	DATA name<>+28(SB)/4, v \
	GLOBL name<>(SB), RODATA|NOPTR, $32

CONST8(sgdLoBits, $0x2b800000)  // forceLoBits: (127 + forceMinExp) << 23
CONST8(sgdSpanM1, $0x27ffffff)  // forceSpan - 1
CONST8(sgdBinMask, $0x0001ffff) // forceMask
CONST8(sgdInvBin, $0x37000000)  // 1 / (forceMask + 1) = 2^-17
CONST8(sgdZero, $0)
CONST8(sgdOne, $1)
CONST8(sgdFour, $0x40800000)    // 4.0
CONST8(sgdMinus4, $0xc0800000)  // -4.0
CONST8(sgdHash1, $0xed5ad4bb)  // triple32's multipliers
CONST8(sgdHash2, $0xac4c1b51)
CONST8(sgdHash3, $0x31848bab)

// QUAD loads the pairs at rb + 8*idx for the four int32 idx in xi: the
// first two into xa, the last two into xb; AX, BX, DX and DI are
// clobbered.
#define QUAD(xi, rb, xa, xb) \
	VMOVD   xi, AX \
	VPEXTRD $1, xi, BX \
	VPEXTRD $2, xi, DX \
	VPEXTRD $3, xi, DI \
	VMOVQ   (rb)(AX*8), xa \
	VPINSRQ $1, (rb)(BX*8), xa, xa \
	VMOVQ   (rb)(DX*8), xb \
	VPINSRQ $1, (rb)(DI*8), xb, xb

// PAIRSR loads the pairs at rb + 8*idx for the eight int32 idx in the
// vector yi (xi its low half; clobbered) into yx (first of each pair) and
// yy (second); ya and yb are clobbered; AX, BX, DX and DI too. The indices
// are read out of the register (storing them and loading them back would
// wait for the store on some CPUs).
#define PAIRSR(yi, xi, rb, ya, xa, yb, xb, yx, xx, yy, xy) \
	QUAD(xi, rb, xa, xb) \
	VEXTRACTI128 $1, yi, xi \
	QUAD(xi, rb, xx, xy) \
	VINSERTI128  $1, xx, ya, ya \
	VINSERTI128  $1, xy, yb, yb \
	VSHUFPS      $0x88, yb, ya, yx \
	VSHUFPS      $0xdd, yb, ya, yy

// STOREQUAD writes the pairs in xa, then xb, to rb + 8*idx for the four
// int32 idx at d(ri); AX is clobbered.
#define STOREQUAD(d, ri, rb, xa, xb) \
	MOVLQZX d+0(ri), AX \
	VMOVQ   xa, (rb)(AX*8) \
	MOVLQZX d+4(ri), AX \
	VPEXTRQ $1, xa, (rb)(AX*8) \
	MOVLQZX d+8(ri), AX \
	VMOVQ   xb, (rb)(AX*8) \
	MOVLQZX d+12(ri), AX \
	VPEXTRQ $1, xb, (rb)(AX*8)

// STOREPAIRS writes (yx, yy) lane by lane, lane 0 first, to the pairs at
// rb + 8*idx for the eight int32 idx at d(ri); ya and yb are clobbered; AX
// too.
#define STOREPAIRS(d, ri, rb, yx, yy, ya, xa, yb, xb) \
	VUNPCKLPS    yy, yx, ya \
	VUNPCKHPS    yy, yx, yb \
	STOREQUAD(d, ri, rb, xa, xb) \
	VEXTRACTI128 $1, ya, xa \
	VEXTRACTI128 $1, yb, xb \
	STOREQUAD(d+16, ri, rb, xa, xb)

// TABLE sets Y5 to sgdTableAt(table at rt, d2) for the squared distances
// in Y4; Y0, Y1, Y7, Y12, AX, BX, DX and DI are clobbered.
#define TABLE(rt) \
	VPSUBD    sgdLoBits<>(SB), Y4, Y5 \
	VPMAXSD   sgdZero<>(SB), Y5, Y5 \
	VPMINSD   sgdSpanM1<>(SB), Y5, Y5 \
	VPSRLD    $17, Y5, Y0 \
	VPAND     sgdBinMask<>(SB), Y5, Y5 \
	VCVTDQ2PS Y5, Y5 \
	VMULPS    sgdInvBin<>(SB), Y5, Y5 \
	PAIRSR(Y0, X0, rt, Y1, X1, Y7, X7, Y0, X0, Y12, X12) \
	VMULPS    Y12, Y5, Y12 \
	VADDPS    Y12, Y0, Y5

// CLIPALPHA sets y to clip4v(y) * alpha (alpha in 96(SP)).
#define CLIPALPHA(y) \
	VMINPS sgdFour<>(SB), y, y \
	VMAXPS sgdMinus4<>(SB), y, y \
	VMULPS 96(SP), y, y

// ATTRACT is the attractive update of the group at d: its heads' (x, y)
// read into hx, hy and moved, its tails read, moved and written. Y0-Y8,
// Y12, AX, BX, DX and DI are clobbered.
#define ATTRACT(d, hx, xhx, hy, xhy) \
	VMOVDQU d(R8), Y0 \
	PAIRSR(Y0, X0, SI, Y1, X1, Y2, X2, hx, xhx, hy, xhy) \
	VMOVDQU d(R9), Y0 \
	PAIRSR(Y0, X0, SI, Y1, X1, Y4, X4, Y2, X2, Y3, X3) \
	VSUBPS Y2, hx, Y6 \
	VSUBPS Y3, hy, Y8 \
	VMULPS Y6, Y6, Y4 \
	VMULPS Y8, Y8, Y5 \
	VADDPS Y5, Y4, Y4 \
	TABLE(R11) \
	VMULPS Y5, Y6, Y6 \
	CLIPALPHA(Y6) \
	VMULPS Y5, Y8, Y8 \
	CLIPALPHA(Y8) \
	VADDPS Y6, hx, hx \
	VADDPS Y8, hy, hy \
	VSUBPS Y6, Y2, Y2 \
	VSUBPS Y8, Y3, Y3 \
	STOREPAIRS(d, R9, SI, Y2, Y3, Y0, X0, Y1, X1)

// ROUND is one negative sample for each lane of the group at d with
// samples left (nrem > 0; nrem is decremented): the lanes' generators
// advance (Y13), the sample's (x, y) is read, and the head at (hx, hy)
// moves unless the sample is the head itself. Y0-Y7, Y12, AX, BX, DX and
// DI are clobbered.
#define ROUND(d, hx, hy, nrem) \
	VPCMPGTD  sgdZero<>(SB), nrem, Y6 \
	VPADDD    32(R13), Y13, Y13 \
	VPSRLD    $17, Y13, Y0 \
	VPXOR     Y13, Y0, Y0 \
	VPMULLD   sgdHash1<>(SB), Y0, Y0 \
	VPSRLD    $11, Y0, Y1 \
	VPXOR     Y1, Y0, Y0 \
	VPMULLD   sgdHash2<>(SB), Y0, Y0 \
	VPSRLD    $15, Y0, Y1 \
	VPXOR     Y1, Y0, Y0 \
	VPMULLD   sgdHash3<>(SB), Y0, Y0 \
	VPSRLD    $14, Y0, Y1 \
	VPXOR     Y1, Y0, Y0 \
	VPMULUDQ  128(SP), Y0, Y1 \
	VPSRLQ    $32, Y0, Y2 \
	VPMULUDQ  128(SP), Y2, Y2 \
	VPSRLQ    $32, Y1, Y1 \
	VPBLENDD  $0xaa, Y2, Y1, Y1 \
	VPCMPEQD  d(R8), Y1, Y2 \
	VPANDN    Y6, Y2, Y6 \
	PAIRSR(Y1, X1, SI, Y0, X0, Y4, X4, Y2, X2, Y3, X3) \
	VSUBPS    Y2, hx, Y2 \
	VSUBPS    Y3, hy, Y3 \
	VMULPS    Y2, Y2, Y4 \
	VMULPS    Y3, Y3, Y5 \
	VADDPS    Y5, Y4, Y4 \
	TABLE(R12) \
	VMULPS    Y5, Y2, Y2 \
	CLIPALPHA(Y2) \
	VMULPS    Y5, Y3, Y3 \
	CLIPALPHA(Y3) \
	VCMPPS    $0, sgdZero<>(SB), Y4, Y0 \
	VANDPS    64(SP), Y0, Y1 \
	VANDNPS   Y2, Y0, Y2 \
	VORPS     Y1, Y2, Y2 \
	VANDNPS   Y3, Y0, Y3 \
	VORPS     Y1, Y3, Y3 \
	VANDPS    Y6, Y2, Y2 \
	VANDPS    Y6, Y3, Y3 \
	VADDPS    Y2, hx, hx \
	VADDPS    Y3, hy, hy \
	VPSUBD    sgdOne<>(SB), nrem, nrem

// func sgdStepsAVX2(pos []float32, heads, tails, nneg []int32, att, rep []float32, rng *sgdLaneRNG, n uint32, alpha float32)
//
// A step's two groups of eight lanes run interleaved, so that one group's
// chain of dependent updates fills the other's waits. Registers across a
// step: Y11, Y10 the first group's heads' x and y, Y14, Y15 the second's;
// Y8, Y9 the samples each lane has left; Y13 the generators' states.
// 64(SP) holds 4 alpha, 96(SP) alpha, 128(SP) n.
TEXT ·sgdStepsAVX2(SB), NOSPLIT, $160-160
	MOVQ         pos_base+0(FP), SI
	MOVQ         heads_base+24(FP), R8
	MOVQ         heads_len+32(FP), CX
	SHRQ         $4, CX
	MOVQ         tails_base+48(FP), R9
	MOVQ         nneg_base+72(FP), R10
	MOVQ         att_base+96(FP), R11
	MOVQ         rep_base+120(FP), R12
	MOVQ         rng+144(FP), R13
	MOVL         n+152(FP), AX
	VMOVD        AX, X0
	VPBROADCASTD X0, Y0
	VMOVDQU      Y0, 128(SP)
	VBROADCASTSS alpha+156(FP), Y0
	VMOVUPS      Y0, 96(SP)
	VMULPS       sgdFour<>(SB), Y0, Y0
	VMOVUPS      Y0, 64(SP)
	VMOVDQU      0(R13), Y13
	TESTQ        CX, CX
	JEQ          done

step:
	ATTRACT(0, Y11, X11, Y10, X10)
	ATTRACT(32, Y14, X14, Y15, X15)
	VMOVDQU      0(R10), Y8
	VMOVDQU      32(R10), Y9

round:
	VPMAXSD      Y9, Y8, Y0
	VPCMPGTD     sgdZero<>(SB), Y0, Y0
	VMOVMSKPS    Y0, AX
	TESTL        AX, AX
	JEQ          rounddone
	ROUND(0, Y11, Y10, Y8)
	ROUND(32, Y14, Y15, Y9)
	JMP          round

rounddone:
	STOREPAIRS(0, R8, SI, Y11, Y10, Y0, X0, Y1, X1)
	STOREPAIRS(32, R8, SI, Y14, Y15, Y0, X0, Y1, X1)
	ADDQ         $64, R8
	ADDQ         $64, R9
	ADDQ         $64, R10
	DECQ         CX
	JNE          step

done:
	VMOVDQU      Y13, 0(R13)
	VZEROUPPER
	RET
