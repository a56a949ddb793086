//! Safe markdown for assistant text: paragraphs, headings, lists, tables, emphasis, inline
//! code and code blocks, parsed into a typed tree ([`Block`], [`Inline`]) and rendered as
//! Leptos elements. Nothing in the text becomes markup: HTML stays literal text (every
//! string is a text node, escaped by Leptos), images become their alt text, and links
//! their text without the address (no outside link is ever rendered). Hand-written and
//! small, to stay within the main WASM budget.

use leptos::either::{Either, EitherOf6};
use leptos::prelude::*;

/// A span of text and its emphasis.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `**strong**`.
    Strong(Vec<Inline>),
    /// `*emphasis*` or `_emphasis_`.
    Em(Vec<Inline>),
    /// `` `code` ``.
    Code(String),
}

/// A block of text.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A paragraph (its single line breaks kept).
    Para(Vec<Inline>),
    /// `#`…`######` (rendered one level below the page's headings, at most `h6`).
    Heading(u8, Vec<Inline>),
    /// `-`, `*`, `+` or `1.` items.
    List {
        /// Numbered.
        ordered: bool,
        /// The items.
        items: Vec<Vec<Inline>>,
    },
    /// A pipe table with a header row.
    Table {
        /// Header cells.
        head: Vec<Vec<Inline>>,
        /// Body rows.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A fenced code block.
    Code(String),
    /// `---`.
    Rule,
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some((false, rest));
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = &t[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, rest));
        }
    }
    None
}

fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*'))
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) {
        if let Some(rest) = line[hashes..].strip_prefix(' ') {
            return Some((hashes as u8, rest.trim().trim_end_matches('#').trim()));
        }
    }
    None
}

fn cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(str::trim).collect()
}

fn is_table_separator(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Parses markdown into blocks. Any text is accepted; what is not markdown stays text.
pub fn parse(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = vec![];
    let mut para: Vec<&str> = vec![];
    let flush = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Para(inlines(&para.join("\n"))));
            para.clear();
        }
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut para, &mut blocks);
            i += 1;
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut para, &mut blocks);
            let fence = &trimmed[..3];
            let mut code = vec![];
            i += 1;
            while i < lines.len() && !lines[i].trim().starts_with(fence) {
                code.push(lines[i]);
                i += 1;
            }
            i += 1;
            blocks.push(Block::Code(code.join("\n")));
        } else if let Some((level, rest)) = heading(trimmed) {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Heading(level, inlines(rest)));
            i += 1;
        } else if is_rule(trimmed) {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Rule);
            i += 1;
        } else if trimmed.starts_with('|')
            && lines.get(i + 1).is_some_and(|l| is_table_separator(l))
        {
            flush(&mut para, &mut blocks);
            let head: Vec<Vec<Inline>> = cells(trimmed).into_iter().map(inlines).collect();
            let width = head.len();
            i += 2;
            let mut rows = vec![];
            while i < lines.len() && lines[i].trim().starts_with('|') {
                let mut row: Vec<Vec<Inline>> = cells(lines[i]).into_iter().map(inlines).collect();
                row.resize(width, vec![]);
                rows.push(row);
                i += 1;
            }
            blocks.push(Block::Table { head, rows });
        } else if let Some((ordered, _)) = list_item(line) {
            flush(&mut para, &mut blocks);
            let mut items = vec![];
            while i < lines.len() {
                match list_item(lines[i]) {
                    Some((o, rest)) if o == ordered => items.push(inlines(rest)),
                    // A continuation line of the item before.
                    None if !lines[i].trim().is_empty()
                        && lines[i].starts_with([' ', '\t'])
                        && !items.is_empty() =>
                    {
                        if let Some(last) = items.last_mut() {
                            last.push(Inline::Text(" ".into()));
                            last.extend(inlines(lines[i].trim()));
                        }
                    }
                    _ => break,
                }
                i += 1;
            }
            blocks.push(Block::List { ordered, items });
        } else {
            para.push(line);
            i += 1;
        }
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// Where the emphasis closing `marker` is, from `from` on, if any.
fn closing(chars: &[char], from: usize, marker: &[char]) -> Option<usize> {
    let n = marker.len();
    (from..chars.len().saturating_sub(n - 1))
        .find(|&j| chars[j..j + n] == *marker && j > from && !chars[j - 1].is_whitespace())
}

/// Parses a line's emphasis, code spans, links and images.
pub fn inlines(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = vec![];
    let mut buf = String::new();
    let mut i = 0;
    let push_text = |buf: &mut String, out: &mut Vec<Inline>| {
        if !buf.is_empty() {
            out.push(Inline::Text(std::mem::take(buf)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev_alnum = i > 0 && chars[i - 1].is_alphanumeric();
        if c == '\\' && next.is_some_and(|n| n.is_ascii_punctuation()) {
            buf.push(chars[i + 1]);
            i += 2;
        } else if c == '`' {
            if let Some(end) = (i + 1..chars.len()).find(|&j| chars[j] == '`') {
                push_text(&mut buf, &mut out);
                out.push(Inline::Code(chars[i + 1..end].iter().collect()));
                i = end + 1;
            } else {
                buf.push(c);
                i += 1;
            }
        } else if (c == '*' || c == '_')
            && next == Some(c)
            && chars.get(i + 2).is_some_and(|n| !n.is_whitespace())
            && !(c == '_' && prev_alnum)
        {
            match closing(&chars, i + 2, &[c, c]) {
                Some(end) => {
                    push_text(&mut buf, &mut out);
                    let inner: String = chars[i + 2..end].iter().collect();
                    out.push(Inline::Strong(inlines(&inner)));
                    i = end + 2;
                }
                None => {
                    buf.push(c);
                    buf.push(c);
                    i += 2;
                }
            }
        } else if (c == '*' || c == '_')
            && next.is_some_and(|n| !n.is_whitespace() && n != c)
            && !(c == '_' && prev_alnum)
        {
            match closing(&chars, i + 1, &[c]).filter(|&end| {
                !(c == '_' && chars.get(end + 1).is_some_and(|n| n.is_alphanumeric()))
            }) {
                Some(end) => {
                    push_text(&mut buf, &mut out);
                    let inner: String = chars[i + 1..end].iter().collect();
                    out.push(Inline::Em(inlines(&inner)));
                    i = end + 1;
                }
                None => {
                    buf.push(c);
                    i += 1;
                }
            }
        } else if c == '[' || (c == '!' && next == Some('[')) {
            // [text](address) keeps its text; ![alt](address) its alt text. The address
            // is dropped: no outside link or image is ever shown.
            let open = if c == '!' { i + 1 } else { i };
            let link = (open + 1..chars.len())
                .find(|&j| chars[j] == ']')
                .filter(|&close| chars.get(close + 1) == Some(&'('))
                .and_then(|close| {
                    (close + 2..chars.len())
                        .find(|&j| chars[j] == ')')
                        .map(|end| (close, end))
                });
            match link {
                Some((close, end)) => {
                    let label: String = chars[open + 1..close].iter().collect();
                    push_text(&mut buf, &mut out);
                    out.extend(inlines(&label));
                    i = end + 1;
                }
                None => {
                    buf.push(c);
                    i += 1;
                }
            }
        } else {
            buf.push(c);
            i += 1;
        }
    }
    push_text(&mut buf, &mut out);
    out
}

fn inline_view(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(t) => t.into_any(),
        Inline::Strong(v) => {
            view! { <strong>{v.into_iter().map(inline_view).collect_view()}</strong> }.into_any()
        }
        Inline::Em(v) => {
            view! { <em>{v.into_iter().map(inline_view).collect_view()}</em> }.into_any()
        }
        Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
    }
}

fn spans(v: Vec<Inline>) -> impl IntoView {
    v.into_iter().map(inline_view).collect_view()
}

/// Whether a table cell reads as a flag word that marks an abnormal value.
fn abnormal_cell(cell: &[Inline]) -> bool {
    matches!(cell, [Inline::Strong(inner)] if matches!(inner.as_slice(),
        [Inline::Text(t)] if matches!(t.as_str(), "high" | "low" | "abnormal" | "critical")))
}

fn block_view(block: Block) -> impl IntoView {
    match block {
        Block::Para(v) => EitherOf6::A(view! { <p>{spans(v)}</p> }),
        Block::Heading(level, v) => EitherOf6::B(match level {
            1 | 2 => Either::Left(view! { <h3>{spans(v)}</h3> }),
            _ => Either::Right(view! { <h4>{spans(v)}</h4> }),
        }),
        Block::List { ordered, items } => {
            let items = items
                .into_iter()
                .map(|i| view! { <li>{spans(i)}</li> })
                .collect_view();
            EitherOf6::C(if ordered {
                Either::Left(view! { <ol>{items}</ol> })
            } else {
                Either::Right(view! { <ul>{items}</ul> })
            })
        }
        Block::Table { head, rows } => EitherOf6::D(view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Table">
                <table class="data-table md-table">
                    <thead><tr>{head.into_iter().map(|c| view! { <th scope="col">{spans(c)}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>{r.into_iter().map(|c| {
                                let abnormal = abnormal_cell(&c);
                                view! { <td class:abnormal=abnormal>{spans(c)}</td> }
                            }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }),
        Block::Code(t) => EitherOf6::E(view! { <pre><code>{t}</code></pre> }),
        Block::Rule => EitherOf6::F(view! { <hr/> }),
    }
}

/// Renders markdown text as elements (see the module's rules).
pub fn render(text: &str) -> impl IntoView {
    view! { <div class="md">{parse(text).into_iter().map(block_view).collect_view()}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn text(s: &str) -> Inline {
        Text(s.into())
    }

    #[test]
    fn emphasis_code_and_plain_text() {
        assert_eq!(
            inlines("a **b** *c* `d*e` f"),
            vec![
                text("a "),
                Strong(vec![text("b")]),
                text(" "),
                Em(vec![text("c")]),
                text(" "),
                Code("d*e".into()),
                text(" f")
            ]
        );
        // Snake case and lone stars stay text.
        assert_eq!(inlines("get_lab_results"), vec![text("get_lab_results")]);
        assert_eq!(inlines("2 * 3 = 6"), vec![text("2 * 3 = 6")]);
        assert_eq!(inlines("**open"), vec![text("**open")]);
    }

    #[test]
    fn links_and_images_keep_only_their_text() {
        assert_eq!(
            inlines("see [the guide](https://evil.example/x) and ![chart](http://x/y.png)"),
            vec![
                text("see "),
                text("the guide"),
                text(" and "),
                text("chart")
            ]
        );
    }

    #[test]
    fn html_stays_text() {
        let html = "<script>alert(1)</script><img src=x onerror=alert(1)>";
        assert_eq!(parse(html), vec![Block::Para(vec![text(html)])]);
    }

    #[test]
    fn blocks() {
        let md = "**Labs**\n\n| Test | Flag |\n|---|---|\n| A1c | **high** |\n| Na |\n\n- one\n- two\n\n1. first\n2. second\n\n```\ncode *x*\n```\n## Head\n---";
        let blocks = parse(md);
        assert_eq!(blocks[0], Block::Para(vec![Strong(vec![text("Labs")])]));
        let Block::Table { head, rows } = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(head.len(), 2);
        assert_eq!(rows[0][1], vec![Strong(vec![text("high")])]);
        assert!(abnormal_cell(&rows[0][1]));
        assert_eq!(rows[1][1], vec![]);
        assert_eq!(
            blocks[2],
            Block::List {
                ordered: false,
                items: vec![vec![text("one")], vec![text("two")]]
            }
        );
        assert!(matches!(&blocks[3], Block::List { ordered: true, items } if items.len() == 2));
        assert_eq!(blocks[4], Block::Code("code *x*".into()));
        assert_eq!(blocks[5], Block::Heading(2, vec![text("Head")]));
        assert_eq!(blocks[6], Block::Rule);
    }

    #[test]
    fn a_reply_cut_mid_table_or_fence_still_parses() {
        assert!(!parse("| a | b |\n|--").is_empty());
        assert_eq!(
            parse("```\nunfinished"),
            vec![Block::Code("unfinished".into())]
        );
    }
}
