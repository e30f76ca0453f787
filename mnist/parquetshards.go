package mnist

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A Parquet dataset is one .parquet file or a folder of them (shards).
const (
	parquetExt       = ".parquet"
	maxShardDepth    = 3     // how deep below the folder shards are looked for
	maxShardEntries  = 20000 // folder entries examined in all
	maxParquetShards = 10000
)

// parquetShard is one file of a Parquet dataset.
type parquetShard struct {
	path string
	test bool // from the test (or validation) split
}

// isParquet matches a .parquet file, or a folder holding .parquet files
// (within maxShardDepth folders) and no image files.
func isParquet(p string, st fs.FileInfo) bool {
	if !st.IsDir() {
		return strings.EqualFold(filepath.Ext(p), parquetExt)
	}
	shards, images, _ := findShards(p)
	return len(shards) > 0 && !images
}

// findShards lists the .parquet files under root (root itself when it is
// a file), train split first, each split in path order. A file's split is
// the first word of its name (train-00000-of-00002.parquet) or of a folder
// above it (mnist/test/0000.parquet): train, or test, validation, valid,
// val, dev or eval, which the dataset holds as its test rows; a file with
// neither is a training file. images says whether an image file was seen
// on the way.
func findShards(root string) (shards []parquetShard, images bool, err error) {
	entries := 0
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		list, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("mnist: %w", err)
		}
		for _, e := range list {
			if entries++; entries > maxShardEntries || len(shards) > maxParquetShards {
				return nil
			}
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			full := filepath.Join(dir, name)
			if e.IsDir() && depth < maxShardDepth {
				if err := walk(full, depth+1); err != nil {
					return err
				}
			} else if isImageName(name) {
				images = true
			} else if !e.IsDir() && strings.EqualFold(filepath.Ext(name), parquetExt) {
				rel, _ := filepath.Rel(root, full)
				shards = append(shards, parquetShard{full, isTestSplit(rel)})
			}
		}
		return nil
	}
	if st, err := os.Stat(root); err != nil {
		return nil, false, fmt.Errorf("mnist: %w", err)
	} else if !st.IsDir() {
		return []parquetShard{{root, false}}, false, nil
	}
	if err := walk(root, 0); err != nil {
		return nil, false, err
	}
	if len(shards) > maxParquetShards {
		return nil, false, fmt.Errorf("mnist: %s: more than %d Parquet files", root, maxParquetShards)
	}
	slices.SortFunc(shards, func(a, b parquetShard) int {
		if a.test != b.test {
			if a.test {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.path, b.path)
	})
	return shards, images, nil
}

// isTestSplit reports whether rel (a shard's path from the dataset's
// folder) names a held-out split: see findShards.
func isTestSplit(rel string) bool {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		word := strings.ToLower(parts[i])
		if i == len(parts)-1 {
			word = strings.TrimSuffix(word, parquetExt)
		}
		if j := strings.IndexAny(word, "-_."); j >= 0 {
			word = word[:j]
		}
		switch word {
		case "train", "training":
			return false
		case "test", "testing", "validation", "valid", "val", "dev", "eval":
			return true
		}
	}
	return false
}
