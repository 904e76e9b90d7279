package parser

// cueDFA is an Aho–Corasick automaton over bytes, compiled to a full
// transition table on byte classes: one table load per byte of text, no
// allocation. It reports, per state, the patterns that end there (its own
// and those of its suffix states).
type cueDFA struct {
	class   [256]uint16 // byte → column; 0 for bytes in no pattern
	ncls    int
	next    []uint16  // state*ncls + class → state
	out     [][]int32 // state → patterns ending there
	outFrom int       // the states from outFrom on, and only they, have output
}

// newCueDFA compiles pats (none empty).
func newCueDFA(pats []string) *cueDFA {
	d := &cueDFA{}
	for _, p := range pats {
		for i := 0; i < len(p); i++ {
			if d.class[p[i]] == 0 {
				d.ncls++
				d.class[p[i]] = uint16(d.ncls)
			}
		}
	}
	d.ncls++ // column 0: bytes in no pattern
	// The trie, with -1 for a missing edge.
	var trie [][]int32
	newState := func() int32 {
		row := make([]int32, d.ncls)
		for i := range row {
			row[i] = -1
		}
		trie = append(trie, row)
		d.out = append(d.out, nil)
		return int32(len(trie) - 1)
	}
	newState()
	for id, p := range pats {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := d.class[p[i]]
			if trie[s][c] < 0 {
				n := newState()
				trie[s][c] = n
			}
			s = trie[s][c]
		}
		d.out[s] = append(d.out[s], int32(id))
	}
	// Breadth first: failure links, inherited outputs, full transitions.
	fail := make([]int32, len(trie))
	queue := make([]int32, 0, len(trie))
	for c := 0; c < d.ncls; c++ {
		if n := trie[0][c]; n > 0 {
			fail[n] = 0
			queue = append(queue, n)
		} else {
			trie[0][c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		d.out[s] = append(d.out[s], d.out[fail[s]]...)
		for c := 0; c < d.ncls; c++ {
			if n := trie[s][c]; n >= 0 {
				fail[n] = trie[fail[s]][c]
				queue = append(queue, n)
			} else {
				trie[s][c] = trie[fail[s]][c]
			}
		}
	}
	if len(trie) > 1<<16 {
		panic("parser: cue automaton has more than 65536 states")
	}
	// States with output are numbered last: "s >= outFrom" needs no load.
	order := make([]int32, 0, len(trie))
	for s := range trie {
		if len(d.out[s]) == 0 {
			order = append(order, int32(s))
		}
	}
	d.outFrom = len(order)
	for s := range trie {
		if len(d.out[s]) > 0 {
			order = append(order, int32(s))
		}
	}
	newID := make([]int32, len(trie))
	for n, s := range order {
		newID[s] = int32(n)
	}
	if newID[0] != 0 {
		panic("parser: cue automaton root has output")
	}
	d.next = make([]uint16, len(trie)*d.ncls)
	out := make([][]int32, len(trie))
	for n, s := range order {
		for c, t := range trie[s] {
			d.next[n*d.ncls+c] = uint16(newID[t])
		}
		out[n] = d.out[s]
	}
	d.out = out
	return d
}

// each calls f with the pattern of every match in text, overlapping ones
// included (a pattern may be reported more than once).
func (d *cueDFA) each(text string, f func(pat int32)) {
	s := 0
	for i := 0; i < len(text); i++ {
		s = int(d.next[s*d.ncls+int(d.class[text[i]])])
		if s >= d.outFrom {
			for _, p := range d.out[s] {
				f(p)
			}
		}
	}
}
