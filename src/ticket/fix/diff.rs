//! A unified diff of two texts, line by line (what `lint --diff` prints): Myers' algorithm on
//! the lines between the common head and tail, hunks with three lines of context.

/// Lines of context around each change.
const CONTEXT: usize = 3;
/// Past this many differing lines the middle is shown as one replaced block: fixes change a
/// few lines, and the search costs time and memory in the square of this bound.
const MAX_DIFFERENCES: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    Delete,
    Insert,
}

/// The diff of `old` and `new` in the unified format, labelled `name`; empty when they are equal.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = script(&a, &b);
    let mut out = format!("--- {name}\n+++ {name}\n");
    // Walk the script, cutting it into hunks around the changes.
    let changes: Vec<usize> = (0..ops.len()).filter(|&i| ops[i] != Op::Equal).collect();
    let mut i = 0;
    while i < changes.len() {
        let first = changes[i];
        let mut last = first;
        while i + 1 < changes.len() && changes[i + 1] - last <= 2 * CONTEXT + 1 {
            i += 1;
            last = changes[i];
        }
        i += 1;
        let start = first.saturating_sub(CONTEXT);
        let end = (last + CONTEXT + 1).min(ops.len());
        // Line numbers where the hunk starts, in each text.
        let (mut line_a, mut line_b) = (0, 0);
        for op in &ops[..start] {
            line_a += usize::from(*op != Op::Insert);
            line_b += usize::from(*op != Op::Delete);
        }
        let count_a = ops[start..end]
            .iter()
            .filter(|&&op| op != Op::Insert)
            .count();
        let count_b = ops[start..end]
            .iter()
            .filter(|&&op| op != Op::Delete)
            .count();
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(line_a, count_a),
            range(line_b, count_b)
        ));
        let (mut ia, mut ib) = (line_a, line_b);
        for op in &ops[start..end] {
            let (mark, line) = match op {
                Op::Equal => {
                    ia += 1;
                    ib += 1;
                    (' ', a[ia - 1])
                }
                Op::Delete => {
                    ia += 1;
                    ('-', a[ia - 1])
                }
                Op::Insert => {
                    ib += 1;
                    ('+', b[ib - 1])
                }
            };
            out.push(mark);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// `start,count` as the unified format writes it (1-based; a count of 0 names the line before).
fn range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{count}", start + 1),
    }
}

/// The edit script from `a` to `b`: one op per line.
fn script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (middle_a, middle_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops = vec![Op::Equal; head];
    ops.extend(myers(middle_a, middle_b).unwrap_or_else(|| {
        let mut block = vec![Op::Delete; middle_a.len()];
        block.extend(vec![Op::Insert; middle_b.len()]);
        block
    }));
    ops.extend(vec![Op::Equal; tail]);
    ops
}

/// Myers' shortest edit script, or `None` past [`MAX_DIFFERENCES`].
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_DIFFERENCES) as isize;
    let offset = max + 1;
    let mut v = vec![0isize; 2 * offset as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max {
        trace.push(v.clone());
        for k in (-d..=d).step_by(2) {
            let index = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[index - 1] < v[index + 1]) {
                v[index + 1]
            } else {
                v[index - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[index] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'search;
            }
        }
    }
    found?;
    // Walk back through the saved frontiers.
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let k = x - y;
        let index = (k + offset) as usize;
        let previous_k = if k == -d || (k != d && v[index - 1] < v[index + 1]) {
            k + 1
        } else {
            k - 1
        };
        let previous_x = v[(previous_k + offset) as usize];
        let previous_y = previous_x - previous_k;
        while x > previous_x && y > previous_y {
            ops.push(Op::Equal);
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            if x == previous_x {
                ops.push(Op::Insert);
            } else {
                ops.push(Op::Delete);
            }
        }
        x = previous_x;
        y = previous_y;
    }
    ops.reverse();
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("f", "a\nb\n", "a\nb\n"), "");
    }

    #[test]
    fn one_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified("f.yaml", old, new),
            "--- f.yaml\n+++ f.yaml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_and_near_ones_one() {
        let old: String = (1..=30).map(|i| format!("{i}\n")).collect();
        let new = old.replace("\n2\n", "\ntwo\n").replace("\n25\n", "\nx\n");
        let diff = unified("f", &old, &new);
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
        let near = old.replace("\n2\n", "\ntwo\n").replace("\n6\n", "\nsix\n");
        assert_eq!(unified("f", &old, &near).matches("@@ -").count(), 1);
    }

    #[test]
    fn insertions_deletions_and_a_missing_final_newline() {
        let diff = unified("f", "a\nb\nc", "a\nc\nd");
        assert_eq!(
            diff,
            "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n-c\n\\ No newline at end of file\n+c\n+d\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("f", "", "a\n"), "--- f\n+++ f\n@@ -0,0 +1 @@\n+a\n");
    }

    #[test]
    fn the_script_rebuilds_both_texts() {
        let a = ["x\n", "a\n", "b\n", "c\n", "a\n", "b\n", "b\n", "a\n"];
        let b = ["c\n", "b\n", "a\n", "b\n", "a\n", "c\n"];
        let ops = script(&a, &b);
        let (mut ia, mut ib) = (0, 0);
        for op in ops {
            match op {
                Op::Equal => {
                    assert_eq!(a[ia], b[ib]);
                    ia += 1;
                    ib += 1;
                }
                Op::Delete => ia += 1,
                Op::Insert => ib += 1,
            }
        }
        assert_eq!((ia, ib), (a.len(), b.len()));
    }
}
