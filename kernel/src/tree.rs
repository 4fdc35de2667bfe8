//! Mode trees of hierarchical Tucker networks (SPEC §8): nested lists of the modes 1..d, each
//! mode exactly once, every internal node with at least two children. It owns the tree text
//! (`((1,2),(3,4))`, read and written), the named pooling geometries (`balanced`, `contiguous`,
//! `mirror`) and what a node is in the mathematics: its modes, its `level` (height above the
//! leaves) and its `first` and `last` mode. Both the checker and the kernel read trees with this
//! one parser, so a tree means the same to both. Node tensors and contraction are not here.

use std::fmt;

/// A mode tree: a leaf is one mode (0-based), a node lists its children in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModeTree {
    Leaf(usize),
    Node(Vec<ModeTree>),
}

/// Why a tree text is not a mode tree of order d: the byte where it is seen, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeFault {
    /// Byte offset into the text.
    pub at: usize,
    pub problem: TreeProblem,
}

/// What is wrong with a tree text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeProblem {
    /// Something else is written where `expected` must be.
    Expected(&'static str),
    /// A mode outside 1..d.
    ModeOutOfRange { mode: String, d: usize },
    /// A mode listed a second time (1-based).
    Repeated { mode: usize },
    /// A mode of 1..d that the tree does not list (1-based).
    Missing { mode: usize },
    /// A node with a single child: a pooling window of one is not a node.
    OneChild,
    /// The whole tree is one mode: it must be a list.
    NotAList,
    /// Lists nested deeper than d - 1, which no tree of d modes needs.
    TooDeep { d: usize },
}

impl fmt::Display for TreeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeProblem::Expected(what) => write!(f, "expected {what}"),
            TreeProblem::ModeOutOfRange { mode, d } => {
                write!(f, "mode {mode} does not exist: the modes are 1..{d}")
            }
            TreeProblem::Repeated { mode } => {
                write!(f, "mode {mode} is listed twice; each mode is a leaf exactly once")
            }
            TreeProblem::Missing { mode } => write!(f, "mode {mode} is missing; each mode is a leaf exactly once"),
            TreeProblem::OneChild => write!(f, "a node has a single child; every node pools at least two"),
            TreeProblem::NotAList => write!(f, "a tree is a list of modes or subtrees, like ((1,2),(3,4))"),
            TreeProblem::TooDeep { d } => write!(f, "lists nested deeper than a tree of {d} modes can be"),
        }
    }
}

impl ModeTree {
    /// Reads a tree over the modes 1..d: `(` children separated by `,` `)`, a child being a
    /// mode number or a tree; spaces are allowed between the parts.
    pub fn parse(text: &str, d: usize) -> Result<ModeTree, TreeFault> {
        let mut reader = Reader {
            text: text.as_bytes(),
            at: 0,
            d,
            seen: vec![false; d],
        };
        reader.skip_spaces();
        if reader.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err(reader.fault(TreeProblem::NotAList));
        }
        let tree = reader.subtree(0)?;
        reader.skip_spaces();
        if reader.at < text.len() {
            return Err(reader.fault(TreeProblem::Expected("the end of the tree")));
        }
        if let Some(mode) = reader.seen.iter().position(|s| !s) {
            return Err(TreeFault {
                at: text.len(),
                problem: TreeProblem::Missing { mode: mode + 1 },
            });
        }
        Ok(tree)
    }

    /// The balanced tree over 1..d that pairs neighbours: each node splits its modes in two
    /// halves, the left one the smaller (`((1,2),(3,4))`, `((1,(2,3)),(4,(5,6)))`).
    pub fn balanced(d: usize) -> ModeTree {
        ModeTree::balanced_over(&(0..d).collect::<Vec<_>>())
    }

    /// The slides' `contiguous` geometry, for d a power of 2 (at least 2): pairs (1,2), (3,4), ...,
    /// then neighbouring pairs paired, and so on.
    pub fn contiguous(d: usize) -> Option<ModeTree> {
        (d >= 2 && d.is_power_of_two()).then(|| ModeTree::balanced(d))
    }

    /// The slides' `mirror` geometry, for d a power of 2 (at least 2): pairs (i, d+1-i) for
    /// i = 1, 2, ..., d/2 in that order, then neighbouring pairs paired, and so on.
    pub fn mirror(d: usize) -> Option<ModeTree> {
        let order: Vec<usize> = (0..d / 2).flat_map(|i| [i, d - 1 - i]).collect();
        (d >= 2 && d.is_power_of_two()).then(|| ModeTree::balanced_over(&order))
    }

    fn balanced_over(modes: &[usize]) -> ModeTree {
        match modes {
            [mode] => ModeTree::Leaf(*mode),
            _ => {
                let (left, right) = modes.split_at(modes.len() / 2);
                ModeTree::Node(vec![ModeTree::balanced_over(left), ModeTree::balanced_over(right)])
            }
        }
    }

    /// The node's children (none for a leaf).
    pub fn children(&self) -> &[ModeTree] {
        match self {
            ModeTree::Leaf(_) => &[],
            ModeTree::Node(children) => children,
        }
    }

    /// The height above the leaves: 0 for a leaf, else one more than the highest child.
    pub fn level(&self) -> usize {
        self.children().iter().map(|c| c.level() + 1).max().unwrap_or(0)
    }

    /// The modes below the node, in the tree's left-to-right order (0-based).
    pub fn modes(&self) -> Vec<usize> {
        match self {
            ModeTree::Leaf(mode) => vec![*mode],
            ModeTree::Node(children) => children.iter().flat_map(ModeTree::modes).collect(),
        }
    }

    /// The smallest and the largest mode below the node (0-based).
    pub fn first_last(&self) -> (usize, usize) {
        let modes = self.modes();
        let first = modes.iter().copied().min().unwrap_or(0);
        let last = modes.iter().copied().max().unwrap_or(0);
        (first, last)
    }

    /// Every node, children before their parent and left before right (post-order).
    pub fn post_order(&self) -> Vec<&ModeTree> {
        let mut nodes: Vec<&ModeTree> = self.children().iter().flat_map(ModeTree::post_order).collect();
        nodes.push(self);
        nodes
    }
}

/// The tree as the case file writes it, 1-based: `((1,2),(3,4))`.
impl fmt::Display for ModeTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModeTree::Leaf(mode) => write!(f, "{}", mode + 1),
            ModeTree::Node(children) => {
                write!(f, "(")?;
                for (j, child) in children.iter().enumerate() {
                    if j > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{child}")?;
                }
                write!(f, ")")
            }
        }
    }
}

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
    d: usize,
    seen: Vec<bool>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|c| c == b' ') {
            self.at += 1;
        }
    }

    fn fault(&self, problem: TreeProblem) -> TreeFault {
        TreeFault { at: self.at, problem }
    }

    /// A mode or a parenthesised list at the cursor; `depth` lists enclosing it. A list nested
    /// deeper than d cannot hold d modes with two children a node, and is refused before any
    /// recursion deeper than that.
    fn subtree(&mut self, depth: usize) -> Result<ModeTree, TreeFault> {
        self.skip_spaces();
        match self.peek() {
            Some(c) if c.is_ascii_digit() => self.mode(),
            Some(b'(') if depth < self.d => {
                let open = self.at;
                self.at += 1;
                let mut children = vec![self.subtree(depth + 1)?];
                loop {
                    self.skip_spaces();
                    match self.peek() {
                        Some(b',') => {
                            self.at += 1;
                            children.push(self.subtree(depth + 1)?);
                        }
                        Some(b')') => {
                            self.at += 1;
                            break;
                        }
                        _ => return Err(self.fault(TreeProblem::Expected("',' or ')'"))),
                    }
                }
                if children.len() < 2 {
                    return Err(TreeFault {
                        at: open,
                        problem: TreeProblem::OneChild,
                    });
                }
                Ok(ModeTree::Node(children))
            }
            Some(b'(') => Err(self.fault(TreeProblem::TooDeep { d: self.d })),
            _ => Err(self.fault(TreeProblem::Expected("'(' or a mode number"))),
        }
    }

    fn mode(&mut self) -> Result<ModeTree, TreeFault> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits = self.text.get(start..self.at).unwrap_or_default();
        let digits = String::from_utf8_lossy(digits).into_owned();
        let out_of_range = TreeFault {
            at: start,
            problem: TreeProblem::ModeOutOfRange {
                mode: digits.clone(),
                d: self.d,
            },
        };
        let mode = digits
            .parse::<usize>()
            .ok()
            .filter(|m| (1..=self.d).contains(m))
            .ok_or(out_of_range)?;
        match self.seen.get_mut(mode - 1) {
            Some(seen) if !*seen => *seen = true,
            _ => {
                return Err(TreeFault {
                    at: start,
                    problem: TreeProblem::Repeated { mode },
                })
            }
        }
        Ok(ModeTree::Leaf(mode - 1))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn fault(text: &str, d: usize) -> (usize, String) {
        let f = ModeTree::parse(text, d).unwrap_err();
        (f.at, f.problem.to_string())
    }

    #[test]
    fn trees_read_back_as_written() {
        for (text, d) in [
            ("((1,2),(3,4))", 4),
            ("(1,2,3)", 3),
            ("((1,4),(2,3))", 4),
            ("(((1,2),3),(4,5,6))", 6),
        ] {
            assert_eq!(ModeTree::parse(text, d).unwrap().to_string(), text);
        }
        let spaced = ModeTree::parse(" ( (1, 2) , (3,4) ) ", 4).unwrap();
        assert_eq!(spaced.to_string(), "((1,2),(3,4))");
    }

    #[test]
    fn named_geometries_by_hand() {
        assert_eq!(ModeTree::balanced(4).to_string(), "((1,2),(3,4))");
        assert_eq!(ModeTree::balanced(6).to_string(), "((1,(2,3)),(4,(5,6)))");
        assert_eq!(ModeTree::balanced(3).to_string(), "(1,(2,3))");
        assert_eq!(
            ModeTree::contiguous(8).unwrap().to_string(),
            "(((1,2),(3,4)),((5,6),(7,8)))"
        );
        assert_eq!(ModeTree::mirror(4).unwrap().to_string(), "((1,4),(2,3))");
        assert_eq!(
            ModeTree::mirror(8).unwrap().to_string(),
            "(((1,8),(2,7)),((3,6),(4,5)))"
        );
        assert_eq!(ModeTree::mirror(6), None);
        assert_eq!(ModeTree::contiguous(1), None);
    }

    #[test]
    fn levels_and_ends_by_hand() {
        let t = ModeTree::parse("(((1,4),2),(3,5))", 5).unwrap();
        assert_eq!(t.level(), 3);
        let levels: Vec<usize> = t.post_order().iter().map(|n| n.level()).collect();
        // Post-order: 1, 4, (1,4), 2, ((1,4),2), 3, 5, (3,5), root.
        assert_eq!(levels, [0, 0, 1, 0, 2, 0, 0, 1, 3]);
        assert_eq!(t.children()[0].first_last(), (0, 3));
        assert_eq!(t.modes(), [0, 3, 1, 2, 4]);
    }

    #[test]
    fn bad_trees_are_refused_where_they_go_wrong() {
        assert_eq!(
            fault("((1,2),(3,3))", 4),
            (10, "mode 3 is listed twice; each mode is a leaf exactly once".into())
        );
        assert_eq!(
            fault("((1,2),3)", 4),
            (9, "mode 4 is missing; each mode is a leaf exactly once".into())
        );
        assert_eq!(fault("((1,2),(5,3))", 4).0, 8);
        assert_eq!(fault("((1),(2,3))", 3).0, 1);
        assert!(fault("((1),(2,3))", 3).1.contains("single child"));
        assert_eq!(fault("1", 1).1, TreeProblem::NotAList.to_string());
        assert_eq!(fault("(1,2", 2), (4, "expected ',' or ')'".into()));
        assert_eq!(fault("(1,2))", 2), (5, "expected the end of the tree".into()));
        assert_eq!(fault("(1,,2)", 2).0, 3);
        assert_eq!(fault("(0,1)", 2).0, 1);
        assert_eq!(fault("(1,99999999999999999999999)", 2).0, 3);
        // Nesting deeper than the order is refused without recursing further.
        assert_eq!(
            fault(&"(".repeat(100_000), 3),
            (3, "lists nested deeper than a tree of 3 modes can be".into())
        );
    }
}
