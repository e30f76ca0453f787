package atlas

import "fmt"

// Downsample box-filters a w x h R8 page to (w/2) x (h/2), each output
// pixel the rounded mean of an aligned 2x2 block, and returns dst (grown or
// allocated as needed). Applied to a page k times it gives mip level k,
// which never mixes cells while k <= MaxMipLevel. w and h must be even.
func Downsample(dst, src []uint8, w, h int) []uint8 {
	if w%2 != 0 || h%2 != 0 || len(src) != w*h {
		panic(fmt.Sprintf("atlas: Downsample of %d bytes as %dx%d", len(src), w, h))
	}
	ow, oh := w/2, h/2
	if cap(dst) < ow*oh {
		dst = make([]uint8, ow*oh)
	}
	dst = dst[:ow*oh]
	for y := 0; y < oh; y++ {
		r0, r1 := src[2*y*w:(2*y+1)*w], src[(2*y+1)*w:(2*y+2)*w]
		out := dst[y*ow : (y+1)*ow]
		for x := range out {
			s := uint(r0[2*x]) + uint(r0[2*x+1]) + uint(r1[2*x]) + uint(r1[2*x+1])
			out[x] = uint8((s + 2) / 4)
		}
	}
	return dst
}

// DownsampleChannels box-filters a w x h page of ch bytes a pixel (1 or 4,
// as Atlas.Channels) to (w/2) x (h/2), each channel separately as
// Downsample does. RGBA pages are premultiplied, so averaging each channel
// is the right filter.
func DownsampleChannels(dst, src []uint8, w, h, ch int) []uint8 {
	if ch == 1 {
		return Downsample(dst, src, w, h)
	}
	if w%2 != 0 || h%2 != 0 || ch <= 0 || len(src) != w*h*ch {
		panic(fmt.Sprintf("atlas: DownsampleChannels of %d bytes as %dx%dx%d", len(src), w, h, ch))
	}
	ow, oh := w/2, h/2
	if cap(dst) < ow*oh*ch {
		dst = make([]uint8, ow*oh*ch)
	}
	dst = dst[:ow*oh*ch]
	stride := w * ch
	for y := 0; y < oh; y++ {
		r0, r1 := src[2*y*stride:(2*y+1)*stride], src[(2*y+1)*stride:(2*y+2)*stride]
		out := dst[y*ow*ch : (y+1)*ow*ch]
		for x := 0; x < ow; x++ {
			for c := 0; c < ch; c++ {
				i := 2*x*ch + c
				s := uint(r0[i]) + uint(r0[i+ch]) + uint(r1[i]) + uint(r1[i+ch])
				out[x*ch+c] = uint8((s + 2) / 4)
			}
		}
	}
	return dst
}
