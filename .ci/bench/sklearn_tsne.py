"""scikit-learn Barnes-Hut t-SNE reference (PCA init, learning rate auto, 2 jobs):
python3 sklearn_tsne.py DATA_DIR N SEED OUT.npy [PCA_DIMS]

PCA_DIMS 0 (the default) gives TSNE the raw pixels, as in the issue's
reference figures; a positive value reduces them by PCA first."""
import resource
import sys
import time

import numpy as np

from mnist_idx import load

data_dir, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
dims = int(sys.argv[5]) if len(sys.argv) > 5 else 0
x, _ = load(data_dir, n)
t0 = time.time()
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.manifold import TSNE  # noqa: E402

if dims > 0:
    x = PCA(n_components=dims, random_state=seed).fit_transform(x)
tsne = TSNE(init="pca", learning_rate="auto", n_jobs=2, random_state=seed, method="barnes_hut", angle=0.5, n_iter=1000)
emb = tsne.fit_transform(x)
wall = time.time() - t0
np.save(out, emb.astype(np.float32))
print(f"fit_wall_s {wall:.2f}")
print(f"kl {tsne.kl_divergence_:.4f}")
print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
