"""FIt-SNE reference (KlugerLab's fast_tsne.py wrapper and its C++ binary,
built by .ci/fitsne.sh) with its own defaults: PCA to 50 first (as its
README does), perplexity 30, Annoy kNN, FFT gradient, learning rate N/12,
PCA initialisation, 2 threads; 1000 iterations (the wrapper's default is
750; the issue's reference run used 1000):

python3 fitsne.py DATA_DIR N SEED OUT.npy FITSNE_DIR"""
import os
import resource
import sys
import tempfile
import time

import numpy as np

from mnist_idx import load

data_dir, n, seed, fitsne_dir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[5]
out = os.path.abspath(sys.argv[4])  # before the chdir below
sys.path.insert(0, fitsne_dir)
x, _ = load(data_dir, n)
t0 = time.time()
from sklearn.decomposition import PCA  # noqa: E402

from fast_tsne import fast_tsne  # noqa: E402

x = PCA(n_components=50, random_state=seed).fit_transform(x)
t1 = time.time()
# The wrapper writes its exchange files into the working directory.
os.chdir(tempfile.mkdtemp(prefix="fitsne-"))
emb, loss = fast_tsne(x, perplexity=30, max_iter=1000, nthreads=2, seed=seed, return_loss=True)
wall = time.time() - t0
os.rmdir(os.getcwd())
np.save(out, emb.astype(np.float32))
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(f"pca_s {t1 - t0:.2f}")
print(f"fit_wall_s {wall:.2f}")
print(f"kl {loss[-1]:.4f}")
print(f"peak_rss_mb {rss / 1024:.0f}")
