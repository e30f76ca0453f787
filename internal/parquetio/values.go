package parquetio

import (
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Values calls fn for every value of the leaf column leaf over all row
// groups, in order, with the row (over the file) it belongs to: a value of
// repetition level 0 starts a row, so a column that is not repeated has a
// value a row and a list column one a list element (or one null for an
// empty or null list). Each row group must hold the rows it claims; every
// error names the file.
func (f *File) Values(leaf *parquet.Column, fn func(row int, v parquet.Value) error) error {
	base := 0
	name := strings.Join(leaf.Path(), ".")
	for g, rg := range f.Metadata().RowGroups {
		rows := int(rg.NumRows)
		row := base - 1
		err := f.ReadColumn(g, leaf, func(_ int, v parquet.Value) error {
			if v.RepetitionLevel() == 0 {
				row++
			}
			if row < base || row-base >= rows {
				return &Error{f.Path, fmt.Errorf("row group %d: column %s holds values past its %d rows", g, name, rows)}
			}
			return fn(row, v)
		})
		if err != nil {
			return err
		}
		if row+1-base != rows {
			return &Error{f.Path, fmt.Errorf("row group %d: column %s holds %d rows' values, the row group %d", g, name, row+1-base, rows)}
		}
		base += rows
	}
	return nil
}

// Number returns a numeric value as float64; ok is false for a null or
// a value that is not a number.
func Number(v parquet.Value) (x float64, ok bool) {
	if v.IsNull() {
		return 0, false
	}
	switch v.Kind() {
	case parquet.Float:
		return float64(v.Float()), true
	case parquet.Double:
		return v.Double(), true
	case parquet.Int32:
		return float64(v.Int32()), true
	case parquet.Int64:
		return float64(v.Int64()), true
	}
	return 0, false
}

// IsNumber reports whether the leaf column c holds numbers.
func IsNumber(c *parquet.Column) bool {
	if !c.Leaf() {
		return false
	}
	switch c.Type().Kind() {
	case parquet.Float, parquet.Double, parquet.Int32, parquet.Int64:
		return true
	}
	return false
}

// NumberList returns the leaf holding the elements of c when c is a list
// of numbers (as Spark, pyarrow or parquet-go write lists), else nil.
func NumberList(c *parquet.Column) *parquet.Column {
	if !IsList(c) {
		return nil
	}
	for !c.Leaf() {
		kids := c.Columns()
		if len(kids) != 1 {
			return nil
		}
		c = kids[0]
	}
	if IsNumber(c) && c.MaxRepetitionLevel() == 1 {
		return c
	}
	return nil
}

// FindNumberList returns the top-level list-of-numbers column of f named
// one of names (compared without case, the first found), else the only
// list of numbers in f; nil when there is none, or several and none named
// so.
func (f *File) FindNumberList(names []string) *parquet.Column {
	for _, name := range names {
		if c := f.Top(name); c != nil && NumberList(c) != nil {
			return c
		}
	}
	var found *parquet.Column
	for _, c := range f.Root().Columns() {
		if NumberList(c) != nil {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// Rows calls fn with the numbers of each row of the list column whose
// element leaf is leaf, in row order (vals is reused from one call to the
// next). A null element is an error naming the file and the row; a null or
// empty list gives no numbers.
func (f *File) Rows(leaf *parquet.Column, fn func(row int, vals []float64) error) error {
	// Below the repeated level's definition level, a row's one value
	// stands for a null or empty list.
	listDef := leaf.MaxDefinitionLevel()
	if leaf.Optional() {
		listDef--
	}
	cur, vals := -1, []float64(nil)
	err := f.Values(leaf, func(row int, v parquet.Value) error {
		if row != cur {
			if cur >= 0 {
				if err := fn(cur, vals); err != nil {
					return err
				}
			}
			cur, vals = row, vals[:0]
			if v.IsNull() && v.DefinitionLevel() < listDef {
				return nil // a null or empty list
			}
		}
		x, ok := Number(v)
		if !ok {
			return &Error{f.Path, fmt.Errorf("row %d: column %s holds a null", row, strings.Join(leaf.Path(), "."))}
		}
		vals = append(vals, x)
		return nil
	})
	if err == nil && cur >= 0 {
		err = fn(cur, vals)
	}
	return err
}
