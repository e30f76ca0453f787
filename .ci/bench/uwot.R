# uwot reference: Rscript uwot.R DATA_DIR N SEED OUT.csv [fast]
args <- commandArgs(trailingOnly = TRUE)
script_dir <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(script_dir, "mnist_idx.R"))
d <- load_mnist(args[1], as.integer(args[2]))
set.seed(as.integer(args[3]))
suppressPackageStartupMessages(library(uwot))
fast <- length(args) >= 5 && args[5] == "fast"
t <- system.time({
  emb <- if (fast) {
    umap(d$x, n_threads = 2, pca = 50, approx_pow = TRUE, fast_sgd = TRUE)
  } else {
    umap(d$x, n_threads = 2)
  }
})
write_layout(emb, args[4])
cat(sprintf("fit_wall_s %.2f\n", t[["elapsed"]]))
cat(sprintf("peak_rss_mb %.0f\n", peak_rss_mb()))
