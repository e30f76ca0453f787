package projection

import "math"

var inf32 = float32(math.Inf(1))
