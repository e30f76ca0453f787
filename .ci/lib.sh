# Shell helpers the .ci tests share; source it.

# png_size FILE prints WIDTHxHEIGHT of a PNG (from its IHDR chunk) and fails
# when FILE is not a PNG.
png_size() {
	local sig
	sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
	[ "$sig" = 89504e470d0a1a0a ] || return 1
	od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'
}
