"""Loads the MNIST IDX files (train then test) as float32 pixels in [0, 1]."""
import gzip
import os

import numpy as np


def _read(path, dims):
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        data = f.read()
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, n=0):
    parts_x, parts_y = [], []
    for split in ("train", "t10k"):
        img = os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz")
        lbl = os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz")
        if not os.path.exists(img):
            continue
        x = _read(img, 3)
        parts_x.append(x.reshape(x.shape[0], -1))
        parts_y.append(_read(lbl, 1))
    x = np.vstack(parts_x).astype(np.float32) / 255.0
    y = np.concatenate(parts_y)
    if n > 0:
        x, y = x[:n], y[:n]
    return x, y
