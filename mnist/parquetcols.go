package mnist

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
	"github.com/parquet-go/parquet-go"
)

// How a Parquet dataset's columns are used.
type parquetColumns struct {
	image     string // the image column's name
	imageLeaf []string
	label     string   // "" when unlabelled
	labelText bool     // the label column holds text (else integers)
	meta      []string // further scalar columns, shown as metadata
	names     []string // class names from the Hugging Face metadata (ClassLabel), or nil
}

// maxMetaColumns is the most further columns kept as metadata.
const maxMetaColumns = 32

// hfFeatures is the part of the "huggingface" key-value metadata Hugging
// Face's datasets writes that says what each column is:
// {"info": {"features": {"image": {"_type": "Image"}, "label":
// {"_type": "ClassLabel", "names": [...]}}}}.
type hfFeatures struct {
	Info struct {
		Features map[string]struct {
			Type  string   `json:"_type"`
			Names []string `json:"names"`
		} `json:"features"`
	} `json:"info"`
}

// hfFeaturesOf reads f's Hugging Face features, or returns nil.
func hfFeaturesOf(f *parquetio.File) *hfFeatures {
	s, ok := f.Lookup("huggingface")
	if !ok {
		return nil
	}
	var h hfFeatures
	if json.Unmarshal([]byte(s), &h) != nil {
		return nil
	}
	return &h
}

// hfColumn returns the column the features give type typ, when exactly
// one has it and f has that column.
func (h *hfFeatures) column(f *parquetio.File, typ string) string {
	if h == nil {
		return ""
	}
	var found []string
	for name, ft := range h.Info.Features {
		if ft.Type == typ && f.Top(name) != nil {
			found = append(found, name)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// imageLeaf returns the leaf of column c holding image bytes: c itself
// when it is a binary column, its "bytes" field when it is a structure
// (Hugging Face's Image feature: bytes and path); nil when c is neither.
func imageLeaf(c *parquet.Column) *parquet.Column {
	if !c.Leaf() && !parquetio.IsList(c) {
		if b := c.Column("bytes"); b != nil {
			c = b
		}
	}
	if c.Leaf() && !c.Repeated() && c.Type().Kind() == parquet.ByteArray && !parquetio.IsString(c) {
		return c
	}
	return nil
}

// labelKind says whether a leaf column can hold labels: integers or text.
func labelKind(c *parquet.Column) (ok, text bool) {
	if !c.Leaf() || c.Repeated() {
		return false, false
	}
	switch c.Type().Kind() {
	case parquet.Int32, parquet.Int64:
		return true, false
	case parquet.ByteArray:
		return parquetio.IsString(c), true
	}
	return false, false
}

// isScalar reports whether c is a leaf that reads as one number or text
// per row.
func isScalar(c *parquet.Column) bool {
	if !c.Leaf() || c.Repeated() {
		return false
	}
	switch c.Type().Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return parquetio.IsString(c)
	}
	return true
}

// chooseColumns decides which of f's columns hold the images, the labels
// and metadata: o.ImageColumn and o.LabelColumn when set, else found (see
// Open); an error names f and lists its columns.
func chooseColumns(f *parquetio.File, o Options) (*parquetColumns, error) {
	cols := f.Root().Columns()
	hf := hfFeaturesOf(f)
	fail := func(format string, args ...any) error {
		return fmt.Errorf("mnist: %s: %s; its columns: %s", f.Path, fmt.Sprintf(format, args...), f.Describe())
	}
	pc := &parquetColumns{image: o.ImageColumn, label: o.LabelColumn}
	if pc.image == "" {
		pc.image = hf.column(f, "Image")
	}
	if pc.image == "" {
		var found []string
		for _, c := range cols {
			if imageLeaf(c) != nil {
				found = append(found, c.Name())
			}
		}
		switch len(found) {
		case 0:
			return nil, fail("no image column (a binary column of PNG or JPEG bytes, or a structure of bytes and path as Hugging Face writes)")
		case 1:
			pc.image = found[0]
		default:
			return nil, fail("several columns could hold the images (%s): choose one with --image-col", strings.Join(found, ", "))
		}
	}
	c := f.Top(pc.image)
	if c == nil {
		return nil, fail("no column %q", pc.image)
	}
	leaf := imageLeaf(c)
	if leaf == nil {
		return nil, fail("column %q cannot hold images: want binary (PNG or JPEG bytes) or a structure with a binary field \"bytes\"", c.Name())
	}
	pc.image, pc.imageLeaf = c.Name(), leaf.Path()

	if pc.label == "" {
		pc.label = hf.column(f, "ClassLabel")
	}
	if pc.label == "" {
		var found []string
		for _, c := range cols {
			if ok, _ := labelKind(c); ok && c.Name() != pc.image && slices.Contains(labelHeaders, strings.ToLower(c.Name())) {
				found = append(found, c.Name())
			}
		}
		if len(found) > 1 {
			return nil, fail("several columns could hold the labels (%s): choose one with --label-col", strings.Join(found, ", "))
		}
		if len(found) == 1 {
			pc.label = found[0]
		}
	}
	if pc.label != "" {
		c := f.Top(pc.label)
		if c == nil {
			return nil, fail("no column %q", pc.label)
		}
		ok, text := labelKind(c)
		if !ok || c.Name() == pc.image {
			return nil, fail("column %q cannot hold labels: want integers 0..255 or text", c.Name())
		}
		pc.label, pc.labelText = c.Name(), text
		if hf != nil && !text {
			for _, n := range hf.Info.Features[pc.label].Names {
				pc.names = append(pc.names, clipName(n))
			}
			if len(pc.names) > maxClasses {
				return nil, fmt.Errorf("mnist: %s: %d class names in its Hugging Face metadata, more than the %d a dataset can hold", f.Path, len(pc.names), maxClasses)
			}
		}
	}
	for _, c := range cols {
		if c.Name() != pc.image && c.Name() != pc.label && isScalar(c) && len(pc.meta) < maxMetaColumns {
			pc.meta = append(pc.meta, c.Name())
		}
	}
	return pc, nil
}

// same checks that shard f has the columns pc chose in the first shard,
// of kinds that can be used the same way.
func (pc *parquetColumns) same(f *parquetio.File) error {
	missing := func(name, what string) error {
		return fmt.Errorf("mnist: %s: no %s column %q like the first file's; its columns: %s", f.Path, what, name, f.Describe())
	}
	c := f.Top(pc.image)
	if c == nil || imageLeaf(c) == nil || !slices.Equal(imageLeaf(c).Path(), pc.imageLeaf) {
		return missing(pc.image, "image")
	}
	if pc.label != "" {
		c := f.Top(pc.label)
		if c == nil {
			return missing(pc.label, "label")
		}
		if ok, text := labelKind(c); !ok || text != pc.labelText {
			return missing(pc.label, "label")
		}
	}
	for _, m := range pc.meta {
		if c := f.Top(m); c == nil || !isScalar(c) {
			return missing(m, "metadata")
		}
	}
	return nil
}
