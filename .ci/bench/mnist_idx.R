# Loads the MNIST IDX files (train then test) as a numeric matrix in [0, 1].
read_idx <- function(path, dims) {
  con <- gzfile(path, "rb")
  on.exit(close(con))
  readBin(con, "integer", n = 1, size = 4, endian = "big")
  shape <- readBin(con, "integer", n = dims, size = 4, endian = "big")
  v <- readBin(con, "raw", n = prod(shape))
  list(shape = shape, v = as.integer(v))
}
load_mnist <- function(dir, n = 0) {
  xs <- list(); ys <- list()
  for (split in c("train", "t10k")) {
    img <- file.path(dir, paste0(split, "-images-idx3-ubyte.gz"))
    if (!file.exists(img)) next
    a <- read_idx(img, 3)
    xs[[split]] <- matrix(a$v, nrow = a$shape[1], byrow = TRUE) / 255
    ys[[split]] <- read_idx(file.path(dir, paste0(split, "-labels-idx1-ubyte.gz")), 1)$v
  }
  x <- do.call(rbind, xs); y <- unlist(ys)
  if (n > 0) { x <- x[1:n, , drop = FALSE]; y <- y[1:n] }
  list(x = x, y = y)
}
write_layout <- function(emb, out) {
  write.table(emb, out, sep = ",", row.names = FALSE, col.names = c("x", "y"))
}
peak_rss_mb <- function() {
  s <- readLines("/proc/self/status")
  as.numeric(gsub("[^0-9]", "", s[grepl("^VmHWM", s)])) / 1024
}
