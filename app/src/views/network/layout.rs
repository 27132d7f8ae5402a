//! Where the stakeholder network's nodes go: a force-directed layout
//! (Fruchterman–Reingold) that is pure, deterministic and bounded.
//!
//! - **Deterministic**: the same graph (in any input order) and the same
//!   previous layout give the same positions, bit for bit. Start positions
//!   come from each node's own seed (derived from its id), never from a
//!   random source or the order of a map.
//! - **Stable**: given the previous layout, only the nodes a change touches
//!   (new nodes, ends of added or removed edges, and their neighbours) move
//!   freely; the rest keep their place up to a small settling. Adding one
//!   link does not scramble the picture.
//! - **Bounded**: the work (pairs of nodes looked at) is capped by
//!   [`WORK_BUDGET`]; a large graph gets fewer iterations, never a frozen page.
//! - **Readable**: no two nodes closer than [`MIN_DISTANCE`], every node
//!   inside the canvas with room for its shape.
//!
//! No DOM and no clock: tested natively (`cargo test -p ara-app`).

use std::collections::{BTreeMap, BTreeSet};

/// Something that can be a node: ordered (for a canonical order) and with a
/// stable seed for its start position.
pub trait NodeKey: Copy + Ord {
    fn seed(&self) -> u64;
}

/// A node's room: its shape (radius up to 22) and a margin.
pub const NODE_RADIUS: f64 = 26.0;
/// The least distance between two nodes' centres.
pub const MIN_DISTANCE: f64 = 2.0 * NODE_RADIUS + 4.0;
/// The most work (pairs of nodes looked at) one layout may take.
pub const WORK_BUDGET: u64 = 12_000_000;

/// Canvas area per node: enough for a node, its label and its links.
const AREA_PER_NODE: f64 = 110.0 * 110.0;
const MIN_WIDTH: f64 = 640.0;
const MIN_HEIGHT: f64 = 420.0;
const ASPECT: f64 = 1.5;
/// The canvas grows in steps of this many nodes, so that one node more or
/// less does not rescale the whole picture.
const CANVAS_STEP: usize = 16;
const COLD_ITERATIONS: u64 = 300;
const WARM_ITERATIONS: u64 = 60;
const COLLISION_PASSES: usize = 60;
/// The pull towards the centre holds the cloud of nodes to a disc whose
/// radius is this share of the canvas's side, so that the nodes spread over
/// the canvas instead of piling up on its edges.
const CLOUD: f64 = 0.44;

/// A graph in canonical form: nodes sorted and unique, edges between known
/// nodes only, each once as `(smaller, larger)`, sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph<K> {
    nodes: Vec<K>,
    edges: Vec<(K, K)>,
}

impl<K: NodeKey> Graph<K> {
    pub fn new(
        nodes: impl IntoIterator<Item = K>,
        edges: impl IntoIterator<Item = (K, K)>,
    ) -> Self {
        let nodes: BTreeSet<K> = nodes.into_iter().collect();
        let edges: BTreeSet<(K, K)> = edges
            .into_iter()
            .filter(|(a, b)| a != b && nodes.contains(a) && nodes.contains(b))
            .map(|(a, b)| if a < b { (a, b) } else { (b, a) })
            .collect();
        Self {
            nodes: nodes.into_iter().collect(),
            edges: edges.into_iter().collect(),
        }
    }

    pub fn nodes(&self) -> &[K] {
        &self.nodes
    }

    pub fn edges(&self) -> &[(K, K)] {
        &self.edges
    }
}

/// A position on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// The positions of a graph's nodes on a `width` × `height` canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout<K> {
    pub width: f64,
    pub height: f64,
    positions: BTreeMap<K, Point>,
    graph: Graph<K>,
    /// Pairs of nodes looked at to compute it (at most [`WORK_BUDGET`]).
    pub work: u64,
}

impl<K: NodeKey> Layout<K> {
    pub fn position(&self, key: &K) -> Option<Point> {
        self.positions.get(key).copied()
    }

    #[cfg(test)]
    pub fn positions(&self) -> impl Iterator<Item = (&K, &Point)> {
        self.positions.iter()
    }
}

/// The canvas for `n` nodes: landscape, growing with the number of nodes.
fn canvas(n: usize) -> (f64, f64) {
    let n = n.max(1).div_ceil(CANVAS_STEP) * CANVAS_STEP;
    let area = n as f64 * AREA_PER_NODE;
    let width = (area * ASPECT).sqrt().max(MIN_WIDTH).round();
    let height = (width / ASPECT).max(MIN_HEIGHT).round();
    (width, height)
}

/// SplitMix64: a well-mixed 64-bit value from a seed.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number in [0, 1) from a seed.
fn unit(seed: u64) -> f64 {
    (mix(seed) >> 11) as f64 / (1u64 << 53) as f64
}

/// Positions being worked on, by node index.
struct Canvas {
    width: f64,
    height: f64,
    points: Vec<Point>,
    work: u64,
}

impl Canvas {
    fn clamp(&mut self, i: usize) {
        let p = &mut self.points[i];
        p.x = p.x.clamp(NODE_RADIUS, self.width - NODE_RADIUS);
        p.y = p.y.clamp(NODE_RADIUS, self.height - NODE_RADIUS);
    }

    fn seeded(&self, seed: u64) -> Point {
        Point {
            x: NODE_RADIUS + unit(seed) * (self.width - 2.0 * NODE_RADIUS),
            y: NODE_RADIUS + unit(seed ^ 0x5bd1_e995) * (self.height - 2.0 * NODE_RADIUS),
        }
    }
}

/// Lays out `graph`. With the `previous` layout, nodes that were there keep
/// their place (scaled to the new canvas) and only the nodes the change
/// touches move freely; without it, every node starts from its seed.
pub fn layout<K: NodeKey>(graph: &Graph<K>, previous: Option<&Layout<K>>) -> Layout<K> {
    let n = graph.nodes.len();
    let (width, height) = canvas(n);
    let index: BTreeMap<K, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i))
        .collect();
    let edges: Vec<(usize, usize)> = graph
        .edges
        .iter()
        .map(|(a, b)| (index[a], index[b]))
        .collect();
    let mut neighbours = vec![Vec::new(); n];
    for &(a, b) in &edges {
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    // The forces work on a square of the same area (so that the pull to the
    // centre gathers a round cloud), which is then stretched to the canvas.
    let side = (width * height).sqrt();
    let mut canvas = Canvas {
        width: side,
        height: side,
        points: Vec::with_capacity(n),
        work: 0,
    };
    let known = place_start(graph, previous, &neighbours, &mut canvas);
    let heat = heat(graph, previous, &known, &neighbours, &index);
    let warm = heat.is_some();
    let k = (side * side / n.max(1) as f64).sqrt() * 0.8;
    let per_iteration = (n * n.saturating_sub(1) / 2 + edges.len() + n) as u64;
    let cap = if warm {
        WARM_ITERATIONS
    } else {
        COLD_ITERATIONS
    };
    // Four fifths of the budget for the forces, the rest for separating.
    let iterations = cap.min((WORK_BUDGET * 4 / 5) / per_iteration.max(1));
    let start_temperature = if warm { k * 0.5 } else { side / 8.0 };
    for step in 0..iterations {
        let temperature = start_temperature * (1.0 - step as f64 / iterations as f64);
        iterate(&mut canvas, &edges, k, temperature, heat.as_deref());
    }
    canvas.width = width;
    canvas.height = height;
    for i in 0..n {
        canvas.points[i].x *= width / side;
        canvas.points[i].y *= height / side;
        canvas.clamp(i);
    }
    separate(&mut canvas);
    if overlaps(&mut canvas) {
        snap_to_grid(&mut canvas);
    }
    Layout {
        width,
        height,
        positions: graph
            .nodes
            .iter()
            .copied()
            .zip(canvas.points.iter().copied())
            .collect(),
        graph: graph.clone(),
        work: canvas.work,
    }
}

/// Start positions; returns which nodes had a previous position.
fn place_start<K: NodeKey>(
    graph: &Graph<K>,
    previous: Option<&Layout<K>>,
    neighbours: &[Vec<usize>],
    canvas: &mut Canvas,
) -> Vec<bool> {
    let mut known = Vec::with_capacity(graph.nodes.len());
    for key in &graph.nodes {
        let old = previous.and_then(|p| {
            p.position(key).map(|at| Point {
                x: at.x / p.width * canvas.width,
                y: at.y / p.height * canvas.height,
            })
        });
        known.push(old.is_some());
        let at = old.unwrap_or_else(|| canvas.seeded(key.seed()));
        canvas.points.push(at);
    }
    // A new node joins next to a neighbour that was there already.
    if previous.is_some() {
        for (i, key) in graph.nodes.iter().enumerate() {
            if known[i] {
                continue;
            }
            if let Some(&j) = neighbours[i].iter().find(|&&j| known[j]) {
                let seed = key.seed();
                canvas.points[i] = Point {
                    x: canvas.points[j].x + (unit(seed) - 0.5) * 2.0 * MIN_DISTANCE,
                    y: canvas.points[j].y + (unit(seed ^ 0xa5a5) - 0.5) * 2.0 * MIN_DISTANCE,
                };
                canvas.clamp(i);
            }
        }
    }
    known
}

/// How freely each node may move after a change (1 = freely); `None` for a
/// layout from scratch.
fn heat<K: NodeKey>(
    graph: &Graph<K>,
    previous: Option<&Layout<K>>,
    known: &[bool],
    neighbours: &[Vec<usize>],
    index: &BTreeMap<K, usize>,
) -> Option<Vec<f64>> {
    let previous = previous?;
    if !known.iter().any(|k| *k) {
        return None;
    }
    let old: BTreeSet<&(K, K)> = previous.graph.edges.iter().collect();
    let new: BTreeSet<&(K, K)> = graph.edges.iter().collect();
    let mut touched: BTreeSet<usize> = (0..known.len()).filter(|i| !known[*i]).collect();
    for (a, b) in old.symmetric_difference(&new) {
        touched.extend(index.get(a));
        touched.extend(index.get(b));
    }
    let mut heat = vec![0.01; known.len()];
    for &i in &touched {
        for &j in &neighbours[i] {
            heat[j] = f64::max(heat[j], 0.4);
        }
    }
    for &i in &touched {
        heat[i] = 1.0;
    }
    Some(heat)
}

/// One step of the forces: every pair repels, every edge attracts, the
/// centre pulls a little; each node moves at most `temperature` (times its
/// heat).
fn iterate(
    canvas: &mut Canvas,
    edges: &[(usize, usize)],
    k: f64,
    temperature: f64,
    heat: Option<&[f64]>,
) {
    let n = canvas.points.len();
    let k2 = k * k;
    let mut shift = vec![(0.0f64, 0.0f64); n];
    let points = &canvas.points;
    for i in 0..n {
        for j in i + 1..n {
            let (mut dx, mut dy) = (points[i].x - points[j].x, points[i].y - points[j].y);
            let mut d2 = dx * dx + dy * dy;
            if d2 < 1e-6 {
                // Two nodes on one spot: part them the same way every time.
                dx = 0.01 * (1 + i % 7) as f64;
                dy = 0.01 * (1 + j % 5) as f64;
                d2 = dx * dx + dy * dy;
            }
            // Repulsion k²/d along the unit vector: d · k²/d².
            let f = k2 / d2;
            shift[i].0 += dx * f;
            shift[i].1 += dy * f;
            shift[j].0 -= dx * f;
            shift[j].1 -= dy * f;
        }
    }
    for &(a, b) in edges {
        let (dx, dy) = (points[a].x - points[b].x, points[a].y - points[b].y);
        // Attraction d²/k along the unit vector: d · d/k.
        let f = (dx * dx + dy * dy).sqrt() / k;
        shift[a].0 -= dx * f;
        shift[a].1 -= dy * f;
        shift[b].0 += dx * f;
        shift[b].1 += dy * f;
    }
    // With repulsion k²/d, n nodes push a node on the rim of a disc of
    // radius R outwards with about n·k²/R; a pull of g·R balances it at the
    // chosen radius when g = n·k²/R².
    let (cx, cy) = (canvas.width / 2.0, canvas.height / 2.0);
    let radius = CLOUD * canvas.width.min(canvas.height);
    let pull = n as f64 * k2 / (radius * radius);
    for (i, s) in shift.iter_mut().enumerate() {
        s.0 += (cx - points[i].x) * pull;
        s.1 += (cy - points[i].y) * pull;
    }
    canvas.work += (n * n.saturating_sub(1) / 2 + edges.len() + n) as u64;
    for (i, (sx, sy)) in shift.into_iter().enumerate() {
        let length = (sx * sx + sy * sy).sqrt();
        if length > 0.0 {
            let limit = temperature * heat.map_or(1.0, |h| h[i]);
            let step = length.min(limit) / length;
            canvas.points[i].x += sx * step;
            canvas.points[i].y += sy * step;
            canvas.clamp(i);
        }
    }
}

/// Nodes by grid cell of side [`MIN_DISTANCE`]: two nodes too close are in
/// the same or neighbouring cells.
fn cells(canvas: &Canvas) -> BTreeMap<(i64, i64), Vec<usize>> {
    let mut cells: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, p) in canvas.points.iter().enumerate() {
        let cell = (
            (p.x / MIN_DISTANCE).floor() as i64,
            (p.y / MIN_DISTANCE).floor() as i64,
        );
        cells.entry(cell).or_default().push(i);
    }
    cells
}

/// Pairs `(i, j)`, `i < j`, closer than [`MIN_DISTANCE`].
fn close_pairs(canvas: &mut Canvas) -> Vec<(usize, usize)> {
    let cells = cells(canvas);
    let mut pairs = Vec::new();
    for (&(cx, cy), members) in &cells {
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(others) = cells.get(&(cx + dx, cy + dy)) else {
                    continue;
                };
                for &i in members {
                    for &j in others {
                        if i < j {
                            canvas.work += 1;
                            let (a, b) = (canvas.points[i], canvas.points[j]);
                            let d2 = (a.x - b.x).powi(2) + (a.y - b.y).powi(2);
                            if d2 < MIN_DISTANCE * MIN_DISTANCE {
                                pairs.push((i, j));
                            }
                        }
                    }
                }
            }
        }
    }
    pairs
}

fn overlaps(canvas: &mut Canvas) -> bool {
    !close_pairs(canvas).is_empty()
}

/// Pushes nodes that are too close apart, a bounded number of passes.
fn separate(canvas: &mut Canvas) {
    for _ in 0..COLLISION_PASSES {
        if canvas.work >= WORK_BUDGET {
            return;
        }
        let pairs = close_pairs(canvas);
        if pairs.is_empty() {
            return;
        }
        for (i, j) in pairs {
            let (a, b) = (canvas.points[i], canvas.points[j]);
            let (mut dx, mut dy) = (b.x - a.x, b.y - a.y);
            let mut d = (dx * dx + dy * dy).sqrt();
            if d < 1e-6 {
                dx = if i % 2 == 0 { 1.0 } else { -1.0 };
                dy = if j % 2 == 0 { 0.5 } else { -0.5 };
                d = (dx * dx + dy * dy).sqrt();
            }
            // A little more than needed, so that the pass settles.
            let push = (MIN_DISTANCE - d) / 2.0 + 0.5;
            let (ux, uy) = (dx / d, dy / d);
            canvas.points[i].x -= ux * push;
            canvas.points[i].y -= uy * push;
            canvas.points[j].x += ux * push;
            canvas.points[j].y += uy * push;
            canvas.clamp(i);
            canvas.clamp(j);
        }
    }
}

/// The last resort, when pushing apart did not settle (a crowded corner):
/// every node moves to the nearest free point of a grid whose spacing is
/// [`MIN_DISTANCE`]. The canvas always has more grid points than nodes.
fn snap_to_grid(canvas: &mut Canvas) {
    let columns = ((canvas.width - 2.0 * NODE_RADIUS) / MIN_DISTANCE).floor() as i64 + 1;
    let rows = ((canvas.height - 2.0 * NODE_RADIUS) / MIN_DISTANCE).floor() as i64 + 1;
    let mut taken = vec![false; (columns * rows) as usize];
    for i in 0..canvas.points.len() {
        let p = canvas.points[i];
        let home = (
            ((p.x - NODE_RADIUS) / MIN_DISTANCE).round() as i64,
            ((p.y - NODE_RADIUS) / MIN_DISTANCE).round() as i64,
        );
        // Rings of growing radius around the node's own grid point.
        'search: for radius in 0..columns.max(rows) {
            for cx in home.0 - radius..=home.0 + radius {
                for cy in home.1 - radius..=home.1 + radius {
                    let on_ring = (cx - home.0).abs() == radius || (cy - home.1).abs() == radius;
                    if !on_ring || !(0..columns).contains(&cx) || !(0..rows).contains(&cy) {
                        continue;
                    }
                    canvas.work += 1;
                    let slot = (cy * columns + cx) as usize;
                    if !taken[slot] {
                        taken[slot] = true;
                        canvas.points[i] = Point {
                            x: NODE_RADIUS + cx as f64 * MIN_DISTANCE,
                            y: NODE_RADIUS + cy as f64 * MIN_DISTANCE,
                        };
                        break 'search;
                    }
                }
            }
        }
    }
}

/// A direction of the arrow keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

/// The node an arrow key goes to from `from`: the nearest one in that
/// direction, where being off to the side counts double.
pub fn nearest_in_direction<K: Copy>(
    from: Point,
    direction: Direction,
    candidates: impl IntoIterator<Item = (K, Point)>,
) -> Option<K> {
    candidates
        .into_iter()
        .filter_map(|(key, p)| {
            let (dx, dy) = (p.x - from.x, p.y - from.y);
            let (ahead, aside) = match direction {
                Direction::Left => (-dx, dy),
                Direction::Right => (dx, dy),
                Direction::Up => (-dy, dx),
                Direction::Down => (dy, dx),
            };
            (ahead > 0.5).then_some((ahead + 2.0 * aside.abs(), key))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, key)| key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Key(u32);

    impl NodeKey for Key {
        fn seed(&self) -> u64 {
            u64::from(self.0).wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    /// A network shaped like the demo's: organisations linked to regions
    /// and priorities, a few hubs, some nodes without links.
    fn network(n: u32, seed: u64) -> Graph<Key> {
        let nodes: Vec<Key> = (0..n).map(Key).collect();
        let mut edges = Vec::new();
        for i in 0..n {
            let links = mix(seed ^ u64::from(i)) % 3;
            for l in 0..links {
                let target = (mix(seed ^ u64::from(i) << 8 ^ l) % u64::from(n)) as u32;
                edges.push((Key(i), Key(target)));
            }
        }
        Graph::new(nodes, edges)
    }

    fn assert_readable(layout: &Layout<Key>, what: &str) {
        let points: Vec<Point> = layout.positions().map(|(_, p)| *p).collect();
        for (i, a) in points.iter().enumerate() {
            assert!(
                (NODE_RADIUS..=layout.width - NODE_RADIUS).contains(&a.x)
                    && (NODE_RADIUS..=layout.height - NODE_RADIUS).contains(&a.y),
                "{what}: node {i} at {a:?} is outside the {}×{} canvas",
                layout.width,
                layout.height
            );
            for (j, b) in points.iter().enumerate().skip(i + 1) {
                let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
                assert!(
                    d >= MIN_DISTANCE - 1e-9,
                    "{what}: nodes {i} and {j} overlap ({d:.1} apart)"
                );
            }
        }
    }

    #[test]
    fn the_same_graph_gets_the_same_layout_whatever_the_input_order() {
        let graph = network(60, 7);
        let first = layout(&graph, None);
        let again = layout(&graph, None);
        assert_eq!(first, again);
        let reversed = Graph::new(
            graph.nodes().iter().rev().copied(),
            graph.edges().iter().rev().map(|(a, b)| (*b, *a)),
        );
        assert_eq!(reversed, graph);
        assert_eq!(layout(&reversed, None).positions, first.positions);
    }

    #[test]
    fn nodes_never_overlap_and_stay_on_the_canvas() {
        for (n, seed) in [(1, 1), (2, 2), (3, 3), (12, 4), (65, 5), (150, 6), (400, 7)] {
            let graph = network(n, seed);
            let layout = layout(&graph, None);
            assert_eq!(layout.positions().count(), n as usize);
            assert_readable(&layout, &format!("{n} nodes"));
        }
        // Nothing but isolated nodes, and one star with every node on it.
        let lonely = Graph::new((0..80).map(Key), []);
        assert_readable(&layout(&lonely, None), "no links");
        let star = Graph::new((0..80).map(Key), (1..80).map(|i| (Key(0), Key(i))));
        assert_readable(&layout(&star, None), "a star");
    }

    #[test]
    fn linked_nodes_end_up_closer_than_unlinked_ones() {
        let graph = network(60, 11);
        let layout = layout(&graph, None);
        let distance = |a: &Key, b: &Key| {
            let (p, q) = (
                layout.position(a).expect("laid out"),
                layout.position(b).expect("laid out"),
            );
            ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt()
        };
        let linked: f64 = graph
            .edges()
            .iter()
            .map(|(a, b)| distance(a, b))
            .sum::<f64>()
            / graph.edges().len() as f64;
        let nodes = graph.nodes();
        let mut all = 0.0;
        let mut pairs = 0.0;
        for (i, a) in nodes.iter().enumerate() {
            for b in &nodes[i + 1..] {
                all += distance(a, b);
                pairs += 1.0;
            }
        }
        assert!(
            linked < 0.6 * all / pairs,
            "linked {linked:.0} vs any pair {:.0}",
            all / pairs
        );
    }

    #[test]
    fn the_work_is_bounded_however_large_the_graph() {
        for n in [10, 300, 800, 2_000] {
            let graph = network(n, 3);
            let layout = layout(&graph, None);
            assert!(
                layout.work <= WORK_BUDGET,
                "{n} nodes took {} pairs, more than {WORK_BUDGET}",
                layout.work
            );
            assert_readable(&layout, &format!("{n} nodes"));
            // A relayout after a change stays within the budget too.
            let next = super::layout(&graph, Some(&layout));
            assert!(next.work <= WORK_BUDGET);
        }
    }

    #[test]
    fn adding_one_link_moves_only_what_it_touches() {
        let graph = network(65, 21);
        let before = layout(&graph, None);
        let (a, b) = (Key(3), Key(40));
        assert!(!graph.edges().contains(&(a, b)));
        let mut edges = graph.edges().to_vec();
        edges.push((a, b));
        let changed = Graph::new(graph.nodes().iter().copied(), edges);
        let after = layout(&changed, Some(&before));
        assert_readable(&after, "after adding a link");
        let moved: Vec<f64> = graph
            .nodes()
            .iter()
            .map(|k| {
                let (p, q) = (
                    before.position(k).expect("before"),
                    after.position(k).expect("after"),
                );
                ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt()
            })
            .collect();
        let still = moved.iter().filter(|d| **d < MIN_DISTANCE / 2.0).count();
        assert!(
            still * 10 >= moved.len() * 8,
            "only {still} of {} nodes stayed in place",
            moved.len()
        );
        // Deterministic from the same previous layout, too.
        assert_eq!(layout(&changed, Some(&before)), after);
    }

    #[test]
    fn a_new_node_joins_next_to_its_neighbour() {
        let graph = network(40, 5);
        let before = layout(&graph, None);
        let newcomer = Key(1_000);
        let mut edges = graph.edges().to_vec();
        edges.push((newcomer, Key(7)));
        let grown = Graph::new(graph.nodes().iter().copied().chain([newcomer]), edges);
        let after = layout(&grown, Some(&before));
        assert_readable(&after, "after adding a node");
        let (p, q) = (
            after.position(&newcomer).expect("laid out"),
            after.position(&Key(7)).expect("laid out"),
        );
        let d = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
        assert!(d < after.width / 3.0, "{d:.0} away from its neighbour");
    }

    #[test]
    fn edges_are_canonical() {
        let graph = Graph::new(
            [Key(2), Key(1), Key(1)],
            [
                (Key(2), Key(1)),
                (Key(1), Key(2)),
                (Key(1), Key(1)),
                (Key(1), Key(9)),
            ],
        );
        assert_eq!(graph.nodes(), &[Key(1), Key(2)]);
        assert_eq!(graph.edges(), &[(Key(1), Key(2))]);
        assert_eq!(
            layout(&Graph::<Key>::new([], []), None).positions().count(),
            0
        );
    }

    #[test]
    fn arrow_keys_go_to_the_nearest_node_that_way() {
        let at = |x, y| Point { x, y };
        let nodes = [
            (1, at(100.0, 0.0)),
            (2, at(50.0, 60.0)),
            (3, at(-80.0, 5.0)),
            (4, at(0.0, -40.0)),
        ];
        let from = at(0.0, 0.0);
        assert_eq!(nearest_in_direction(from, Direction::Right, nodes), Some(1));
        assert_eq!(nearest_in_direction(from, Direction::Down, nodes), Some(2));
        assert_eq!(nearest_in_direction(from, Direction::Left, nodes), Some(3));
        assert_eq!(nearest_in_direction(from, Direction::Up, nodes), Some(4));
        assert_eq!(
            nearest_in_direction(at(100.0, 0.0), Direction::Right, nodes),
            None
        );
    }
}
