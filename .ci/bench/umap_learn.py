"""umap-learn reference: python3 umap_learn.py DATA_DIR N SEED OUT.npy (SEED 0 = unseeded, parallel)."""
import resource
import sys
import time

import numpy as np

from mnist_idx import load

data_dir, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x, _ = load(data_dir, n)
t0 = time.time()
import umap  # noqa: E402  (import time counts: numba compiles on first use)

emb = umap.UMAP(random_state=seed if seed else None).fit_transform(x)
wall = time.time() - t0
np.save(out, emb.astype(np.float32))
print(f"fit_wall_s {wall:.2f}")
print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
