# Rtsne (bhtsne) reference: Rscript rtsne.R DATA_DIR N SEED OUT.csv
# PCA 50, theta 0.5, perplexity 30, 1000 iterations, 2 threads (Rtsne's defaults otherwise).
args <- commandArgs(trailingOnly = TRUE)
script_dir <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(script_dir, "mnist_idx.R"))
d <- load_mnist(args[1], as.integer(args[2]))
set.seed(as.integer(args[3]))
suppressPackageStartupMessages(library(Rtsne))
t <- system.time({
  r <- Rtsne(d$x, dims = 2, initial_dims = 50, perplexity = 30, theta = 0.5, max_iter = 1000,
             check_duplicates = FALSE, pca = TRUE, num_threads = 2)
})
write_layout(r$Y, args[4])
cat(sprintf("fit_wall_s %.2f\n", t[["elapsed"]]))
cat(sprintf("kl %.4f\n", tail(r$itercosts, 1)))
cat(sprintf("peak_rss_mb %.0f\n", peak_rss_mb()))
